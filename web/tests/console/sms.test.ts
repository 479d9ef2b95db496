import { describe, expect, it } from 'vitest'
import { countSms } from '@/console/sms'

describe('countSms', () => {
  it('empty text: GSM-7, no segments', () => {
    expect(countSms('')).toMatchObject({ encoding: 'gsm7', units: 0, segments: 0, remaining: 0 })
  })
  it('GSM-7: 160 fit in one, 161 take two parts of 153', () => {
    expect(countSms('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', units: 160, segments: 1, remaining: 0, perSegment: 160 })
    expect(countSms('a'.repeat(161))).toMatchObject({ units: 161, segments: 2, perSegment: 153, remaining: 153 * 2 - 161 })
    expect(countSms('a'.repeat(306)).segments).toBe(2)
    expect(countSms('a'.repeat(307)).segments).toBe(3)
  })
  it('extension characters cost two septets', () => {
    expect(countSms('€')).toMatchObject({ encoding: 'gsm7', units: 2, segments: 1 })
    expect(countSms('{}[]~^|\\')).toMatchObject({ units: 16 })
    expect(countSms('a'.repeat(158) + '€').segments).toBe(1)
    expect(countSms('a'.repeat(159) + '€')).toMatchObject({ units: 161, segments: 2 })
  })
  it('an escape pair is never split across parts', () => {
    // 152 septets then € (2): does not fit the 1 left in part one.
    const c = countSms('a'.repeat(152) + '€' + 'a'.repeat(10))
    expect(c.units).toBe(164)
    expect(c.segments).toBe(2)
    // 306 septets would fill two parts exactly, but the pair moves: three.
    const tight = countSms('a'.repeat(152) + '€' + 'a'.repeat(152))
    expect(tight.units).toBe(306)
    expect(tight.segments).toBe(3)
    expect(countSms('a'.repeat(152) + '€' + 'a'.repeat(151)).segments).toBe(2)
  })
  it('GSM basic set letters (é, ñ, Ω) stay GSM-7', () => {
    expect(countSms('café ñ Ω ¿¡ £')).toMatchObject({ encoding: 'gsm7', nonGsm: [] })
  })
  it('UCS-2: 70 fit in one, 71 take two parts of 67', () => {
    expect(countSms('ș'.repeat(70))).toMatchObject({ encoding: 'ucs2', units: 70, segments: 1, perSegment: 70 })
    expect(countSms('ș'.repeat(71))).toMatchObject({ encoding: 'ucs2', units: 71, segments: 2, perSegment: 67 })
    expect(countSms('ș'.repeat(134)).segments).toBe(2)
    expect(countSms('ș'.repeat(135)).segments).toBe(3)
  })
  it('one non-GSM character switches the whole text and is reported', () => {
    const c = countSms('Hello ' + 'a'.repeat(60) + ' Привет')
    expect(c.encoding).toBe('ucs2')
    expect(c.nonGsm).toEqual(['П', 'р', 'и', 'в', 'е', 'т'])
    expect(countSms('a'.repeat(69) + 'ș').segments).toBe(1)
    expect(countSms('a'.repeat(70) + 'ș').segments).toBe(2)
  })
  it('emoji count two UTF-16 units and are not split', () => {
    expect(countSms('😀')).toMatchObject({ encoding: 'ucs2', units: 2, segments: 1 })
    expect(countSms('a'.repeat(69) + '😀')).toMatchObject({ units: 71, segments: 2 })
    const c = countSms('a'.repeat(66) + '😀' + 'a'.repeat(10))
    expect(c.units).toBe(78)
    expect(c.segments).toBe(2)
  })
})
