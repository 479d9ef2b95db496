// Endpoints not in the OpenAPI document yet, typed by hand. When
// `npm run gen:api` brings one in, switch it to the generated type and the
// typed client (as api/staff.ts did for the staff accounts), then delete it
// here.
import { request } from '@/common/api/http'

/**
 * POST /api/v1/admin/templates/{event}/{channel}/{locale}/preview
 * `{body, subject?, html?, order_id?}` → RenderedView: renders unsaved text,
 * for the editor's live preview (in the OpenAPI document now; to be moved to
 * the typed client). Should it answer 404/405 (an older api), the editor
 * previews the selected saved version.
 */
export interface DraftPreview {
  body: string
  subject?: string | null
  html?: string | null
  order_id?: string | null
}
export interface RenderedDraft {
  subject?: string | null
  text: string
  html?: string | null
  sms?: { segments: number; encoding: 'gsm7' | 'ucs2'; characters: number; warning?: string | null } | null
}
export const previewDraft = (k: { event: string; channel: string; locale: string }, body: DraftPreview) =>
  request<RenderedDraft>('POST', `/api/v1/admin/templates/${k.event}/${k.channel}/${k.locale}/preview`, body)

/**
 * GET /api/v1/admin/exports/{dataset}?format&from&to (admins and analysts):
 * the raw rows of a range as a file (Content-Disposition: attachment). A
 * download, so a plain link: the console's cookie goes with it.
 */
export type ExportDataset = 'notifications' | 'orders' | 'ratings'
export type ExportFormat = 'csv' | 'ndjson' | 'parquet'
export const exportUrl = (dataset: ExportDataset, format: ExportFormat, range: { from: string; to: string }) =>
  `/api/v1/admin/exports/${dataset}?${new URLSearchParams({ format, from: range.from, to: range.to })}`
