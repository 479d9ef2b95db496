import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import type { Role } from './api'
import { homeFor, STAFF_ROLES } from './nav'
import { staff } from './session'

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without a session (sign-in, set password). */
    public?: boolean
    /** Admins only: a CSR gets the 403 page. */
    admin?: boolean
    /** Who may open it, when not CSRs and admins (nav.ts `rolesOf`); others get the 403 page. */
    roles?: Role[]
    /** The page shown while TOTP enrolment is required. */
    totpSetup?: boolean
  }
}

// Every page is its own chunk; the template editor brings CodeMirror.
// "/" sends each person to their first page once the session is known
// (a redirect would be resolved before main.ts has read it).
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'home', children: [], meta: { roles: STAFF_ROLES }, beforeEnter: () => ({ path: homeFor(staff.data?.user.role), replace: true }) },
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { public: true, title: 'c.signIn.title' } },
  { path: '/set-password/:token', name: 'set-password', component: () => import('./pages/SetPasswordPage.vue'), meta: { public: true, title: 'c.setPassword.title' } },
  { path: '/totp', name: 'totp', component: () => import('./pages/TotpPage.vue'), meta: { totpSetup: true, roles: STAFF_ROLES, title: 'c.totp.title' } },
  { path: '/orders', name: 'orders', component: () => import('./pages/OrdersPage.vue'), meta: { title: 'c.nav.orders' } },
  { path: '/orders/:id', name: 'order', component: () => import('./pages/OrderPage.vue'), meta: { title: 'c.order.title' } },
  { path: '/requests', name: 'requests', component: () => import('./pages/RequestsPage.vue'), meta: { title: 'c.nav.requests' } },
  { path: '/dead-letters', name: 'dead-letters', component: () => import('./pages/DeadLettersPage.vue'), meta: { title: 'c.nav.deadLetters' } },
  { path: '/carrier-receipts', name: 'receipts', component: () => import('./pages/ReceiptsPage.vue'), meta: { title: 'c.nav.receipts' } },
  { path: '/analytics', name: 'analytics', component: () => import('./pages/AnalyticsPage.vue'), meta: { roles: ['admin', 'analyst'], title: 'c.nav.analytics' } },
  { path: '/workflow', name: 'workflow', component: () => import('./pages/WorkflowPage.vue'), meta: { admin: true, title: 'c.nav.workflow' } },
  { path: '/templates', name: 'templates', component: () => import('./pages/TemplatesPage.vue'), meta: { admin: true, title: 'c.nav.templates' } },
  { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { admin: true, title: 'c.nav.audit' } },
  { path: '/tokens', name: 'tokens', component: () => import('./pages/TokensPage.vue'), meta: { admin: true, title: 'c.nav.tokens' } },
  { path: '/staff', name: 'staff', component: () => import('./pages/StaffPage.vue'), meta: { admin: true, title: 'c.nav.staff' } },
  { path: '/sessions', name: 'sessions', component: () => import('./pages/SessionsPage.vue'), meta: { admin: true, title: 'c.nav.sessions' } },
  { path: '/forbidden', name: 'forbidden', component: () => import('./pages/ForbiddenPage.vue'), meta: { roles: STAFF_ROLES, title: 'c.forbidden.title' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { roles: STAFF_ROLES, title: 'c.notFound.title' } },
]

export function makeRouter(history = createWebHistory('/console/')) {
  return createRouter({
    history,
    routes,
    scrollBehavior(_to, _from, saved) {
      return saved ?? { top: 0 }
    },
  })
}
