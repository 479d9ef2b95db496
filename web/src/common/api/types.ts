// Shapes the app reads. They mirror the backend's views (api/src/views.rs,
// shared/src/orders/timeline.rs, ...). Where the generated OpenAPI schema has
// the same shape, `schema-types.ts` checks these stay assignable.

export type Locale = 'en' | 'es' | 'ro' | 'ru'
export const LOCALES: Locale[] = ['en', 'es', 'ro', 'ru']

export type OrderStatus =
  | 'pending'
  | 'confirmed'
  | 'processing'
  | 'on_hold'
  | 'shipped'
  | 'in_transit'
  | 'out_for_delivery'
  | 'exception'
  | 'delivered'
  | 'cancelled'
  | 'returned'

export const ORDER_STATUSES: OrderStatus[] = [
  'pending',
  'confirmed',
  'processing',
  'on_hold',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'exception',
  'delivered',
  'cancelled',
  'returned',
]

export type Carrier = 'fedex' | 'ups' | 'dhl' | (string & {})

export interface AddressView {
  name: string
  line1: string
  line2?: string | null
  city: string
  region?: string | null
  postal_code: string
  country: string
}

export interface ShipmentView {
  id: string
  carrier: Carrier
  tracking_number: string
  tracking_status: string
  tracking_status_text?: string
  tracking_url: string
  created_at: string
}

export interface OrderView {
  id: string
  order_number: string
  status: OrderStatus
  status_text: string
  version: number
  locale: Locale
  customer_id?: string | null
  contact?: { email?: string | null; phone?: string | null; name?: string | null }
  shipping_address: AddressView
  estimated_delivery_at?: string | null
  shipments: ShipmentView[]
  created_at: string
  updated_at: string
}

export interface OrderPage {
  orders: OrderView[]
  next_cursor?: string | null
}

export type TimelineKind =
  | 'status_change'
  | 'shipment_added'
  | 'carrier_event'
  | 'issue'
  | 'customer_request'
  | 'request_resolved'
  | 'notification'
  | 'message_event'

export interface TimelineEntry {
  kind: TimelineKind
  occurred_at: string
  title: string
  status?: OrderStatus | null
  from_status?: OrderStatus | null
  source?: string | null
  shipment?: ShipmentView | null
  /** Carrier scans and issues: which parcel they are about. */
  shipment_id?: string | null
  tracking_status?: string | null
  detail?: string | null
  location?: string | null
  carrier_text?: string | null
  issue_kind?: string | null
  estimated_delivery_at?: string | null
  request_kind?: string | null
  request_status?: string | null
}

export interface TrackingView {
  order_number: string
  status: OrderStatus
  status_text: string
  estimated_delivery_at?: string | null
  shipments: ShipmentView[]
  timeline: TimelineEntry[]
  /** The tracking link's code, to open `/t/{code}` after a lookup. */
  tracking_code: string
}

export type Unavailable = 'order_closed' | 'nothing_in_flight' | 'too_late' | (string & {})

export interface Availability {
  allowed: boolean
  reason?: Unavailable | null
}

export interface AvailableActions {
  reschedule: Availability & {
    window?: { earliest: string; latest: string } | null
    shipment_id?: string | null
  }
  change_address: Availability
  contact_support: Availability
}

export interface AddressInput {
  name: string
  line1: string
  line2?: string | null
  city: string
  region?: string | null
  postal_code: string
  country: string
}

export type CustomerRequestBody =
  | { kind: 'reschedule'; date: string }
  | { kind: 'change_address'; address: AddressInput }
  | { kind: 'contact_support'; message: string }

export interface CustomerRequestView {
  id: string
  order_id: string
  kind: string
  status: string
  details: Record<string, unknown>
  resolution?: string | null
  created_at: string
}

export type Channel = 'email' | 'sms' | 'push'
export const CHANNELS: Channel[] = ['email', 'sms', 'push']

export const PREFERENCE_EVENTS = [
  'order_confirmed',
  'order_shipped',
  'out_for_delivery',
  'delivered',
  'delayed',
  'delivery_exception',
  'action_needed',
  'cancelled',
  'returned',
  'custom',
  'request_received',
  'request_resolved',
] as const
export type PreferenceEvent = (typeof PREFERENCE_EVENTS)[number]

export interface PreferencesView {
  locale: Locale
  time_zone: string
  quiet_hours?: { start: string; end: string } | null
  channels: Partial<Record<string, Channel[]>>
  phone: { number?: string | null; verified: boolean }
  opted_out: Channel[]
}

export interface PutPreferences {
  locale: string
  time_zone: string
  quiet_hours: { start: string; end: string } | null
  channels: Record<string, Channel[]>
}

export interface PhoneCodeSent {
  phone: string
  expires_at: string
  resend_after: string
}

export interface DeviceView {
  id: string
  platform: 'android' | 'ios' | 'web' | (string & {})
  created_at: string
}

/** One live event (SSE `event: timeline`), api/src/live/event.rs. */
export interface LiveEventBody {
  id: number
  order_id: string
  kind: TimelineKind
  created_at: string
  entry: TimelineEntry
}
