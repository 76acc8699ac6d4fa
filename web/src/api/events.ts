import { http } from './request'
import type { Page, PageQuery } from './request'
import type { MemberRef } from './service'

export type EventStatus = 'planned' | 'cancelled' | 'finished'
export type AttendeeStatus = 'invited' | 'registered' | 'attended' | 'cancelled'
export const EVENT_STATUSES: EventStatus[] = ['planned', 'cancelled', 'finished']
export const ATTENDEE_STATUSES: AttendeeStatus[] = ['invited', 'registered', 'attended', 'cancelled']

/** 会员活动. */
export interface MemberEvent {
  id: number
  title: string
  description: string
  store_id: number
  starts_at: string
  ends_at: string
  capacity: number
  status: EventStatus
  invited: number
  registered: number
  attended: number
  version: number
  created_at: string
}

export type EventInput = Pick<MemberEvent, 'title' | 'description' | 'store_id' | 'starts_at' | 'ends_at' | 'capacity'> & { status?: EventStatus }

export interface Attendee {
  member: MemberRef
  status: AttendeeStatus
  invited_at: string | null
  registered_at: string | null
  checked_in_at: string | null
}

export interface EventReport {
  invited: number
  registered: number
  attended: number
  attendance_rate_pct: number
  sales_before: { amount: number; count: number }
  sales_after: { amount: number; count: number }
  members_buying_after: number
  satisfaction: { answers: number; nps: number | { score: number } | null; csat: number | { average: number } | null }
}

export function getEvents(query: PageQuery & { store_id?: number | ''; status?: EventStatus | ''; from?: string; to?: string } = {}) {
  return http.get<Page<MemberEvent>>('/events', { ...query })
}

export function getEvent(id: number) {
  return http.get<MemberEvent>(`/events/${id}`)
}

export function createEvent(data: EventInput) {
  return http.post<MemberEvent>('/events', data)
}

export function updateEvent(id: number, data: Partial<EventInput> & { version: number }) {
  return http.put<MemberEvent>(`/events/${id}`, data)
}

/** Invite chosen members or every member matching a member-list filter. */
export function inviteToEvent(id: number, data: { member_ids: number[] } | { filter: Record<string, string> }) {
  return http.post<{ invited: number }>(`/events/${id}/invitations`, data)
}

export function getAttendees(id: number, query: PageQuery & { status?: AttendeeStatus | '' } = {}) {
  return http.get<Page<Attendee>>(`/events/${id}/attendees`, { ...query })
}

export function registerForEvent(id: number, memberId: number) {
  return http.post<MemberEvent>(`/events/${id}/registrations`, { member_id: memberId })
}

export function cancelRegistration(id: number, memberId: number) {
  return http.del<void>(`/events/${id}/registrations/${memberId}`)
}

/** Check in by the member's QR content (member no. or referral code) or id. */
export function checkInToEvent(id: number, data: { code: string } | { member_id: number }) {
  return http.post<{ event: MemberEvent; member: MemberRef }>(`/events/${id}/checkins`, data)
}

export function getEventReport(id: number, days = 30) {
  return http.get<EventReport>(`/events/${id}/report`, { days })
}
