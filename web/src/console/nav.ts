// The console's navigation: what each role sees. What a CSR may not do is
// not shown (the server refuses it anyway; a typed URL gets the 403 page).
import type { Role } from './api'

export type NavIcon = 'orders' | 'requests' | 'deadLetters' | 'receipts' | 'templates' | 'workflow' | 'audit' | 'tokens' | 'staff' | 'sessions'

export interface NavItem {
  to: string
  label: string
  testid: string
  icon: NavIcon
  admin?: boolean
}

export const NAV: NavItem[] = [
  { to: '/orders', label: 'c.nav.orders', icon: 'orders', testid: 'nav-orders' },
  { to: '/requests', label: 'c.nav.requests', icon: 'requests', testid: 'nav-requests' },
  { to: '/dead-letters', label: 'c.nav.deadLetters', icon: 'deadLetters', testid: 'nav-dead-letters' },
  { to: '/carrier-receipts', label: 'c.nav.receipts', icon: 'receipts', testid: 'nav-receipts' },
  { to: '/templates', label: 'c.nav.templates', icon: 'templates', testid: 'nav-templates', admin: true },
  { to: '/workflow', label: 'c.nav.workflow', icon: 'workflow', testid: 'nav-workflow', admin: true },
  { to: '/audit', label: 'c.nav.audit', icon: 'audit', testid: 'nav-audit', admin: true },
  { to: '/tokens', label: 'c.nav.tokens', icon: 'tokens', testid: 'nav-tokens', admin: true },
  { to: '/staff', label: 'c.nav.staff', icon: 'staff', testid: 'nav-staff', admin: true },
  { to: '/sessions', label: 'c.nav.sessions', icon: 'sessions', testid: 'nav-sessions', admin: true },
]

export function navFor(role: Role | null | undefined): NavItem[] {
  if (!role) return []
  return NAV.filter((item) => !item.admin || role === 'admin')
}
