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
