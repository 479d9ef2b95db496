import { beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { ApiError } from '@/common/api/errors'
import { consoleI18n } from './helpers'

vi.mock('@/console/api', () => ({ changeStatus: vi.fn(), getTimeline: vi.fn() }))
import * as api from '@/console/api'
import StatusChangeDialog from '@/console/components/StatusChangeDialog.vue'

const order = { id: 'o1', status: 'processing' as const, version: 3 }
const mountDialog = () => mount(StatusChangeDialog, { props: { order }, global: { plugins: [consoleI18n('en')] }, attachTo: document.body })

async function fill(w: ReturnType<typeof mountDialog>, status: string, note: string) {
  await w.get('[data-testid="status-select"]').setValue(status)
  await w.get('[data-testid="status-note"]').setValue(note)
  await w.get('form').trigger('submit')
  await flushPromises()
}

describe('StatusChangeDialog', () => {
  beforeEach(() => {
    localStorage.clear()
    vi.mocked(api.changeStatus).mockReset()
    vi.mocked(api.getTimeline).mockReset()
  })

  it('requires a reason', async () => {
    const w = mountDialog()
    await fill(w, 'shipped', '   ')
    expect(api.changeStatus).not.toHaveBeenCalled()
    expect(w.get('[data-testid="field-error-note"]').text()).toContain('Write why')
    w.unmount()
  })

  it('sends status, reason and version; clears the draft', async () => {
    vi.mocked(api.changeStatus).mockResolvedValue({ ...order, status: 'shipped', version: 4 } as never)
    const w = mountDialog()
    await fill(w, 'shipped', 'Left the warehouse')
    expect(api.changeStatus).toHaveBeenCalledWith('o1', { status: 'shipped', note: 'Left the warehouse', version: 3 })
    expect(w.emitted('changed')).toHaveLength(1)
    expect(localStorage.getItem('ordertrack.console.draft.status:o1')).toBeNull()
    w.unmount()
  })

  it('409 shows the allowed next states, which can be picked', async () => {
    vi.mocked(api.changeStatus).mockRejectedValue(
      new ApiError(409, 'invalid_transition', 'cannot move', null, null, { error: 'invalid_transition', current_status: 'processing', allowed: ['on_hold', 'shipped'] }),
    )
    const w = mountDialog()
    await fill(w, 'delivered', 'Customer says it arrived')
    const banner = w.get('[data-testid="status-invalid-transition"]')
    expect(banner.text()).toContain('Being prepared')
    const chips = w.findAll('[data-testid="allowed-states"] button')
    expect(chips.map((c) => c.text())).toEqual(['On hold', 'Shipped'])
    await w.get('[data-testid="allowed-shipped"]').trigger('click')
    expect((w.get('[data-testid="status-select"]').element as HTMLSelectElement).value).toBe('shipped')
    // The select now offers only the allowed states.
    const options = w.findAll('[data-testid="status-select"] option').map((o) => o.attributes('value'))
    expect(options).toEqual(['', 'on_hold', 'shipped'])
    // The reason is kept.
    expect((w.get('[data-testid="status-note"]').element as HTMLTextAreaElement).value).toBe('Customer says it arrived')
    w.unmount()
  })

  it('412 says who changed the order and offers a reload, keeping the reason', async () => {
    vi.mocked(api.changeStatus).mockRejectedValue(new ApiError(412, 'version_mismatch', 'stale', null, null, { current_version: 5 }))
    vi.mocked(api.getTimeline).mockResolvedValue({
      entries: [
        { kind: 'status_change', occurred_at: '2026-03-01T10:00:00Z', title: 'Confirmed', actor: 'old@example.com' },
        { kind: 'status_change', occurred_at: '2026-03-02T10:00:00Z', title: 'On hold', actor: 'Bob CSR' },
        { kind: 'carrier_event', occurred_at: '2026-03-03T10:00:00Z', title: 'Scan' },
      ],
      next: '/api/v1/orders/o1/timeline?cursor=c3&order=newest&locale=en',
    } as never)
    const w = mountDialog()
    await fill(w, 'shipped', 'Parcel handed over')
    const stale = w.get('[data-testid="status-stale"]')
    expect(stale.text()).toContain('Bob CSR changed this order')
    expect(stale.text()).toContain('version 5')
    await w.get('[data-testid="status-reload"]').trigger('click')
    expect(w.emitted('reload')).toHaveLength(1)
    expect(localStorage.getItem('ordertrack.console.draft.status:o1')).toBe('Parcel handed over')
    w.unmount()
  })
})
