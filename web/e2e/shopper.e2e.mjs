// The shopper's web app in Debian's Chromium against a real api, worker and
// scheduler (scripts/browser-tests starts them). Each page is photographed
// at phone and desktop size and checked with axe-core.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { AxeBuilder } from '@axe-core/playwright'
import {
  BASE_URL,
  SCREENSHOTS,
  addParcel,
  createOrder,
  eventually,
  fedexScan,
  launch,
  portalLink,
  setStatus,
  smsCode,
  trackingCode,
} from './platform.mjs'

const run = Date.now().toString(36)
const ANA = `ana-${run}`
const BORIS = `boris-${run}`
const SIZES = [
  ['phone', { width: 390, height: 844 }],
  ['desktop', { width: 1280, height: 800 }],
]

let browser
let ana // Ana's browser context: signed in through her portal link
let page
const orders = {}

/** Photographs `page` at both sizes and fails on serious or critical axe findings. */
async function look(p, name) {
  const violations = []
  for (const [size, viewport] of SIZES) {
    await p.setViewportSize(viewport)
    await p.waitForTimeout(150)
    await p.screenshot({ path: `${SCREENSHOTS}/${name}-${size}.png`, fullPage: true })
    // Nothing may stick out sideways: a phone would scroll the whole page.
    const wide = await p.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(el.getBoundingClientRect().right)}px`),
    )
    assert.deepEqual(wide, [], `${name} at ${size} width overflows`)
    const results = await new AxeBuilder({ page: p }).analyze()
    violations.push(...results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
  }
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe on ${name}`,
  )
  await p.setViewportSize(SIZES[0][1])
}

const card = (p, number) => p.locator(`[data-testid="order-card"][data-order-number="${number}"]`)

