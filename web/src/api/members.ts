import { apiUrl, fetchAll, http } from './request'
import type { Page, PageQuery, Query } from './request'

export type Gender = 'male' | 'female' | 'unknown'
export type Category = 'regular' | 'vip' | 'wholesale'
export type Source = 'walk_in' | 'online' | 'referral' | 'event' | 'import'
export type MemberStatus = 'active' | 'archived' | 'anonymized'
export type ConsentChannel = 'sms' | 'email' | 'wechat'
export type CustomFieldValue = string | number | string[] | null

export const GENDERS: Gender[] = ['male', 'female', 'unknown']
export const CATEGORIES: Category[] = ['regular', 'vip', 'wholesale']
export const SOURCES: Source[] = ['walk_in', 'online', 'referral', 'event', 'import']
export const CONSENT_CHANNELS: ConsentChannel[] = ['sms', 'email', 'wechat']
export const MEMBER_STATUSES: MemberStatus[] = ['active', 'archived', 'anonymized']

export interface MemberTag {
  id: number
  name: string
  group_id: number
}

export interface Consent {
  granted: boolean
  at: string | null
  source: string | null
  recorded_by: { id: number; name: string } | string | null
}

export interface Member {
  id: number
  member_no: string
  phone: string
  name: string
  gender: Gender
  birthday: string | null
  email: string | null
  wechat_id: string | null
  address: string | null
  company: string | null
  category: Category
  home_store_id: number | null
  source: Source
  referrer_id: number | null
  guide_id: number | null
  notes: string | null
  tags: MemberTag[]
  custom_fields: Record<string, CustomFieldValue>
  consents: Partial<Record<ConsentChannel, Consent>>
  status: MemberStatus
  version: number
  created_at: string
  updated_at: string
  updated_by: { id: number; name: string } | null
  pii_masked: boolean
  /** Set when the requested id was merged into this member. */
  merged_from?: number
  /** Loyalty and purchase figures (amounts in fen). */
  tier?: { id: number; name: string } | null
  points_balance?: number
  total_spend?: number
  purchase_count?: number
  average_order_value?: number
  last_purchase_at?: string | null
  referral_code?: string
}

/** Filters of `GET /members` (also used by the CSV export and bulk tagging). */
export interface MemberFilter {
  q?: string
  store_id?: number | ''
  category?: Category | ''
  source?: Source | ''
  gender?: Gender | ''
  tags?: number[]
  tags_mode?: 'any' | 'all'
  age_min?: number | null
  age_max?: number | null
  birthday_month?: number | ''
  created_from?: string
  created_to?: string
  consent?: ConsentChannel | ''
  guide_id?: number | null
  status?: MemberStatus | ''
  tier_id?: number | ''
  /** Total spend range in fen. */
  spend_min?: number | null
  spend_max?: number | null
  purchases_min?: number | null
  purchases_max?: number | null
  /** YYYY-MM-DD. */
  last_purchase_from?: string
  last_purchase_to?: string
  /** Custom-field filters, sent as `cf.<key>=value`. */
  cf?: Record<string, string | number | null | undefined>
}

export interface MemberQuery extends MemberFilter, PageQuery {
  sort?: string
}

/** Writable member fields (`POST` / partial `PUT`). */
export interface MemberInput {
  phone?: string
  name?: string
  gender?: Gender
  birthday?: string | null
  email?: string | null
  wechat_id?: string | null
  address?: string | null
  company?: string | null
  category?: Category
  home_store_id?: number | null
  source?: Source
  referrer_id?: number | null
  /** Create only: the referrer's 推荐码 (instead of `referrer_id`). */
  referral_code?: string
  guide_id?: number | null
  notes?: string | null
  /** Tag ids. */
  tags?: number[]
  custom_fields?: Record<string, CustomFieldValue>
  /** Marketing consent per channel. */
  consents?: Partial<Record<ConsentChannel, boolean>>
}

