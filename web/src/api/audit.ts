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

/** `GET /audit/verify`: the hash chain checked from the first entry. */
export interface AuditVerify {
  ok: boolean
  /** Entries checked. */
  checked: number
  sealed_through_id: number | null
  first_broken_id: number | null
  /** Entries not yet sealed (job `audit.seal` seals them within seconds). */
  unsealed: number
}

export function verifyAudit() {
  return http.get<AuditVerify>('/audit/verify')
}
