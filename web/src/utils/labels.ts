/** Labels of the sales / loyalty codes (payment methods, statuses, ledger reasons, coupon rules). */
import { t, tOr } from '@/locales'
import type { CouponTemplateBrief } from '@/api/loyalty'
import type { Gift } from '@/api/mall'
import { formatMoney } from './format'

export const paymentLabel = (m: string) => tOr(`sale.payment.${m}`, m)
export const saleStatusLabel = (s: string) => tOr(`sale.status.${s}`, s)
export const saleStatusType = (s: string) => (s === 'completed' ? 'success' : s === 'refunded' ? 'info' : 'warning')
export const couponStatusLabel = (s: string) => tOr(`loyalty.couponStatus.${s}`, s)
export const couponStatusType = (s: string) => (s === 'issued' ? 'success' : s === 'used' ? 'primary' : 'info')
export const movementReasonLabel = (r: string) => tOr(`stock.reason.${r}`, r)
export const tierReasonLabel = (r: string) => tOr(`loyalty.tierReason.${r}`, r)
export const pointsKindLabel = (k: string) => tOr(`loyalty.pointsKind.${k}`, k)

/** A ledger reason: system codes (`sale.earn`) are translated, staff-typed reasons shown as typed. */
export function pointsReasonLabel(reason: string): string {
  if (!reason) return ''
  return /^[a-z_]+\.[a-z_]+$/.test(reason) ? tOr(`loyalty.pointsReason.${reason.replace('.', '_')}`, reason) : reason
}

/** "满100减10" / "8.5折" / "赠品 GIFT-01". */
export function couponRuleText(tmpl: Pick<CouponTemplateBrief, 'kind' | 'amount_off' | 'percent_off' | 'min_spend' | 'max_discount'> & { gift_sku?: string }): string {
  const min = tmpl.min_spend > 0 ? t('loyalty.rule.minSpend', { amount: formatMoney(tmpl.min_spend) }) : t('loyalty.rule.noMin')
  if (tmpl.kind === 'amount_off') return `${min}${t('loyalty.rule.amountOff', { amount: formatMoney(tmpl.amount_off) })}`
  if (tmpl.kind === 'percent_off') {
    const cap = tmpl.max_discount ? t('loyalty.rule.cap', { amount: formatMoney(tmpl.max_discount) }) : ''
    return `${min}${t('loyalty.rule.percentOff', { pct: tmpl.percent_off, rate: (100 - tmpl.percent_off) / 10 })}${cap}`
  }
  return `${min}${t('loyalty.rule.gift', { sku: tmpl.gift_sku ?? '' })}`
}

/** Points expiry policy as text. */
export function expiryLabel(expiry: string): string {
  const m = /^days:(\d+)$/.exec(expiry)
  if (m) return t('loyalty.expiry.days', { n: m[1] })
  return tOr(`loyalty.expiry.${expiry}`, expiry)
}

/** "300 积分" or "300 积分 + ¥10.00" for `quantity` pieces of a gift. */
export function giftPriceText(g: Pick<Gift, 'points' | 'cash'>, quantity = 1): string {
  const points = t('loyalty.gift.pointsN', { n: g.points * quantity })
  return g.cash > 0 ? `${points} + ${formatMoney(g.cash * quantity)}` : points
}
