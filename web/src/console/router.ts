import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Open without a session (sign-in, set password). */
    public?: boolean
    /** Admins only: a CSR gets the 403 page. */
    admin?: boolean
    /** The page shown while TOTP enrolment is required. */
    totpSetup?: boolean
  }
}

// Every page is its own chunk; the template editor brings CodeMirror.
export const routes: RouteRecordRaw[] = [
  { path: '/', redirect: '/orders' },
  { path: '/sign-in', name: 'sign-in', component: () => import('./pages/SignInPage.vue'), meta: { public: true, title: 'c.signIn.title' } },
  { path: '/set-password/:token', name: 'set-password', component: () => import('./pages/SetPasswordPage.vue'), meta: { public: true, title: 'c.setPassword.title' } },
  { path: '/totp', name: 'totp', component: () => import('./pages/TotpPage.vue'), meta: { totpSetup: true, title: 'c.totp.title' } },
  { path: '/orders', name: 'orders', component: () => import('./pages/OrdersPage.vue'), meta: { title: 'c.nav.orders' } },
  { path: '/orders/:id', name: 'order', component: () => import('./pages/OrderPage.vue'), meta: { title: 'c.order.title' } },
  { path: '/requests', name: 'requests', component: () => import('./pages/RequestsPage.vue'), meta: { title: 'c.nav.requests' } },
  { path: '/dead-letters', name: 'dead-letters', component: () => import('./pages/DeadLettersPage.vue'), meta: { title: 'c.nav.deadLetters' } },
  { path: '/carrier-receipts', name: 'receipts', component: () => import('./pages/ReceiptsPage.vue'), meta: { title: 'c.nav.receipts' } },
  { path: '/workflow', name: 'workflow', component: () => import('./pages/WorkflowPage.vue'), meta: { admin: true, title: 'c.nav.workflow' } },
  { path: '/templates', name: 'templates', component: () => import('./pages/TemplatesPage.vue'), meta: { admin: true, title: 'c.nav.templates' } },
  { path: '/audit', name: 'audit', component: () => import('./pages/AuditPage.vue'), meta: { admin: true, title: 'c.nav.audit' } },
  { path: '/tokens', name: 'tokens', component: () => import('./pages/TokensPage.vue'), meta: { admin: true, title: 'c.nav.tokens' } },
  { path: '/staff', name: 'staff', component: () => import('./pages/StaffPage.vue'), meta: { admin: true, title: 'c.nav.staff' } },
  { path: '/sessions', name: 'sessions', component: () => import('./pages/SessionsPage.vue'), meta: { admin: true, title: 'c.nav.sessions' } },
  { path: '/forbidden', name: 'forbidden', component: () => import('./pages/ForbiddenPage.vue'), meta: { title: 'c.forbidden.title' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: 'c.notFound.title' } },
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
