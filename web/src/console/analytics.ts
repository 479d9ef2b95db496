// The analytics page's arithmetic: UTC date ranges, the points a series can
// hold, and totals that add up (counts, and ratios of summed counts).
// Percentiles do not add up: those stay per interval, or are averaged and
// labelled so.
import type { Interval } from './api'

const HOUR = 3_600_000
const DAY = 24 * HOUR

/** Hourly points: at most 1000 a series, so ranges up to 41 days. */
export const HOURLY_MAX_DAYS = 41
export const PRESETS = [7, 30, 90] as const

/** Days shown, both ends included, as YYYY-MM-DD in UTC (the roll-ups' days). */
export interface DateRange {
  from: string
  to: string
}

const ms = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`)
const ymd = (t: number) => new Date(t).toISOString().slice(0, 10)

export const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(ms(s))
export const todayUtc = (now = Date.now()) => ymd(now)
export const addDays = (day: string, n: number) => ymd(ms(day) + n * DAY)

/** The last `n` days, today included. */
export const lastDays = (n: number, now = Date.now()): DateRange => ({ from: addDays(todayUtc(now), 1 - n), to: todayUtc(now) })

/** Days in the range, both ends included. */
export const rangeDays = (r: DateRange) => Math.round((ms(r.to) - ms(r.from)) / DAY) + 1

/** The API's range: `to` is exclusive, so the day after the last one shown. */
export const apiRange = (r: DateRange) => ({ from: r.from, to: addDays(r.to, 1) })

/** The start of every point a series over `r` can hold (weeks start on Monday, as the roll-ups'). */
export function buckets(r: DateRange, interval: Interval): number[] {
  const end = ms(r.to) + DAY
  let start = ms(r.from)
  let step = DAY
  if (interval === 'hour') step = HOUR
  if (interval === 'week') {
    step = 7 * DAY
    start -= ((new Date(start).getUTCDay() + 6) % 7) * DAY
  }
  const out: number[] = []
  for (let t = start; t < end; t += step) out.push(t)
  return out
}

/**
 * One value per bucket for each group (`key`), in the order `order` gives
 * (then by name); a bucket without a point is `missing` (null: a gap in
 * the line; 0 for counts).
 */
export function spread<P extends { at: string }>(
  points: P[],
  at: number[],
  key: (p: P) => string,
  value: (p: P) => number | null | undefined,
  missing: number | null = null,
): Map<string, (number | null)[]> {
  const index = new Map(at.map((t, i) => [t, i]))
  const out = new Map<string, (number | null)[]>()
  for (const p of points) {
    const i = index.get(Date.parse(p.at))
    if (i === undefined) continue
    const k = key(p)
    let row = out.get(k)
    if (!row) out.set(k, (row = at.map(() => missing)))
    const v = value(p)
    if (v !== null && v !== undefined) row[i] = (row[i] ?? 0) + v
  }
  return out
}

/** Sums of the named counts over points, per group. */
export function sums<P, K extends string>(points: P[], key: (p: P) => string, count: (p: P, name: K) => number, names: readonly K[]) {
  const out = new Map<string, Record<K, number>>()
  for (const p of points) {
    const k = key(p)
    let row = out.get(k)
    if (!row) out.set(k, (row = Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>))
    for (const n of names) row[n] += count(p, n)
  }
  return out
}

/** `part / whole`, or null when there is no whole. */
export const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null)

/** The mean of `values` weighted by `weights` (null values skipped; equal weights when all are 0). */
export function weightedMean(values: (number | null | undefined)[], weights: number[]): number | null {
  let sum = 0
  let total = 0
  let plain = 0
  let n = 0
  values.forEach((v, i) => {
    if (v === null || v === undefined) return
    sum += v * (weights[i] ?? 0)
    total += weights[i] ?? 0
    plain += v
    n++
  })
  if (!n) return null
  return total > 0 ? sum / total : plain / n
}

/** Groups in a known order first (channels, carriers), then the rest by name; '' last. */
export function ordered(keys: Iterable<string>, known: readonly string[]): string[] {
  const rank = (k: string) => (k === '' ? known.length + 1 : known.includes(k) ? known.indexOf(k) : known.length)
  return [...new Set(keys)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
}
