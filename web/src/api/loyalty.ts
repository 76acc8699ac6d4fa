import { http } from './request'
import type { Page, PageQuery } from './request'

export type QualifyBy = 'spend' | 'purchases'

/** 会员等级. `threshold` is fen (spend) or a count (purchases); `window_days` 0 = lifetime. */
export interface Tier {
  id: number
  code: string
  name: string
  rank: number
  qualify_by: QualifyBy
  window_days: number
  threshold: number
  discount_pct: number
  points_multiplier_pct: number
  birthday_points: number
  /** Coupon template given in the birthday month (with the birthday points), or null. */
  birthday_coupon_template_id: number | null
  /** Coupon template given on reaching the tier (welcome gift), or null. */
  upgrade_coupon_template_id: number | null
  privileges: string
  grace_days: number
  version: number
}

export type TierInput = Omit<Tier, 'id' | 'version'>

export interface LoyaltySettings {
  points_per_yuan: number
  redeem_points_per_yuan: number
  redeem_cap_pct: number
  /** never | end_of_year | end_of_next_year | days:N */
  expiry: string
  /** 0 = none, 1 = Monday … 7 = Sunday. */
  member_day: number
  member_day_multiplier_pct: number
  registration_points: number
  profile_points: number
  checkin_points: number
  referral_points: number
  survey_points: number
  /** Double-points days: "YYYY-MM-DD,YYYY-MM-DD" ('' = none). */
  promo_dates: string
  /** Points multiplier on those days, 100–1000 %. */
  promo_multiplier_pct: number
  /** Coupon template given to the referrer on the referee's first purchase (0 = none). */
  referral_coupon_template_id: number
}

export type CouponKind = 'amount_off' | 'percent_off' | 'gift'
export const COUPON_KINDS: CouponKind[] = ['amount_off', 'percent_off', 'gift']

/** The template fields a coupon carries. */
export interface CouponTemplateBrief {
  id?: number
  name: string
  kind: CouponKind
  amount_off: number
  percent_off: number
  max_discount?: number
  min_spend: number
  stackable?: boolean
}

export interface CouponTemplate extends CouponTemplateBrief {
  id: number
  max_discount: number
  gift_sku: string
  valid_from: string | null
  valid_until: string | null
  valid_days: number
  store_ids: number[]
  category_ids: number[]
  per_member_limit: number
  stackable: boolean
  status: 'active' | 'inactive'
  version: number
}

export interface CouponTemplateInput {
  name: string
  kind: CouponKind
  amount_off: number
  percent_off: number
  max_discount: number
  min_spend: number
  gift_sku: string
  valid_from: string | null
  valid_until: string | null
  valid_days: number
  store_ids: number[]
  category_ids: number[]
  per_member_limit: number
  stackable: boolean
  status: 'active' | 'inactive'
}

export type CouponStatus = 'issued' | 'used' | 'expired' | 'voided'
export const COUPON_STATUSES: CouponStatus[] = ['issued', 'used', 'expired', 'voided']

export interface MemberCoupon {
  id: number
  code: string
  status: CouponStatus
  valid_from: string | null
  valid_until: string | null
  issue_reason: string
  issued_at: string
  used_at: string | null
  sale_id: number | null
  template: CouponTemplateBrief
}

export interface PointsEntry {
  id: number
  delta: number
  balance_after: number
  kind: string
  reason: string
  source_type: string | null
  source_id: number | null
  operator_name: string | null
  created_at: string
  expires_at: string | null
}

export interface PointsPage extends Page<PointsEntry> {
  balance: number
  expiring_within_30_days: number
  next_expiry_at: string | null
}

export interface TierChange {
  from_tier_name: string
  to_tier_name: string
  reason: string
  created_at: string
  source_type?: string | null
  source_id?: number | null
}

export interface MemberTier {
  current: Tier | null
  next: Tier | null
  qualify_by: QualifyBy
  value: number
  threshold: number
  remaining: number
  downgrade_due_at: string | null
  history: TierChange[]
}

export function getTiers() {
  return http.get<{ items: Tier[] }>('/tiers')
}

export function createTier(data: TierInput) {
  return http.post<Tier>('/tiers', data)
}

export function updateTier(id: number, data: Partial<TierInput> & { version: number }) {
  return http.put<Tier>(`/tiers/${id}`, data)
}

export function getLoyaltySettings() {
  return http.get<LoyaltySettings>('/loyalty/settings')
}

export function saveLoyaltySettings(data: Partial<LoyaltySettings>) {
  return http.put<LoyaltySettings>('/loyalty/settings', data)
}

export function getCouponTemplates() {
  return http.get<{ items: CouponTemplate[] }>('/coupon-templates')
}

export function createCouponTemplate(data: CouponTemplateInput) {
  return http.post<CouponTemplate>('/coupon-templates', data)
}

export function updateCouponTemplate(id: number, data: Partial<CouponTemplateInput> & { version: number }) {
  return http.put<CouponTemplate>(`/coupon-templates/${id}`, data)
}

/** Issue one coupon of the template to each member (all or none). */
export function issueCoupons(templateId: number, memberIds: number[]) {
  return http.post<{ issued: number; items: Array<{ coupon_id: number; member_id: number }> }>(`/coupon-templates/${templateId}/issue`, {
    member_ids: memberIds,
  })
}

/**
 * Issue one coupon of the template to every member matching the member list's filters
 * (`filter` holds the list's query parameters as strings); all or none.
 */
export function issueCouponsToFilter(templateId: number, filter: Record<string, string>) {
  return http.post<{ issued: number; items: Array<{ coupon_id: number; member_id: number }> }>(`/coupon-templates/${templateId}/issue`, { filter })
}

export function voidCoupon(id: number) {
  return http.post<unknown>(`/coupons/${id}/void`)
}

export function getMemberCoupons(memberId: number, status?: CouponStatus | '') {
  return http.get<{ items: MemberCoupon[] }>(`/members/${memberId}/coupons`, { status })
}

export function getMemberPoints(memberId: number, query: PageQuery = {}) {
  return http.get<PointsPage>(`/members/${memberId}/points`, { ...query })
}

/** Add (positive) or take (negative) points by hand. */
export function adjustPoints(memberId: number, data: { points: number; reason: string }) {
  return http.post<{ member_id: number; balance: number; delta: number }>(`/members/${memberId}/points/adjustments`, data)
}

export function getMemberTier(memberId: number) {
  return http.get<MemberTier>(`/members/${memberId}/tier`)
}
