// One cursor-paged list of the shopper's orders.
import { reactive } from 'vue'
import { listOrders, type OrderQuery } from '@/common/api/client'
import type { OrderView } from '@/common/api/types'
import { isActive } from '@/common/orders'

export interface OrderList {
  active: boolean
  orders: OrderView[]
  cursor: string | null
  state: 'idle' | 'loading' | 'ready' | 'error'
  loadingMore: boolean
  error: unknown
}

export const PAGE_SIZE = 20

export function useOrderList(active: boolean) {
  const list = reactive<OrderList>({
    active,
    orders: [],
    cursor: null,
    state: 'idle',
    loadingMore: false,
    error: null,
  })
  let seq = 0

  // The server filters on `active`; the same rule here keeps the sections
  // right should an older server ignore the parameter.
  const keep = (o: OrderView) => isActive(o.status) === active

  async function load(query: OrderQuery) {
    const mine = ++seq
    list.state = 'loading'
    list.error = null
    try {
      const page = await listOrders({ ...query, active, limit: PAGE_SIZE })
      if (mine !== seq) return
      list.orders = page.orders.filter(keep)
      list.cursor = page.next_cursor ?? null
      list.state = 'ready'
    } catch (e) {
      if (mine !== seq) return
      list.error = e
      list.state = 'error'
    }
  }

  async function more(query: OrderQuery) {
    if (!list.cursor || list.loadingMore) return
    const mine = seq
    list.loadingMore = true
    list.error = null
    try {
      const page = await listOrders({ ...query, active, limit: PAGE_SIZE, cursor: list.cursor })
      if (mine !== seq) return
      const have = new Set(list.orders.map((o) => o.id))
      list.orders.push(...page.orders.filter((o) => keep(o) && !have.has(o.id)))
      list.cursor = page.next_cursor ?? null
    } catch (e) {
      list.error = e
    } finally {
      list.loadingMore = false
    }
  }

  return { list, load, more, keep }
}
