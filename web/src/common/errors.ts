// API errors in the shopper's words.
import { ApiError } from './api/errors'

type T = (key: string, named?: Record<string, unknown>) => string

/** A sentence for a banner. */
export function describeError(e: unknown, t: T, locale: string): string {
  if (!(e instanceof ApiError)) return t('common.error')
  if (e.isNetwork) return t('common.network')
  if (e.status === 429) return t('common.rateLimited', { s: e.retryAfter ?? 60 })
  if (e.status === 503) return t('common.unavailable')
  // The API writes English sentences; other languages get ours.
  if (locale === 'en' && e.message && e.status < 500) return e.message
  return t('common.error')
}

/** The sentence beside a field the API named. */
export function fieldMessage(e: ApiError, t: T, locale: string): string {
  if (e.code === 'wrong_code') return locale === 'en' && e.message ? e.message : t('settings.wrongCode')
  if (locale === 'en' && e.message) return e.message
  return t('common.invalid')
}

/** Field errors of a form: the API names one field (`address.postal_code`). */
export function fieldErrors(e: unknown, known: string[], t: T, locale: string): Record<string, string> {
  if (!(e instanceof ApiError) || !e.field) return {}
  const field = known.find((k) => e.field === k || e.field!.startsWith(`${k}[`) || e.field!.startsWith(`${k}.`))
  return field ? { [field]: fieldMessage(e, t, locale) } : {}
}
