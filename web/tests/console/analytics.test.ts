import { describe, expect, it } from 'vitest'
import { addDays, apiRange, buckets, lastDays, ordered, rangeDays, spread, weightedMean } from '@/console/analytics'
import { yTicks } from '@/console/components/chart'

const iso = (t: number) => new Date(t).toISOString()

describe('analytics arithmetic', () => {
  it('ranges are UTC days, both ends shown; the api gets the day after as `to`', () => {
    const now = Date.parse('2026-03-01T23:30:00Z')
    expect(lastDays(7, now)).toEqual({ from: '2026-02-23', to: '2026-03-01' })
    expect(rangeDays(lastDays(90, now))).toBe(90)
    expect(apiRange({ from: '2026-02-23', to: '2026-02-28' })).toEqual({ from: '2026-02-23', to: '2026-03-01' })
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
  })

  it('the points a series can hold: hours, days, and weeks from Monday as the roll-ups count them', () => {
    const r = { from: '2026-03-04', to: '2026-03-17' } // a Wednesday to a Tuesday
    expect(buckets(r, 'day')).toHaveLength(14)
    expect(buckets({ from: r.from, to: r.from }, 'hour').map(iso).slice(-1)).toEqual(['2026-03-04T23:00:00.000Z'])
    expect(buckets(r, 'week').map(iso)).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-09T00:00:00.000Z', '2026-03-16T00:00:00.000Z'])
  })

  it('spreads sparse points over the periods: a gap, or 0 for counts', () => {
    const at = buckets({ from: '2026-03-01', to: '2026-03-03' }, 'day')
    const points = [
      { at: '2026-03-02T00:00:00Z', g: 'a', v: 2 },
      { at: '2026-03-01T00:00:00Z', g: 'b', v: 5 },
      { at: '2026-02-01T00:00:00Z', g: 'b', v: 9 }, // outside: left out
    ]
    expect([...spread(points, at, (p) => p.g, (p) => p.v)]).toEqual([['a', [null, 2, null]], ['b', [5, null, null]]])
    expect(spread(points, at, () => 'all', (p) => p.v, 0).get('all')).toEqual([5, 2, 0])
  })

  it('weighted means of per-period percentiles; known groups first, none last', () => {
    expect(weightedMean([30, 40, null], [1, 3, 5])).toBe(37.5)
    expect(weightedMean([30, 40], [0, 0])).toBe(35)
    expect(weightedMean([null], [1])).toBeNull()
    expect(ordered(['', 'zeta', 'dhl', 'fedex', 'dhl', 'acme'], ['fedex', 'ups', 'dhl'])).toEqual(['fedex', 'dhl', 'acme', 'zeta', ''])
  })

  it('y ticks: round steps, whole ones for counts', () => {
    expect(yTicks(1)).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(yTicks(270, true)).toEqual([0, 100, 200, 300, 400])
    expect(yTicks(3, true)).toEqual([0, 1, 2, 3, 4])
    expect(yTicks(9, true)).toEqual([0, 5, 10, 15, 20])
    expect(yTicks(0, true)).toEqual([0, 1, 2, 3, 4])
    expect(yTicks(78)).toEqual([0, 20, 40, 60, 80])
  })
})
