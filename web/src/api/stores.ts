import { http } from './request'
import type { Page, PageQuery } from './request'

export type StoreType = 'direct' | 'franchise'
export type StoreStatus = 'active' | 'closed'

export interface Store {
  id: number
  code: string
  name: string
  type: StoreType
  region: string
  address: string
  timezone: string
  status: StoreStatus
  /** Business hours, local "HH:MM" (complaint SLAs count only open time). */
  opens_at: string
  closes_at: string
  version: number
  created_at: string
}

export interface StoreQuery extends PageQuery {
  q?: string
  status?: StoreStatus | ''
  region?: string
}

export type StoreInput = Pick<Store, 'code' | 'name' | 'type' | 'region' | 'address' | 'timezone' | 'status' | 'opens_at' | 'closes_at'>

/** List stores visible to me. */
export function getStoreList(query: StoreQuery = {}) {
  return http.get<Page<Store>>('/stores', { ...query })
}

/** One store. */
export function getStore(id: number) {
  return http.get<Store>(`/stores/${id}`)
}

/** Create a store. */
export function createStore(data: StoreInput) {
  return http.post<Store>('/stores', data)
}

/** Update a store (`version` required). */
export function updateStore(id: number, data: Partial<StoreInput> & { version: number }) {
  return http.put<Store>(`/stores/${id}`, data)
}
