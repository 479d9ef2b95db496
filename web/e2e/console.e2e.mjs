// The staff console in Debian's Chromium against a real api, worker and
// scheduler (scripts/browser-tests): accounts, sign-in, lockout, TOTP,
// roles, an order's status changed with a reason, a request answered, a
// workflow change refused, a template edited, previewed, activated and
// rolled back, analytics drawn from the roll-ups (and an analyst who sees
// nothing else), drafts kept across a session expiry. Each page is
// photographed at phone and desktop size and checked with axe-core.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, createHmac } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { AxeBuilder } from '@axe-core/playwright'
import { BASE_URL, SCREENSHOTS, api, createOrder, eventually, launch } from './platform.mjs'

const run = Date.now().toString(36)
const ADMIN = `admin-${run}@shop.test`
const CSR = `csr-${run}@shop.test`
// The demo analyst (`api seed-demo` makes it; made here when the database has no demo).
const ANALYST = 'analyst@demo.test'
const PASSWORD = 'a long console passphrase'
const SIZES = [
  ['phone', { width: 390, height: 844 }],
  ['desktop', { width: 1280, height: 800 }],
]

let browser
let shopperOrder

async function look(p, name) {
  const violations = []
  for (const [size, viewport] of SIZES) {
    await p.setViewportSize(viewport)
    await p.waitForTimeout(150)
    await p.screenshot({ path: `${SCREENSHOTS}/console-${name}-${size}.png`, fullPage: true })
    const results = await new AxeBuilder({ page: p }).analyze()
    violations.push(...results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'))
  }
  assert.deepEqual(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `axe on console ${name}`,
  )
  await p.setViewportSize(SIZES[1][1])
}

async function setPassword(p, url) {
  await p.goto(url)
  await p.getByTestId('set-password-input').fill(PASSWORD)
  await p.getByTestId('set-password-repeat').fill(PASSWORD)
  await p.getByTestId('set-password-submit').click()
  await p.getByTestId('set-password-done').waitFor()
}

async function signIn(p, email, { password = PASSWORD, totp } = {}) {
  await p.goto(`${BASE_URL}/console/`)
  await p.getByTestId('sign-in-email').fill(email)
  await p.getByTestId('sign-in-password').fill(password)
  await p.getByTestId('sign-in-submit').click()
  if (totp) {
    await p.getByTestId('sign-in-totp').waitFor()
    await p.getByTestId('sign-in-totp').fill(totp())
    await p.getByTestId('sign-in-submit').click()
  }
}

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let buffer = 0
  let bits = 0
  const out = []
  for (const c of text.replace(/\s/g, '')) {
    buffer = (buffer << 5) | alphabet.indexOf(c)
    bits += 5
    if (bits >= 8) {
      bits -= 8
      out.push((buffer >> bits) & 0xff)
    }
  }
  return Buffer.from(out)
}

