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

export type ExportFormat = 'csv' | 'xlsx'
export type ExportReport = 'rfm' | 'sales' | 'cohorts' | 'members' | 'baskets' | 'staff'

/** Download address of a report's main table as CSV or Excel (`format=csv|xlsx`, audited on the server). */
export function reportExportUrl(report: ExportReport, query: object, format: ExportFormat): string {
  return apiUrl(`/analytics/${report}`, { ...q(query), format })
}

/** Download address of a report's main table as CSV (`format=csv`, audited on the server). */
export function reportCsvUrl(report: ExportReport, query: ReportQuery | CohortQuery | BasketQuery): string {
  return reportExportUrl(report, query, 'csv')
}

/** The same as an Excel sheet (`format=xlsx`). */
export function reportXlsxUrl(report: ExportReport, query: ReportQuery | CohortQuery | BasketQuery): string {
  return reportExportUrl(report, query, 'xlsx')
}

// ---- 购物篮 association rules ----

export type BasketLevel = 'product' | 'category'

export interface BasketQuery extends ReportQuery {
  level?: BasketLevel
  /** Fractions (0.01 = 1 %). */
  min_support?: number
  min_confidence?: number
  min_lift?: number
  max_length?: 2 | 3
  limit?: number
  cursor?: string | null
}

export interface BasketItemRef {
  id: number
  name: string
}

export interface BasketRule {
  antecedent: BasketItemRef[]
  consequent: BasketItemRef
  /** Baskets holding the whole rule. */
  baskets: number
  /** Fractions. */
  support: number
  confidence: number
  lift: number
}

export interface BasketReport {
  from: string
  to: string
  level: BasketLevel
  baskets: number
  frequent_items: number
  /** Every rule found (the page holds `limit` of them). */
  total: number
  items: BasketRule[]
  next_cursor: string | null
  elapsed_ms: number
}

/** Association rules, by lift then baskets, a page at a time. */
export const getBaskets = (query: BasketQuery) => http.get<BasketReport>('/analytics/baskets', q(query))

// ---- 相关性 ----

export const CORRELATION_VARIABLES = ['age', 'tenure_days', 'recency_days', 'frequency', 'average_order_value', 'monetary', 'category_breadth'] as const

export interface CorrelationReport {
  from?: string
  to?: string
  members: number
  variables: string[]
  /** Square matrices over `variables`; null where a column is constant or under 3 pairs. */
  pearson: (number | null)[][]
  spearman: (number | null)[][]
  /** Members with both values. */
  pairs: number[][]
}

export const getCorrelation = (query: ReportQuery) => http.get<CorrelationReport>('/analytics/correlation', q(query))

// ---- 客户聚类 ----

export const CLUSTER_EXTRA_FEATURES = ['age', 'tenure_days', 'average_order_value', 'category_breadth'] as const

export interface ClusterQuery extends ReportQuery {
  k?: 'auto' | number
  features?: string[]
}

export interface ClusterMeans {
  recency_days: number
  frequency: number
  /** Fen. */
  monetary: number
  /** Fen. */
  average_order_value: number
  category_breadth: number
  age: number | null
  tenure_days: number
}

export interface Cluster {
  id: number
  size: number
  share_pct: number
  mean: ClusterMeans
  label: { zh: string; en: string }
}

export interface ClusterReport {
  from?: string
  to?: string
  members: number
  features: string[]
  k: number
  suggested_by: 'silhouette' | 'user'
  silhouette: { k: number; silhouette: number }[]
  /** Largest first. */
  clusters: Cluster[]
}

export const getClusters = (query: ClusterQuery) => http.get<ClusterReport>('/analytics/clusters', q(query))

/** What `POST /segments/from-cluster` answers: the new segment, its tag and how many members were frozen. */
export interface ClusterSegment {
  segment_id: number
  tag_id: number
  /** Members tagged (the cluster's members in the caller's stores, minors left out). */
  members: number
  /** The cluster's label in the request's language. */
  description: string
}

/**
 * 从聚类建分群 (needs segments.manage and tags.manage): the server reruns the clustering with
 * `query` — pass the query of the clusters shown — and freezes cluster `cluster_id` as tag and
 * segment `name`. 409 with a field error on `name` when the name is taken, 400 on `cluster_id`
 * when there is no such cluster.
 */
export const makeClusterSegment = (query: ClusterQuery, body: { cluster_id: number; name: string }) =>
  http.post<ClusterSegment>('/segments/from-cluster', body, { query: q(query) })

// ---- 预测分析 ----

export type PredictionUnit = 'day' | 'week'

export interface PredictionQuery {
  calibration_end?: string
  unit?: PredictionUnit
  store_id?: number[]
}

export interface BgNbd {
  r: number
  alpha: number
  a: number
  b: number
  log_likelihood: number
  at_bound: boolean
}

export interface GammaGamma {
  p: number
  q: number
  gamma: number
  log_likelihood: number
  members: number
  at_bound: boolean
}

export interface ChurnRiskRow {
  member_id: number
  member_no: string
  name: string
  phone: string
  purchases: number
  /** Fen. */
  total_spend: number
  /** 0..1. */
  p_alive: number
  expected_purchases_90d: number
  /** Fen. */
  expected_value_90d: number
}

