import { http } from './request'
import type { PaymentMethod } from './sales'

/** 积分商城: a gift (goods kept in stock) or a partner voucher 异业合作券 (codes handed out). */
export type GiftKind = 'goods' | 'voucher'
export const GIFT_KINDS: GiftKind[] = ['goods', 'voucher']
export type GiftStatus = 'active' | 'inactive'

export interface Gift {
  id: number
  name: string
  kind: GiftKind
  partner: string
  description: string
  /** Points per piece. */
  points: number
  /** Cash per piece in fen (0 = points only). */
  cash: number
  /** Goods: pieces on the shelf; voucher: codes not yet handed out. */
  stock: number
  /** 0 = no limit. */
  per_member_limit: number
  status: GiftStatus
  version: number
}

export interface GiftInput {
  name: string
  kind: GiftKind
  partner: string
  description: string
  points: number
  cash: number
  stock?: number
  per_member_limit: number
  status: GiftStatus
}

export type RedemptionStatus = 'redeemed' | 'cancelled'

export interface Redemption {
  id: number
  gift_id: number
  gift_name: string
  member_id: number
  store_id: number
  quantity: number
  points: number
  cash: number
  cash_method: PaymentMethod | ''
  status: RedemptionStatus
  created_at: string
  voucher_codes: string[]
  /** Only in the answer of a redemption: the member's balance after it. */
  points_balance?: number
}

export interface RedeemInput {
  gift_id: number
  quantity: number
  store_id?: number
  /** Required when the gift costs cash. */
  cash_method?: PaymentMethod
}

export function getGifts(status?: GiftStatus | '') {
  return http.get<{ items: Gift[] }>('/gifts', { status })
}

export function createGift(data: GiftInput) {
  return http.post<Gift>('/gifts', data)
}

export function updateGift(id: number, data: Partial<GiftInput> & { version: number }) {
  return http.put<Gift>(`/gifts/${id}`, data)
}

/** Load a partner's voucher codes (duplicates are skipped): `added` new ones. */
export function addVoucherCodes(id: number, codes: string[]) {
  return http.post<{ added: number; gift: Gift }>(`/gifts/${id}/voucher-codes`, { codes })
}

/** Redeem a gift; `key` is the Idempotency-Key of this attempt (reused on a retry). */
export function redeemGift(memberId: number, data: RedeemInput, key: string) {
  return http.post<Redemption>(`/members/${memberId}/redemptions`, data, { headers: { 'Idempotency-Key': key } })
}

export function getMemberRedemptions(memberId: number) {
  return http.get<{ items: Redemption[] }>(`/members/${memberId}/redemptions`)
}

/** Cancel a goods redemption: stock and points come back (a voucher cannot be cancelled). */
export function cancelRedemption(id: number) {
  return http.post<Redemption>(`/redemptions/${id}/cancel`, {})
}

/** Daily check-in 签到: 409 with a field error on `member_id` when already checked in today. */
export function checkIn(memberId: number) {
  return http.post<{ member_id: number; points: number; balance: number }>(`/members/${memberId}/checkins`, {})
}
