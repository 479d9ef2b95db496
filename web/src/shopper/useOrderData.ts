// One order on screen, for shoppers and guests alike: the view, its history
// (newest first, older pages on demand), what may be asked for, and live
// updates merged in.
import { computed, reactive, ref, shallowRef, watch } from 'vue'
import { useI18n } from 'vue-i18n'
import type { AvailableActions, LiveEventBody, TimelineEntry } from '@/common/api/types'
import { ApiError } from '@/common/api/errors'
import type { LinkedPage } from '@/common/api/http'
import { entryKey } from '@/common/orders'
import { useLiveStream } from '@/common/live'
import type { OrderModel } from './components/OrderDetail.vue'

export interface OrderSource {
  /** Changes when another order is opened. */
  key: () => string
  /** `next`: the path of the history's older page, when it has one. */
  load(
    key: string,
    locale: string,
  ): Promise<{ model: OrderModel; timeline: TimelineEntry[]; next?: string | null; orderId?: string }>
  /** The older page a `next` path points at. */
  loadOlder?(next: string): Promise<LinkedPage<TimelineEntry>>
  loadActions(key: string): Promise<AvailableActions>
  stream(key: string, locale: string): string
}

export type LoadState = 'loading' | 'ready' | 'not-found' | 'error'

/** The history's older pages: where the next one is, and how fetching it goes. */
export interface OlderPages {
  next: string | null
  loading: boolean
  error: unknown
}

const byNewest = (a: TimelineEntry, b: TimelineEntry) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at)

export function useOrderData(source: OrderSource) {
  const { locale } = useI18n()
  const state = ref<LoadState>('loading')
  const error = ref<unknown>(null)
  const model = ref<OrderModel | null>(null)
  const timeline = ref<TimelineEntry[]>([])
  const actions = ref<AvailableActions | null>(null)
  const fresh = shallowRef(new Set<string>())
  const older = reactive<OlderPages>({ next: null, loading: false, error: null })
  let orderId: string | undefined
  let loadSeq = 0

  async function load() {
    const seq = ++loadSeq
    const key = source.key()
    if (!model.value) state.value = 'loading'
    error.value = null
    // An older page still on its way belongs to the history this replaces.
    older.loading = false
    older.error = null
    try {
      const [data, acts] = await Promise.all([
        source.load(key, locale.value),
        source.loadActions(key).catch(() => null),
      ])
      if (seq !== loadSeq) return
      model.value = data.model
      orderId = data.orderId
      timeline.value = [...data.timeline].sort(byNewest)
      older.next = data.next ?? null
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
        // Only the newest page: `older.next` still follows the oldest one shown.
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

  /** Adds the next older page; a reload meanwhile makes it moot. */
  async function loadOlder() {
    const next = older.next
    if (!next || older.loading || !source.loadOlder) return
    const seq = loadSeq
    older.loading = true
    older.error = null
    try {
      const page = await source.loadOlder(next)
      if (seq !== loadSeq) return
      // Merged, not appended: a late carrier scan may have come live already.
      merge(page.entries, false)
      older.next = page.next
    } catch (e) {
      if (seq === loadSeq) older.error = e
    } finally {
      if (seq === loadSeq) older.loading = false
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

  return { state, error, model, timeline, older, actions, fresh, live, reload: load, refreshSoon, loadOlder }
}
