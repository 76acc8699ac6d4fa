import { http } from './request'
import type { Page, PageQuery } from './request'

/**
 * 隐私合规: the data retention rule that anonymises members inactive for `inactive_years`
 * (job `privacy.retention`, daily). Permission `privacy.manage`.
 */

export interface RetentionRule {
  enabled: boolean
  /** 1–20. */
  inactive_years: number
  last_run: { at: string; anonymised: number } | null
}

export interface RetentionCandidate {
  id: number
  member_no: string
  /** Masked. */
  name: string
  store_name: string
  last_activity_at: string | null
}

export function getRetention() {
  return http.get<RetentionRule>('/privacy/retention')
}

export function updateRetention(data: { enabled: boolean; inactive_years: number }) {
  return http.put<void>('/privacy/retention', data)
}

/** Members the rule would anonymise now (whether it is on or off); `inactive_years` tries another value. */
export function getRetentionPreview(query: PageQuery & { inactive_years?: number } = {}) {
  return http.get<Page<RetentionCandidate>>('/privacy/retention/preview', { ...query })
}
