import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory } from 'vue-router'
import type { Locale } from '@/common/api/types'

// openapi-fetch takes `fetch` when the client is made: stub it first. The
// three series answer from fixtures; a range from 2020 is refused as the
// api refuses more than 1000 points.
const api = vi.hoisted(() => {
  const state = { calls: [] as URL[], fixtures: {} as Record<string, unknown> }
  vi.stubGlobal('fetch', async (req: Request) => {
    const url = new URL(req.url)
    state.calls.push(url)
    const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
    if (url.searchParams.get('from') === '2020-01-01') {
      return json({ error: 'invalid_field', message: 'from..to is 2267 days: at most 1000 points (use a wider interval)', field: 'interval' }, 422)
    }
    const name = url.pathname.split('/').pop()!
    return json({ from: '', to: '', interval: url.searchParams.get('interval'), group_by: [], points: [], ...(state.fixtures[name] as object) })
  })
  return state
})
import App from '@/console/App.vue'
import AnalyticsPage from '@/console/pages/AnalyticsPage.vue'
import { makeRouter } from '@/console/router'
import { applySession } from '@/console/session'
import { analystSession, consoleI18n } from './helpers'

const at = (day: number) => `2026-03-${day}T00:00:00Z`
const message = (day: number, channel: string, n: Record<string, number>) => ({
  at: at(day),
  group: { channel },
  queued: 0, sent: 0, failed: 0, delivered: 0, bounced: 0, opened: 0, opened_machine: 0, clicked: 0, unsubscribed: 0, complained: 0,
  ...n,
  delivery_rate: n.sent ? (n.delivered ?? 0) / n.sent : null,
  open_rate: n.sent ? (n.opened ?? 0) / n.sent : null,
  click_rate: n.sent ? (n.clicked ?? 0) / n.sent : null,
})
const orderPoint = (day: number, carrier: string, o: Record<string, unknown>) => ({
  at: at(day), group: { carrier }, reached: {}, with_estimate: 0, on_time: 0, delays: 0, exceptions: 0, warnings: 0, warnings_early: 0, ...o,
})
const rated = (day: number, delayed: boolean, warned: boolean, ratings: number, average: number) => ({
  at: at(day), group: { delayed: String(delayed), warned: String(warned) }, ratings, average, scores: [0, 0, 0, 0, ratings],
})
const FIXTURES = {
  notifications: {
    points: [
      message(13, 'email', { sent: 10, delivered: 9, failed: 1, bounced: 1, opened: 5, clicked: 2 }),
      message(13, 'sms', { sent: 4, delivered: 4 }),
      message(14, 'email', { sent: 10, delivered: 10, opened: 6, clicked: 1 }),
    ],
  },
  orders: {
    points: [
      orderPoint(13, 'fedex', { reached: { confirmed: 3, shipped: 2, delivered: 2 }, to_deliver_p50_hours: 30, to_deliver_p90_hours: 50, with_estimate: 2, on_time: 1, delays: 1 }),
      orderPoint(14, '', { reached: { pending: 1, confirmed: 4 } }),
      orderPoint(14, 'fedex', { reached: { delivered: 2 }, to_deliver_p50_hours: 40, to_deliver_p90_hours: 60, with_estimate: 2, on_time: 2 }),
    ],
  },
  satisfaction: {
    points: [rated(13, false, false, 4, 4.5), rated(13, true, true, 2, 4), rated(14, true, false, 2, 2)],
  },
}

async function settle(check: () => void) {
  await vi.waitFor(async () => {
    await flushPromises()
    check()
  })
}
const mountPage = async (locale: Locale = 'en') => {
  const w = mount(AnalyticsPage, { global: { plugins: [consoleI18n(locale)], stubs: { RouterLink: { template: '<a><slot /></a>' } } }, attachTo: document.body })
  await settle(() => expect(w.find('[data-testid="analytics-notifications"]').attributes('aria-busy')).toBe('false'))
  return w
}
/** The query of the last call to each series. */
const last = () => {
  const by: Record<string, Record<string, string>> = {}
  for (const url of api.calls) by[url.pathname.split('/').pop()!] = Object.fromEntries(url.searchParams)
  return by
}
const cells = (w: Awaited<ReturnType<typeof mountPage>>, row: string) => w.get(row).findAll('th, td').map((c) => c.text())