before(async () => {
  orders.shipped = await createOrder(`A-${run}-1`, ANA)
  orders.waiting = await createOrder(`A-${run}-2`, ANA)
  orders.cancelled = await createOrder(`A-${run}-3`, ANA)
  await setStatus(orders.cancelled.id, 'cancelled')
  orders.boris = await createOrder(`B-${run}-1`, BORIS, { locale: 'ru', country: 'RU', postal: '125009', city: 'Москва' })
  await setStatus(orders.boris.id, 'processing')
  await addParcel(orders.boris.id, 'dhl', '1234567890')
  await setStatus(orders.boris.id, 'shipped')
  browser = await launch()
  ana = await browser.newContext({ viewport: SIZES[0][1], locale: 'en-GB', timezoneId: 'Europe/Madrid' })
  page = await ana.newPage()
  page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`))
})

after(async () => {
  await browser?.close()
})

describe('a signed-in shopper', () => {
  test('signs in through the portal link and sees active orders before past ones', async () => {
    await page.goto(await portalLink(ANA, 'en'))
    await page.waitForURL(`${BASE_URL}/`)
    await card(page, `A-${run}-3`).waitFor()
    const active = await page.locator('[data-testid="active-orders"] [data-testid="order-card"]').evaluateAll((cards) => cards.map((c) => c.dataset.orderNumber))
    const past = await page.locator('[data-testid="past-orders"] [data-testid="order-card"]').evaluateAll((cards) => cards.map((c) => c.dataset.orderNumber))
    assert.deepEqual(active, [`A-${run}-2`, `A-${run}-1`])
    assert.deepEqual(past, [`A-${run}-3`])
    // The session lives in an HttpOnly cookie: no script can read it.
    assert.equal(await page.evaluate(() => document.cookie), '')
    const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]))
    assert.doesNotMatch(stored, /ops_|csrf/i, `nothing secret in web storage: ${stored}`)
    const cookies = await ana.cookies()
    assert.ok(cookies.some((c) => c.name === 'ordertrack_session' && c.httpOnly && c.sameSite === 'Lax'), JSON.stringify(cookies))
    await look(page, 'dashboard')
  })

  test('filters by status and searches by order number', async () => {
    // One read of every card shown: two separate counts could straddle a re-render.
    const shown = () => page.getByTestId('order-card').evaluateAll((cards) => cards.map((c) => c.dataset.orderNumber))
    const showsOnly = async (number) => JSON.stringify(await shown()) === JSON.stringify([number])
    await page.getByTestId('status-filter').selectOption('cancelled')
    assert.ok(await eventually(() => showsOnly(`A-${run}-3`)), `shown: ${await shown()}`)
    assert.match(page.url(), /status=cancelled/)
    await page.getByTestId('status-filter').selectOption('')
    await page.getByTestId('order-search').fill(`A-${run}-2`)
    assert.ok(await eventually(() => showsOnly(`A-${run}-2`)), `shown: ${await shown()}`)
    await page.getByTestId('order-search').fill('NO-SUCH-ORDER')
    await page.getByTestId('orders-no-match').waitFor()
    await page.getByTestId('order-search').fill('')
    await card(page, `A-${run}-1`).waitFor()
  })

  test('sees a status change made through the API within 2 s, without reloading', async () => {
    await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor()
    const marker = await page.evaluate(() => (window.__notReloaded = true))
    const started = Date.now()
    await setStatus(orders.waiting.id, 'on_hold')
    await card(page, `A-${run}-2`).and(page.locator('[data-status="on_hold"]')).waitFor({ timeout: 2_000 })
    const took = Date.now() - started
    assert.ok(took < 2_000, `shown after ${took} ms`)
    await card(page, `A-${run}-2`).getByTestId('live-mark').waitFor()
    assert.equal(await page.evaluate(() => window.__notReloaded), marker)
  })

  test('opens an order and follows a carrier scan live', async () => {
    await card(page, `A-${run}-1`).getByRole('link').click()
    await page.waitForURL(`**/orders/${orders.shipped.id}`)
    await page.getByTestId('stepper').waitFor()
    assert.equal(await page.getByTestId('step-confirmed').getAttribute('aria-current'), 'step')
    await page.getByTestId('live-status').and(page.locator('[data-state="live"]')).waitFor()

    await setStatus(orders.shipped.id, 'processing')
    await addParcel(orders.shipped.id, 'fedex', `7946${run.slice(-8).replace(/\D/g, '1').padStart(8, '1')}`)
    await page.getByTestId('parcel').waitFor()
    const trackingNumber = await page.getByTestId('tracking-number').innerText()
    await fedexScan(trackingNumber.trim(), { type: 'PU', description: 'Picked up', city: 'MEMPHIS' })
    await page.locator('[data-testid="timeline-entry"][data-kind="carrier_event"]').first().waitFor({ timeout: 10_000 })
    await page.getByTestId('last-scan').getByText(/MEMPHIS/i).waitFor()
    await look(page, 'order')
  })

  test('changes the address: a bad postal code is shown beside its field, a good one lands in the timeline', async () => {
    await page.getByTestId('action-change_address').getByRole('button').click()
    const form = page.getByTestId('form-change_address')
    await form.locator('[name="address.name"]').fill('Ana Ruiz')
    await form.locator('[name="address.line1"]').fill('Calle Nueva 7')
    await form.locator('[name="address.city"]').fill('Madrid')
    await form.locator('[name="address.postal_code"]').fill('2801')
    await form.locator('[name="address.country"]').fill('ES')
    await form.getByRole('button', { name: /./ }).last().click()
    const fieldError = page.getByTestId('field-error-address.postal_code')
    await fieldError.waitFor()
    assert.match(await fieldError.innerText(), /2801/)
    assert.equal(await form.locator('[name="address.postal_code"]').getAttribute('aria-invalid'), 'true')
    await look(page, 'order-address-error')

    await form.locator('[name="address.postal_code"]').fill('28001')
    await form.getByRole('button', { name: /./ }).last().click()
    await page.getByTestId('action-success').waitFor()
    await page.locator('[data-testid="timeline-entry"][data-kind="customer_request"]').first().waitFor()
    await page.getByTestId('shipping-address').getByText('28001').waitFor()
  })

  test('saves notification settings that the API reads back', async () => {
    await page.getByTestId('nav-settings').click()
    await page.getByTestId('channel-grid').waitFor()
    const email = page.getByTestId('channel-order_shipped-email').locator('input').or(page.locator('input[data-testid="channel-order_shipped-email"]'))
    const wasOn = await email.first().isChecked()
    await email.first().setChecked(!wasOn)
    await page.getByTestId('save-preferences').click()
    await page.getByTestId('save-success').waitFor()
    const res = await page.request.get(`${BASE_URL}/api/v1/me/preferences`)
    const prefs = await res.json()
    assert.equal(prefs.channels.order_shipped.includes('email'), !wasOn, JSON.stringify(prefs.channels))
    await look(page, 'settings')
  })

  test('verifies a phone with the code from the SMS', async () => {
    const phone = '+34600123456'
    await page.getByTestId('phone-form').locator('input').fill(phone)
    await page.getByTestId('send-code').click()
    await page.getByTestId('code-sent').waitFor()
    await page.getByTestId('cooldown').waitFor()
    const code = await eventually(() => smsCode(phone))
    assert.ok(code, 'the code reached the SMS log')
    // A wrong code first: an error beside the field, still unverified.
    await page.getByTestId('code-input').fill(code === '000000' ? '111111' : '000000')
    await page.getByTestId('verify-code').click()
    await page.getByTestId('phone-verification').locator('[aria-invalid="true"], [data-testid="phone-error"]').first().waitFor()
    await page.getByTestId('code-input').fill(code)
    await page.getByTestId('verify-code').click()
    await page.getByTestId('phone-verified').waitFor()
    const prefs = await (await page.request.get(`${BASE_URL}/api/v1/me/preferences`)).json()
    assert.deepEqual(prefs.phone, { number: phone, verified: true }, JSON.stringify(prefs))
  })

  test("gets 'not found' for another customer's order id typed into the URL", async () => {
    await page.goto(`${BASE_URL}/orders/${orders.boris.id}`)
    await page.getByTestId('order-not-found').waitFor()
    assert.equal(await page.getByText(`B-${run}-1`).count(), 0)
    await look(page, 'order-not-found')
  })
})

describe('a guest', () => {
  test('opens the tracking link and looks an order up', async () => {
    const guest = await browser.newContext({ viewport: SIZES[0][1], locale: 'en-GB' })
    const p = await guest.newPage()
    const code = await trackingCode(`B-${run}-1`, '125009')
    await p.goto(`${BASE_URL}/t/${code}?locale=en`)
    await p.getByTestId('order-hero').waitFor()
    assert.equal((await p.getByTestId('order-number').innerText()).includes(`B-${run}-1`), true)
    assert.equal(await p.getByTestId('shipping-address').count(), 0, 'guests do not see the address')
    await look(p, 'guest-order')

    // Live for guests too.
    await p.getByTestId('live-status').and(p.locator('[data-state="live"]')).waitFor()
    await setStatus(orders.boris.id, 'in_transit')
    await p.locator('[data-testid="timeline-entry"][data-status="in_transit"]').first().waitFor({ timeout: 2_000 })

    await p.goto(`${BASE_URL}/track`)
    await p.locator('[name="order_number"]').fill(`B-${run}-1`)
    await p.locator('[name="postal_code"]').fill('000000')
    await p.getByTestId('lookup-submit').click()
    await p.getByTestId('lookup-error').waitFor()
    await look(p, 'guest-lookup')
    await p.locator('[name="postal_code"]').fill('125009')
    await p.getByTestId('lookup-submit').click()
    await p.waitForURL(`**/t/${code}`)
    await p.getByTestId('order-hero').waitFor()
    await guest.close()
  })

  test('reads the tracking page without JavaScript', async () => {
    const guest = await browser.newContext({ javaScriptEnabled: false })
    const p = await guest.newPage()
    const code = await trackingCode(`B-${run}-1`, '125009')
    await p.goto(`${BASE_URL}/t/${code}`)
    await p.getByText(`Заказ B-${run}-1`).waitFor()
    // axe needs scripts: a photograph only.
    for (const [size, viewport] of SIZES) {
      await p.setViewportSize(viewport)
      await p.screenshot({ path: `${SCREENSHOTS}/tracking-no-js-${size}.png`, fullPage: true })
    }
    await guest.close()
  })
})

describe('in Russian', () => {
  test('statuses and dates are Russian', async () => {
    const boris = await browser.newContext({ viewport: SIZES[0][1], locale: 'ru-RU', timezoneId: 'Europe/Moscow' })
    const p = await boris.newPage()
    await p.goto(await portalLink(BORIS, 'ru'))
    await card(p, `B-${run}-1`).waitFor()
    assert.equal(await p.evaluate(() => document.documentElement.lang), 'ru')
    const status = await card(p, `B-${run}-1`).getByTestId('order-status').innerText()
    assert.match(status, /[а-яё]/i, status)
    await card(p, `B-${run}-1`).getByRole('link').click()
    await p.getByTestId('timeline').waitFor()
    const history = await p.getByTestId('timeline').innerText()
    const month = /(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|янв|фев|мар|апр|июн|июл|авг|сен|окт|ноя|дек)/
    assert.match(history, month, history)
    assert.doesNotMatch(history, /\b(Order|shipped|January|February|March|April|June|July|August|September|October|November|December)\b/, history)
    await look(p, 'order-ru')
    await boris.close()
  })
})

describe('signing out', () => {
  test('ends the session and offers the way back to the store', async () => {
    await page.goto(`${BASE_URL}/`)
    await page.getByTestId('sign-out').click()
    await page.getByTestId('signed-out').waitFor()
    assert.equal(await page.getByTestId('back-to-store').getAttribute('href'), 'https://shop.example/account')
    const res = await page.request.get(`${BASE_URL}/api/v1/orders`)
    assert.equal(res.status(), 401)
    await look(page, 'signed-out')
  })
})
