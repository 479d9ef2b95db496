import { createApp, watchEffect } from 'vue'
import '@/common/styles/base.css'
import { currentLocale, i18n, setLocale } from '@/common/i18n'
import { ensureSession, session } from '@/common/session'
import App from './App.vue'
import { makeRouter } from './router'
import type { RouteLocationNormalized } from 'vue-router'

setLocale(currentLocale())
const router = makeRouter()

// The page's code is fetched while the session is asked for, not after:
// one round trip less before the first render.
function preload(to: RouteLocationNormalized): Promise<unknown> {
  const loaders = to.matched.map((record) => record.components?.default).filter((c) => typeof c === 'function')
  return Promise.all(loaders.map((load) => (load as () => Promise<unknown>)()))
}

router.beforeEach(async (to) => {
  // The portal link signs in itself; everything else learns who is here.
  if (to.name === 'portal' || to.name === 'signed-out') return true
  if (to.meta.auth) await Promise.all([ensureSession(), preload(to).catch(() => undefined)])
  else void ensureSession()
  return true
})

// After a page change, move focus to the content so keyboard and screen
// reader users start there (not on the first load).
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
  const brand = i18n.global.t('app.brand')
  document.title = key ? `${i18n.global.t(key)} · ${brand}` : brand
  void session.state
})

app.mount('#app')
