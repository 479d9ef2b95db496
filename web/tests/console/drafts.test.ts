import { beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { request } from '@/common/api/http'
import { useDraft } from '@/console/drafts'
import { applySession, installUnauthorizedHook, onSessionExpired, staff } from '@/console/session'
import { csrSession } from './helpers'

const Form = defineComponent({
  props: { id: { type: String, required: true } },
  setup(props) {
    const { text, restored } = useDraft(() => `message:${props.id}`)
    return () => h('div', [h('textarea', { value: text.value, onInput: (e: Event) => (text.value = (e.target as HTMLTextAreaElement).value) }), restored.value ? h('p', { class: 'restored' }) : null])
  },
})

describe('drafts kept across an expired session', () => {
  beforeEach(() => {
    localStorage.clear()
    vi.restoreAllMocks()
  })

  it('saves as you type and restores on the next mount', async () => {
    const w = mount(Form, { props: { id: 'o1' } })
    await w.get('textarea').setValue('Hello, your parcel')
    await nextTick()
    expect(localStorage.getItem('ordertrack.console.draft.message:o1')).toBe('Hello, your parcel')
    w.unmount()
    const again = mount(Form, { props: { id: 'o1' } })
    expect((again.get('textarea').element as HTMLTextAreaElement).value).toBe('Hello, your parcel')
    expect(again.find('.restored').exists()).toBe(true)
    // Another order's form starts empty.
    const other = mount(Form, { props: { id: 'o2' } })
    expect((other.get('textarea').element as HTMLTextAreaElement).value).toBe('')
  })

  it('a 401 mid-work signs out, calls the expiry handler, and the draft survives', async () => {
    installUnauthorizedHook()
    const expired = vi.fn()
    onSessionExpired(expired)
    applySession(csrSession)
    const w = mount(Form, { props: { id: 'o9' } })
    await w.get('textarea').setValue('Half-written reply')
    await nextTick()
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'unauthorized', message: 'sign in' }), { status: 401 })))
    await expect(request('POST', '/api/v1/orders/o9/messages', { channel: 'email', message: 'x' })).rejects.toMatchObject({ status: 401 })
    expect(expired).toHaveBeenCalledTimes(1)
    expect(staff.state).toBe('signed-out')
    expect(staff.expired).toBe(true)
    w.unmount()
    expect(localStorage.getItem('ordertrack.console.draft.message:o9')).toBe('Half-written reply')
    vi.unstubAllGlobals()
  })

  it('a wrong password (401 from the sign-in call) is not an expiry', async () => {
    installUnauthorizedHook()
    const expired = vi.fn()
    onSessionExpired(expired)
    applySession(csrSession)
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ error: 'invalid_credentials' }), { status: 401 })))
    await expect(request('POST', '/api/v1/staff/session', { email: 'a', password: 'b' })).rejects.toMatchObject({ code: 'invalid_credentials' })
    expect(expired).not.toHaveBeenCalled()
    vi.unstubAllGlobals()
  })
})
