import { apiUrl, http } from './request'
import type { Page, PageQuery } from './request'

/**
 * 精准营销: segments 客户分群 (the rule language shared with automatic tags and campaigns),
 * their members, exports and tagging, automatic tags 自动标签, and a member's value groups.
 * Permission `segments.manage` (docs/api.md "Marketing").
 */

export type RuleMatch = 'all' | 'any' | 'none'
export const RULE_MATCHES: RuleMatch[] = ['all', 'any', 'none']
export type RuleOp = 'in' | 'not_in' | 'all' | 'gte' | 'lte' | 'between'
export type FieldKind = 'ids' | 'codes' | 'number'

/** A condition: `value` is an id / code list, a number (gte, lte) or `[min, max]` (between). */
export interface RuleCondition {
  field: string
  op: RuleOp
  value: number | string | Array<number | string> | [number, number]
  /** Windowed fields only: the last N days (0 = all time). */
  days?: number
}

/** A group of conditions and further groups (≤ 5 deep, ≤ 100 conditions; empty = everyone). */
export interface RuleGroup {
  match: RuleMatch
  rules: RuleNode[]
}

export type RuleNode = RuleCondition | RuleGroup

export function isRuleGroup(n: RuleNode): n is RuleGroup {
  return 'match' in n || 'rules' in n
}

/** A field a condition may name (`GET /segments/fields`); `label` is in the caller's language. */
export interface SegmentField {
  name: string
  kind: FieldKind
  ops: RuleOp[]
  label: string
  /** `codes` fields: the allowed values (empty: free text, e.g. `source`). */
  codes: string[]
  windowed: boolean
  default_days: number
  /** Custom fields (`custom.<key>`): the custom field's type. */
  custom_type?: string
}

export interface StaffRef {
  id: number
  name: string
}

export interface Segment {
  id: number
  name: string
  description: string
  rules: RuleGroup
  member_count: number
  counted_at: string | null
  created_by: StaffRef | null
  created_at: string
  updated_at: string
  version: number
  /** `GET /segments/{id}` only: the members matching now, in my stores. */
  live_count?: number
}

export interface SegmentInput {
  name: string
  description: string
  rules: RuleGroup
}

export interface SegmentCount {
  count: number
  /** All active members in my scope. */
  of: number
  elapsed_ms: number
}

export type RfmClass = string
export type Lifecycle = 'prospect' | 'new' | 'growing' | 'mature' | 'declining' | 'dormant' | 'lost'
export type ValueGroup = 'core' | 'new_potential' | 'dormant_high_value' | 'potential' | 'dormant' | 'regular' | 'prospect'
export const LIFECYCLES: Lifecycle[] = ['prospect', 'new', 'growing', 'mature', 'declining', 'dormant', 'lost']
export const VALUE_GROUPS: ValueGroup[] = ['core', 'new_potential', 'dormant_high_value', 'potential', 'dormant', 'regular', 'prospect']

/** A member of a segment (phone masked without `members.pii`; `total_spend` in fen). */
export interface SegmentMember {
  id: number
  member_no: string
  name: string
  phone: string | null
  store_name: string
  tier: string | null
  total_spend: number
  last_purchase_at: string | null
  points_balance: number
  rfm_class: RfmClass
  lifecycle: Lifecycle
  value_group: ValueGroup
}

/** 自动标签: a tag kept by a rule. */
export interface TagRule {
  id: number
  tag: StaffRef
  rules: RuleGroup
  enabled: boolean
  last_run_at: string | null
  /** Members carrying the tag after the last run. */
  last_members: number
  created_at: string
  updated_at: string
  version: number
}

export interface MemberValues {
  /** 1–5; 0 = no purchase in 12 months. */
  r: number
  f: number
  m: number
  rfm_class: RfmClass
  lifecycle: Lifecycle
  value_group: ValueGroup
  updated_at: string | null
}

// ---- segments -------------------------------------------------------------------------

/** The fields, operators and codes a rule may use (labels in the caller's language). */
export function getSegmentFields() {
  return http.get<{ fields: SegmentField[] }>('/segments/fields')
}

/** The live count while editing: members matching `rules` now, of all in my stores. */
export function countSegment(rules: RuleGroup, signal?: AbortSignal) {
  return http.post<SegmentCount>('/segments/count', { rules }, { signal })
}

export function getSegments(query: PageQuery & { q?: string } = {}) {
  return http.get<Page<Segment>>('/segments', { ...query })
}

/** One segment with its `live_count`. */
export function getSegment(id: number) {
  return http.get<Segment>(`/segments/${id}`)
}

export function createSegment(data: SegmentInput) {
  return http.post<Segment>('/segments', data)
}

