import { apiUrl, http } from './request'
import type { Page, PageQuery, Query } from './request'

/** The RFM classes of docs/api.md, best first (the order of the class summary). */
export const RFM_CLASSES = [
  'champions',
  'loyal',
  'potential_loyalist',
  'new',
  'promising',
  'need_attention',
  'about_to_sleep',
  'at_risk',
  'cant_lose',
  'hibernating',
  'lost',
] as const
export type RfmClass = (typeof RFM_CLASSES)[number] | (string & {})

/** Filters every report takes: dates are `YYYY-MM-DD` (China days), stores a comma list. */
export interface ReportQuery {
  from?: string
  to?: string
  store_id?: number[]
}

export interface RfmCell {
  r: number
  f: number
  members: number
  /** Net spend of the cell's members, fen. */
  revenue: number
  class: RfmClass
}

export interface RfmClassSummary {
  class: RfmClass
  members: number
  revenue: number
}

/** 20/40/60/80 % cut points of each measure (4 values each). */
export interface RfmCuts {
  recency_days: number[]
  frequency: number[]
  monetary: number[]
}

export interface RfmReport {
  from: string
  to: string
  members: number
  /** 25 cells, r 5→1, f 1→5. */
  grid: RfmCell[]
  classes: RfmClassSummary[]
  cuts: RfmCuts
  elapsed_ms: number
}

export interface RfmMember {
  member_id: number
  member_no: string
  name: string
  /** Masked. */
  phone: string
  recency_days: number
  frequency: number
  monetary: number
  r: number
  f: number
  m: number
  class: RfmClass
}

export interface RfmMemberQuery extends ReportQuery, PageQuery {
  r?: number
  f?: number
  class?: string
}

export interface SalesTotals {
  amount: number
  transactions: number
  average_order_value: number
  items_per_basket: number
  members_buying: number
  member_transactions: number
  member_amount_share_pct: number
  purchase_frequency: number
  repurchase_rate_pct: number
}

export interface SalesReport {
  from: string
  to: string
  totals: SalesTotals
  /** Every day of the period. */
  by_day: { date: string; amount: number; transactions: number }[]
  /** Largest first. */
  by_category: { category_id: number | null; name: string; amount: number; quantity: number }[]
  /** 7 rows (weekday 1 = Monday) × 24 hours. */
  heatmap: { weekdays: number[]; hours: number[]; amount: number[][]; transactions: number[][] }
  by_store: { store_id: number; store_name: string; amount: number; transactions: number; average_order_value: number; members_buying: number }[]
  elapsed_ms: number
}

export interface Cohort {
  /** `YYYY-MM` of the first purchase. */
  month: string
  members: number
  /** [100, month 1, month 2, …]. */
  retention_pct: number[]
}

export interface CohortQuery {
  months?: number
  store_id?: number[]
}

export interface CohortReport {
  cohorts: Cohort[]
}

export interface SplitRow {
  key: string
  members: number
}

export interface MemberReport {
  /** Active members now. */
  total: number
  /** Registered in the period. */
  new: number
  /** Bought in the period. */
  active: number
  /** Bought in the period before, not in this one. */
  churned: number
  churn_rate_pct: number
  splits: { gender: SplitRow[]; age: SplitRow[]; tier: SplitRow[]; source: SplitRow[] }
  from?: string
  to?: string
}

function q(query: object): Query {
  return query as Query
}

/** RFM grid, classes and cut points. */
export const getRfm = (query: ReportQuery) => http.get<RfmReport>('/analytics/rfm', q(query))

/** Members of an RFM cell (`r`+`f`) or class, highest spend first. */
export const getRfmMembers = (query: RfmMemberQuery) => http.get<Page<RfmMember>>('/analytics/rfm/members', q(query))

/** 经营概览: totals, by day, category, hour × weekday and store. */
export const getSalesReport = (query: ReportQuery) => http.get<SalesReport>('/analytics/sales', q(query))

/** 同期群: retention by month of first purchase. */
export const getCohorts = (query: CohortQuery) => http.get<CohortReport>('/analytics/cohorts', q(query))

/** 会员分析: counts, churn and splits. */
export const getMemberReport = (query: ReportQuery) => http.get<MemberReport>('/analytics/members', q(query))

/** Download address of a report's main table as CSV (`format=csv`, audited on the server). */
export function reportCsvUrl(report: 'rfm' | 'sales' | 'cohorts' | 'members', query: ReportQuery | CohortQuery): string {
  return apiUrl(`/analytics/${report}`, { ...q(query), format: 'csv' })
}
