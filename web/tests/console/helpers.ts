import { makeI18n } from '@/common/i18n'
import en from '@/console/i18n/en'
import es from '@/console/i18n/es'
import ro from '@/console/i18n/ro'
import ru from '@/console/i18n/ru'
import type { Locale } from '@/common/api/types'

/** The shared i18n with the console's messages, as console/main.ts sets it up. */
export function consoleI18n(locale: Locale = 'en') {
  const i18n = makeI18n(locale)
  for (const [l, m] of Object.entries({ en, es, ro, ru })) i18n.global.mergeLocaleMessage(l, { c: m })
  return i18n
}
export const csrSession = {
  user: { id: 'u1', email: 'carla@example.com', name: 'Carla CSR', role: 'csr' as const, totp_enabled: false, disabled: false, password_set: true, created_at: '2026-01-01T00:00:00Z' },
  csrf_token: 'csrf-1',
  idle_expires_at: '2030-01-01T00:00:00Z',
  expires_at: '2030-01-01T00:00:00Z',
  totp_setup_required: false,
}
export const adminSession = { ...csrSession, user: { ...csrSession.user, id: 'u2', name: 'Ada Admin', role: 'admin' as const } }
export const analystSession = { ...csrSession, user: { ...csrSession.user, id: 'u3', name: 'Ana Analyst', role: 'analyst' as const } }
