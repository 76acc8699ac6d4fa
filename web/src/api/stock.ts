import { http } from './request'
import type { Page, PageQuery } from './request'

/** 库存 of one product in one store. */
export interface StockLevel {
  store_id: number
  product_id: number
  sku: string
  name: string
  quantity: number
  low_threshold: number
  low: boolean
}

export type MovementReason = 'sale' | 'refund' | 'adjustment' | 'transfer_in' | 'transfer_out' | (string & {})

export interface StockMovement {
  id: number
  product_id: number
  sku: string
  name: string
  quantity: number
  reason: MovementReason
  note: string
  source_type: string | null
  source_id: number | null
  created_at: string
}

export interface StockQuery extends PageQuery {
  store_id: number
  low?: 1 | ''
  q?: string
}

export function getStock(query: StockQuery) {
  return http.get<Page<StockLevel>>('/stock', { ...query })
}

export function getMovements(query: PageQuery & { store_id: number; product_id?: number | '' }) {
  return http.get<Page<StockMovement>>('/stock/movements', { ...query })
}

/** Add (positive) or remove (negative) stock, and/or set the low-stock threshold. */
export function adjustStock(data: { store_id: number; product_id: number; quantity?: number; low_threshold?: number; note?: string }) {
  return http.post<{ store_id: number; product_id: number; quantity: number; low_threshold: number }>('/stock/adjustments', data)
}

export function transferStock(data: { from_store_id: number; to_store_id: number; product_id: number; quantity: number; note?: string }) {
  return http.post<{ from_store_id: number; to_store_id: number; product_id: number; quantity: number }>('/stock/transfers', data)
}
