// The console's navigation: what each role sees and may open. What a role
// may not do is not shown (the server refuses it anyway; a typed URL gets
// the 403 page).
import type { RouteMeta, Router } from 'vue-router'
import type { Role } from './api'

export type NavIcon =
  | 'orders'
  | 'requests'
  | 'deadLetters'
  | 'receipts'
  | 'analytics'
  | 'templates'
  | 'workflow'
  | 'audit'
  | 'tokens'
  | 'staff'
  | 'sessions'

/** Who may open a page unless it says otherwise: the customer-service pages. */
const SERVICE: Role[] = ['csr', 'admin']
/** Every person who can sign in to the console. */
export const STAFF_ROLES: Role[] = ['csr', 'admin', 'analyst']

export interface NavItem {
  to: string
  label: string
  testid: string
  icon: NavIcon
  /** Admins only: listed under "Administration". */
  admin?: boolean
  /** Who sees it (default: CSRs and admins; admins only for `admin`). */
  roles?: Role[]
}

export const NAV: NavItem[] = [
  { to: '/orders', label: 'c.nav.orders', icon: 'orders', testid: 'nav-orders' },
  { to: '/requests', label: 'c.nav.requests', icon: 'requests', testid: 'nav-requests' },
  { to: '/dead-letters', label: 'c.nav.deadLetters', icon: 'deadLetters', testid: 'nav-dead-letters' },
  { to: '/carrier-receipts', label: 'c.nav.receipts', icon: 'receipts', testid: 'nav-receipts' },
  { to: '/analytics', label: 'c.nav.analytics', icon: 'analytics', testid: 'nav-analytics', roles: ['admin', 'analyst'] },
  { to: '/templates', label: 'c.nav.templates', icon: 'templates', testid: 'nav-templates', admin: true },
  { to: '/workflow', label: 'c.nav.workflow', icon: 'workflow', testid: 'nav-workflow', admin: true },
  { to: '/audit', label: 'c.nav.audit', icon: 'audit', testid: 'nav-audit', admin: true },
  { to: '/tokens', label: 'c.nav.tokens', icon: 'tokens', testid: 'nav-tokens', admin: true },
  { to: '/staff', label: 'c.nav.staff', icon: 'staff', testid: 'nav-staff', admin: true },
  { to: '/sessions', label: 'c.nav.sessions', icon: 'sessions', testid: 'nav-sessions', admin: true },
]

/** The roles a page or nav item is for. */
export function rolesOf(meta: { admin?: boolean; roles?: Role[] }): Role[] {
  return meta.roles ?? (meta.admin ? ['admin'] : SERVICE)
}

export function navFor(role: Role | null | undefined): NavItem[] {
  if (!role) return []
  return NAV.filter((item) => rolesOf(item).includes(role))
}

/** Whether `role` may open a page (public pages: anyone). */
export function mayOpen(role: Role | null | undefined, meta: RouteMeta): boolean {
  if (meta.public) return true
  return !!role && rolesOf(meta).includes(role)
}

/** Where a person lands after signing in: an analyst may not read orders. */
export function homeFor(role: Role | null | undefined): string {
  return role === 'analyst' ? '/analytics' : '/orders'
}

/**
 * The page to open after signing in: `asked` (a path of ours, see
 * session.ts `safeRedirect`) when the role may open it, else the role's own
 * first page.
 */
export function landing(router: Pick<Router, 'resolve'>, role: Role | null | undefined, asked: string): string {
  return mayOpen(role, router.resolve(asked).meta) ? asked : homeFor(role)
}
