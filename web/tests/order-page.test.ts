import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { ApiError } from '@/common/api/errors'
import type { LinkedPage } from '@/common/api/http'
import type { OrderView, TimelineEntry } from '@/common/api/types'
import type { LiveHandlers } from '@/common/live'
import { mountIn } from './helpers'
import { newestFirst, scenarios } from './fixtures'

vi.mock('@/common/api/client', () => ({
  getOrder: vi.fn(),
  getTimeline: vi.fn(),
  getOlderTimeline: vi.fn(),
  getActions: vi.fn(),
  createRequest: vi.fn(),
}))
vi.mock('vue-router', () => ({ useRoute: () => ({ params: { id: 'o1' } }) }))
// No EventSource here: the test plays the stream's events itself.
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
import * as api from '@/common/api/client'
import OrderPage from '@/shopper/pages/OrderPage.vue'

const s = scenarios.shippedTwoParcels
const history = newestFirst(s.timeline)
const order: OrderView = {
  id: 'o1',
  order_number: 'SO-1001',
  status: s.status,
  status_text: s.statusText,
  version: 1,
  locale: 'en',
  shipping_address: { name: 'Ana López', line1: 'Calle Mayor 1', city: 'Valencia', postal_code: '46001', country: 'ES' },
  estimated_delivery_at: s.estimatedDeliveryAt,
  shipments: s.shipments,
  created_at: history.at(-1)!.occurred_at,
  updated_at: history[0].occurred_at,
}
const older = '/api/v1/orders/o1/timeline?cursor=c3&order=newest&locale=en'
const page = (entries: TimelineEntry[], next: string | null = null): LinkedPage<TimelineEntry> => ({ entries, next })

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

async function mountPage() {
  const w = mountIn(OrderPage, 'en')
  await flushPromises()
  return w
}
type W = Awaited<ReturnType<typeof mountPage>>
/** Titles, without the "New" mark of live entries. */
const titles = (w: W) => w.findAll('[data-testid="timeline-entry"] .title').map((r) => r.element.firstChild?.textContent?.trim())
const olderButton = (w: W) => w.find('[data-testid="timeline-older"]')

describe('shopper order page: older history', () => {
  beforeEach(() => {
    vi.mocked(api.getOrder).mockReset().mockResolvedValue(order)
    vi.mocked(api.getTimeline).mockReset().mockResolvedValue(page(history.slice(0, 3), older))
    vi.mocked(api.getOlderTimeline).mockReset()
    vi.mocked(api.getActions).mockReset().mockRejectedValue(new Error('not needed'))
  })

  it('shows the newest page, and "Show older" while there is a next link', async () => {
    const w = await mountPage()
    expect(api.getTimeline).toHaveBeenCalledWith('o1', 'en')
    expect(titles(w)).toEqual(history.slice(0, 3).map((e) => e.title))
    expect(w.get('[data-testid="update-count"]').text()).toBe('3 updates+')
    expect(olderButton(w).text()).toBe('Show older updates')
    w.unmount()
  })

  it('appends the older page on click, saying it loads meanwhile; no button on the last page', async () => {
    const pending = deferred<LinkedPage<TimelineEntry>>()
    vi.mocked(api.getOlderTimeline).mockReturnValue(pending.promise)
    const w = await mountPage()
    await olderButton(w).trigger('click')
    expect(api.getOlderTimeline).toHaveBeenCalledWith(older)
    expect(olderButton(w).attributes('disabled')).toBeDefined()
    expect(olderButton(w).text()).toBe('Loading older updates…')

    pending.resolve(page(history.slice(3)))
    await flushPromises()
    expect(w.get('[data-testid="update-count"]').text()).toBe('6 updates')
    expect(olderButton(w).exists()).toBe(false)
    await w.get('[data-testid="timeline-toggle"]').trigger('click')
    expect(titles(w)).toEqual(history.map((e) => e.title))
    w.unmount()
  })

  it('an error shows the usual sentence and keeps what is shown, ready to try again', async () => {
    vi.mocked(api.getOlderTimeline).mockRejectedValueOnce(new ApiError(0, 'network', 'offline'))
    const w = await mountPage()
    await olderButton(w).trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="timeline-older-error"]').text()).toContain("We couldn't reach the server.")
    expect(titles(w)).toHaveLength(3)
    expect(olderButton(w).attributes('disabled')).toBeUndefined()

    vi.mocked(api.getOlderTimeline).mockResolvedValueOnce(page(history.slice(3)))
    await olderButton(w).trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="timeline-older-error"]').exists()).toBe(false)
    expect(w.get('[data-testid="update-count"]').text()).toBe('6 updates')
    w.unmount()
  })

  it('live entries still go on top, and the refresh after them keeps the older pages', async () => {
    vi.mocked(api.getOlderTimeline).mockResolvedValue(page(history.slice(3, 5), '/api/v1/orders/o1/timeline?cursor=c5'))
    const w = await mountPage()
    await olderButton(w).trigger('click')
    await flushPromises()
    expect(titles(w)).toHaveLength(5)

    const entry: TimelineEntry = { kind: 'carrier_event', occurred_at: '2026-03-20T09:00:00.000Z', title: 'Arrived at Valencia', tracking_status: 'in_transit' }
    stream.handlers!.onEvent({ id: 1, order_id: 'o1', kind: entry.kind, created_at: entry.occurred_at, entry })
    await flushPromises()
    expect(titles(w)[0]).toBe('Arrived at Valencia')
    expect(w.get('[data-testid="timeline-entry"]').classes()).toContain('is-fresh')
    expect(w.get('[data-testid="update-count"]').text()).toBe('6 updates+')

    // The refresh that follows a live event re-reads the newest page only.
    vi.mocked(api.getTimeline).mockResolvedValue(page([entry, ...history.slice(0, 2)], older))
    await new Promise((r) => setTimeout(r, 300))
    await flushPromises()
    expect(api.getTimeline).toHaveBeenCalledTimes(2)
    expect(w.get('[data-testid="update-count"]').text()).toBe('6 updates+')
    await w.get('[data-testid="timeline-toggle"]').trigger('click')
    expect(titles(w)).toEqual(['Arrived at Valencia', ...history.slice(0, 5).map((e) => e.title)])
    await olderButton(w).trigger('click')
    expect(api.getOlderTimeline).toHaveBeenLastCalledWith('/api/v1/orders/o1/timeline?cursor=c5')
    w.unmount()
  })
})
