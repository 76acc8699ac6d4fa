/**
 * The single HTTP client of the app (fetch based).
 * - sends the session cookie (same origin) and `Accept-Language` from the current locale;
 * - adds `X-CSRF-Token` to every non-GET/HEAD request;
 * - turns `{error:{code,message,fields}}` into a typed {@link ApiError};
 * - 401 → sign-in page, 403 `password_change_required` → forced password change page,
 *   403 `totp_enrolment_required` → forced two-factor enrolment page.
 * The hooks are installed by `configureRequest` at start-up so this module has no
 * dependency on the router or the stores.
 */

export const API_BASE: string = import.meta.env.VITE_API_BASE || '/api/v1'

/** One field message of a `validation_failed` / `conflict` error. */
export interface FieldError {
  field: string
  message: string
}

/** Error codes of docs/api.md plus the client-side `network`. */
export type ApiErrorCode =
  | 'validation_failed'
  | 'invalid_json'
  | 'unauthenticated'
  | 'forbidden'
  | 'password_change_required'
  | 'totp_required'
  | 'totp_invalid'
  | 'totp_enrolment_required'
  | 'csrf_failed'
  | 'not_found'
  | 'version_conflict'
  | 'conflict'
  | 'payload_too_large'
  | 'account_locked'
  | 'rate_limited'
  | 'busy'
  | 'internal'
  | 'network'
  | (string & {})

export class ApiError extends Error {
  readonly status: number
  readonly code: ApiErrorCode
  readonly fields: FieldError[]
  /** The whole decoded body (e.g. `current` and `changed_by` of a 409 `version_conflict`). */
  readonly body: Record<string, unknown> | null
  readonly retryAfter: number | null

  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    fields: FieldError[] = [],
    body: Record<string, unknown> | null = null,
    retryAfter: number | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.body = body
    this.retryAfter = retryAfter
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

export type QueryValue = string | number | boolean | null | undefined | Array<string | number>
export type Query = Record<string, QueryValue>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** A non-JSON body sent as is (e.g. a CSV upload) with its Content-Type. */
  raw?: { data: string | Blob; type: string }
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Do not run the 401 / password-change redirects (sign-in, start-up `GET /me`). */
  skipAuthRedirect?: boolean
}

export interface RequestHooks {
  getCsrfToken: () => string | null
  getLocale: () => string
  onUnauthorized: () => void
  onPasswordChangeRequired: () => void
  onTotpEnrolmentRequired: () => void
  /** Fallback text when the server sent no message (network down, 502 from a proxy...). */
  networkMessage: () => string
}

let hooks: RequestHooks = {
  getCsrfToken: () => null,
  getLocale: () => 'zh-CN',
  onUnauthorized: () => {},
  onPasswordChangeRequired: () => {},
  onTotpEnrolmentRequired: () => {},
  networkMessage: () => 'Network error',
}

export function configureRequest(h: Partial<RequestHooks>): void {
  hooks = { ...hooks, ...h }
}

/** Query string of a list call: empty values are left out, arrays are joined with commas. */
export function toQueryString(query?: Query): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, raw] of Object.entries(query)) {
    if (raw === undefined || raw === null || raw === '') continue
    if (Array.isArray(raw)) {
      if (raw.length === 0) continue
      params.set(key, raw.join(','))
    } else {
      params.set(key, String(raw))
    }
  }
  const s = params.toString()
  return s ? `?${s}` : ''
}

/** Absolute URL of an API path (for downloads such as the CSV export). */
export function apiUrl(path: string, query?: Query): string {
  return `${API_BASE}${path}${toQueryString(query)}`
}