export interface PredictionReport {
  unit: PredictionUnit
  calibration_end: string
  holdout_days: number
  members: number
  fitted_on: number
  bgnbd: BgNbd
  /** Null with fewer than 10 repeat buyers. */
  gamma_gamma: GammaGamma | null
  /** Purchase days after the calibration end: expected by the model vs what happened. */
  holdout: { predicted: number; actual: number }
  churn_risk: ChurnRiskRow[]
  elapsed_ms: number
}

export const getPrediction = (query: PredictionQuery) => http.get<PredictionReport>('/analytics/prediction', q(query))

export interface MemberPrediction {
  available: boolean
  p_alive?: number
  expected_purchases_90d?: number
  /** Fen. */
  expected_value_90d?: number
  purchases?: number
  model?: unknown
}

/** 价值预测 of one member (`members.read`), from the chain-wide weekly model. */
export const getMemberPrediction = (id: number) => http.get<MemberPrediction>(`/members/${id}/prediction`)

// ---- 序列规则 sequential rules ----

export interface SequenceQuery extends ReportQuery {
  level?: BasketLevel
  /** Days after the first purchase of `first` within which `then` must come. */
  within_days?: number
  /** Fractions (0.01 = 1 %). */
  min_support?: number
  min_confidence?: number
  limit?: number
  cursor?: string | null
}

export interface SequenceRule {
  first: BasketItemRef
  then: BasketItemRef
  /** Members who bought `first` and then `then` within the window. */
  members: number
  /** Fractions: support over buying members, confidence over those who bought `first`. */
  support: number
  confidence: number
  lift: number
}

export interface SequenceReport {
  level: BasketLevel
  within_days: number
  /** Buying members in the period. */
  members: number
  /** Every rule found (the page holds `limit` of them). */
  total: number
  items: SequenceRule[]
  next_cursor: string | null
}

/** "Bought X, then Y within N days", by lift, a page at a time. */
export const getSequences = (query: SequenceQuery) => http.get<SequenceReport>('/analytics/sequences', q(query))

// ---- 需求预测 demand forecast ----

export type ForecastLevel = 'category' | 'product'

export interface ForecastQuery {
  /** 1–12. */
  weeks?: number
  level?: ForecastLevel
  store_id?: number[]
}

export interface ForecastSeries {
  store_id: number
  store_name: string
  item_id: number
  name: string
  /** Units a normal week (the recent 8 weeks). */
  weekly_level: number
  /** Sales on public holidays over a normal day's (1 = no difference). */
  holiday_factor: number
  /** A public holiday falls in the forecast weeks. */
  holidays_ahead: boolean
  weeks: { week_start: string; quantity: number }[]
  total: number
  stock: number
}

export interface ForecastAlert {
  store_id: number
  store_name: string
  item_id: number
  name: string
  forecast: number
  stock: number
  short_by: number
}

export interface ForecastReport {
  level: ForecastLevel
  /** The forecast's first and last day. */
  from: string
  to: string
  /** Largest total first. */
  series: ForecastSeries[]
  /** Largest shortfall first. */
  alerts: ForecastAlert[]
}

/** Weekly demand per store and category (or product) with stock alerts. */
export const getForecast = (query: ForecastQuery) => http.get<ForecastReport>('/analytics/forecast', q(query))

// ---- 满意度 ----

export interface SatisfactionFigures {
  answers: number
  /** -100..100; null without NPS answers. */
  nps: number | null
  /** 1..5 average; null without CSAT answers. */
  csat: number | null
  complaints: number
  /** Share of complaints answered / resolved within their SLA; null without complaints. */
  response_compliance_pct: number | null
  resolution_compliance_pct: number | null
}

export interface SatisfactionStore extends SatisfactionFigures {
  store_id: number
  store_name: string
}

export interface SatisfactionReport extends SatisfactionFigures {
  from?: string
  to?: string
  stores: SatisfactionStore[]
}

/** NPS, CSAT, complaints and SLA compliance, chain-wide and per store. */
export const getSatisfaction = (query: ReportQuery) => http.get<SatisfactionReport>('/analytics/satisfaction', q(query))

// ---- 员工绩效 ----

export interface StaffRow {
  staff_id: number
  name: string
  role_code: string
  /** The role's stored name (a renamed or custom role shows it). */
  role_name: string
  /** Net fen. */
  sales_amount: number
  sales_count: number
  new_members: number
  tasks_done: number
  reactivated: number
  csat: number | null
}

export interface StaffReport {
  from?: string
  to?: string
  /** By sales amount, largest first. */
  items: StaffRow[]
}

/** The staff leaderboard. */
export const getStaffBoard = (query: ReportQuery) => http.get<StaffReport>('/analytics/staff', q(query))

// ---- 推荐商品 ----

export interface NextBestProduct {
  product: BasketItemRef
  /** Confidence × lift of the strongest rule. */
  score: number
  /** What the member bought that the rule starts from. */
  because: BasketItemRef
}

/** Up to 5 products the member has not bought, from the product rules (`members.read`). */
export const getNextBestProducts = (id: number) => http.get<{ items: NextBestProduct[] }>(`/members/${id}/next-best-products`)
