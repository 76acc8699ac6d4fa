import { http } from './request'

export type Locale = 'zh-CN' | 'en'

/** The signed-in staff member (`user` of docs/api.md). */
export interface User {
  id: number
  username: string
  name: string
  role_id: number
  role_code: string
  role_name: string
  store_ids: number[]
  locale: Locale
  status: string
}

export interface StoreRef {
  id: number
  code: string
  name: string
}

export interface Me {
  user: User
  csrf_token: string
  must_change_password: boolean
  /** Two-factor sign-in (TOTP) is on for me. */
  totp_enabled?: boolean
  /** My role requires two-factor sign-in and it is off: every other route answers 403 `totp_enrolment_required`. */
  must_enrol_totp?: boolean
  permissions: string[]
  /** The role sees every store. */
  all_stores?: boolean
  stores: StoreRef[]
}

export interface SessionInfo {
  id: number | string
  created_at: string
  last_seen_at: string
  ip: string
  user_agent: string
  current: boolean
}

/** Who am I: user, permissions, visible stores and a fresh CSRF token. */
export function getMe(opts: { skipAuthRedirect?: boolean } = {}) {
  return http.get<Me>('/me', undefined, opts)
}

/** Change my password (other sessions are revoked by the server). */
export function changePassword(current_password: string, new_password: string) {
  return http.put<void>('/me/password', { current_password, new_password })
}

/** Remember my UI language. */
export function updateLocale(locale: Locale) {
  return http.put<void>('/me/locale', { locale })
}

/** My active sessions. */
export function getSessions() {
  return http.get<{ items: SessionInfo[] }>('/me/sessions')
}

/** Sign out one of my sessions. */
export function deleteSession(id: number | string) {
  return http.del(`/me/sessions/${encodeURIComponent(String(id))}`)
}

/** Sign out every session but this one. */
export function deleteOtherSessions() {
  return http.del('/me/sessions')
}

/** A pending two-factor secret (`POST /me/totp/setup`): enabled by the first right code. */
export interface TotpSetup {
  /** Base32, for typing into the authenticator app by hand. */
  secret: string
  otpauth_uri: string
  /** The otpauth URI as a QR code, an SVG document drawn by the server. */
  qr_svg: string
}

/** Start (or restart) setting up two-factor sign-in: a new pending secret. */
export function setupTotp() {
  return http.post<TotpSetup>('/me/totp/setup')
}

/** Turn two-factor sign-in on with a code of the pending secret; the 10 recovery codes are shown once. */
export function enableTotp(code: string) {
  return http.post<{ recovery_codes: string[] }>('/me/totp/enable', { code })
}

/** Turn two-factor sign-in off (403 `forbidden` when my role requires it). */
export function disableTotp(password: string) {
  return http.del('/me/totp', { body: { password } })
}