export function updateSegment(id: number, data: Partial<SegmentInput> & { version: number }) {
  return http.put<Segment>(`/segments/${id}`, data)
}

/** 409 `segment.in_use` while a campaign uses it. */
export function deleteSegment(id: number) {
  return http.del(`/segments/${id}`)
}

/** The segment's members now, by member id. */
export function getSegmentMembers(id: number, query: PageQuery = {}) {
  return http.get<Page<SegmentMember>>(`/segments/${id}/members`, { ...query })
}

/** Download link of the members (needs `members.export`; audited). */
export function segmentExportUrl(id: number, format: 'csv' | 'xlsx') {
  return apiUrl(`/segments/${id}/export`, { format })
}

/** Give every member of the segment a tag (needs `tags.manage`) → how many got it now. */
export function tagSegment(id: number, tagId: number) {
  return http.post<{ members: number; added: number }>(`/segments/${id}/tag`, { tag_id: tagId })
}

// ---- automatic tags ---------------------------------------------------------------------

export function getTagRules() {
  return http.get<Page<TagRule>>('/tag-rules')
}

/** One rule per tag (409 `tag_rule.tag_has_rule`). */
export function createTagRule(data: { tag_id: number; rules: RuleGroup; enabled: boolean }) {
  return http.post<TagRule>('/tag-rules', data)
}

export function updateTagRule(id: number, data: { rules?: RuleGroup; enabled?: boolean; version: number }) {
  return http.put<TagRule>(`/tag-rules/${id}`, data)
}

/** The tag stays on its members; it is no longer kept by the rule. */
export function deleteTagRule(id: number) {
  return http.del(`/tag-rules/${id}`)
}

/** Apply the rule now → members who got / lost the tag. */
export function runTagRule(id: number) {
  return http.post<{ added: number; removed: number }>(`/tag-rules/${id}/run`)
}

// ---- member values -----------------------------------------------------------------------

/** RFM scores, class, lifecycle stage and value group (`members.read`). */
export function getMemberValues(memberId: number) {
  return http.get<MemberValues>(`/members/${memberId}/values`)
}

// ---- campaigns 营销活动 (`campaigns.manage`; approve / reject `campaigns.approve`) ------------

export type CampaignChannel = 'sms' | 'email' | 'wechat'
export const CAMPAIGN_CHANNELS: CampaignChannel[] = ['sms', 'email', 'wechat']
export type CampaignSchedule = 'now' | 'at' | 'recurring' | 'trigger'
export const CAMPAIGN_SCHEDULES: CampaignSchedule[] = ['now', 'at', 'recurring', 'trigger']
export type CampaignStatus = 'draft' | 'pending_approval' | 'scheduled' | 'sending' | 'active' | 'paused' | 'done' | 'cancelled'
export const CAMPAIGN_STATUSES: CampaignStatus[] = ['draft', 'pending_approval', 'scheduled', 'sending', 'active', 'paused', 'done', 'cancelled']
export type TriggerKind = 'welcome' | 'birthday' | 'days_since_purchase' | 'tier_change' | 'points_expiring' | 'cycle_due'
export const TRIGGER_KINDS: TriggerKind[] = ['welcome', 'birthday', 'days_since_purchase', 'tier_change', 'points_expiring', 'cycle_due']
/** Triggers whose `days` means something (days since the last purchase; days before points expire). */
export const TRIGGERS_WITH_DAYS: TriggerKind[] = ['days_since_purchase', 'points_expiring']
/** The template's variables, in the order the editor offers them. */
export const TEMPLATE_VARIABLES = ['name', 'points', 'tier', 'coupon_code', 'store', 'expiry', 'next_best'] as const
export type RecipientOutcome = 'queued' | 'control' | 'no_consent' | 'capped' | 'no_address' | 'minor'
export const RECIPIENT_OUTCOMES: RecipientOutcome[] = ['queued', 'control', 'no_consent', 'capped', 'no_address', 'minor']

export interface CampaignRecurring {
  /** 1 = Monday … 7 = Sunday. */
  weekdays: number[]
  /** "HH:MM" in each store's zone. */
  time: string
}

export interface CampaignTrigger {
  kind: TriggerKind
  days: number
}

export interface Campaign {
  id: number
  name: string
  status: CampaignStatus
  segment_id: number | null
  /** The audience's rules (a segment's are copied when saved). */
  rules: RuleGroup
  channel: CampaignChannel
  subject: string
  template: string
  coupon_template_id: number | null
  schedule: CampaignSchedule
  send_at: string | null
  recurring: CampaignRecurring | null
  trigger: CampaignTrigger | null
  control_pct: number
  result_days: number
  /** The audience counted at submission. */
  audience_estimate: number
  requested_by: number | null
  approved_by: number | null
  approved_at: string | null
  created_by: number | null
  /** Those staff members' names, for the screen. */
  requested_by_name: string | null
  approved_by_name: string | null
  created_by_name: string | null
  recipients: Record<RecipientOutcome, number>
  created_at: string
  updated_at: string
  version: number
  /** `GET /campaigns/{id}` only: the audience matching now. */
  audience_now?: number
}

