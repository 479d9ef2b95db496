// Dates and numbers in the shopper's language and time zone.
import { ref } from 'vue'

/** The zone times are shown in: the session's, else the browser's. */
export const timeZone = ref<string>(browserZone())

export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  } catch {
    return 'UTC'
  }
}

export function setTimeZone(zone: string | null | undefined): void {
  timeZone.value = zone && isZone(zone) ? zone : browserZone()
}

export function isZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

const cache = new Map<string, Intl.DateTimeFormat>()
function dtf(locale: string, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${zone}|${JSON.stringify(options)}`
  let f = cache.get(key)
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone })
    cache.set(key, f)
  }
  return f
}

type When = string | number | Date

const toDate = (d: When) => (d instanceof Date ? d : new Date(d))

/** "12 March 2026" */
export function formatDate(d: When, locale: string, zone = timeZone.value): string {
  return dtf(locale, zone, { day: 'numeric', month: 'long', year: 'numeric' }).format(toDate(d))
}

/** "Thu, 12 Mar" */
export function formatShortDate(d: When, locale: string, zone = timeZone.value): string {
  return dtf(locale, zone, { weekday: 'short', day: 'numeric', month: 'short' }).format(toDate(d))
}

/** "Thursday, 12 March 2026, 14:05" */
export function formatDateTime(d: When, locale: string, zone = timeZone.value): string {
  return dtf(locale, zone, { dateStyle: 'full', timeStyle: 'short' }).format(toDate(d))
}

/** "12 Mar, 14:05" */
export function formatShortDateTime(d: When, locale: string, zone = timeZone.value): string {
  return dtf(locale, zone, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }).format(toDate(d))
}

/** A calendar date "YYYY-MM-DD" (no zone) in words: "Friday, 13 March". */
export function formatCalendarDate(ymd: string, locale: string): string {
  const [y, m, d] = ymd.split('-').map(Number)
  return dtf(locale, 'UTC', { weekday: 'long', day: 'numeric', month: 'long' }).format(Date.UTC(y, m - 1, d))
}

/** The day number of `d` in `zone` (days since the epoch of that local date). */
export function dayNumber(d: When, zone = timeZone.value): number {
  const parts = dtf('en-CA', zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(toDate(d))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return Math.round(Date.UTC(get('year'), get('month') - 1, get('day')) / 86_400_000)
}

/** "YYYY-MM-DD" of `d` in `zone`. */
export function isoDay(d: When, zone = timeZone.value): string {
  return dtf('en-CA', zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(toDate(d))
}

/**
 * A day relative to today in the shopper's zone: "today", "tomorrow",
 * "in 2 days", "yesterday"; beyond a week, the date itself.
 */
export function relativeDay(d: When, locale: string, now: When = Date.now(), zone = timeZone.value): string {
  const diff = dayNumber(d, zone) - dayNumber(now, zone)
  if (Math.abs(diff) <= 6) {
    return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(diff, 'day')
  }
  return formatShortDate(d, locale, zone)
}

export function formatNumber(n: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(n)
}

/** Every IANA zone the browser knows (a short list on old browsers). */
export function timeZones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (key: string) => string[] }
  try {
    const zones = intl.supportedValuesOf?.('timeZone')
    if (zones?.length) return zones.includes('UTC') ? zones : ['UTC', ...zones]
  } catch {
    /* fall through */
  }
  return ['UTC', 'Europe/Madrid', 'Europe/Bucharest', 'Europe/Moscow', 'Europe/London', 'America/New_York']
}
