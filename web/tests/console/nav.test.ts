import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory } from 'vue-router'
import App from '@/console/App.vue'
import { makeRouter } from '@/console/router'
import { NAV, navFor } from '@/console/nav'
import { applySession } from '@/console/session'
import { adminSession, consoleI18n, csrSession } from './helpers'

const ADMIN_ONLY = ['nav-templates', 'nav-workflow', 'nav-audit', 'nav-tokens', 'nav-staff', 'nav-sessions']

async function mountAt(path: string) {
  const router = makeRouter(createMemoryHistory('/console/'))
  await router.push(path)
  await router.isReady()
  const w = mount(App, { global: { plugins: [consoleI18n('en'), router] } })
  await flushPromises()
  return w
}

describe('role-based navigation', () => {
  beforeEach(() => localStorage.clear())

  it('navFor: a CSR sees no admin item; an admin sees all', () => {
    expect(navFor('csr').map((i) => i.testid)).toEqual(['nav-orders', 'nav-requests', 'nav-dead-letters', 'nav-receipts'])
    expect(navFor('admin')).toHaveLength(NAV.length)
    expect(navFor(null)).toEqual([])
  })

  it('a CSR does not see admin links in the console', async () => {
    applySession(csrSession)
    const w = await mountAt('/forbidden')
    for (const id of ADMIN_ONLY) expect(w.find(`[data-testid="${id}"]`).exists()).toBe(false)
    expect(w.find('[data-testid="nav-orders"]').exists()).toBe(true)
    expect(w.find('[data-testid="nav-admin-group"]').exists()).toBe(false)
    expect(w.get('[data-testid="current-role"]').text()).toBe('Customer service')
    w.unmount()
  })

  it('an admin sees them', async () => {
    applySession(adminSession)
    const w = await mountAt('/forbidden')
    for (const id of ADMIN_ONLY) expect(w.find(`[data-testid="${id}"]`).exists()).toBe(true)
    w.unmount()
  })

  it('a CSR typing an admin URL gets the 403 page at that URL', async () => {
    applySession(csrSession)
    const w = await mountAt('/templates')
    expect(w.find('[data-testid="forbidden-page"]').exists()).toBe(true)
    expect(w.find('[data-testid="template-editor"]').exists()).toBe(false)
    w.unmount()
  })
})
