// How an order reads to a shopper: its stage on the stepper, its troubles,
// its parcels' last scans. Pure functions of the API's views.
import type { OrderStatus, ShipmentView, TimelineEntry } from './api/types'

export const STAGES = ['placed', 'confirmed', 'shipped', 'out_for_delivery', 'delivered'] as const
export type Stage = (typeof STAGES)[number]
export type Terminal = 'cancelled' | 'returned'

const STAGE_OF: Partial<Record<OrderStatus, number>> = {
  pending: 0,
  confirmed: 1,
  processing: 1,
  on_hold: 1,
  shipped: 2,
  in_transit: 2,
  out_for_delivery: 3,
  delivered: 4,
}

export const ACTIVE_STATUSES: OrderStatus[] = [
  'pending',
  'confirmed',
  'processing',
  'on_hold',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'exception',
]

export function isActive(status: OrderStatus): boolean {
  return ACTIVE_STATUSES.includes(status)
}

export interface Progress {
  /** Index in STAGES of the stage reached (the last one done or current). */
  reached: number
  /** Cancelled or returned: the order stopped there. */
  terminal: Terminal | null
  /** The current stage has a problem (delivery exception). */
  problem: boolean
  /** Held for review. */
  onHold: boolean
}

/** The furthest stage the history shows before `upTo` (newest-first or not). */
function stageFromHistory(timeline: TimelineEntry[], parcels: ShipmentView[]): number {
  let best = -1
  for (const e of timeline) {
    if (e.kind === 'status_change' && e.status) {
      const s = STAGE_OF[e.status]
      if (s !== undefined) best = Math.max(best, s)
    }
  }
  for (const p of parcels) {
    if (p.tracking_status === 'out_for_delivery') best = Math.max(best, 3)
    else if (p.tracking_status === 'delivered') best = Math.max(best, 4)
    else if (p.tracking_status !== 'pre_transit') best = Math.max(best, 2)
  }
  return best
}

export function progressOf(
  status: OrderStatus,
  timeline: TimelineEntry[] = [],
  parcels: ShipmentView[] = [],
): Progress {
  const direct = STAGE_OF[status]
  if (direct !== undefined) {
    return { reached: direct, terminal: null, problem: false, onHold: status === 'on_hold' }
  }
  if (status === 'exception') {
    const fromHistory = stageFromHistory(timeline, parcels)
    // A problem happens on the way: at least shipped, never delivered.
    return { reached: Math.min(3, Math.max(2, fromHistory)), terminal: null, problem: true, onHold: false }
  }
  // Cancelled or returned: how far it got before.
  const before = stageFromHistory(timeline, parcels)
  return {
    reached: Math.max(0, Math.min(before, 4)),
    terminal: status as Terminal,
    problem: false,
    onHold: false,
  }
}

export type IssueKind = 'eta_passed' | 'no_scan' | 'carrier_exception' | 'eta_moved'

export interface Trouble {
  kind: 'delayed' | 'exception'
  /** The newest timeline entry saying so (its title is in the shopper's language). */
  entry: TimelineEntry | null
  /** The new estimate, when the carrier gave one. */
  newEstimate: string | null
}

const DELAY_KINDS = ['eta_passed', 'no_scan', 'eta_moved']
const PROBLEM_TRACKING = ['exception', 'failed_attempt']

const newestFirst = (entries: TimelineEntry[]) =>
  [...entries].sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at))

/**
 * What is wrong now, worst first: a delivery exception (the status, or a
 * carrier exception since the last progress), then a delay. Nothing once
 * delivered, cancelled or returned.
 */
export function troublesOf(
  status: OrderStatus,
  timeline: TimelineEntry[],
  estimatedDeliveryAt?: string | null,
  now = Date.now(),
): Trouble[] {
  if (status === 'delivered' || status === 'cancelled' || status === 'returned') return []
  const entries = newestFirst(timeline)
  // Only what happened since the order last moved forward counts.
  const lastProgress = entries.find(
    (e) => e.kind === 'status_change' && e.status && e.status !== 'exception' && STAGE_OF[e.status] !== undefined,
  )
  const since = lastProgress ? Date.parse(lastProgress.occurred_at) : -Infinity
  const recent = entries.filter((e) => Date.parse(e.occurred_at) >= since)
  const troubles: Trouble[] = []
  const exceptionEntry =
    recent.find((e) => e.kind === 'issue' && e.issue_kind === 'carrier_exception') ??
    recent.find((e) => e.kind === 'carrier_event' && PROBLEM_TRACKING.includes(e.tracking_status ?? '')) ??
    recent.find((e) => e.kind === 'status_change' && e.status === 'exception') ??
    null
  if (status === 'exception' || exceptionEntry) {
    troubles.push({ kind: 'exception', entry: exceptionEntry, newEstimate: null })
  }
  const delayEntry = recent.find((e) => e.kind === 'issue' && DELAY_KINDS.includes(e.issue_kind ?? '')) ?? null
  const late = estimatedDeliveryAt ? Date.parse(estimatedDeliveryAt) < now : false
  if (delayEntry || late) {
    const moved = delayEntry?.issue_kind === 'eta_moved' ? (delayEntry.estimated_delivery_at ?? null) : null
    troubles.push({ kind: 'delayed', entry: delayEntry, newEstimate: moved ?? (late ? null : (estimatedDeliveryAt ?? null)) })
  }
  return troubles
}

/** The newest carrier scan of a parcel (all scans when there is one parcel). */
export function lastScanOf(parcel: ShipmentView, parcels: ShipmentView[], timeline: TimelineEntry[]): TimelineEntry | null {
  const scans = newestFirst(timeline).filter((e) => e.kind === 'carrier_event')
  const own = scans.find((e) => e.shipment_id === parcel.id || e.shipment?.id === parcel.id)
  if (own) return own
  return parcels.length === 1 ? (scans[0] ?? null) : null
}

/** When it was delivered (the delivered status change), if it was. */
export function deliveredAt(timeline: TimelineEntry[]): string | null {
  const e = newestFirst(timeline).find((x) => x.kind === 'status_change' && x.status === 'delivered')
  return e?.occurred_at ?? null
}

export const CARRIER_NAMES: Record<string, string> = { fedex: 'FedEx', ups: 'UPS', dhl: 'DHL' }

export function carrierName(carrier: string): string {
  return CARRIER_NAMES[carrier] ?? carrier.toUpperCase()
}

/** A stable key for de-duplicating timeline entries from the API and the stream. */
export function entryKey(e: TimelineEntry): string {
  return [e.kind, e.occurred_at, e.status ?? '', e.tracking_status ?? '', e.issue_kind ?? '', e.request_kind ?? '', e.request_status ?? '', e.shipment?.id ?? ''].join('|')
}
