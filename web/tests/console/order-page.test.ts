import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { LiveHandlers } from '@/common/live'
import type { TimelineEntry } from '@/console/api'
import { consoleI18n } from './helpers'

vi.mock('@/console/api', () => ({
  getOrder: vi.fn(),
  getTimeline: vi.fn(),
  getOlderTimeline: vi.fn(),
  getOrderNotifications: vi.fn(),
}))
vi.mock('vue-router', () => ({ useRoute: () => ({ params: { id: 'o1' } }) }))
const stream = vi.hoisted(() => ({ handlers: null as LiveHandlers | null }))
vi.mock('@/common/live', async () => {
  const { ref } = await import('vue')
  return {
    useLiveStream(_url: unknown, handlers: LiveHandlers) {
      stream.handlers = handlers
      return { state: ref('live') }
    },
  }
})
import * as api from '@/console/api'
import OrderPage from '@/console/pages/OrderPage.vue'

const order = {
  id: 'o1',
  order_number: 'SO-1001',
  status: 'shipped',
  version: 4,
  locale: 'en',
  contact: { name: 'Ana López', email: 'ana@example.com' },
  shipping_address: { name: 'Ana López', line1: 'Calle Mayor 1', city: 'Valencia', postal_code: '46001', country: 'ES' },
  shipments: [],
  created_at: '2026-03-01T10:00:00Z',
  updated_at: '2026-03-05T10:00:00Z',
}
const entry = (day: number): TimelineEntry => ({ kind: 'carrier_event', occurred_at: `2026-03-${String(day).padStart(2, '0')}T10:00:00Z`, title: `Scan ${day}` })
const older = '/api/v1/orders/o1/timeline?cursor=c3&order=newest&locale=en'

const mountPage = async () => {
  const w = mount(OrderPage, { global: { plugins: [consoleI18n('en')], stubs: { RouterLink: { template: '<a><slot /></a>' } } } })
  await flushPromises()
  return w
}
const titles = (w: Awaited<ReturnType<typeof mountPage>>) => w.findAll('[data-testid="timeline-entry"] .tl-title').map((e) => e.text())

describe('console order page: older timeline pages', () => {
  beforeEach(() => {
    vi.mocked(api.getOrder).mockReset().mockResolvedValue(order as never)
    vi.mocked(api.getOrderNotifications).mockReset().mockResolvedValue([])
    vi.mocked(api.getTimeline).mockReset().mockResolvedValue({ entries: [entry(9), entry(8), entry(7)], next: older })
    vi.mocked(api.getOlderTimeline).mockReset().mockResolvedValue({ entries: [entry(6), entry(5)], next: null })
  })

  it('appends the older page and hides the button on the last one', async () => {
    const w = await mountPage()
    const button = w.get('[data-testid="timeline-older"]')
    expect(button.text()).toBe('Show older entries')
    await button.trigger('click')
    expect(button.text()).toBe('Loading older entries…')
    expect(button.attributes('disabled')).toBeDefined()
    await flushPromises()
    expect(api.getOlderTimeline).toHaveBeenCalledWith(older)
    expect(titles(w)).toEqual(['Scan 9', 'Scan 8', 'Scan 7', 'Scan 6', 'Scan 5'])
    expect(w.find('[data-testid="timeline-older"]').exists()).toBe(false)
    w.unmount()
  })

  it('a live event reloads the newest page on top of the older ones shown', async () => {
    const w = await mountPage()
    await w.get('[data-testid="timeline-older"]').trigger('click')
    await flushPromises()
    vi.mocked(api.getTimeline).mockResolvedValue({ entries: [entry(10), entry(9), entry(8)], next: older })
    stream.handlers!.onEvent({ id: 1, order_id: 'o1', kind: 'carrier_event', created_at: '', entry: entry(10) } as never)
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(titles(w)).toEqual(['Scan 10', 'Scan 9', 'Scan 8', 'Scan 7', 'Scan 6', 'Scan 5'])
    expect(w.find('[data-testid="timeline-older"]').exists()).toBe(false)
    w.unmount()
  })

  it('an error shows the banner and keeps the entries', async () => {
    vi.mocked(api.getOlderTimeline).mockRejectedValue(new Error('boom'))
    const w = await mountPage()
    await w.get('[data-testid="timeline-older"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="timeline-older-error"]').text()).toBe('Something went wrong. Please try again.')
    expect(titles(w)).toEqual(['Scan 9', 'Scan 8', 'Scan 7'])
    expect(w.get('[data-testid="timeline-older"]').attributes('disabled')).toBeUndefined()
    w.unmount()
  })
})
