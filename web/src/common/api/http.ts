// What every call to the backend shares: the language header, the CSRF
// token on writes (memory only, from the session call), cookies on the same
// origin, and errors as `ApiError`.
import type { Middleware } from 'openapi-fetch'
import { networkError, toApiError, type ApiError } from './errors'
import { nextLink } from './link'

let csrfToken: string | null = null
let acceptLanguage = 'en'

export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

export function setApiLanguage(locale: string): void {
  acceptLanguage = locale
}

let unauthorized: (() => void) | null = null
let signInCall = /\/portal\/session/

/**
 * Called when a call answers 401: the session ended (expired, signed out
 * elsewhere). `ignore`: the app's own sign-in calls, whose 401 means
 * "not signed in" or "wrong password" (the shopper's: /portal/session).
 */
export function onUnauthorized(handler: () => void, ignore?: RegExp): void {
  unauthorized = handler
  if (ignore) signInCall = ignore
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

export function decorate(headers: Headers, method: string): void {
  if (!headers.has('Accept-Language')) headers.set('Accept-Language', acceptLanguage)
  if (!SAFE.has(method.toUpperCase()) && csrfToken) headers.set('X-CSRF-Token', csrfToken)
}

/** openapi-fetch middleware: language + CSRF header. */
export const headersMiddleware: Middleware = {
  onRequest({ request }) {
    decorate(request.headers, request.method)
    return request
  },
}

export type Result<T> = { data?: T; error?: unknown; response: Response }

/** A successful openapi-fetch call, or throws an `ApiError`. */
async function settle(call: Promise<Result<unknown>>): Promise<Result<unknown>> {
  let result: Result<unknown>
  try {
    result = await call
  } catch (e) {
    throw networkError(e)
  }
  const { response } = result
  if (response.status === 401 && !signInCall.test(response.url)) unauthorized?.()
  if (!response.ok) throw toApiError(response.status, result.error, response.headers)
  return result
}

/** The body of a successful openapi-fetch call, or throws an `ApiError`. */
export async function unwrap<T>(call: Promise<Result<unknown>>): Promise<T> {
  return (await settle(call)).data as T
}

/** One page of a list paged by `Link` headers, and the next page's path (null: the last). */
export interface LinkedPage<T> {
  entries: T[]
  next: string | null
}

/** Like `unwrap`, for a list paged by `Link: rel="next"`. */
export async function unwrapPage<T>(call: Promise<Result<unknown>>): Promise<LinkedPage<T>> {
  const { data, response } = await settle(call)
  return { entries: (data ?? []) as T[], next: nextLink(response.headers.get('Link')) }
}

/** A plain JSON call, for the few paths the OpenAPI document lacks. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers = new Headers({ Accept: 'application/json' })
  if (body !== undefined) headers.set('Content-Type', 'application/json')
  decorate(headers, method)
  let response: Response
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (e) {
    throw networkError(e)
  }
  const text = await response.text()
  let json: unknown = undefined
  if (text) {
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
  }
  if (response.status === 401 && !signInCall.test(path)) unauthorized?.()
  if (!response.ok) throw toApiError(response.status, json, response.headers) as ApiError
  return json as T
}
