// Orders in every state the stepper and the timeline must show.
import type { OrderStatus, ShipmentView, TimelineEntry } from '@/common/api/types'

/** An estimate still ahead of the real clock (so nothing counts as late). */
const ahead = new Date(Date.now() + 2 * 86_400_000).toISOString()

const day = (d: number, h = 10) => new Date(Date.UTC(2026, 2, d, h, 0, 0)).toISOString()

export const parcelA: ShipmentView = {
  id: '00000000-0000-7000-8000-00000000000a',
  carrier: 'ups',
  tracking_number: '1Z999AA10123456784',
  tracking_status: 'in_transit',
  tracking_status_text: 'In transit',
  tracking_url: 'https://www.ups.com/track?loc=en_US&tracknum=1Z999AA10123456784',
  created_at: day(3),
}

export const parcelB: ShipmentView = {
  id: '00000000-0000-7000-8000-00000000000b',
  carrier: 'dhl',
  tracking_number: 'JD014600006281230704',
  tracking_status: 'pre_transit',
  tracking_status_text: 'Label created, waiting for the carrier',
  tracking_url: 'https://www.dhl.com/track?id=JD014600006281230704',
  created_at: day(3, 11),
}

const status = (s: OrderStatus, d: number, title: string, h = 10): TimelineEntry => ({
  kind: 'status_change',
  occurred_at: day(d, h),
  title,
  status: s,
})

const placed = status('pending', 1, 'Order received')
const confirmed = status('confirmed', 2, 'Order confirmed')
const shipped = status('shipped', 3, 'Order shipped', 12)
const added = (p: ShipmentView, h: number): TimelineEntry => ({
  kind: 'shipment_added',
  occurred_at: day(3, h),
  title: `Parcel with ${p.carrier.toUpperCase()} (${p.tracking_number})`,
  shipment: p,
})
const scan = (d: number, tracking: string, title: string, location: string, detail?: string): TimelineEntry => ({
  kind: 'carrier_event',
  occurred_at: day(d, 8),
  title,
  tracking_status: tracking,
  location,
  carrier_text: title.toUpperCase(),
  detail: detail ?? null,
})

export interface Scenario {
  status: OrderStatus
  statusText: string
  shipments: ShipmentView[]
  /** Oldest first, as the API's guest view sends it. */
  timeline: TimelineEntry[]
  estimatedDeliveryAt?: string | null
}

export const scenarios: Record<string, Scenario> = {
  pending: { status: 'pending', statusText: 'Order received', shipments: [], timeline: [placed] },
  confirmed: { status: 'confirmed', statusText: 'Order confirmed', shipments: [], timeline: [placed, confirmed] },
  shippedTwoParcels: {
    status: 'shipped',
    statusText: 'Order shipped',
    shipments: [parcelA, parcelB],
    timeline: [placed, confirmed, added(parcelA, 10), added(parcelB, 11), shipped, scan(4, 'in_transit', 'In transit', 'Madrid hub')],
    estimatedDeliveryAt: ahead,
  },
  outForDelivery: {
    status: 'out_for_delivery',
    statusText: 'Out for delivery',
    shipments: [{ ...parcelA, tracking_status: 'out_for_delivery', tracking_status_text: 'Out for delivery' }],
    timeline: [
      placed,
      confirmed,
      added(parcelA, 10),
      shipped,
      scan(4, 'in_transit', 'In transit', 'Madrid hub'),
      scan(5, 'out_for_delivery', 'Out for delivery', 'Valencia'),
      status('out_for_delivery', 5, 'Out for delivery', 9),
    ],
    estimatedDeliveryAt: ahead,
  },
  delivered: {
    status: 'delivered',
    statusText: 'Delivered',
    shipments: [{ ...parcelA, tracking_status: 'delivered', tracking_status_text: 'Delivered' }],
    timeline: [
      placed,
      confirmed,
      added(parcelA, 10),
      shipped,
      status('out_for_delivery', 5, 'Out for delivery', 9),
      scan(5, 'delivered', 'Delivered', 'Valencia'),
      status('delivered', 5, 'Delivered', 15),
    ],
  },
  delayed: {
    status: 'in_transit',
    statusText: 'Parcel in transit',
    shipments: [parcelA],
    timeline: [
      placed,
      confirmed,
      added(parcelA, 10),
      shipped,
      scan(4, 'in_transit', 'In transit', 'Madrid hub'),
      {
        kind: 'issue',
        occurred_at: day(8, 6),
        title: 'The carrier moved the estimated delivery to 12 March 2026',
        issue_kind: 'eta_moved',
        estimated_delivery_at: day(12, 20),
      },
    ],
    estimatedDeliveryAt: day(12, 20),
  },
  exception: {
    status: 'exception',
    statusText: 'Delivery problem',
    shipments: [{ ...parcelA, tracking_status: 'exception', tracking_status_text: 'Delivery problem' }],
    timeline: [
      placed,
      confirmed,
      added(parcelA, 10),
      shipped,
      scan(6, 'exception', 'Delivery problem: problem with the address', 'Valencia', 'address_issue'),
      {
        kind: 'issue',
        occurred_at: day(6, 9),
        title: 'The carrier reported a problem: problem with the address',
        issue_kind: 'carrier_exception',
        detail: 'address_issue',
      },
      status('exception', 6, 'Delivery problem', 10),
    ],
    estimatedDeliveryAt: ahead,
  },
  cancelled: {
    status: 'cancelled',
    statusText: 'Order cancelled',
    shipments: [],
    timeline: [placed, confirmed, status('cancelled', 2, 'Order cancelled', 15)],
  },
  returned: {
    status: 'returned',
    statusText: 'Order returned',
    shipments: [{ ...parcelA, tracking_status: 'return_to_sender', tracking_status_text: 'Returning to sender' }],
    timeline: [
      placed,
      confirmed,
      added(parcelA, 10),
      shipped,
      status('out_for_delivery', 5, 'Out for delivery', 9),
      status('delivered', 5, 'Delivered', 15),
      status('returned', 9, 'Order returned', 12),
    ],
  },
}

export const newestFirst = (entries: TimelineEntry[]) =>
  [...entries].sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at))

/** `n` carrier scans, one an hour. */
export function scans(n: number): TimelineEntry[] {
  return Array.from({ length: n }, (_, i) => scan(10 + Math.floor(i / 24), 'in_transit', `Scan ${i + 1}`, `Hub ${i + 1}`)).map(
    (e, i) => ({ ...e, occurred_at: new Date(Date.parse(e.occurred_at) + i * 3_600_000).toISOString() }),
  )
}
