// SMS segments as you type, the same rules as the backend
// (shared/src/channels/sms_segments.rs): GSM 03.38 (7-bit, 160 per SMS,
// 153 per part; extension characters cost 2) unless any character is outside
// it, then UCS-2 (70 per SMS, 67 per part; characters beyond the BMP cost 2).
// A character is never split across parts.

export type SmsEncoding = 'gsm7' | 'ucs2'

export interface SmsCount {
  encoding: SmsEncoding
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number
  segments: number
  /** Units still free in the last segment (0 for an empty text). */
  remaining: number
  /** Size of one part at this encoding and length (160/153 or 70/67). */
  perSegment: number
  /** The characters that forced UCS-2, de-duplicated, in order. */
  nonGsm: string[]
}

export const GSM7_SINGLE = 160
export const GSM7_PART = 153
export const UCS2_SINGLE = 70
export const UCS2_PART = 67

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'
const EXTENSION = '\f^{}\\[~]|€'
const basic = new Set(Array.from(BASIC))
const extension = new Set(Array.from(EXTENSION))

export const isGsmBasic = (c: string) => basic.has(c)
export const isGsmExtension = (c: string) => extension.has(c)

export function countSms(text: string): SmsCount {
  const chars = Array.from(text)
  const nonGsm: string[] = []
  for (const c of chars) if (!basic.has(c) && !extension.has(c) && !nonGsm.includes(c)) nonGsm.push(c)
  const gsm = nonGsm.length === 0
  const widths = gsm ? chars.map((c) => (extension.has(c) ? 2 : 1)) : chars.map((c) => c.length)
  const single = gsm ? GSM7_SINGLE : UCS2_SINGLE
  const part = gsm ? GSM7_PART : UCS2_PART
  let units = 0
  let parts = 0
  let room = 0
  for (const w of widths) {
    units += w
    if (w > room) {
      parts += 1
      room = part
    }
    room -= w
  }
  const segments = units === 0 ? 0 : units <= single ? 1 : parts
  const perSegment = segments > 1 ? part : single
  const remaining = units === 0 ? 0 : segments === 1 ? single - units : room
  return { encoding: gsm ? 'gsm7' : 'ucs2', units, segments, remaining, perSegment, nonGsm }
}
