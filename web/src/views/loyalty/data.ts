/** Shared helpers of the loyalty admin pages. */
import type { CouponTemplate } from '@/api/loyalty'
import { t } from '@/locales'

/** `valid_from` as the day it starts (UTC date of the stored instant). */
export function fromDay(iso: string | null): string {
  return iso ? iso.slice(0, 10) : ''
}

/** `valid_until` is stored as the end of the chosen day (the next midnight): show that day. */
export function untilDay(iso: string | null): string {
  if (!iso) return ''
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? iso.slice(0, 10) : new Date(ms - 1000).toISOString().slice(0, 10)
}

export function templateValidity(tmpl: CouponTemplate): string {
  if (tmpl.valid_days > 0) return t('loyalty.template.validDaysText', { n: tmpl.valid_days })
  return `${fromDay(tmpl.valid_from) || '…'} ~ ${untilDay(tmpl.valid_until) || '…'}`
}
