import { describe, expect, it } from 'vitest'
import OrderDetail, { type OrderModel } from '@/shopper/components/OrderDetail.vue'
import ParcelList from '@/shopper/components/ParcelList.vue'
import ActionsPanel from '@/shopper/components/ActionsPanel.vue'
import { ApiError } from '@/common/api/errors'
import type { AvailableActions, CustomerRequestBody, Locale } from '@/common/api/types'
import { mountIn } from './helpers'
import { newestFirst, parcelA, parcelB, scenarios, type Scenario } from './fixtures'
import { flushPromises } from '@vue/test-utils'

const address = { name: 'Ana López', line1: 'Calle Mayor 1', line2: null, city: 'Valencia', region: null, postal_code: '46001', country: 'ES' }

const actions = (over: Partial<AvailableActions> = {}): AvailableActions => ({
  reschedule: { allowed: true, window: { earliest: '2026-03-11', latest: '2026-03-18' }, shipment_id: parcelA.id },
  change_address: { allowed: true },
  contact_support: { allowed: true },
  ...over,
})

function detail(s: Scenario, locale: Locale = 'en', acts: AvailableActions | null = actions()) {
  const order: OrderModel = {
    orderNumber: 'SO-1001',
    status: s.status,
    statusText: s.statusText,
    estimatedDeliveryAt: s.estimatedDeliveryAt,
    shipments: s.shipments,
    address,
    createdAt: s.timeline[0]?.occurred_at,
  }
  return mountIn(OrderDetail, locale, {
    props: {
      order,
      timeline: newestFirst(s.timeline),
      actions: acts,
      fresh: new Set<string>(),
      live: 'live',
      submit: async () => ({ id: 'r', order_id: 'o', kind: 'support', status: 'open', details: {}, created_at: '' }),
    },
  })
}

describe('OrderDetail', () => {
  it('shows the status, the parcels and the address', () => {
    const w = detail(scenarios.shippedTwoParcels)
    expect(w.get('[data-testid="order-status"]').text()).toBe('Order shipped')
    expect(w.get('[data-testid="order-number"]').text()).toBe('Order SO-1001')
    expect(w.findAll('[data-testid="parcel"]')).toHaveLength(2)
    expect(w.get('[data-testid="parcel-count"]').text()).toBe('2 parcels')
    expect(w.get('[data-testid="shipping-address"]').text()).toContain('46001 Valencia')
    expect(w.get('[data-testid="update-count"]').text()).toBe('6 updates')
    expect(w.find('[data-testid="banner-delayed"]').exists()).toBe(false)
    expect(w.find('[data-testid="banner-exception"]').exists()).toBe(false)
  })

  it('delayed: a banner with what happened and the new estimate', () => {
    const w = detail(scenarios.delayed)
    const banner = w.get('[data-testid="banner-delayed"]')
    expect(banner.text()).toContain('Your delivery is running late')
    expect(banner.text()).toContain('moved the estimated delivery')
    expect(banner.text()).toContain('New estimate')
    expect(banner.text()).toContain('Reschedule delivery')
    expect(w.get('[data-testid="order-eta"]').classes()).toContain('late')
  })

  it('exception: a danger banner with the actions to take', () => {
    const w = detail(scenarios.exception)
    const banner = w.get('[data-testid="banner-exception"]')
    expect(banner.classes()).toContain('banner-danger')
    expect(banner.text()).toContain('problem with the address')
    expect(banner.findAll('button').map((b) => b.text())).toEqual([
      'Reschedule delivery',
      'Change delivery address',
      'Contact support',
    ])
  })

  it('delivered: when, in words, and no trouble', () => {
    const w = detail(scenarios.delivered, 'en', actions({ change_address: { allowed: false, reason: 'too_late' } }))
    expect(w.get('[data-testid="order-eta"]').text()).toMatch(/^Delivered /)
    expect(w.find('[data-testid="banner-exception"]').exists()).toBe(false)
    expect(w.find('[data-testid="action-change_address"]').exists()).toBe(false)
  })

  it('cancelled and returned: a terminal banner', () => {
    expect(detail(scenarios.cancelled).get('[data-testid="banner-cancelled"]').text()).toContain('This order was cancelled')
    expect(detail(scenarios.returned).get('[data-testid="banner-returned"]').text()).toContain('This order was returned')
  })

  const words: Record<Locale, [string, string, string]> = {
    en: ['Estimated delivery', 'History', '7 updates'],
    es: ['Entrega estimada', 'Historial', '7 novedades'],
    ro: ['Livrare estimată', 'Istoric', '7 actualizări'],
    ru: ['Ожидаемая доставка', 'История', '7 обновлений'],
  }
  for (const [locale, [eta, history, count]] of Object.entries(words) as [Locale, [string, string, string]][]) {
    it(`reads in ${locale}`, () => {
      const w = detail(scenarios.exception, locale)
      expect(w.text()).toContain(eta)
      expect(w.text()).toContain(history)
      expect(w.get('[data-testid="update-count"]').text()).toBe(count)
    })
  }
})

