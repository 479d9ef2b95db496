// Live updates over Server-Sent Events (api/src/live/sse.rs): `timeline`
// events with ids, `reset` (refetch: too much was missed), `shutdown` and
// `dropped` (the server closes; reconnect and resume with Last-Event-ID).
import { onBeforeUnmount, ref, watch, type Ref } from 'vue'
import type { LiveEventBody } from './api/types'

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'offline'

export interface LiveHandlers {
  onEvent(event: LiveEventBody): void
  /** The stream cannot replay what was missed: reload from the API. */
  onReset?(): void
}

interface Options {
  /** Base delay of manual reconnects, ms (the browser's own use `retry:`). */
  backoff?: number
}

/**
 * Follows `url` (a ref or getter; null = no stream) while the component
 * lives. The browser reconnects by itself after network errors and sends
 * Last-Event-ID; when it gives up (an HTTP error), we reopen with
 * `last_event_id` in the query, backing off.
 */
export function useLiveStream(url: () => string | null, handlers: LiveHandlers, options: Options = {}) {
  const state: Ref<LiveState> = ref('connecting')
  let source: EventSource | null = null
  let lastId: number | null = null
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let attempts = 0
  let currentUrl: string | null = null
  const backoff = options.backoff ?? 1000

  const online = () => typeof navigator === 'undefined' || navigator.onLine !== false

  function close() {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    source?.close()
    source = null
  }

  function open() {
    close()
    if (!currentUrl || typeof EventSource === 'undefined') return
    let target = currentUrl
    if (lastId !== null) target += (target.includes('?') ? '&' : '?') + `last_event_id=${lastId}`
    const es = new EventSource(target, { withCredentials: false })
    source = es
    es.onopen = () => {
      attempts = 0
      state.value = 'live'
    }
    es.addEventListener('timeline', (e) => {
      const msg = e as MessageEvent<string>
      try {
        const body = JSON.parse(msg.data) as LiveEventBody
        const id = Number(msg.lastEventId || body.id)
        if (Number.isFinite(id)) lastId = id
        handlers.onEvent(body)
      } catch {
        /* not an event this version reads */
      }
    })
    es.addEventListener('reset', () => handlers.onReset?.())
    for (const name of ['shutdown', 'dropped']) {
      es.addEventListener(name, () => {
        state.value = 'reconnecting'
      })
    }
    es.onerror = () => {
      if (source !== es) return
      state.value = online() ? 'reconnecting' : 'offline'
      if (es.readyState === EventSource.CLOSED) {
        // The browser gave up (HTTP error): try again ourselves.
        const delay = Math.min(30_000, backoff * 2 ** attempts++)
        retryTimer = setTimeout(open, delay)
      }
    }
  }

  function goOffline() {
    state.value = 'offline'
  }
  function goOnline() {
    if (state.value !== 'live') {
      state.value = 'reconnecting'
      open()
    }
  }
  if (typeof window !== 'undefined') {
    window.addEventListener('offline', goOffline)
    window.addEventListener('online', goOnline)
  }

  watch(
    url,
    (next) => {
      if (next === currentUrl) return
      currentUrl = next
      // A new stream (another language or order) starts fresh.
      lastId = null
      state.value = 'connecting'
      open()
    },
    { immediate: true },
  )

  onBeforeUnmount(() => {
    close()
    if (typeof window !== 'undefined') {
      window.removeEventListener('offline', goOffline)
      window.removeEventListener('online', goOnline)
    }
  })

  return { state, reconnect: open }
}
