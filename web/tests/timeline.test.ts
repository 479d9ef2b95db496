import { describe, expect, it } from 'vitest'
import OrderTimeline from '@/shopper/components/OrderTimeline.vue'
import { entryKey } from '@/common/orders'
import { mountIn } from './helpers'
import { newestFirst, scenarios, scans } from './fixtures'
import type { Locale, TimelineEntry } from '@/common/api/types'

function timeline(entries: TimelineEntry[], locale: Locale = 'en', fresh = new Set<string>()) {
  return mountIn(OrderTimeline, locale, { props: { entries, fresh } })
}
type W = ReturnType<typeof timeline>
const rows = (w: W) => w.findAll('[data-testid="timeline-entry"]')
const titles = (w: W) => rows(w).map((r) => r.get('.title').text())

describe('OrderTimeline', () => {
  it('pending: one entry', () => {
    const w = timeline(newestFirst(scenarios.pending.timeline))
    expect(titles(w)).toEqual(['Order received'])
    expect(w.find('[data-testid="timeline-toggle"]').exists()).toBe(false)
  })

  it('confirmed: newest first', () => {
    const w = timeline(newestFirst(scenarios.confirmed.timeline))
    expect(titles(w)).toEqual(['Order confirmed', 'Order received'])
    expect(rows(w)[0].classes()).toContain('is-latest')
  })

  it('shipped with two parcels: both parcels appear, five shown, the rest behind a toggle', async () => {
    const w = timeline(newestFirst(scenarios.shippedTwoParcels.timeline))
    expect(rows(w)).toHaveLength(5)
    expect(rows(w).filter((r) => r.attributes('data-kind') === 'shipment_added')).toHaveLength(2)
    const toggle = w.get('[data-testid="timeline-toggle"]')
    expect(toggle.text()).toBe('Show all 6 updates')
    expect(toggle.attributes('aria-expanded')).toBe('false')
    await toggle.trigger('click')
    expect(rows(w)).toHaveLength(6)
    expect(toggle.attributes('aria-expanded')).toBe('true')
    expect(toggle.text()).toBe('Show fewer')
    expect(titles(w).at(-1)).toBe('Order received')
  })

  it('out for delivery: the scan shows its place and the carrier words', () => {
    const w = timeline(newestFirst(scenarios.outForDelivery.timeline))
    const scan = rows(w).find((r) => r.attributes('data-status') === 'out_for_delivery' && r.attributes('data-kind') === 'carrier_event')!
    expect(scan.text()).toContain('Valencia')
    expect(scan.text()).toContain('OUT FOR DELIVERY')
  })

  it('delivered: the delivery reads as good news', () => {
    const w = timeline(newestFirst(scenarios.delivered.timeline))
    expect(titles(w)[0]).toBe('Delivered')
    expect(rows(w)[0].classes()).toContain('tone-ok')
  })

  it('delayed: the issue is marked as a warning', () => {
    const w = timeline(newestFirst(scenarios.delayed.timeline))
    const issue = rows(w).find((r) => r.attributes('data-kind') === 'issue')!
    expect(issue.classes()).toContain('tone-warn')
    expect(issue.text()).toContain('moved the estimated delivery')
  })

  it('exception: the problem entries are marked as danger', () => {
    const w = timeline(newestFirst(scenarios.exception.timeline))
    expect(rows(w)[0].attributes('data-status')).toBe('exception')
    expect(rows(w)[0].classes()).toContain('tone-danger')
    const scan = rows(w).find((r) => r.attributes('data-kind') === 'carrier_event')!
    expect(scan.classes()).toContain('tone-danger')
  })

  it('cancelled: the cancellation heads the history', () => {
    const w = timeline(newestFirst(scenarios.cancelled.timeline))
    expect(titles(w)[0]).toBe('Order cancelled')
    expect(rows(w)[0].classes()).toContain('tone-danger')
  })

  it('returned: the return heads the history', () => {
    const w = timeline(newestFirst(scenarios.returned.timeline))
    expect(titles(w)[0]).toBe('Order returned')
    expect(rows(w)).toHaveLength(5)
  })

  it('marks entries that arrived live', () => {
    const entries = newestFirst(scenarios.outForDelivery.timeline)
    const w = timeline(entries, 'en', new Set([entryKey(entries[0])]))
    expect(rows(w)[0].classes()).toContain('is-fresh')
    expect(rows(w)[0].find('[data-testid="live-mark"]').text()).toBe('New')
    expect(rows(w)[1].find('[data-testid="live-mark"]').exists()).toBe(false)
  })

  it('offers older pages below the whole history, not while some of it is folded away', async () => {
    const older = { next: '/api/v1/orders/o1/timeline?cursor=c', loading: false, error: null }
    const w = mountIn(OrderTimeline, 'en', { props: { entries: newestFirst(scans(7)), older } })
    expect(w.find('[data-testid="timeline-older"]').exists()).toBe(false)
    await w.get('[data-testid="timeline-toggle"]').trigger('click')
    await w.get('[data-testid="timeline-older"]').trigger('click')
    expect(w.emitted('older')).toHaveLength(1)
    await w.setProps({ older: { ...older, next: null } })
    expect(w.find('[data-testid="timeline-older"]').exists()).toBe(false)
  })

  it('says so when there is no history', () => {
    expect(timeline([], 'es').get('[data-testid="timeline-empty"]').text()).toBe('Todavía no hay novedades.')
  })

  it('writes dates in the language asked for, in the shopper zone', () => {
    const entries = newestFirst(scenarios.confirmed.timeline)
    expect(rows(timeline(entries, 'en'))[0].get('time').text()).toMatch(/Mar/)
    expect(rows(timeline(entries, 'es'))[0].get('time').text()).toMatch(/mar/)
    expect(rows(timeline(entries, 'ro'))[0].get('time').text()).toMatch(/mar\./)
    expect(rows(timeline(entries, 'ru'))[0].get('time').text()).toMatch(/мар/)
    expect(rows(timeline(entries, 'en'))[0].get('time').attributes('datetime')).toBe(entries[0].occurred_at)
  })

  const toggles: [Locale, number, string][] = [
    ['en', 7, 'Show all 7 updates'],
    ['es', 7, 'Ver las 7 novedades'],
    ['ro', 7, 'Arată toate cele 7 actualizări'],
    ['ro', 20, 'Arată toate cele 20 de actualizări'],
    ['ru', 21, 'Показать все 21 обновление'],
    ['ru', 22, 'Показать все 22 обновления'],
    ['ru', 25, 'Показать все 25 обновлений'],
  ]
  for (const [locale, n, text] of toggles) {
    it(`"show all" for ${n} updates in ${locale}`, () => {
      const w = timeline(newestFirst(scans(n)), locale)
      expect(w.get('[data-testid="timeline-toggle"]').text()).toBe(text)
    })
  }
})
