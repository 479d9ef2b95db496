// The web app's budgets (issue 12), measured in headless Chromium against
// the whole platform (bench/web starts it):
// - first-load JavaScript of the dashboard, gzip, as the browser fetched it;
// - first render of a dashboard whose shopper has 200 orders (Navigation
//   Timing start to the first order card), beside the server-rendered
//   tracking page of one of those orders in the same run (a page with no
//   script at all: the ceiling);
// - a live update: from the event reaching the browser to its card showing
//   the new status.
// Prints one JSON object; any failed request or missed update fails the run.
import { createOrder, setStatus, portalLink, trackingCode, launch, BASE_URL } from './platform.mjs'

const ORDERS = Number(process.env.ORDERS ?? 200)
const ROUNDS = Number(process.env.ROUNDS ?? 7)
const UPDATES = Number(process.env.UPDATES ?? 10)
const customer = `bench-${Date.now().toString(36)}`

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const round = (x) => Math.round(x * 10) / 10

let failed = 0
const created = []
for (let i = 0; i < ORDERS; i += 10) {
  const batch = await Promise.all(
    Array.from({ length: Math.min(10, ORDERS - i) }, (_, j) => createOrder(`${customer}-${String(i + j).padStart(4, '0')}`, customer).catch(() => failed++)),
  )
  created.push(...batch.filter((o) => o && o.id))
}
if (failed) throw new Error(`${failed} orders could not be created`)

const browser = await launch()
const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
// Each timeline event's arrival, stamped before the app's own listener runs.
await context.addInitScript(() => {
  const Native = window.EventSource
  window.__arrivals = []
  window.EventSource = class extends Native {
    constructor(...args) {
      super(...args)
      super.addEventListener('timeline', (e) => window.__arrivals.push({ at: performance.now(), data: e.data }))
    }
  }
})
const page = await context.newPage()
let badResponses = 0
page.on('response', (r) => {
  // 401 is the signed-out answer before a sign-in; anything else is a failure.
  if (r.status() >= 400 && r.status() !== 401 && r.url().startsWith(BASE_URL)) badResponses++
})

await page.goto(await portalLink(customer, 'en'))
await page.waitForSelector('[data-testid="order-card"]')

// First load: scripts fetched to show the dashboard, and their gzip size
// (the api sends the build's gzip twins).
async function firstRender(url, selector) {
  const scripts = new Map()
  const onResponse = async (r) => {
    if (r.request().resourceType() === 'script') {
      const size = (await r.request().sizes().catch(() => null))?.responseBodySize ?? 0
      scripts.set(r.url(), { size, encoding: r.headers()['content-encoding'] ?? 'identity' })
    }
  }
  page.on('response', onResponse)
  await page.goto(url, { waitUntil: 'commit' })
  await page.waitForSelector(selector)
  const shown = await page.evaluate(() => performance.now())
  await page.waitForLoadState('load')
  page.off('response', onResponse)
  return { ms: shown, scripts: [...scripts.values()] }
}

const app = []
let js
for (let i = 0; i < ROUNDS; i++) {
  await page.context().clearCookies().catch(() => {})
  await page.goto(await portalLink(customer, 'en'))
  await page.waitForSelector('[data-testid="order-card"]')
  // A cold cache each round: the first load of a returning shopper is no better.
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.clearBrowserCache')
  await cdp.detach()
  const r = await firstRender(`${BASE_URL}/`, '[data-testid="order-card"]')
  app.push(r.ms)
  js = r.scripts
}
const code = await trackingCode(created[0].order_number, '28013')
// The tracking page's order is in its HTML: once the document is parsed,
// the order is there (Navigation Timing's DOMContentLoaded).
const ceiling = []
for (let i = 0; i < ROUNDS; i++) {
  await page.goto(`${BASE_URL}/t/${code}`, { waitUntil: 'load' })
  const parsed = await page.evaluate(() => performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd)
  if (!parsed) failed++
  else ceiling.push(parsed)
}

// Live: the newest order's card on the dashboard, status flipped back and forth.
await page.goto(`${BASE_URL}/`)
await page.waitForSelector('[data-testid="live-status"][data-state="live"]')
const target = created.at(-1)
const lags = []
let status = 'confirmed'
for (let i = 0; i < UPDATES; i++) {
  status = status === 'confirmed' ? 'on_hold' : 'confirmed'
  // The observer is in place before the change is made.
  await page.evaluate(
    ([id, want]) => {
      window.__shownAt = null
      const card = () => document.querySelector(`[data-testid="order-card"][data-order-id="${id}"]`)
      const observer = new MutationObserver(() => {
        if (card()?.dataset.status === want) {
          observer.disconnect()
          window.__shownAt = performance.now()
        }
      })
      observer.observe(document.body, { subtree: true, attributes: true, childList: true })
    },
    [target.id, status],
  )
  await setStatus(target.id, status)
  const shownAt = await page
    .waitForFunction(() => window.__shownAt, null, { timeout: 5000 })
    .then((h) => h.jsonValue())
    .catch(() => null)
  const arrival = await page.evaluate(
    ([id, want]) => window.__arrivals.filter((a) => a.data.includes(id) && a.data.includes(`"status":"${want}"`)).at(-1)?.at,
    [target.id, status],
  )
  if (shownAt == null || arrival == null) failed++
  else lags.push(shownAt - arrival)
}
await browser.close()

const gz = js.reduce((sum, s) => sum + s.size, 0)
const result = {
  orders: created.length,
  first_load_js_gzip_kb: round(gz / 1024),
  first_load_js_files: js.length,
  first_load_js_all_gzip: js.every((s) => s.encoding === 'gzip'),
  dashboard_first_render_ms: { median: round(median(app)), max: round(Math.max(...app)), rounds: app.map(round) },
  tracking_page_parsed_ms: { median: round(median(ceiling)), max: round(Math.max(...ceiling)) },
  live_update_ms: lags.length ? { median: round(median(lags)), max: round(Math.max(...lags)), updates: lags.length } : null,
  failed_updates: failed,
  failed_responses: badResponses,
}
console.log(JSON.stringify(result))
if (failed || badResponses) process.exit(1)
