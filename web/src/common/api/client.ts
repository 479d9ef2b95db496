// The typed API client (openapi-fetch over the generated schema) and the
// calls the apps make. Pages import these functions, never fetch directly.
import createClient from 'openapi-fetch'
import type { paths } from '@/api/schema'
import { headersMiddleware, unwrap, unwrapPage, type Result } from './http'
import type {
  AvailableActions,
  CustomerRequestBody,
  CustomerRequestView,
  DeviceView,
  OrderPage,
  OrderStatus,
  OrderView,
  PhoneCodeSent,
  PreferencesView,
  PutPreferences,
  TimelineEntry,
  TrackingView,
} from './types'

export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' })
client.use(headersMiddleware)

export interface OrderQuery {
  status?: OrderStatus
  sort?: '-created_at' | 'created_at'
  limit?: number
  cursor?: string
  /** Being added for customers: `true` = not delivered, cancelled or returned. */
  active?: boolean
  /** Being added for customers: an order number prefix. */
  q?: string
}

// `active` and customer `q` are newer than some documents: typed loosely.
type Loose = Record<string, unknown>

export const listOrders = (query: OrderQuery) =>
  unwrap<OrderPage>(client.GET('/api/v1/orders', { params: { query: query as Loose } }))

export const getOrder = (id: string) =>
  unwrap<OrderView>(client.GET('/api/v1/orders/{id}', { params: { path: { id } } }))

/** The newest page of the history (newest first); `next` leads to older ones. */
export const getTimeline = (id: string, locale: string) =>
  unwrapPage<TimelineEntry>(
    client.GET('/api/v1/orders/{id}/timeline', {
      params: { path: { id }, query: { order: 'newest', locale } as Loose },
    }),
  )

/**
 * The page a `Link: rel="next"` path points at (from `nextLink`: a path on
 * this origin). The path is opaque, so it goes to the client as it is, with
 * no parameters to fill in: the same cookies, headers and errors as above.
 */
export const getNextPage = <T>(path: string) =>
  unwrapPage<T>((client.GET as (path: string) => Promise<Result<unknown>>)(path))

/** The history page after one from `getTimeline`. */
export const getOlderTimeline = (next: string) => getNextPage<TimelineEntry>(next)

export const getActions = (id: string) =>
  unwrap<AvailableActions>(client.GET('/api/v1/orders/{id}/actions', { params: { path: { id } } }))

export const createRequest = (id: string, body: CustomerRequestBody) =>
  unwrap<CustomerRequestView>(
    client.POST('/api/v1/orders/{id}/requests', { params: { path: { id } }, body: body as never }),
  )

// Guests, through the tracking link's code.
export const getTracking = (code: string, locale: string) =>
  unwrap<TrackingView>(
    client.GET('/api/v1/tracking/{code}', { params: { path: { code }, query: { locale } as Loose } }),
  )

export const lookupTracking = (
  body: { order_number: string; email?: string; postal_code?: string },
  locale: string,
) =>
  unwrap<TrackingView>(
    client.POST('/api/v1/tracking', { params: { query: { locale } as Loose }, body: body as never }),
  )

export const getGuestActions = (code: string) =>
  unwrap<AvailableActions>(client.GET('/api/v1/tracking/{code}/actions', { params: { path: { code } } }))

export const createGuestRequest = (code: string, body: CustomerRequestBody) =>
  unwrap<CustomerRequestView>(
    client.POST('/api/v1/tracking/{code}/requests', { params: { path: { code } }, body: body as never }),
  )

// Preferences.
export const getPreferences = () => unwrap<PreferencesView>(client.GET('/api/v1/me/preferences'))

export const putPreferences = (body: PutPreferences) =>
  unwrap<PreferencesView>(client.PUT('/api/v1/me/preferences', { body: body as never }))

export const requestPhoneCode = (phone: string) =>
  unwrap<PhoneCodeSent>(client.POST('/api/v1/me/phone/verification', { body: { phone } }))

export const confirmPhoneCode = (code: string) =>
  unwrap<{ phone: string; verified_at: string }>(
    client.POST('/api/v1/me/phone/verification/confirm', { body: { code } }),
  )

export async function listDevices(): Promise<DeviceView[]> {
  const body = await unwrap<{ devices: DeviceView[] }>(client.GET('/api/v1/me/devices'))
  return body.devices
}

export const deleteDevice = (id: string) =>
  unwrap<void>(client.DELETE('/api/v1/me/devices/{id}', { params: { path: { id } } }))
