/**
 * An API error, read from either body shape the backend may send:
 * `{"error": "code", "message": ..., "field": ...}` (api/src/errors.rs today)
 * or `{"error": {"code": ..., "message": ..., "field": ...}}`.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly field: string | null
  /** Seconds, from `Retry-After` (429, 503). */
  readonly retryAfter: number | null
  readonly body: Record<string, unknown>

  constructor(
    status: number,
    code: string,
    message: string,
    field: string | null = null,
    retryAfter: number | null = null,
    body: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.retryAfter = retryAfter
    this.body = body
  }

  get isNotFound(): boolean {
    return this.status === 404
  }
  get isUnauthorized(): boolean {
    return this.status === 401
  }
  /** No answer at all: offline, DNS, server down. */
  get isNetwork(): boolean {
    return this.status === 0
  }
}

function retryAfterOf(headers: Headers | null, message: string): number | null {
  const header = headers?.get('Retry-After')
  if (header) {
    const secs = Number(header)
    if (Number.isFinite(secs)) return Math.max(0, Math.ceil(secs))
    const date = Date.parse(header)
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - Date.now()) / 1000))
  }
  const m = /retry in (\d+)\s*s/i.exec(message)
  return m ? Number(m[1]) : null
}

export function toApiError(status: number, body: unknown, headers: Headers | null = null): ApiError {
  let code = `http_${status}`
  let message = ''
  let field: string | null = null
  let rest: Record<string, unknown> = {}
  if (body && typeof body === 'object') {
    rest = body as Record<string, unknown>
    const err = rest.error
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>
      code = typeof e.code === 'string' ? e.code : code
      message = typeof e.message === 'string' ? e.message : ''
      field = typeof e.field === 'string' ? e.field : null
    } else {
      if (typeof err === 'string') code = err
      if (typeof rest.message === 'string') message = rest.message
      if (typeof rest.field === 'string') field = rest.field
    }
  }
  return new ApiError(status, code, message, field, retryAfterOf(headers, message), rest)
}

export function networkError(cause: unknown): ApiError {
  return new ApiError(0, 'network', cause instanceof Error ? cause.message : 'network error')
}
