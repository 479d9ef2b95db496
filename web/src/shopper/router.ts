import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'

declare module 'vue-router' {
  interface RouteMeta {
    /** Needs a signed-in shopper (else the sign-in help shows). */
    auth?: boolean
    /** i18n key of the page title. */
    title?: string
  }
}

// Every page is its own chunk: the first load carries only the shell.
export const routes: RouteRecordRaw[] = [
  { path: '/', name: 'orders', component: () => import('./pages/OrdersPage.vue'), meta: { auth: true, title: 'dashboard.title' } },
  { path: '/orders/:id', name: 'order', component: () => import('./pages/OrderPage.vue'), meta: { auth: true, title: 'nav.orders' } },
  { path: '/settings', name: 'settings', component: () => import('./pages/SettingsPage.vue'), meta: { auth: true, title: 'settings.title' } },
  { path: '/t/:code', name: 'tracking', component: () => import('./pages/GuestOrderPage.vue'), meta: { title: 'guest.title' } },
  { path: '/track', name: 'track', component: () => import('./pages/TrackPage.vue'), meta: { title: 'guest.title' } },
  { path: '/portal/:code', name: 'portal', component: () => import('./pages/PortalPage.vue'), meta: { title: 'session.signingIn' } },
  { path: '/signed-out', name: 'signed-out', component: () => import('./pages/SignedOutPage.vue'), meta: { title: 'session.signedOutTitle' } },
  { path: '/:pathMatch(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue'), meta: { title: 'notFound.title' } },
]

export function makeRouter() {
  return createRouter({
    history: createWebHistory('/'),
    routes,
    scrollBehavior(_to, _from, saved) {
      return saved ?? { top: 0 }
    },
  })
}
