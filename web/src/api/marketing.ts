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
