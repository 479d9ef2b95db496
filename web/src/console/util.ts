import { ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { ApiError } from '@/common/api/errors'
import { describeError } from '@/common/errors'

/** An API error in words for a banner (403: the console's sentence). */
export function useErrorText() {
  const { t, locale } = useI18n()
  return (e: unknown): string => {
    if (e instanceof ApiError && e.status === 403 && e.code !== 'csrf_refused') return t('c.common.forbidden')
    if (e instanceof ApiError && e.status === 429) return t('c.signIn.rateLimited', { s: e.retryAfter ?? 60 })
    return describeError(e, t, locale.value)
  }
}

/** Loading state of a page's data. */
export function useLoader<T>(load: () => Promise<T>) {
  const data = ref<T | null>(null) as { value: T | null }
  const loading = ref(false)
  const error = ref<unknown>(null)
  async function run() {
    loading.value = true
    error.value = null
    try {
      data.value = await load()
    } catch (e) {
      error.value = e
    } finally {
      loading.value = false
    }
  }
  return { data, loading, error, run }
}

export const isForbidden = (e: unknown) => e instanceof ApiError && e.status === 403 && e.code !== 'csrf_refused'

export function statusTone(status: string): string {
  if (['delivered', 'sent', 'resolved', 'active', 'processed'].includes(status)) return 'pill-ok'
  if (['exception', 'failed', 'cancelled', 'rejected', 'revoked', 'permanent_error'].includes(status)) return 'pill-danger'
  if (['on_hold', 'returned', 'transient_error', 'expired', 'pending'].includes(status)) return 'pill-warn'
  if (['shipped', 'in_transit', 'out_for_delivery'].includes(status)) return 'pill-accent'
  return ''
}

export function shortId(id: string): string {
  return id.length > 12 ? id.slice(0, 8) : id
}