function parseFields(raw: unknown): FieldError[] {
  if (!Array.isArray(raw)) return []
  return raw
    .filter((f): f is Record<string, unknown> => !!f && typeof f === 'object')
    .map((f) => ({ field: String(f.field ?? ''), message: String(f.message ?? '') }))
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': hooks.getLocale(),
    ...opts.headers,
  }
  const upper = method.toUpperCase()
  if (upper !== 'GET' && upper !== 'HEAD') {
    const csrf = hooks.getCsrfToken()
    if (csrf) headers['X-CSRF-Token'] = csrf
  }
  let body: BodyInit | undefined
  if (opts.raw !== undefined) {
    headers['Content-Type'] = opts.raw.type
    body = opts.raw.data
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }

  let res: Response
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method: upper,
      headers,
      body,
      credentials: 'same-origin',
      signal: opts.signal,
    })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', hooks.networkMessage())
  }

  if (res.status === 204 || res.status === 205) return undefined as T
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }

  if (res.ok) return data as T
  throw failure(res, data, opts.skipAuthRedirect)
}

/** The {@link ApiError} of a failed response whose body was decoded to `data`; runs the redirects. */
function failure(res: Response, data: unknown, skipAuthRedirect?: boolean): ApiError {
  const obj = data && typeof data === 'object' ? (data as Record<string, unknown>) : null
  const err = obj && typeof obj.error === 'object' && obj.error ? (obj.error as Record<string, unknown>) : null
  const code = (err && typeof err.code === 'string' ? err.code : statusCode(res.status)) as ApiErrorCode
  const message = err && typeof err.message === 'string' && err.message ? err.message : `${res.status} ${res.statusText || hooks.networkMessage()}`
  const retry = Number(res.headers.get('Retry-After'))
  const error = new ApiError(res.status, code, message, parseFields(err?.fields), obj, Number.isFinite(retry) && retry > 0 ? retry : null)

  if (!skipAuthRedirect) {
    if (res.status === 401) hooks.onUnauthorized()
    else if (res.status === 403 && code === 'password_change_required') hooks.onPasswordChangeRequired()
    else if (res.status === 403 && code === 'totp_enrolment_required') hooks.onTotpEnrolmentRequired()
  }
  return error
}

/**
 * GET a file (an export) by its full address (from {@link apiUrl}) with the session cookie and
 * `Accept-Language`, and answer the response as soon as its headers arrive so the caller can
 * stream the body. A failure throws the same {@link ApiError} as {@link request} (the server's
 * message, e.g. a 429 `rate_limited`); an abort throws the `AbortError`.
 */
export async function fetchFile(url: string, signal?: AbortSignal): Promise<Response> {
  let res: Response
  try {
    res = await fetch(url, { headers: { 'Accept-Language': hooks.getLocale() }, credentials: 'same-origin', signal })
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e
    throw new ApiError(0, 'network', hooks.networkMessage())
  }
  if (res.ok) return res
  const text = await res.text().catch(() => '')
  let data: unknown = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = null
  }
  throw failure(res, data)
}

function statusCode(status: number): ApiErrorCode {
  switch (status) {
    case 400: return 'validation_failed'
    case 401: return 'unauthenticated'
    case 403: return 'forbidden'
    case 404: return 'not_found'
    case 409: return 'conflict'
    case 413: return 'payload_too_large'
    case 423: return 'account_locked'
    case 429: return 'rate_limited'
    case 503: return 'busy'
    default: return status >= 500 ? 'internal' : 'network'
  }
}

export const http = {
  get: <T>(path: string, query?: Query, opts: Omit<RequestOptions, 'query'> = {}) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body }),
  del: <T = void>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts),
}

/** `{items, next_cursor, total}` of every list route. */
export interface Page<T> {
  items: T[]
  next_cursor: string | null
  total: number
}

/** Paging parameters of every list route. */
export interface PageQuery {
  limit?: number
  cursor?: string | null
}

/** Fetch every page of a list route (following `next_cursor`, at most `maxPages` pages of 200). */
export async function fetchAll<T>(path: string, query: Query = {}, maxPages = 25): Promise<T[]> {
  const out: T[] = []
  let cursor: string | null = null
  for (let i = 0; i < maxPages; i++) {
    const page: Partial<Page<T>> = await http.get<Partial<Page<T>>>(path, { ...query, limit: 200, cursor })
    out.push(...(page.items ?? []))
    cursor = page.next_cursor ?? null
    if (!cursor) break
  }
  return out
}