export interface CampaignInput {
  name: string
  channel: CampaignChannel
  subject: string
  template: string
  coupon_template_id: number | null
  segment_id?: number | null
  rules?: RuleGroup
  schedule: CampaignSchedule
  send_at?: string
  recurring?: CampaignRecurring
  trigger?: CampaignTrigger
  control_pct: number
  result_days: number
}

export interface CampaignPreview {
  member: { id: number; member_no: string; name: string } | null
  subject: string
  body: string
}

export interface CampaignTestSent {
  message_id: number
  /** Masked. */
  to: string
  subject: string
  body: string
}

export interface CampaignGroupOutcome {
  members: number
  buyers: number
  conversion_pct: number
  /** Net spend within the window, fen. */
  revenue: number
  /** fen (a fraction). */
  revenue_per_member: number
}

export interface CampaignUplift {
  /** Percentage points, treatment − control. */
  conversion_points: number
  conversion_ci95: [number, number]
  /** fen. */
  revenue_per_member: number
  revenue_per_member_ci95: [number, number]
  significant: boolean
}

export interface CampaignResults {
  campaign_id: number
  name: string
  channel: CampaignChannel
  result_days: number
  window_complete: boolean
  recipients: Record<RecipientOutcome, number>
  messages: { queued: number; sending: number; sent: number; failed: number; suppressed: number }
  delivered: number
  unsubscribed: number
  coupons: { issued: number; redeemed: number }
  treatment: CampaignGroupOutcome
  control: CampaignGroupOutcome
  uplift: CampaignUplift | null
}

export function getCampaigns(query: PageQuery & { status?: CampaignStatus | '' } = {}) {
  return http.get<Page<Campaign>>('/campaigns', { ...query })
}

/** One campaign with `audience_now`. */
export function getCampaign(id: number) {
  return http.get<Campaign>(`/campaigns/${id}`)
}

/** A draft (201). */
export function createCampaign(data: CampaignInput) {
  return http.post<Campaign>('/campaigns', data)
}

/** Draft or paused only (409 `campaign.not_editable`). */
export function updateCampaign(id: number, data: Partial<CampaignInput> & { version: number }) {
  return http.put<Campaign>(`/campaigns/${id}`, data)
}

/** The message as a member gets it (default: the first of the audience); the coupon code is XXXXXXXX. */
export function previewCampaign(id: number, memberId?: number | null) {
  return http.get<CampaignPreview>(`/campaigns/${id}/preview`, { member_id: memberId ?? undefined })
}

/** A test to the caller's own phone / mailbox, marked 【测试】, through the real channel (202). */
export function testCampaign(id: number, to: string) {
  return http.post<CampaignTestSent>(`/campaigns/${id}/test`, { to })
}

export type CampaignAction = 'submit' | 'approve' | 'reject' | 'pause' | 'resume' | 'cancel'

/** A state change; 409 with the reason as a field message when the state does not allow it. */
export function campaignAction(id: number, action: CampaignAction) {
  return http.post<Campaign>(`/campaigns/${id}/${action}`, {})
}

export function getCampaignResults(id: number) {
  return http.get<CampaignResults>(`/campaigns/${id}/results`)
}

// ---- marketing settings 营销设置 (read: `campaigns.manage`; write: `marketing.settings`) ---------

export interface MarketingSettings {
  weekly_cap: number
  quiet_start: string
  quiet_end: string
  approval_threshold: number
  default_control_pct: number
  public_base_url: string
  sms_mode: 'file' | 'http'
  sms_url: string
  sms_sender: string
  sms_secret_set: boolean
  sms_per_minute: number
  email_mode: 'file' | 'smtp'
  smtp_url: string
  smtp_from: string
  smtp_username: string
  smtp_password_set: boolean
  email_per_minute: number
  version: number
}

export type MarketingSettingsInput = Partial<Omit<MarketingSettings, 'sms_secret_set' | 'smtp_password_set'>> & {
  /** Write-only: left out keeps the saved one. */
  sms_secret?: string
  smtp_password?: string
  version: number
}

export function getMarketingSettings() {
  return http.get<MarketingSettings>('/marketing/settings')
}

export function saveMarketingSettings(data: MarketingSettingsInput) {
  return http.put<MarketingSettings>('/marketing/settings', data)
}
