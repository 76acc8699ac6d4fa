import { http } from './request'
import type { Page, PageQuery } from './request'
import type { MemberRef, StaffRef } from './service'

export type ComplaintChannel = 'phone' | 'email' | 'in_store' | 'online'
export type Severity = 'low' | 'medium' | 'high' | 'critical'
export type ComplaintStatus = 'new' | 'acknowledged' | 'investigating' | 'resolved' | 'follow_up' | 'closed'
export const COMPLAINT_CHANNELS: ComplaintChannel[] = ['in_store', 'phone', 'online', 'email']
export const SEVERITIES: Severity[] = ['low', 'medium', 'high', 'critical']
export const COMPLAINT_STATUSES: ComplaintStatus[] = ['new', 'acknowledged', 'investigating', 'resolved', 'follow_up', 'closed']
/** The categories docs/api.md names; the server accepts any 1–40 character code. */
export const COMPLAINT_CATEGORIES = ['product_quality', 'service_attitude', 'price', 'food_safety', 'allergy', 'injury', 'delivery', 'other']

export interface ComplaintEvent {
  id: number
  kind: 'created' | 'status' | 'assigned' | 'note' | 'escalated' | 'breach'
  from_status: string
  to_status: string
  note: string
  staff: StaffRef | null
  at: string
}

/** 投诉. */
export interface Complaint {
  id: number
  store_id: number
  store_name: string
  member: MemberRef | null
  sale_id: number | null
  channel: ComplaintChannel
  category: string
  severity: Severity
  description: string
  status: ComplaintStatus
  assignee: StaffRef | null
  legal_flag: boolean
  escalation_level: number
  escalated_to: StaffRef | null
  response_due_at: string
  resolution_due_at: string
  responded_at: string | null
  resolved_at: string | null
  closed_at: string | null
  response_breached: boolean
  resolution_breached: boolean
  resolution: string
  compensation_points: number
  compensation_coupon: { id: number; code: string } | null
  satisfaction: number | null
  follow_up_note: string
  created_by: StaffRef | null
  created_at: string
  version: number
  events?: ComplaintEvent[]
}

export interface ComplaintQuery extends PageQuery {
  status?: ComplaintStatus | 'open' | ''
  store_id?: number | ''
  severity?: Severity | ''
  category?: string
  assignee_id?: number | ''
  breached?: boolean | ''
  member_id?: number | ''
  q?: string
  from?: string
  to?: string
}

export interface ComplaintInput {
  store_id: number
  channel: ComplaintChannel
  category: string
  severity: Severity
  description: string
  member_id?: number
  sale_id?: number
  assignee_id?: number
  legal_flag?: boolean
}

export interface TransitionInput {
  to: ComplaintStatus
  note?: string
  version: number
  resolution?: string
  compensation_points?: number
  compensation_coupon_template_id?: number
  satisfaction?: number
  follow_up_note?: string
}

export interface ComplaintReport {
  from: string
  to: string
  total: number
  top_categories: Array<{ category: string; count: number }>
  stores: Array<{
    store_id: number
    store_name: string
    total: number
    responded_in_time: number
    resolved_in_time: number
    response_compliance_pct: number
    resolution_compliance_pct: number
    avg_satisfaction: number | null
  }>
}

/** Complaints, nearest due first; `now` is the server's clock for the SLA timers. */
export function getComplaints(query: ComplaintQuery = {}) {
  return http.get<Page<Complaint> & { now?: string }>('/complaints', { ...query })
}

export function getComplaint(id: number) {
  return http.get<Complaint & { now?: string }>(`/complaints/${id}`)
}

export function createComplaint(data: ComplaintInput) {
  return http.post<Complaint>('/complaints', data)
}

/** Move along new → acknowledged → investigating → resolved → follow_up → closed. */
export function transitionComplaint(id: number, data: TransitionInput) {
  return http.post<Complaint>(`/complaints/${id}/transition`, data)
}

export function assignComplaint(id: number, data: { assignee_id: number; version: number }) {
  return http.post<Complaint>(`/complaints/${id}/assign`, data)
}

export function addComplaintNote(id: number, note: string) {
  return http.post<Complaint>(`/complaints/${id}/notes`, { note })
}

export function getComplaintReport(query: { from?: string; to?: string; store_id?: number | '' } = {}) {
  return http.get<ComplaintReport>('/complaints/report', { ...query })
}
