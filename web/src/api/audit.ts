import { http } from './request'
import type { Page, PageQuery } from './request'

export interface AuditEntry {
  id: number
  at: string
  actor: { type: 'staff' | 'api_token' | 'system'; id: number | null; name: string }
  action: string
  entity: string
  entity_id: string | number | null
  ip: string
  detail: unknown
}

export interface AuditQuery extends PageQuery {
  actor_id?: number | string
  action?: string
  entity?: string
  entity_id?: string
  /** First day (YYYY-MM-DD), inclusive. */
  from?: string
  /** Last day (YYYY-MM-DD), inclusive. */
  to?: string
}

/** Page through the audit log. */
export function getAuditList(query: AuditQuery = {}) {
  return http.get<Page<AuditEntry>>('/audit', { ...query })
}
