import { http } from './request'
import type { Page, PageQuery } from './request'
import type { CouponTemplateBrief } from './loyalty'

export type PaymentMethod = 'cash' | 'bank_card' | 'wechat_pay' | 'alipay' | 'other'
export const PAYMENT_METHODS: PaymentMethod[] = ['cash', 'wechat_pay', 'alipay', 'bank_card', 'other']
export type SaleStatus = 'completed' | 'partially_refunded' | 'refunded'
export const SALE_STATUSES: SaleStatus[] = ['completed', 'partially_refunded', 'refunded']

/** One basket line as sent (amounts in fen). */
export interface SaleLineInput {
  sku: string
  quantity: number
  discount?: number
}

export interface QuoteInput {
  store_id: number
  member_id?: number
  lines: SaleLineInput[]
  coupon_codes?: string[]
  points_redeemed?: number
}

export interface SaleInput extends QuoteInput {
  terminal?: string
  payments: Array<{ method: PaymentMethod; amount: number }>
}

export interface PricedLine {
  line_no: number
  product_id: number
  sku: string
  name: string
  quantity: number
  unit_price: number
  discount: number
  tier_discount: number
  coupon_discount: number
  points_used: number
  points_value: number
  amount: number
  points_earned: number
  refunded_quantity?: number
}

export interface Totals {
  subtotal: number
  line_discount: number
  tier_discount: number
  coupon_discount: number
  points_redeemed: number
  points_value: number
  total: number
  points_earned: number
}

/** A coupon the member may use in this basket. */
export interface AvailableCoupon {
  id: number
  code: string
  valid_until: string | null
  template: CouponTemplateBrief
}

export interface TierRef {
  id?: number
  code?: string
  name: string
  discount_pct?: number
}

/** Without a member the quote has no `points_balance` nor `available_coupons`. */
export interface Quote extends Totals {
  lines: PricedLine[]
  max_redeemable_points: number
  points_balance?: number
  tier: TierRef | null
  available_coupons?: AvailableCoupon[]
  redeem_points_per_yuan: number
  promo_points_pct?: number
}

export interface SaleMember {
  id: number
  member_no: string
  name: string
  phone: string
  points_balance: number
  tier: TierRef | null
}

export interface Refund {
  id: number
  amount: number
  points_reversed: number
  points_restored: number
  points_shortfall_value: number
  reason?: string
  created_at?: string
}

export interface Sale extends Totals {
  id: number
  receipt_no: string
  terminal: string
  sold_at: string
  store_id: number
  store: { id: number; name: string; code: string; address: string; timezone?: string }
  cashier_id: number | null
  cashier_name: string
  member_id: number | null
  member?: SaleMember | null
  lines: PricedLine[]
  payments: Array<{ method: PaymentMethod | 'points'; amount: number }>
  coupons: Array<{ code: string; discount: number; name: string }>
  coupon_codes: string[]
  refunded_amount: number
  status: SaleStatus
  refunds: Refund[]
}

/** A row of `GET /sales`. */
export interface SaleSummary {
  id: number
  receipt_no: string
  terminal: string
  sold_at: string
  store_id: number
  store_name: string
  member_id: number | null
  member_name: string | null
  member_no: string | null
  subtotal: number
  total: number
  points_earned: number
  points_redeemed: number
  refunded_amount: number
  status: SaleStatus
}

export interface SaleQuery extends PageQuery {
  store_id?: number | ''
  member_id?: number
  from?: string
  to?: string
  status?: SaleStatus | ''
  q?: string
}

/** Price a basket without selling. */
export function quoteSale(data: QuoteInput, signal?: AbortSignal) {
  return http.post<Quote>('/sales/quote', data, { signal })
}

/** Complete a sale; `key` is the Idempotency-Key of this checkout attempt (reused on retry). */
export function createSale(data: SaleInput, key: string) {
  return http.post<Sale>('/sales', data, { headers: { 'Idempotency-Key': key } })
}

export function getSaleList(query: SaleQuery = {}) {
  return http.get<Page<SaleSummary>>('/sales', { ...query })
}

export function getSale(id: number) {
  return http.get<Sale>(`/sales/${id}`)
}

/** Refund chosen lines, or everything left when `lines` is left out. */
export function refundSale(id: number, data: { reason?: string; lines?: Array<{ line_no: number; quantity: number }> }, key: string) {
  return http.post<{ refund: Refund; sale: Sale }>(`/sales/${id}/refunds`, data, { headers: { 'Idempotency-Key': key } })
}

/** A member's purchases with their lines (newest first). */
export function getMemberSales(memberId: number, query: PageQuery = {}) {
  return http.get<Page<Sale>>(`/members/${memberId}/sales`, { ...query })
}

/** 小票格式: header / footer lines and whether the member and points blocks print. */
export interface ReceiptTemplate {
  id: number
  /** null: the chain default (also answered for a store without its own layout). */
  store_id: number | null
  header: string
  footer: string
  show_member: boolean
  show_points: boolean
  version: number
}

export type ReceiptTemplateInput = Pick<ReceiptTemplate, 'header' | 'footer' | 'show_member' | 'show_points'>

/** The store's own layout, else the chain default (no `storeId`: the chain default). */
export function getReceiptTemplate(storeId?: number | null) {
  return http.get<ReceiptTemplate>('/receipt-template', { store_id: storeId ?? undefined })
}

/** Save the store's layout, or the chain default without `storeId`. */
export function saveReceiptTemplate(storeId: number | null, data: ReceiptTemplateInput) {
  return http.put<ReceiptTemplate>('/receipt-template', data, { query: { store_id: storeId ?? undefined } })
}
