import { createApp, watch, watchEffect } from 'vue'
import '@/common/styles/base.css'
import './styles/console.css'
import { currentLocale, i18n, setLocale, type Locale } from '@/common/i18n'
import { loadConsoleMessages } from './i18n'
import { ensureStaff, installUnauthorizedHook, onSessionExpired, safeRedirect, staff } from './session'
import { landing } from './nav'
import App from './App.vue'
import { makeRouter } from './router'

setLocale(currentLocale())
const messagesReady = loadConsoleMessages(i18n.global, currentLocale()).catch(() => undefined)
// Another language picked: its messages load (English shows meanwhile).
watch(i18n.global.locale, (l) => void loadConsoleMessages(i18n.global, l as Locale).catch(() => undefined))
installUnauthorizedHook()
const router = makeRouter()

router.beforeEach(async (to) => {
  if (to.meta.public) {
    if (to.name === 'sign-in' && staff.state === 'signed-in') return landing(router, staff.data?.user.role, safeRedirect(to.query.redirect))
    return true
  }
  await ensureStaff()
  if (staff.state === 'signed-out') return { name: 'sign-in', query: { redirect: to.fullPath } }
  if (staff.state !== 'signed-in') return true
  if (staff.data?.totp_setup_required && !to.meta.totpSetup) return { name: 'totp', query: { redirect: to.fullPath } }
  // A page the role may not open (admin pages for a CSR, the order pages
  // for an analyst): App shows the 403 page at the typed URL.
  return true
})

// Expired mid-work: sign in again, then back to the same page (drafts are
// in localStorage already).
onSessionExpired(() => {
  const here = router.currentRoute.value
  if (here.meta.public) return
  void router.push({ name: 'sign-in', query: { redirect: here.fullPath, expired: '1' } })
})

let first = true
router.afterEach(() => {
  if (first) {
    first = false
    return
  }
  requestAnimationFrame(() => document.getElementById('main')?.focus({ preventScroll: true }))
})

const app = createApp(App)
app.use(i18n)
app.use(router)

watchEffect(() => {
  const route = router.currentRoute.value
  const key = route.meta.title
  const brand = i18n.global.t('c.app.brand')
  document.title = key ? `${i18n.global.t(key)} · ${brand}` : brand
})

void messagesReady.then(() => app.mount('#app'))
