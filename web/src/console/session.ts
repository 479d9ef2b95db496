// The signed-in staff member, in memory only: the cookie is HttpOnly and the
// CSRF token lives in common/api/http.ts. A call answering 401 mid-work sends
// the user to sign-in (see main.ts) with the page to come back to; drafts
// are in localStorage already (drafts.ts).
import { computed, reactive } from 'vue'
import { ApiError } from '@/common/api/errors'
import { onUnauthorized, setCsrfToken } from '@/common/api/http'
import { endStaffSession, readStaffSession, signIn as postSession, type SignInBody, type StaffSession } from './api/staff'

export type StaffState = 'unknown' | 'loading' | 'signed-in' | 'signed-out' | 'error'

export const staff = reactive({
  state: 'unknown' as StaffState,
  data: null as StaffSession | null,
  /** The session ended under the user's feet (not a sign-out). */
  expired: false,
})

export const isAdmin = computed(() => staff.data?.user.role === 'admin')

export function applySession(data: StaffSession): void {
  setCsrfToken(data.csrf_token)
  staff.data = data
  staff.state = 'signed-in'
  staff.expired = false
}

export function forgetSession(expired = false): void {
  setCsrfToken(null)
  staff.data = null
  staff.state = 'signed-out'
  staff.expired = expired
}

let expiredHandler: (() => void) | null = null

/** What to do when a call answers 401 mid-work (main.ts: go to sign-in, come back after). */
export function onSessionExpired(handler: () => void): void {
  expiredHandler = handler
}

/** Installs the 401 hook; the staff session and password calls answer 401 as part of their contract. */
export function installUnauthorizedHook(): void {
  onUnauthorized(() => {
    if (staff.state === 'signed-in') {
      forgetSession(true)
      expiredHandler?.()
    }
  }, /\/api\/v1\/staff\/(session|password)/)
}

let pending: Promise<void> | null = null

export function ensureStaff(force = false): Promise<void> {
  if (!force && (staff.state === 'signed-in' || staff.state === 'signed-out')) return Promise.resolve()
  if (pending && !force) return pending
  staff.state = 'loading'
  pending = readStaffSession()
    .then(applySession)
    .catch((e: unknown) => {
      staff.data = null
      staff.state = e instanceof ApiError && (e.status === 401 || e.status === 403) ? 'signed-out' : 'error'
    })
    .finally(() => {
      pending = null
    })
  return pending
}

export async function signIn(body: SignInBody): Promise<StaffSession> {
  const data = await postSession(body)
  applySession(data)
  return data
}

export async function signOut(): Promise<void> {
  try {
    await endStaffSession()
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 401)) throw e
  }
  forgetSession(false)
}

/** Only our own paths are followed after sign-in ("/": the person's first page, router.ts). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/'
}
