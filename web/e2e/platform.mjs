// What the browser tests and the web bench need from a running ordertrack
// (scripts/lib/platform.sh starts it and exports these): its API as the
// storefront and staff call it, and Chromium as Debian installs it.
import { createHmac } from 'node:crypto'
import { mkdirSync, readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

export const BASE_URL = need('BASE_URL')
const SERVICE_TOKEN = need('SERVICE_TOKEN')
const ADMIN_TOKEN = need('ADMIN_TOKEN')
const FEDEX_SECRET = need('FEDEX_WEBHOOK_SECRET')
const WORKER_LOG = need('WORKER_LOG')
export const SCREENSHOTS = process.env.SCREENSHOTS ?? '../target/screenshots'

function need(name) {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run scripts/browser-tests`)
  return value
}

export async function api(method, path, { token = ADMIN_TOKEN, body } = {}) {
  const res = await fetch(BASE_URL + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function ok(method, path, options) {
  const res = await api(method, path, options)
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body
}

/** An order placed by the storefront for the customer `customer` (external id). */
export function createOrder(number, customer, { locale = 'en', country = 'ES', postal = '28013', city = 'Madrid' } = {}) {
  return ok('POST', '/api/v1/orders', {
    token: SERVICE_TOKEN,
    body: {
      order_number: number,
      customer: { external_id: customer, email: `${customer}@example.com`, name: `Shopper ${customer}` },
      locale,
      shipping_address: { name: `Shopper ${customer}`, line1: 'Calle Mayor 1', city, postal_code: postal, country },
      estimated_delivery_at: new Date(Date.now() + 3 * 86_400_000).toISOString(),
    },
  })
}

export const setStatus = (id, status) => ok('POST', `/api/v1/orders/${id}/status`, { body: { status, note: 'browser test' } })

export const addParcel = (id, carrier, trackingNumber) =>
  ok('POST', `/api/v1/orders/${id}/shipments`, { body: { carrier, tracking_number: trackingNumber } })

/** The single-use sign-in link the storefront would redirect its shopper to. */
export async function portalLink(customer, locale) {
  const link = await ok('POST', '/api/v1/portal-sessions', { token: SERVICE_TOKEN, body: { customer, locale, return_url: 'https://shop.example/account' } })
  return link.url
}

/** The code of an order's tracking link, as a guest finds it. */
export async function trackingCode(number, postal) {
  const res = await fetch(`${BASE_URL}/api/v1/tracking`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ order_number: number, postal_code: postal }),
  })
  return (await res.json()).tracking_code
}

/** FedEx's webhook for a scan of `trackingNumber`, signed as FedEx signs it. */
export async function fedexScan(trackingNumber, { type = 'PU', description = 'Picked up', city = 'MEMPHIS' } = {}) {
  const body = JSON.stringify({
    output: {
      completeTrackResults: [
        {
          trackingNumber,
          trackResults: [
            {
              trackingNumberInfo: { trackingNumber },
              dateAndTimes: [],
              scanEvents: [
                {
                  date: new Date().toISOString(),
                  eventType: type,
                  derivedStatusCode: type,
                  eventDescription: description,
                  exceptionCode: '',
                  exceptionDescription: '',
                  scanLocation: { city, stateOrProvinceCode: 'TN', countryCode: 'US' },
                },
              ],
            },
          ],
        },
      ],
    },
  })
  const signature = createHmac('sha256', FEDEX_SECRET).update(body).digest('base64')
  const res = await fetch(`${BASE_URL}/webhooks/fedex`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'fdx-signature': signature },
    body,
  })
  if (res.status >= 300) throw new Error(`fedex webhook: ${res.status} ${await res.text()}`)
}

/** The last code the SMS log holds for `phone` (the log transport writes each SMS). */
export function smsCode(phone) {
  const lines = readFileSync(WORKER_LOG, 'utf8').split('\n').filter((l) => l.includes('sms (log transport)') && l.includes(phone))
  const code = lines.at(-1)?.match(/\b(\d{6})\b/)
  return code?.[1]
}

export async function launch() {
  mkdirSync(SCREENSHOTS, { recursive: true })
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  })
}

export async function eventually(check, { timeout = 10_000, every = 100 } = {}) {
  const deadline = Date.now() + timeout
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) return value
    await new Promise((r) => setTimeout(r, every))
  }
}
