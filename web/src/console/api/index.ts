// The console's calls to endpoints the OpenAPI document has (typed client
// over the generated schema). Staff-account calls are in ./pending.ts.
import type { components } from '@/api/schema'
import { client, getNextPage } from '@/common/api/client'
import { unwrap, unwrapPage } from '@/common/api/http'
import type { ConsoleRequest } from './staff'

type S = components['schemas']
export type OrderView = S['OrderView']
export type OrderPage = S['OrderPage']
export type OrderStatus = S['OrderStatus']
export type TimelineEntry = S['TimelineEntry']
export type NotificationView = S['NotificationView']
export type NotificationPage = S['NotificationPage']
export type AttemptView = S['AttemptView']
export type Channel = S['Channel']
export type Role = S['Role']
export type ReceiptView = S['ReceiptView']
export type TransitionView = S['TransitionView']
export type TemplateVersionView = S['TemplateVersionView']
export type RenderedView = S['RenderedView']
export type CreatedVersion = S['CreatedVersion']
export type AuditView = S['AuditView']
export type AuditPage = S['AuditPage']
export type TokenView = S['TokenView']
export type CreatedToken = S['CreatedToken']
export type MessagePreview = S['MessagePreview']
export type NotificationEvent = S['NotificationEvent']
export type Locale = S['Locale']

// Analytics: the generated `group` and `reached` are typed as empty records;
// they are maps of strings (the dimensions grouped by) and of counts.
type Grouped<T> = Omit<T, 'group'> & { group: Record<string, string> }
export type NotificationPoint = Grouped<S['NotificationPoint']>
export type OrderPoint = Omit<Grouped<S['OrderPoint']>, 'reached'> & { reached: Record<string, number> }
export type SatisfactionPoint = Grouped<S['SatisfactionPoint']>
type Series<P> = S['SeriesRange'] & { points: P[] }
export type NotificationSeries = Series<NotificationPoint>
export type OrderSeries = Series<OrderPoint>
export type SatisfactionSeries = Series<SatisfactionPoint>
export type Interval = S['Interval']

export interface DiffLine {
  op: 'same' | 'added' | 'removed'
  line: string
}
export interface TemplateDiff {
  subject: DiffLine[]
  body: DiffLine[]
  html: DiffLine[]
}

type Loose = Record<string, unknown>
const path = <T extends Record<string, string | number>>(p: T) => ({ path: p })

// Orders
export const searchOrders = (q: string, cursor?: string) =>
  unwrap<OrderPage>(client.GET('/api/v1/orders', { params: { query: { q: q || undefined, limit: 25, cursor } as Loose } }))
export const getOrder = (id: string) => unwrap<OrderView>(client.GET('/api/v1/orders/{id}', { params: path({ id }) }))
/** The newest page of the timeline (newest first); `next` leads to older ones. */
export const getTimeline = (id: string, locale: string) =>
  unwrapPage<TimelineEntry>(
    client.GET('/api/v1/orders/{id}/timeline', { params: { path: { id }, query: { order: 'newest', locale } as Loose } }),
  )
export const getOlderTimeline = (next: string) => getNextPage<TimelineEntry>(next)
export const getOrderNotifications = (id: string) =>
  unwrap<NotificationView[]>(client.GET('/api/v1/orders/{id}/notifications', { params: path({ id }) }))
export const changeStatus = (id: string, body: { status: OrderStatus; note: string; version: number }) =>
  unwrap<OrderView>(client.POST('/api/v1/orders/{id}/status', { params: path({ id }), body }))
export const previewMessage = (id: string, channel: Channel, message: string) =>
  unwrap<MessagePreview>(
    client.POST('/api/v1/orders/{id}/messages', { params: path({ id }), body: { channel, message, preview: true } }),
  )
/** Queued notifications; an empty list means the shopper opted out of that channel. */
export const sendMessage = (id: string, channel: Channel, message: string) =>
  unwrap<NotificationView[]>(
    client.POST('/api/v1/orders/{id}/messages', { params: path({ id }), body: { channel, message, preview: false } }),
  )

// Requests
export const listRequests = (cursor?: string) =>
  unwrap<{ requests: ConsoleRequest[]; next_cursor?: string | null }>(
    client.GET('/api/v1/requests', { params: { query: { limit: 50, cursor } as Loose } }),
  )
export const resolveRequest = (id: string, status: 'resolved' | 'rejected', resolution: string) =>
  unwrap<ConsoleRequest>(client.POST('/api/v1/requests/{id}/resolve', { params: path({ id }), body: { status, resolution } }))

// Dead letters
export const listNotifications = (query: { status?: string; order_id?: string; cursor?: string }) =>
  unwrap<NotificationPage>(client.GET('/api/v1/admin/notifications', { params: { query: { limit: 50, ...query } as Loose } }))
export const getNotification = (id: string) =>
  unwrap<NotificationView>(client.GET('/api/v1/admin/notifications/{id}', { params: path({ id }) }))
