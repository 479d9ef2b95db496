import { describe, expect, it } from 'vitest'
import ProgressStepper from '@/shopper/components/ProgressStepper.vue'
import { mountIn } from './helpers'
import { scenarios, type Scenario } from './fixtures'
import type { Locale } from '@/common/api/types'

function stepper(s: Scenario, locale: Locale = 'en', delayed = false) {
  return mountIn(ProgressStepper, locale, {
    props: { status: s.status, timeline: s.timeline, shipments: s.shipments, delayed },
  })
}

type W = ReturnType<typeof stepper>
const stepKeys = (w: W) => w.findAll('[data-testid^="step-"]').map((s) => s.attributes('data-testid')!.slice(5))
const stateOf = (w: W, key: string) => w.get(`[data-testid="step-${key}"]`).attributes('data-state')
const current = (w: W) => w.findAll('[aria-current="step"]').map((s) => s.attributes('data-testid'))

describe('ProgressStepper', () => {
  it('pending: placed is the current step, the rest not yet', () => {
    const w = stepper(scenarios.pending)
    expect(stepKeys(w)).toEqual(['placed', 'confirmed', 'shipped', 'out_for_delivery', 'delivered'])
    expect(current(w)).toEqual(['step-placed'])
    expect(stateOf(w, 'placed')).toBe('current')
    expect(stateOf(w, 'confirmed')).toBe('upcoming')
    expect(stateOf(w, 'delivered')).toBe('upcoming')
    expect(w.get('[data-testid="step-placed"]').text()).toContain('Placed')
  })

  it('confirmed: placed done, confirmed current', () => {
    const w = stepper(scenarios.confirmed)
    expect(stateOf(w, 'placed')).toBe('done')
    expect(current(w)).toEqual(['step-confirmed'])
    expect(stateOf(w, 'shipped')).toBe('upcoming')
  })

  it('shipped with two parcels: shipped current', () => {
    const w = stepper(scenarios.shippedTwoParcels)
    expect(current(w)).toEqual(['step-shipped'])
    expect(stateOf(w, 'confirmed')).toBe('done')
    expect(stateOf(w, 'out_for_delivery')).toBe('upcoming')
    expect(w.find('.is-problem').exists()).toBe(false)
  })

  it('out for delivery: the fourth step is current', () => {
    const w = stepper(scenarios.outForDelivery)
    expect(current(w)).toEqual(['step-out_for_delivery'])
    expect(stateOf(w, 'shipped')).toBe('done')
    expect(stateOf(w, 'delivered')).toBe('upcoming')
    expect(w.get('[data-testid="step-out_for_delivery"]').text()).toContain('Out for delivery')
  })

  it('delivered: every step done, delivered marked as where it stands', () => {
    const w = stepper(scenarios.delivered)
    expect(stepKeys(w).every((k) => stateOf(w, k) === 'done')).toBe(true)
    expect(current(w)).toEqual(['step-delivered'])
    expect(w.get('[data-testid="step-delivered"]').classes()).toContain('is-last-reached')
  })

  it('delayed: the current step is flagged, progress unchanged', () => {
    const w = stepper(scenarios.delayed, 'en', true)
    expect(current(w)).toEqual(['step-shipped'])
    expect(w.get('[data-testid="step-shipped"]').classes()).toContain('is-problem')
    expect(w.get('[data-testid="stepper"]').classes()).not.toContain('has-problem')
    expect(w.get('[data-testid="step-shipped"]').text()).toContain('needs attention')
  })

  it('exception: stays on the stage reached, flagged as a problem', () => {
    const w = stepper(scenarios.exception)
    expect(w.get('[data-testid="stepper"]').classes()).toContain('has-problem')
    expect(current(w)).toEqual(['step-shipped'])
    expect(w.get('[data-testid="step-shipped"]').classes()).toContain('is-problem')
    expect(stateOf(w, 'delivered')).toBe('upcoming')
  })

  it('exception while out for delivery: the problem sits on that stage', () => {
    const s = scenarios.exception
    const w = stepper({ ...s, shipments: [{ ...s.shipments[0], tracking_status: 'out_for_delivery' }] })
    expect(current(w)).toEqual(['step-out_for_delivery'])
  })

  it('cancelled: the steps it went through, then a distinct terminal step', () => {
    const w = stepper(scenarios.cancelled)
    expect(stepKeys(w)).toEqual(['placed', 'confirmed', 'cancelled'])
    expect(stateOf(w, 'cancelled')).toBe('terminal')
    expect(current(w)).toEqual(['step-cancelled'])
    expect(w.get('[data-testid="stepper"]').classes()).toContain('is-terminal')
    expect(w.text()).toContain('Cancelled')
    expect(w.text()).not.toContain('Delivered')
  })

  it('returned: delivered first, then returned as the terminal step', () => {
    const w = stepper(scenarios.returned)
    expect(stepKeys(w)).toEqual(['placed', 'confirmed', 'shipped', 'out_for_delivery', 'delivered', 'returned'])
    expect(stateOf(w, 'delivered')).toBe('done')
    expect(stateOf(w, 'returned')).toBe('terminal')
    expect(current(w)).toEqual(['step-returned'])
    expect(w.get('[data-testid="step-returned"]').text()).toContain('Returned')
  })

  it('cancelled before anything happened still shows where it started', () => {
    const w = stepper({ status: 'cancelled', statusText: '', shipments: [], timeline: [] })
    expect(stepKeys(w)).toEqual(['placed', 'cancelled'])
  })

  const words: Record<Locale, string[]> = {
    en: ['Placed', 'Confirmed', 'Shipped', 'Out for delivery', 'Delivered', 'Order progress'],
    es: ['Realizado', 'Confirmado', 'Enviado', 'En reparto', 'Entregado', 'Progreso del pedido'],
    ro: ['Plasată', 'Confirmată', 'Expediată', 'În livrare', 'Livrată', 'Progresul comenzii'],
    ru: ['Оформлен', 'Принят', 'Отправлен', 'У курьера', 'Доставлен', 'Ход выполнения заказа'],
  }
  for (const [locale, [placed, confirmed, shipped, out, delivered, label]] of Object.entries(words) as [Locale, string[]][]) {
    it(`writes its steps in ${locale}`, () => {
      const w = stepper(scenarios.outForDelivery, locale)
      const labels = w.findAll('.label').map((l) => l.text())
      expect(labels).toEqual([placed, confirmed, shipped, out, delivered])
      expect(w.get('[data-testid="stepper"]').attributes('aria-label')).toBe(label)
    })
  }

  it('names the terminal states in each language', () => {
    expect(stepper(scenarios.cancelled, 'es').text()).toContain('Cancelado')
    expect(stepper(scenarios.cancelled, 'ro').text()).toContain('Anulată')
    expect(stepper(scenarios.returned, 'ru').text()).toContain('Возвращён')
  })
})
