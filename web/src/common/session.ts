// Who is signed in, kept in memory only (the cookie is HttpOnly; the CSRF
// token lives in api/http.ts).
import { reactive } from 'vue'
import { endSession, readSession, startSession, type PortalSession } from './api/session'
import { ApiError } from './api/errors'
import { onUnauthorized, setCsrfToken } from './api/http'
import { setTimeZone } from './format'
import { rememberedLocale, setLocale } from './i18n'

export type SessionState = 'unknown' | 'loading' | 'signed-in' | 'signed-out' | 'error'

export const session = reactive({
  state: 'unknown' as SessionState,
  data: null as PortalSession | null,
  /** Where "back to the store" goes after sign-out or an expired link. */
  returnUrl: null as string | null,
})

function apply(data: PortalSession): void {
  session.data = data
  session.state = 'signed-in'
  session.returnUrl = safeUrl(data.return_url)
  setTimeZone(data.time_zone)
  // A language picked here wins over the one the store sent.
  setLocale(rememberedLocale() ?? data.locale)
}

/** Only http(s) links are followed. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null
  try {
    const parsed = new URL(url, window.location.origin)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null
  } catch {
    return null
  }
}

// A call refused with 401 mid-visit: the cookie expired; pages that need
// it show the sign-in help again.
onUnauthorized(() => {
  if (session.state === 'signed-in') {
    session.state = 'signed-out'
    session.data = null
    setCsrfToken(null)
  }
})

let pending: Promise<void> | null = null

/** Loads the session once (again after `force`). */
export function ensureSession(force = false): Promise<void> {
  if (!force && (session.state === 'signed-in' || session.state === 'signed-out')) return Promise.resolve()
  if (pending && !force) return pending
  session.state = 'loading'
  pending = readSession()
    .then(apply)
    .catch((e: unknown) => {
      session.data = null
      session.state = e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404) ? 'signed-out' : 'error'
    })
    .finally(() => {
      pending = null
    })
  return pending
}

export async function signInWithCode(code: string): Promise<void> {
  apply(await startSession(code))
}

export async function signOut(): Promise<void> {
  try {
    await endSession()
  } catch (e) {
    // Already gone is fine: the outcome is the same.
    if (!(e instanceof ApiError && e.status === 401)) throw e
  }
  session.data = null
  session.state = 'signed-out'
}