function totpCode(secret, offset = 0) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30_000) + offset))
  const digest = createHmac('sha1', secret).update(counter).digest()
  const at = digest[19] & 0x0f
  return String((digest.readUInt32BE(at) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

let admin // the admin's page, signed in
let csr // the CSR's page, signed in
let csrSetPasswordUrl

before(async () => {
  browser = await launch()
  shopperOrder = await createOrder(`C-${run}-1`, `shopper-${run}`)
  const created = await api('POST', '/api/v1/admin/staff', { body: { email: ADMIN, name: 'Ada Admin', role: 'admin' } })
  assert.equal(created.status, 201)
  const context = await browser.newContext({ viewport: SIZES[1][1] })
  admin = await context.newPage()
  admin.on('pageerror', (e) => assert.fail(`page error: ${e.message}`))
  await setPassword(admin, created.body.set_password_url)
})

after(async () => {
  await browser?.close()
})

describe('the staff console', () => {
  test('an admin signs in and creates a CSR, who sets a password from the link', async () => {
    await signIn(admin, ADMIN)
    await admin.getByTestId('current-user').waitFor()
    await look(admin, 'orders')
    await admin.goto(`${BASE_URL}/console/staff`)
    await admin.getByTestId('staff-name').fill('Sam Agent')
    await admin.getByTestId('staff-email').fill(CSR)
    await admin.getByTestId('staff-role').selectOption('csr')
    await admin.getByTestId('staff-submit').click()
    csrSetPasswordUrl = (await admin.getByTestId('set-password-url').innerText()).trim()
    assert.match(csrSetPasswordUrl, /\/console\/set-password\/osp_/)
    await admin.locator(`[data-testid="staff-row"][data-email="${CSR}"]`).waitFor()
    await look(admin, 'staff')

    const context = await browser.newContext({ viewport: SIZES[1][1] })
    csr = await context.newPage()
    await setPassword(csr, csrSetPasswordUrl)
    await look(csr, 'set-password')
  })

  test('five wrong passwords lock the account', async () => {
    const context = await browser.newContext({ viewport: SIZES[1][1] })
    const p = await context.newPage()
    for (let i = 0; i < 5; i++) {
      await signIn(p, CSR, { password: 'not the password at all' })
      await p.getByTestId('sign-in-error').waitFor()
    }
    assert.match(await p.getByTestId('sign-in-error').innerText(), /lock|bloq|blocat|заблок/i)
    await look(p, 'sign-in-locked')
    await context.close()
    // Unlock for the next tests: an admin's new link sets the password again.
    const { body: staff } = await api('GET', '/api/v1/admin/staff')
    const id = staff.staff.find((s) => s.email === CSR).id
    const link = await api('POST', `/api/v1/admin/staff/${id}/password-link`)
    await setPassword(csr, link.body.set_password_url)
  })

  test('a CSR finds an order by email and changes its status with a reason', async () => {
    await signIn(csr, CSR)
    await csr.getByTestId('current-role').waitFor()
    assert.equal(await csr.getByTestId('nav-templates').count(), 0, 'admin pages are not shown to a CSR')
    await csr.getByTestId('global-search-input').fill(`shopper-${run}@example.com`)
    await csr.getByTestId('global-search-input').press('Enter')
    await csr.getByTestId('order-row').first().waitFor()
    await csr.getByTestId('order-link').first().click()
    await csr.getByTestId('change-status').click()
    await csr.getByTestId('status-select').selectOption('on_hold')
    await csr.getByTestId('status-note').fill('Payment check requested by the bank')
    await csr.getByTestId('status-submit').click()
    await csr.getByTestId('status-changed').waitFor()
    await csr.locator('[data-testid="order-status"][data-status="on_hold"]').waitFor()
    await csr.getByTestId('timeline-note').getByText('Payment check requested by the bank').first().waitFor()
    await look(csr, 'order')

    const audit = await api('GET', `/api/v1/admin/audit?actor=${encodeURIComponent(CSR)}&action=order.status_change`)
    assert.equal(audit.body.entries.length, 1, JSON.stringify(audit.body))
  })

  test("a CSR typing the template editor's URL gets the 403 page", async () => {
    await csr.goto(`${BASE_URL}/console/templates`)
    await csr.getByTestId('forbidden-page').waitFor()
    await look(csr, 'forbidden')
  })

  test('a CSR answers a request and the shopper gets the email', async () => {
    const token = await api('POST', '/api/v1/tokens', { body: { role: 'customer', label: 'e2e', customer_external_id: `shopper-${run}` } })
    assert.equal(token.status, 201, JSON.stringify(token.body))
    const customerToken = token.body.token
    const asked = await api('POST', `/api/v1/orders/${shopperOrder.id}/requests`, {
      token: customerToken,
      body: { kind: 'contact_support', message: 'Can it come on Friday?' },
    })
    assert.equal(asked.status, 201, JSON.stringify(asked.body))
    await csr.goto(`${BASE_URL}/console/requests`)
    const row = csr.locator(`[data-testid="request-row"][data-request-id="${asked.body.id}"]`)
    await row.waitFor()
    await row.getByTestId('request-claim').click()
    await row.getByTestId('request-claimed-by').waitFor()
    await row.getByTestId('request-reply').fill('Friday works: we told the carrier.')
    await row.getByTestId('request-resolve').click()
    await csr.getByTestId('request-notice').waitFor()
    await look(csr, 'requests')
    const mail = process.env.EMAIL_FILE_DIR
    const found = await eventually(() =>
      readdirSync(mail).some((f) => readFileSync(`${mail}/${f}`, 'utf8').includes('Friday works: we told the carrier.')),
    )
    assert.ok(found, 'the reply reached the shopper by email')
  })

  test('a workflow change that leaves a dead end is refused inline', async () => {
    // Processing keeps one way out (to shipped); removing it is the dead end.
    for (const to of ['on_hold', 'cancelled']) {
      const res = await api('DELETE', `/api/v1/admin/workflow/transitions/processing/${to}`)
      assert.ok(res.status < 300, `processing -> ${to}: ${res.status} ${JSON.stringify(res.body)}`)
    }
    await admin.goto(`${BASE_URL}/console/workflow`)
    await admin.getByTestId('workflow-diagram').waitFor()
    const row = admin.locator('[data-testid="transition-row"][data-from="processing"][data-to="shipped"]')
    await row.getByTestId('transition-remove').click()
    await admin.getByTestId('transition-remove-confirm').getByTestId('confirm-ok').click()
    await admin.getByTestId('workflow-refused').waitFor()
    assert.match(await admin.getByTestId('workflow-refused').innerText(), /processing|being prepared/i)
    await look(admin, 'workflow')
  })

  test('an admin edits a template: preview, segment count, activate, the next email uses it, roll back', async () => {
    const refused = []
    admin.on('console', (m) => m.text().includes('Content Security Policy') && refused.push(m.text()))
    await admin.goto(`${BASE_URL}/console/templates`)
    await admin.getByTestId('template-event').selectOption('order_confirmed')
    await admin.getByTestId('template-locale').selectOption('en')

    // SMS: the segment counter follows the typing, before anything is saved.
    await admin.getByTestId('template-channel').selectOption('sms')
    const sms = admin.getByTestId('template-editor-content')
    await sms.fill(`Order {{ order_number }}: ${'x'.repeat(160)}`)
    await admin.locator('[data-testid="sms-counter"][data-segments="2"]').waitFor()
    await sms.fill('Order {{ order_number }} is confirmed.')
    await admin.locator('[data-testid="sms-counter"][data-segments="1"]').waitFor()
    await admin.locator('[data-testid="sms-counter-rendered"][data-segments="1"]').waitFor()
    await admin.getByTestId('template-preview-text').getByText(/Order \S+ is confirmed\./).waitFor()

    // Email: both parts edited, the preview rendered as the shopper sees it.
    await admin.getByTestId('template-channel').selectOption('email')
    const versions = async () => {
      const res = await api('GET', '/api/v1/admin/templates/order_confirmed/email/en')
      assert.equal(res.status, 200, JSON.stringify(res.body))
      return res.body
    }
    const current = (await versions()).find((v) => v.active)
    const marker = `Thanks from the e2e desk ${run}`
    await admin.getByTestId('template-editor-content').fill(`${marker}\n\n${current.body}`)
    await admin.getByTestId('template-part-html').click()
    await admin.getByTestId('template-editor-html').fill(current.html.replace('{% block content %}', `{% block content %}\n<p style="font-size:19px">${marker}</p>`))
    const previewed = admin.getByTestId('template-preview-html').getByText(marker)
    await previewed.waitFor()
    assert.equal(await previewed.evaluate((el) => getComputedStyle(el).fontSize), '19px', 'inline styles apply in the preview')
    await look(admin, 'templates')
    await admin.getByTestId('template-comment').fill('Thank the shopper first')
    await admin.getByTestId('template-save').click()
    await admin.locator('[data-testid="template-notice"], [data-testid="template-error"]').first().waitFor()
    assert.equal(await admin.getByTestId('template-error').count(), 0, await admin.getByTestId('template-error').first().innerText().catch(() => ''))
    const saved = (await versions()).find((v) => v.comment === 'Thank the shopper first')
    assert.ok(saved && !saved.active && saved.html.includes(marker), JSON.stringify(saved))
    await admin.locator(`[data-testid="template-version"][data-version="${saved.version}"]`).getByTestId('template-activate').click()
    await admin.getByTestId('activate-confirm').getByTestId('confirm-ok').click()
    await admin.locator(`[data-testid="template-version"][data-version="${saved.version}"][data-active="true"]`).waitFor()

    const mail = process.env.EMAIL_FILE_DIR
    const emailFor = (number) =>
      eventually(() => readdirSync(mail).map((f) => readFileSync(`${mail}/${f}`, 'utf8').replace(/=\r?\n/g, '')).find((m) => m.includes(number)))
    await createOrder(`T-${run}-1`, `tpl-${run}`)
    const first = await emailFor(`T-${run}-1`)
    assert.ok(first, 'the confirmation was sent')
    assert.equal(first.split(marker).length - 1, 2, 'both parts of the next email use the new version')

    await admin.getByTestId('template-rollback').click()
    await admin.getByTestId('rollback-confirm').getByTestId('confirm-ok').click()
    await admin.locator(`[data-testid="template-version"][data-version="${current.version}"][data-active="true"]`).waitFor()
    await createOrder(`T-${run}-2`, `tpl-${run}`)
    const second = await emailFor(`T-${run}-2`)
    assert.ok(second && !second.includes(marker), 'after the rollback the old version is used again')
    // The preview keeps the policy: no email style was refused (the policy
    // reports a refused style by its hash).
    const layout = readFileSync('../templates/_layouts/email.html', 'utf8')
    const emailStyles = [...`${layout}${current.html}`.matchAll(/style="([^"]*)"/g)].map((m) => createHash('sha256').update(m[1]).digest('base64'))
    assert.ok(emailStyles.length > 3)
    assert.deepEqual(refused.filter((r) => emailStyles.some((h) => r.includes(h))), [], 'the preview stays within the CSP')
    if (refused.length) console.warn(`CSP reports not from the email preview: ${refused.join('\n')}`)
  })

  test('the other pages read well: audit, dead letters, receipts, tokens, sessions', async () => {
    for (const page of ['audit', 'dead-letters', 'receipts', 'tokens', 'sessions']) {
      await admin.goto(`${BASE_URL}/console/${page}`)
      await admin.getByTestId('current-user').waitFor()
      await admin.waitForLoadState('networkidle')
      await look(admin, page)
    }
  })

  test('an admin opens analytics: the charts draw from the roll-ups', async () => {
    // The messages sent above reach the roll-ups within a minute (the scheduler runs them every minute).
    const rolled = await eventually(
      async () => {
        const res = await api('GET', '/api/v1/admin/analytics/notifications?group_by=channel')
        return res.status === 200 && res.body.points.some((p) => p.sent > 0)
      },
      { timeout: 90_000, every: 2_000 },
    )
    assert.ok(rolled, 'sent messages reached the roll-ups')
    await admin.goto(`${BASE_URL}/console/analytics`)
    await admin.getByTestId('nav-analytics').waitFor()
    await admin.getByTestId('analytics-preset-7').click()
    await admin.locator('[data-testid="analytics-preset-7"][aria-pressed="true"]').waitFor()
    await admin.locator('[data-testid="analytics-notifications"][aria-busy="false"]').waitFor()
    // A dot per day (today alone may have data: a line needs two).
    await admin.getByTestId('chart-delivery-rate').locator('[data-testid="line-chart-series"][data-series="email"] circle').first().waitFor()
    await admin.getByTestId('chart-message-counts').locator('[data-testid="line-chart-series"][data-series="sent"] circle').first().waitFor()
    await admin.locator('[data-testid="channel-row"][data-channel="email"]').waitFor()
    // Orders placed today reached "confirmed" at least.
    await admin.getByTestId('chart-statuses').locator('[data-testid="bar-chart-bar"][data-key="confirmed"]').waitFor()
    for (const id of ['analytics-satisfaction', 'analytics-delivery']) {
      await admin.locator(`[data-testid="${id}"][aria-busy="false"]`).waitFor()
    }
    assert.equal(await admin.getByTestId('analytics-error').count(), 0, await admin.getByTestId('analytics-error').first().innerText().catch(() => ''))
    await look(admin, 'analytics')
    // Exports of the same range, as files.
    await admin.getByTestId('analytics-export-toggle').click()
    const href = await admin.getByTestId('export-orders-csv').getAttribute('href')
    assert.match(href, /^\/api\/v1\/admin\/exports\/orders\?format=csv&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/)
    await look(admin, 'analytics-export')
    await admin.keyboard.press('Escape')
  })

  test('the demo analyst signs in to analytics and sees nothing else', async () => {
    const { body: list } = await api('GET', '/api/v1/admin/staff')
    const existing = list.staff.find((s) => s.email === ANALYST)
    const link = existing
      ? await api('POST', `/api/v1/admin/staff/${existing.id}/password-link`)
      : await api('POST', '/api/v1/admin/staff', { body: { email: ANALYST, name: 'Demo Analyst', role: 'analyst' } })
    assert.ok(link.status < 300, JSON.stringify(link.body))
    const context = await browser.newContext({ viewport: SIZES[1][1] })
    const analyst = await context.newPage()
    analyst.on('pageerror', (e) => assert.fail(`page error: ${e.message}`))
    await setPassword(analyst, link.body.set_password_url)
    await signIn(analyst, ANALYST)
    // Lands on analytics, not on the orders an analyst may not read.
    await analyst.waitForURL(/\/console\/analytics$/)
    await analyst.locator('[data-testid="analytics-notifications"][aria-busy="false"]').waitFor()
    assert.equal(await analyst.getByTestId('current-role').innerText(), 'Analyst')
    const nav = await analyst.getByTestId('console-nav').locator('.nav-list a').evaluateAll((as) => as.map((a) => a.dataset.testid))
    assert.deepEqual(nav, ['nav-analytics'])
    assert.equal(await analyst.getByTestId('global-search').count(), 0, 'no order search for an analyst')
    assert.equal(await analyst.getByTestId('analytics-error').count(), 0)
    await look(analyst, 'analytics-analyst')
    await analyst.goto(`${BASE_URL}/console/orders`)
    await analyst.getByTestId('forbidden-page').waitFor()
    await look(analyst, 'forbidden-analyst')
    await context.close()
  })

  test('a dead letter is replayed and sent once', async () => {
    const order = await createOrder(`D-${run}-1`, `dead-${run}`)
    const sent = await eventually(async () => {
      const res = await api('GET', `/api/v1/orders/${order.id}/notifications`)
      return (Array.isArray(res.body) ? res.body : []).find((n) => n.channel === "email" && n.status === "sent")
    })
    assert.ok(sent, 'the confirmation went out')
    // As if the provider had refused it for good.
    execFileSync('psql', [process.env.DATABASE_URL, '-qc', `UPDATE notifications SET status = 'failed', last_error = 'SMTP 554 mailbox unavailable (test)' WHERE id = '${sent.id}'`])
    const copies = () => readdirSync(process.env.EMAIL_FILE_DIR).filter((f) => readFileSync(`${process.env.EMAIL_FILE_DIR}/${f}`, 'utf8').includes(`D-${run}-1`)).length
    assert.equal(copies(), 1)

    await admin.goto(`${BASE_URL}/console/dead-letters`)
    const row = admin.locator(`[data-testid="dead-letter-row"][data-id="${sent.id}"]`)
    await row.waitFor()
    await look(admin, 'dead-letters-one')
    await row.getByTestId('replay-one').click()
    await admin.getByTestId('replay-confirm').getByTestId('confirm-ok').click()
    await row.locator('[data-testid="replay-outcome"][data-ok="true"]').waitFor()
    assert.ok(await eventually(() => copies() === 2), 'the replay was sent')
    await new Promise((r) => setTimeout(r, 1500))
    assert.equal(copies(), 2, 'and only once')
  })

  test('TOTP: set up, then asked for at sign-in', async () => {
    await admin.goto(`${BASE_URL}/console/totp`)
    await admin.getByTestId('totp-start').click()
    const secret = base32Decode(await admin.getByTestId('totp-secret').innerText())
    await admin.getByTestId('totp-code').fill(totpCode(secret))
    await admin.getByTestId('totp-confirm').click()
    await admin.getByTestId('totp-done').waitFor()
    await admin.context().clearCookies()
    await signIn(admin, ADMIN, { totp: () => totpCode(secret, 1) })
    await admin.getByTestId('current-user').waitFor()
  })

  test('a session that expires keeps what was being typed', async () => {
    await csr.goto(`${BASE_URL}/console/orders/${shopperOrder.id}`)
    await csr.getByTestId('change-status').click()
    await csr.getByTestId('status-note').fill('Half-written reason')
    // An admin ends the CSR's session meanwhile.
    const { body } = await api('GET', '/api/v1/admin/staff-sessions')
    for (const s of body.sessions.filter((s) => s.user.email === CSR)) {
      await api('DELETE', `/api/v1/admin/staff-sessions/${s.id}`)
    }
    await csr.getByTestId('status-select').selectOption('confirmed')
    await csr.getByTestId('status-submit').click()
    await csr.getByTestId('sign-in-page').waitFor()
    await csr.getByTestId('sign-in-password').fill(PASSWORD)
    if ((await csr.getByTestId('sign-in-email').inputValue()) === '') await csr.getByTestId('sign-in-email').fill(CSR)
    await csr.getByTestId('sign-in-submit').click()
    await csr.getByTestId('change-status').waitFor()
    if (!(await csr.getByTestId('status-note').isVisible())) await csr.getByTestId('change-status').click()
    assert.equal(await csr.getByTestId('status-note').inputValue(), 'Half-written reason')
    await csr.getByTestId('draft-restored').waitFor()
  })
})