describe('ParcelList', () => {
  it('links each parcel to its carrier and shows the last scan of a lone parcel', () => {
    const s = scenarios.outForDelivery
    const w = mountIn(ParcelList, 'en', { props: { shipments: s.shipments, timeline: newestFirst(s.timeline) } })
    expect(w.get('[data-testid="carrier-link"]').attributes('href')).toBe(parcelA.tracking_url)
    expect(w.get('[data-testid="carrier-link"]').text()).toContain('Track on UPS')
    expect(w.get('[data-testid="last-scan"]').text()).toContain('Valencia')
  })

  for (const [n, text] of [[1, '1 посылка'], [2, '2 посылки'], [5, '5 посылок']] as const) {
    it(`counts ${n} parcels in Russian`, () => {
      const shipments = Array.from({ length: n }, (_, i) => ({ ...(i % 2 ? parcelB : parcelA), id: `p${i}` }))
      const w = mountIn(ParcelList, 'ru', { props: { shipments, timeline: [] } })
      expect(w.get('[data-testid="parcel-count"]').text()).toBe(text)
    })
  }
})

describe('ActionsPanel', () => {
  it('limits the date picker to the allowed window', async () => {
    const w = mountIn(ActionsPanel, 'en', { props: { actions: actions(), address, submit: async () => ({}) as never } })
    await w.get('[data-testid="action-reschedule"] button').trigger('click')
    const input = w.get('input[type="date"]')
    expect(input.attributes('min')).toBe('2026-03-11')
    expect(input.attributes('max')).toBe('2026-03-18')
  })

  it('hides the address change when it is too late, and says why reschedule is not possible', () => {
    const w = mountIn(ActionsPanel, 'en', {
      props: {
        actions: actions({ change_address: { allowed: false, reason: 'too_late' }, reschedule: { allowed: false, reason: 'too_late' } }),
        address,
        submit: async () => ({}) as never,
      },
    })
    expect(w.find('[data-testid="action-change_address"]').exists()).toBe(false)
    expect(w.get('[data-testid="action-reschedule"]').text()).toContain('out for delivery')
  })

  it('shows the API field error beside the field', async () => {
    let sent: CustomerRequestBody | null = null
    const submit = async (body: CustomerRequestBody) => {
      sent = body
      throw new ApiError(422, 'invalid_field', 'postal_code is not valid', 'address.postal_code')
    }
    const w = mountIn(ActionsPanel, 'es', { props: { actions: actions(), address, submit }, attachTo: document.body })
    await w.get('[data-testid="action-change_address"] button').trigger('click')
    await w.get('input[name="address.postal_code"]').setValue('???')
    await w.get('form').trigger('submit')
    await flushPromises()
    expect(sent).toMatchObject({ kind: 'change_address', address: { postal_code: '???', country: 'ES' } })
    const error = w.get('[data-testid="field-error-address.postal_code"]')
    expect(error.text()).toBe('Revisa este valor.')
    expect(w.get('input[name="address.postal_code"]').attributes('aria-invalid')).toBe('true')
    expect(w.get('input[name="address.postal_code"]').attributes('aria-describedby')).toContain(error.attributes('id'))
    w.unmount()
  })
})