export const replayNotification = (id: string) =>
  unwrap<NotificationView>(client.POST('/api/v1/admin/notifications/{id}/replay', { params: path({ id }) }))

// Carrier receipts
export const listReceipts = (query: { status?: string; cursor?: string }) =>
  unwrap<{ receipts: ReceiptView[]; next_cursor?: string | null }>(
    client.GET('/api/v1/admin/carrier-receipts', { params: { query: { limit: 50, ...query } as Loose } }),
  )
export const reprocessReceipt = (id: string) =>
  unwrap<unknown>(client.POST('/api/v1/admin/carrier-receipts/{id}/reprocess', { params: path({ id }) }))

// Workflow
export const getWorkflow = () => unwrap<TransitionView[]>(client.GET('/api/v1/admin/workflow'))
export const putTransition = (from: OrderStatus, to: OrderStatus, roles: Role[]) =>
  unwrap<TransitionView[]>(
    client.PUT('/api/v1/admin/workflow/transitions/{from}/{to}', { params: { path: { from, to } }, body: { roles } }),
  )
export const deleteTransition = (from: OrderStatus, to: OrderStatus) =>
  unwrap<TransitionView[]>(client.DELETE('/api/v1/admin/workflow/transitions/{from}/{to}', { params: { path: { from, to } } }))

// Templates
export interface TemplateKey {
  event: NotificationEvent
  channel: Channel
  locale: Locale
}
const tpl = (k: TemplateKey) => ({ event: k.event, channel: k.channel, locale: k.locale })
export const listTemplateVersions = (k: TemplateKey) =>
  unwrap<TemplateVersionView[]>(client.GET('/api/v1/admin/templates/{event}/{channel}/{locale}', { params: { path: tpl(k) } }))
export const createTemplateVersion = (
  k: TemplateKey,
  body: { body: string; comment: string; subject?: string | null; html?: string | null },
) =>
  unwrap<CreatedVersion>(client.POST('/api/v1/admin/templates/{event}/{channel}/{locale}', { params: { path: tpl(k) }, body }))
export const activateTemplateVersion = (k: TemplateKey, version: number) =>
  unwrap<TemplateVersionView[]>(
    client.POST('/api/v1/admin/templates/{event}/{channel}/{locale}/versions/{version}/activate', {
      params: { path: { ...tpl(k), version } },
    }),
  )
export const rollbackTemplate = (k: TemplateKey) =>
  unwrap<TemplateVersionView[]>(
    client.POST('/api/v1/admin/templates/{event}/{channel}/{locale}/rollback', { params: { path: tpl(k) } }),
  )
export const previewTemplateVersion = (k: TemplateKey, version: number, orderId?: string | null) =>
  unwrap<RenderedView>(
    client.POST('/api/v1/admin/templates/{event}/{channel}/{locale}/versions/{version}/preview', {
      params: { path: { ...tpl(k), version } },
      body: { order_id: orderId || null },
    }),
  )
export const diffTemplateVersions = (k: TemplateKey, from: number, to: number) =>
  unwrap<TemplateDiff>(
    client.GET('/api/v1/admin/templates/{event}/{channel}/{locale}/diff', {
      params: { path: tpl(k), query: { from, to } },
    }),
  )

// Audit
export interface AuditQuery {
  actor?: string
  action?: string
  target_type?: string
  target_id?: string
  since?: string
  until?: string
  limit?: number
  cursor?: number
}
export const listAudit = (query: AuditQuery) =>
  unwrap<AuditPage>(client.GET('/api/v1/admin/audit', { params: { query: query as Loose } }))

// Analytics (admins and analysts): `from` inclusive, `to` exclusive, dates
// (YYYY-MM-DD) at UTC midnight or RFC 3339.
export interface AnalyticsQuery {
  from: string
  to: string
  interval: Interval
  group_by?: string
}
export const getNotificationSeries = (query: AnalyticsQuery) =>
  unwrap<NotificationSeries>(client.GET('/api/v1/admin/analytics/notifications', { params: { query } }))
export const getOrderSeries = (query: AnalyticsQuery) =>
  unwrap<OrderSeries>(client.GET('/api/v1/admin/analytics/orders', { params: { query } }))
export const getSatisfactionSeries = (query: AnalyticsQuery) =>
  unwrap<SatisfactionSeries>(client.GET('/api/v1/admin/analytics/satisfaction', { params: { query } }))

// API tokens
export const listTokens = (cursor?: string) =>
  unwrap<{ tokens: TokenView[]; next_cursor?: string | null }>(
    client.GET('/api/v1/tokens', { params: { query: { limit: 100, cursor } as Loose } }),
  )
export const createToken = (body: { label: string; role: Role; expires_in_days?: number | null }) =>
  unwrap<CreatedToken>(client.POST('/api/v1/tokens', { body }))
export const revokeToken = (id: string) =>
  unwrap<TokenView>(client.POST('/api/v1/tokens/{id}/revoke', { params: path({ id }) }))