describe('console analytics page', () => {
  beforeEach(() => {
    // Today is 15 March 2026 (UTC); only Date is faked, timers run.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2026-03-15T12:00:00Z'))
    api.calls.length = 0
    api.fixtures = FIXTURES
  })
  afterEach(() => {
    vi.useRealTimers()
    document.body.innerHTML = ''
  })
  afterAll(() => vi.unstubAllGlobals())

  it('asks for the last 30 days and draws the three series', async () => {
    const w = await mountPage()
    expect(last()).toEqual({
      notifications: { from: '2026-02-14', to: '2026-03-16', interval: 'day', group_by: 'channel' },
      orders: { from: '2026-02-14', to: '2026-03-16', interval: 'day', group_by: 'carrier' },
      satisfaction: { from: '2026-02-14', to: '2026-03-16', interval: 'day', group_by: 'delayed,warned' },
    })
    expect(w.get('[data-testid="analytics-preset-30"]').attributes('aria-pressed')).toBe('true')

    // 1. Messages: a line per channel in each rate chart, the counts, the totals.
    for (const chart of ['delivery', 'open', 'click']) {
      const lines = w.findAll(`[data-testid="chart-${chart}-rate"] [data-testid="line-chart-series"]`)
      expect(lines.map((l) => l.attributes('data-series'))).toEqual(['email', 'sms'])
    }
    const delivery = w.get('[data-testid="chart-delivery-rate"]')
    expect(delivery.get('figcaption').text()).toBe('Delivery rate')
    expect(delivery.findAll('.legend li').map((l) => l.text())).toEqual(['Email', 'SMS'])
    // The screen-reader table: one row per day of the range, a gap as "—".
    const rows = delivery.findAll('[data-testid="chart-table"] tbody tr')
    expect(rows).toHaveLength(30)
    expect(rows[27]!.findAll('th, td').map((c) => c.text())).toEqual(['Fri, Mar 13, 2026', '90%', '100%'])
    expect(rows[28]!.findAll('th, td').map((c) => c.text())).toEqual(['Sat, Mar 14, 2026', '100%', '—'])
    expect(delivery.findAll('svg title')[27]!.text()).toBe('Fri, Mar 13, 2026\nEmail: 90%\nSMS: 100%')
    expect(w.findAll('[data-testid="chart-message-counts"] [data-testid="line-chart-series"]').map((l) => l.attributes('data-series'))).toEqual(['sent', 'failed', 'bounced'])
    expect(cells(w, '[data-testid="channel-row"][data-channel="email"]')).toEqual(['Email', '20', '19', '1', '1', '11', '3', '95%', '55%', '15%'])
    expect(cells(w, '[data-testid="channel-row"][data-channel="*"]')).toEqual(['All', '24', '23', '1', '1', '11', '3', '95.8%', '45.8%', '12.5%'])

    // 2. Statuses reached, summed over days and carriers, in workflow order.
    const bars = w.findAll('[data-testid="chart-statuses"] [data-testid="bar-chart-bar"]')
    expect(bars.map((b) => b.get('title').text())).toEqual(['Pending: 1', 'Confirmed: 7', 'Shipped: 2', 'Delivered: 4'])

    // 3. Time to deliver: a line per carrier with deliveries; the table's
    // percentiles weighted by deliveries, on time from the summed counts.
    expect(w.findAll('[data-testid="chart-delivery"] [data-testid="line-chart-series"]').map((l) => l.attributes('data-series'))).toEqual(['fedex'])
    expect(cells(w, '[data-testid="carrier-row"][data-carrier="fedex"]')).toEqual(['FedEx', '4', '35 h', '55 h', '75% 3 of 4', '1', '0'])
    expect(w.find('[data-testid="carrier-row"][data-carrier=""]').exists()).toBe(false)

    // 4. Ratings: delayed or not; delayed orders warned or not.
    const bar = (chart: string, key: string) => w.get(`[data-testid="chart-satisfaction-${chart}"] [data-key="${key}"] title`).text()
    expect(bar('delay', 'not-delayed')).toBe('Not delayed: 4.5 · 4 ratings')
    expect(bar('delay', 'delayed')).toBe('Delayed: 3.0 · 4 ratings')
    expect(bar('warning', 'warned')).toBe('Warned in advance: 4.0 · 2 ratings')
    expect(bar('warning', 'not-warned')).toBe('Not warned: 2.0 · 2 ratings')
    expect(w.get('[data-testid="satisfaction-overall"]').text()).toBe('All ratings: 3.75 on average, from 8 ratings.')
    w.unmount()
  })

  it('a new range or interval asks again with its query', async () => {
    const w = await mountPage()
    api.calls.length = 0
    await w.get('[data-testid="analytics-preset-7"]').trigger('click')
    await settle(() => expect(api.calls).toHaveLength(3))
    expect(last().notifications).toEqual({ from: '2026-03-09', to: '2026-03-16', interval: 'day', group_by: 'channel' })
    expect(w.get('[data-testid="analytics-preset-7"]').attributes('aria-pressed')).toBe('true')
    expect(w.findAll('[data-testid="chart-delivery-rate"] [data-testid="chart-table"] tbody tr')).toHaveLength(7)

    // Hourly: messages by the hour, orders and ratings by the day.
    await w.get('[data-testid="analytics-interval"]').setValue('hour')
    await settle(() => expect(api.calls).toHaveLength(6))
    expect(last().notifications!.interval).toBe('hour')
    expect(last().orders!.interval).toBe('day')
    expect(last().satisfaction!.interval).toBe('day')
    expect(w.findAll('[data-testid="chart-delivery-rate"] [data-testid="chart-table"] tbody tr')).toHaveLength(7 * 24)

    // Custom dates: "to" is included, so the api's (exclusive) `to` is the day after.
    // Asked once the typing stops (the years a digit at a time are not asked for).
    for (const day of ['0002-03-08', '0020-03-08', '0202-03-08', '2026-03-08']) await w.get('[data-testid="analytics-from"]').setValue(day)
    await w.get('[data-testid="analytics-to"]').setValue('2026-03-10')
    await settle(() => expect(api.calls).toHaveLength(9))
    expect(last().orders).toEqual({ from: '2026-03-08', to: '2026-03-11', interval: 'day', group_by: 'carrier' })
    await new Promise((r) => setTimeout(r, 500))
    expect(api.calls).toHaveLength(9)
    expect(w.get('[data-testid="analytics-preset-7"]').attributes('aria-pressed')).toBe('false')

    // Beyond 41 days hours are not offered: the interval goes back to days.
    await w.get('[data-testid="analytics-from"]').setValue('2026-01-01')
    await settle(() => expect(api.calls).toHaveLength(12))
    expect(last().notifications).toEqual({ from: '2026-01-01', to: '2026-03-11', interval: 'day', group_by: 'channel' })
    expect((w.get('[data-testid="analytics-interval"] option[value="hour"]').element as HTMLOptionElement).disabled).toBe(true)

    await w.get('[data-testid="analytics-interval"]').setValue('week')
    await settle(() => expect(api.calls).toHaveLength(15))
    expect(Object.values(last()).map((q) => q.interval)).toEqual(['week', 'week', 'week'])

    // "From" after "To": said beside the dates, nothing asked.
    await w.get('[data-testid="analytics-from"]').setValue('2026-03-12')
    await new Promise((r) => setTimeout(r, 500))
    await flushPromises()
    expect(w.get('[data-testid="analytics-range-error"]').text()).toBe('“From” must be on or before “To”.')
    expect(w.get('[data-testid="analytics-from"]').attributes('aria-invalid')).toBe('true')
    expect(api.calls).toHaveLength(15)
    w.unmount()
  })

  it('offers the exports of the range picked', async () => {
    const w = await mountPage()
    await w.get('[data-testid="analytics-preset-90"]').trigger('click')
    const link = w.get('[data-testid="export-orders-parquet"]')
    expect(link.attributes('href')).toBe('/api/v1/admin/exports/orders?format=parquet&from=2025-12-16&to=2026-03-16')
    expect(link.attributes('download')).toBeDefined()
    expect(link.attributes('aria-label')).toBe('Download Orders as Parquet')
    const all = w.findAll('[data-testid="analytics-export"] a').map((a) => a.attributes('data-testid'))
    expect(all).toHaveLength(9)
    expect(all).toContain('export-ratings-ndjson')
    w.unmount()
  })

  it('a 422 shows what the api said, once for the three calls', async () => {
    const w = await mountPage()
    await w.get('[data-testid="analytics-from"]').setValue('2020-01-01')
    await settle(() => expect(w.findAll('[data-testid="analytics-error"]')).toHaveLength(1))
    expect(w.get('[data-testid="analytics-error"]').text()).toBe('from..to is 2267 days: at most 1000 points (use a wider interval)')
    expect(w.get('[data-testid="analytics-error"]').attributes('role')).toBe('alert')
    expect(w.find('[data-testid="chart-delivery-rate"]').exists()).toBe(false)
    w.unmount()
  })

  it('in another language: its own sentence for a 422, numbers and dates its way', async () => {
    const w = await mountPage('es')
    expect(cells(w, '[data-testid="channel-row"][data-channel="*"]')).toEqual(['Todos', '24', '23', '1', '1', '11', '3', '95,8\u00a0%', '45,8\u00a0%', '12,5\u00a0%'])
    expect(w.get('[data-testid="chart-satisfaction-delay"] [data-key="delayed"] title').text()).toBe('Con retraso: 3,0 · 4 valoraciones')
    await w.get('[data-testid="analytics-from"]').setValue('2020-01-01')
    await settle(() => expect(w.findAll('[data-testid="analytics-error"]')).toHaveLength(1))
    expect(w.get('[data-testid="analytics-error"]').text()).toContain('Se rechazó este periodo o intervalo (interval)')
    w.unmount()
  })

  it('an empty range says so', async () => {
    api.fixtures = {}
    const w = await mountPage()
    for (const id of ['notifications', 'statuses', 'satisfaction', 'delivery']) {
      expect(w.get(`[data-testid="analytics-${id}-empty"]`).text()).toBe('Nothing in this range yet.')
    }
    w.unmount()
  })

  it('an analyst signing in at the console lands on analytics', async () => {
    applySession(analystSession)
    const router = makeRouter(createMemoryHistory('/console/'))
    await router.push('/')
    await router.isReady()
    expect(router.currentRoute.value.fullPath).toBe('/analytics')
    const w = mount(App, { global: { plugins: [consoleI18n('en'), router] }, attachTo: document.body })
    await settle(() => expect(w.find('[data-testid="chart-delivery-rate"]').exists()).toBe(true))
    expect(w.findAll('[data-testid="console-nav"] .nav-list a').map((a) => a.attributes('data-testid'))).toEqual(['nav-analytics'])
    w.unmount()
  })
})
