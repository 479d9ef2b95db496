// One order on screen, for shoppers and guests alike: the view, its history
// (newest first), what may be asked for, and live updates merged in.
import { computed, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import type { AvailableActions, LiveEventBody, TimelineEntry } from '@/common/api/types'
import { ApiError } from '@/common/api/errors'
import { entryKey } from '@/common/orders'
import { useLiveStream } from '@/common/live'
import type { OrderModel } from './components/OrderDetail.vue'

export interface OrderSource {
  /** Changes when another order is opened. */
  key: () => string
  load(key: string, locale: string): Promise<{ model: OrderModel; timeline: TimelineEntry[]; orderId?: string }>
  loadActions(key: string): Promise<AvailableActions>
  stream(key: string, locale: string): string
}

export type LoadState = 'loading' | 'ready' | 'not-found' | 'error'

const byNewest = (a: TimelineEntry, b: TimelineEntry) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at)

export function useOrderData(source: OrderSource) {
  const { locale } = useI18n()
  const state = ref<LoadState>('loading')
  const error = ref<unknown>(null)
  const model = ref<OrderModel | null>(null)
  const timeline = ref<TimelineEntry[]>([])
  const actions = ref<AvailableActions | null>(null)
  const fresh = shallowRef(new Set<string>())
  let orderId: string | undefined
  let loadSeq = 0

  async function load() {
    const seq = ++loadSeq
    const key = source.key()
    if (!model.value) state.value = 'loading'
    error.value = null
    try {
      const [data, acts] = await Promise.all([
        source.load(key, locale.value),
        source.loadActions(key).catch(() => null),
      ])
      if (seq !== loadSeq) return
      model.value = data.model
      orderId = data.orderId
      timeline.value = [...data.timeline].sort(byNewest)
      actions.value = acts
      state.value = 'ready'
    } catch (e) {
      if (seq !== loadSeq) return
      error.value = e
      // A malformed id is as unknown as a stranger's order.
      if (e instanceof ApiError && [400, 404, 422].includes(e.status)) {
        state.value = 'not-found'
        model.value = null
      } else if (!model.value) {
        state.value = 'error'
      }
    }
  }

  let timer: ReturnType<typeof setTimeout> | null = null
  /** Re-reads the order and its actions shortly (live events come in bursts). */
  function refreshSoon(delay = 250) {
    if (timer) clearTimeout(timer)
    timer = setTimeout(async () => {
      timer = null
      const key = source.key()
      try {
        const [data, acts] = await Promise.all([source.load(key, locale.value), source.loadActions(key).catch(() => actions.value)])
        model.value = data.model
        actions.value = acts
        merge(data.timeline, false)
      } catch {
        /* keep the last known state */
      }
    }, delay)
  }

  function merge(entries: TimelineEntry[], markFresh: boolean) {
    const have = new Set(timeline.value.map(entryKey))
    const added = entries.filter((e) => !have.has(entryKey(e)))
    if (!added.length) return
    timeline.value = [...added, ...timeline.value].sort(byNewest)
    if (markFresh) {
      const next = new Set(fresh.value)
      for (const e of added) next.add(entryKey(e))
      fresh.value = next
    }
  }

  function onEvent(ev: LiveEventBody) {
    if (orderId && ev.order_id !== orderId) return
    const entry = ev.entry
    merge([entry], true)
    if (model.value && entry.kind === 'status_change' && entry.status) {
      // Show the new status at once; the rest follows from the API.
      model.value = { ...model.value, status: entry.status, statusText: entry.title || model.value.statusText }
    }
    refreshSoon()
  }

  const streamUrl = computed(() =>
    state.value === 'ready' || model.value ? source.stream(source.key(), locale.value) : null,
  )
  const { state: live } = useLiveStream(() => streamUrl.value, { onEvent, onReset: load })

  watch([() => source.key(), locale], load, { immediate: true })

  return { state, error, model, timeline, actions, fresh, live, reload: load, refreshSoon }
}
