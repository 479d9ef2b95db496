// The portal session calls (cookie sign-in of the shopper's app).
import type { components } from '@/api/schema'
import { client } from './client'
import { setCsrfToken, unwrap } from './http'

export type PortalSession = components['schemas']['PortalSessionView']

function remember(session: PortalSession): PortalSession {
  setCsrfToken(session.csrf_token)
  return session
}

/** Trades a single-use portal link code for the session cookie (401 when used or expired). */
export async function startSession(code: string): Promise<PortalSession> {
  return remember(await unwrap<PortalSession>(client.POST('/api/v1/portal/session', { body: { code } })))
}

/** The current session; throws ApiError 401 when not signed in. */
export async function readSession(): Promise<PortalSession> {
  return remember(await unwrap<PortalSession>(client.GET('/api/v1/portal/session')))
}

export async function endSession(): Promise<void> {
  await unwrap<void>(client.DELETE('/api/v1/portal/session'))
  setCsrfToken(null)
}
