import { beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory } from 'vue-router'
import App from '@/console/App.vue'
import { makeRouter } from '@/console/router'
import { NAV, landing, mayOpen, navFor } from '@/console/nav'
import { applySession } from '@/console/session'
import { adminSession, analystSession, consoleI18n, csrSession } from './helpers'

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

  it('navFor: a CSR sees no admin item nor analytics; an admin sees all; an analyst only analytics', () => {
    expect(navFor('csr').map((i) => i.testid)).toEqual(['nav-orders', 'nav-requests', 'nav-dead-letters', 'nav-receipts'])
    expect(navFor('admin')).toHaveLength(NAV.length)
    expect(navFor('admin').map((i) => i.testid)).toContain('nav-analytics')
    expect(navFor('analyst').map((i) => i.testid)).toEqual(['nav-analytics'])
    expect(navFor(null)).toEqual([])
  })

  it('pages by role, and where each lands after sign-in', () => {
    const router = makeRouter(createMemoryHistory('/console/'))
    const meta = (path: string) => router.resolve(path).meta
    expect(mayOpen('analyst', meta('/analytics'))).toBe(true)
    expect(mayOpen('admin', meta('/analytics'))).toBe(true)
    expect(mayOpen('csr', meta('/analytics'))).toBe(false)
    for (const path of ['/orders', '/orders/o1', '/requests', '/dead-letters', '/carrier-receipts', '/templates', '/staff']) {
      expect(mayOpen('analyst', meta(path)), path).toBe(false)
    }
    expect(mayOpen('analyst', meta('/forbidden'))).toBe(true)
    expect(mayOpen('analyst', meta('/sign-in'))).toBe(true)
    expect(landing(router, 'analyst', '/orders')).toBe('/analytics')
    expect(landing(router, 'analyst', '/analytics?x=1')).toBe('/analytics?x=1')
    expect(landing(router, 'analyst', '/')).toBe('/')
    expect(landing(router, 'csr', '/analytics')).toBe('/orders')
    expect(landing(router, 'csr', '/orders/o1')).toBe('/orders/o1')
    expect(landing(router, 'admin', '/analytics')).toBe('/analytics')
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

  it('an admin sees them, and analytics', async () => {
    applySession(adminSession)
    const w = await mountAt('/forbidden')
    for (const id of ADMIN_ONLY) expect(w.find(`[data-testid="${id}"]`).exists()).toBe(true)
    expect(w.find('[data-testid="nav-analytics"]').exists()).toBe(true)
    w.unmount()
  })

  it('a CSR does not see analytics, and its URL is the 403 page', async () => {
    applySession(csrSession)
    const w = await mountAt('/analytics')
    expect(w.find('[data-testid="nav-analytics"]').exists()).toBe(false)
    expect(w.find('[data-testid="forbidden-page"]').exists()).toBe(true)
    expect(w.find('[data-testid="analytics-page"]').exists()).toBe(false)
    w.unmount()
  })

  it('an analyst sees only analytics: no other page, no order search', async () => {
    applySession(analystSession)
    const w = await mountAt('/orders')
    expect(w.findAll('[data-testid="console-nav"] .nav-list a').map((a) => a.attributes('data-testid'))).toEqual(['nav-analytics'])
    expect(w.find('[data-testid="nav-admin-group"]').exists()).toBe(false)
    expect(w.find('[data-testid="global-search"]').exists()).toBe(false)
    expect(w.get('[data-testid="current-role"]').text()).toBe('Analyst')
    // An order URL typed by an analyst: the 403 page, pointing to analytics.
    const forbidden = w.get('[data-testid="forbidden-page"]')
    expect(forbidden.text()).toContain('analytics and exports only')
    expect(forbidden.get('a').text()).toBe('Go to analytics')
    expect(w.find('[data-testid="orders-table"]').exists()).toBe(false)
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
