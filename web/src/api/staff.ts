import { http } from './request'
import type { Page, PageQuery } from './request'
import type { Locale } from './me'

export type StaffStatus = 'active' | 'disabled'

export interface Staff {
  id: number
  username: string
  name: string
  role_id: number
  role_code: string
  role_name: string
  store_ids: number[]
  status: StaffStatus
  locked_until: string | null
  must_change_password: boolean
  last_login_at: string | null
  locale: Locale
  version: number
  created_at: string
  /** Two-factor sign-in is on (when the server says). */
  totp_enabled?: boolean
}

export interface StaffQuery extends PageQuery {
  q?: string
  role_id?: number | ''
  store_id?: number | ''
  status?: StaffStatus | ''
}

export interface StaffCreate {
  username: string
  name: string
  role_id: number
  store_ids: number[]
  password: string
}

export interface StaffUpdate {
  name?: string
  role_id?: number
  store_ids?: number[]
  status?: StaffStatus
  version: number
}

/** List staff accounts. */
export function getStaffList(query: StaffQuery = {}) {
  return http.get<Page<Staff>>('/staff', { ...query })
}

/** One staff account. */
export function getStaff(id: number) {
  return http.get<Staff>(`/staff/${id}`)
}

/** Create a staff account with an initial password. */
export function createStaff(data: StaffCreate) {
  return http.post<Staff>('/staff', data)
}

/** Update name, role, stores or status (`version` required). */
export function updateStaff(id: number, data: StaffUpdate) {
  return http.put<Staff>(`/staff/${id}`, data)
}

/** Lift a lock-out after too many wrong passwords. */
export function unlockStaff(id: number) {
  return http.post<Staff | void>(`/staff/${id}/unlock`)
}

/** Set a new initial password (must be changed at next sign-in). */
export function resetStaffPassword(id: number, password: string) {
  return http.post<Staff | void>(`/staff/${id}/reset-password`, { password })
}

/** Reset a person's two-factor sign-in (lost phone): they enrol again. */
export function resetStaffTotp(id: number) {
  return http.del(`/staff/${id}/totp`)
}