export interface HistoryEntry {
  at: string
  actor: { id: number | null; name: string } | null
  field: string
  old: unknown
  new: unknown
}

export type DuplicateReason = 'phone' | 'email' | 'name_birthday' | (string & {})

export interface DuplicatePair {
  a: Member
  b: Member
  reasons: DuplicateReason[]
}

/** The member fields an admin can choose between when merging. */
export const MERGE_FIELDS = [
  'name', 'phone', 'gender', 'birthday', 'email', 'wechat_id', 'address', 'company',
  'category', 'home_store_id', 'source', 'referrer_id', 'guide_id', 'notes', 'custom_fields',
] as const
export type MergeField = (typeof MERGE_FIELDS)[number]

/** Flatten a filter into the list query (`tags` comma-joined, `cf.<key>=value`). */
export function memberQuery(f: MemberQuery): Query {
  const { cf, tags, ...rest } = f
  const q: Query = { ...rest }
  if (tags && tags.length) {
    q.tags = tags
    q.tags_mode = f.tags_mode || 'any'
  } else {
    delete q.tags_mode
  }
  for (const [k, v] of Object.entries(cf ?? {})) {
    if (v !== undefined && v !== null && v !== '') q[`cf.${k}`] = v
  }
  return q
}

/**
 * The list's filter as a `{filter}` body of the bulk routes: the same query parameters as
 * `GET /members`, every value a string (arrays comma-joined), empty ones left out.
 */
export function memberFilterParams(f: MemberFilter): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(memberQuery(f))) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) {
      if (v.length) out[k] = v.join(',')
    } else {
      out[k] = String(v)
    }
  }
  return out
}

/** Search and filter members. */
export function getMemberList(query: MemberQuery) {
  return http.get<Page<Member>>('/members', memberQuery(query))
}

/** URL of the CSV export of the filtered list (a plain GET download). */
export function memberExportUrl(filter: MemberQuery): string {
  const q = memberQuery(filter)
  delete q.cursor
  delete q.limit
  return apiUrl('/members/export.csv', q)
}

/** One member (a merged id answers the survivor). */
export function getMember(id: number) {
  return http.get<Member>(`/members/${id}`)
}

/** Register a member. */
export function createMember(data: MemberInput) {
  return http.post<Member>('/members', data)
}

/** Partial update with `version`; stale → 409 `version_conflict`. */
export function updateMember(id: number, data: MemberInput & { version: number }) {
  return http.put<Member>(`/members/${id}`, data)
}

/** One page of a member's change history. */
export function getMemberHistory(id: number, query: PageQuery = {}) {
  return http.get<Page<HistoryEntry>>(`/members/${id}/history`, { ...query })
}

/** Archive a member. */
export function archiveMember(id: number) {
  return http.post<Member>(`/members/${id}/archive`)
}

/** Restore an archived member. */
export function restoreMember(id: number) {
  return http.post<Member>(`/members/${id}/restore`)
}

/** Irreversibly anonymise a member. */
export function anonymizeMember(id: number) {
  return http.post<Member | void>(`/members/${id}/anonymize`, { confirm: true })
}

/** Suggested duplicate pairs (every page); `member_id` narrows them to one member's. */
export function getDuplicates(member_id?: number) {
  return fetchAll<DuplicatePair>('/members/duplicates', { member_id }, 10)
}

/**
 * Merge `other_id` into `id`. `fields` says per field whose value survives: `"other"` takes the
 * merged member's value, `"survivor"` keeps this member's (fields left out: the server keeps
 * this member's value, or the other's when this one is empty).
 */
export function mergeMember(id: number, data: { other_id: number; fields: Partial<Record<MergeField, 'survivor' | 'other'>>; version: number }) {
  return http.post<Member>(`/members/${id}/merge`, data)
}

/** Add / remove tags on chosen members or on every member matching a filter. */
export function bulkTags(data: { member_ids?: number[]; filter?: Query; add: number[]; remove: number[] }) {
  return http.post<{ affected: number }>('/members/bulk-tags', data)
}
