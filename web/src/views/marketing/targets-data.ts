/** Periods of targets ("2026", "2026-Q4", "2026-11") in the China calendar, and labels. */
import type { Target, TargetMetric } from '@/api/targets'
import { t, tOr } from '@/locales'
import { formatMoney } from '@/utils/format'

export type PeriodKind = 'year' | 'quarter' | 'month'

/** Today in China (UTC+8) as YYYY-MM-DD, whatever the browser's zone. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
}

export function currentPeriod(kind: PeriodKind): string {
  const day = chinaToday()
  const year = day.slice(0, 4)
  const month = Number(day.slice(5, 7))
  if (kind === 'year') return year
  if (kind === 'quarter') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`
  return day.slice(0, 7)
}

export function periodKind(p: string): PeriodKind {
  if (/^\d{4}$/.test(p)) return 'year'
  if (/^\d{4}-Q[1-4]$/.test(p)) return 'quarter'
  return 'month'
}

/** "2026 年" / "2026 年第 4 季度" / "2026 年 11 月". */
export function periodLabel(p: string): string {
  const kind = periodKind(p)
  const year = p.slice(0, 4)
  if (kind === 'year') return t('marketing.target.periodYear', { year })
  if (kind === 'quarter') return t('marketing.target.periodQuarter', { year, q: p.slice(6) })
  return t('marketing.target.periodMonth', { year, month: Number(p.slice(5, 7)) })
}

export const metricLabel = (m: TargetMetric | string) => tOr(`marketing.target.metric.${m}`, m)
export const scopeLabel = (s: string) => tOr(`marketing.target.scope.${s}`, s)

/** A target's or actual's value: money for sales (fen), a count of members otherwise. */
export function metricValue(metric: TargetMetric | string, v: number): string {
  return metric === 'sales' ? formatMoney(v) : t('marketing.target.people', { n: v.toLocaleString('en-US') })
}

/** "62.5%" with one decimal. */
export const progressText = (v: number) => `${(Math.round(v * 10) / 10).toFixed(1)}%`

export function sortTargets(list: Target[]): Target[] {
  const order: Record<string, number> = { sales: 0, new_members: 1, reactivated: 2 }
  return [...list].sort((a, b) => a.scope.localeCompare(b.scope) || a.subject_name.localeCompare(b.subject_name, 'zh-CN') || (order[a.metric] ?? 9) - (order[b.metric] ?? 9))
}
