/** Labels and number formats shared by the analysis pages. */
import { i18n, t, tOr } from '@/locales'
import { formatMoney } from '@/utils/format'

/** 重要价值客户 / Champions … (unknown codes shown as sent). */
export const rfmClassLabel = (c: string) => tOr(`analytics.rfm.class.${c}`, c)

/** One line on what a class means (tooltip of the class table). */
export const rfmClassHint = (c: string) => tOr(`analytics.rfm.classHint.${c}`, '')

export const genderLabel = (k: string) => tOr(`member.gender.${k}`, k)
export const sourceLabel = (k: string) => tOr(`member.source.${k}`, k)
export const tierLabel = (k: string) => (k === 'none' ? t('analytics.members.noTier') : k)
export const ageLabel = (k: string) => (k === 'unknown' ? t('analytics.members.ageUnknown') : k)
/** 年龄 / Age … for the member measures of correlation and clusters (unknown names as sent). */
export const variableLabel = (v: string) => tOr(`analytics.variable.${v}`, v)
/** 1 = Monday. */
export const weekdayLabel = (d: number) => t(`analytics.weekday.${d}`)

/** "12.5%" (one decimal at most). */
export function formatPct(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return `${Math.round(v * 10) / 10}%`
}

/**
 * A fitted model parameter: 4 decimals at most (2 from 1,000 up), trailing zeros dropped,
 * thousands separators: 0.0002, 3.5373, 912.186, 115,853.46, -162.2.
 */
export function formatParam(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  const digits = Math.abs(v) >= 1000 ? 2 : 4
  return Number(v.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits })
}

/** A count with thousands separators. */
export function formatCount(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  return Number(v).toLocaleString('en-US')
}

/** Short money for small spaces (grid cells, chart axes): ¥3.86万 / ¥38.6k. */
export function compactMoney(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const yuan = Math.abs(fen) / 100
  const zh = String(i18n.global.locale.value) !== 'en'
  const round = (n: number) => String(Math.round(n * 100) / 100)
  if (zh) {
    if (yuan >= 1e8) return `${sign}¥${round(yuan / 1e8)}亿`
    if (yuan >= 1e4) return `${sign}¥${round(yuan / 1e4)}万`
    return `${sign}¥${Math.round(yuan)}`
  }
  if (yuan >= 1e6) return `${sign}¥${round(yuan / 1e6)}M`
  if (yuan >= 1e3) return `${sign}¥${Math.round(yuan / 100) / 10}k`
  return `${sign}¥${Math.round(yuan)}`
}

export { formatMoney }

/**
 * The range of values a score stands for, from the 20/40/60/80 % cut points.
 * Higher is better for frequency and monetary (score s covers (c[s-2], c[s-1]]);
 * recency is the other way round (score 5 = the fewest days).
 * An empty range (two equal cut points) is "—".
 */
export function cutRange(cuts: number[], score: number, opts: { lowerIsBetter?: boolean; money?: boolean } = {}): string {
  if (cuts.length !== 4) return '—'
  const i = opts.lowerIsBetter ? 5 - score : score - 1 // interval 0: ≤ c1 … 4: > c4
  const fmt = (v: number) => (opts.money ? compactMoney(v) : String(Math.round(v * 100) / 100))
  if (i === 0) return `≤ ${fmt(cuts[0])}`
  if (i === 4) return `> ${fmt(cuts[3])}`
  const lo = cuts[i - 1]
  const hi = cuts[i]
  if (hi <= lo) return '—'
  // Days and purchases are whole numbers: (1, 3] is 2–3.
  if (!opts.money && Number.isInteger(lo) && Number.isInteger(hi)) return lo + 1 === hi ? String(hi) : `${lo + 1}–${hi}`
  return `${fmt(lo)} – ${fmt(hi)}`
}
