/**
 * The staff side of the member pages (会员中心): scan-to-join codes of a store or a guide,
 * the members' deletion requests, and the message log (where the demo's SMS codes land).
 */
import { apiUrl, http } from './request'
import type { Page, PageQuery } from './request'
import type { StaffRef } from './service'

/** Whose join code: a store's, or a guide's personal one (members join with that guide). */
export type JoinOwner = 'stores' | 'staff'

/** `GET /{stores|staff}/{id}/join-code`. */
export interface JoinCode {
  token: string
  /** Absolute link of the member page `/m/join/<token>`. */
  url: string
  /** Store name, or "store · guide". */
  title: string
}

/** The signed join link of a store or a guide (`stores.read`). */
export function getJoinCode(owner: JoinOwner, id: number) {
  return http.get<JoinCode>(`/${owner}/${id}/join-code`)
}

/** URL of the QR image (PNG) of a join link. */
export function joinQrUrl(owner: JoinOwner, id: number): string {
  return apiUrl(`/${owner}/${id}/join-qr.png`)
}

/** URL of the A5 poster (PDF) of a join link. */
export function joinPosterUrl(owner: JoinOwner, id: number): string {
  return apiUrl(`/${owner}/${id}/join-poster.pdf`)
}

export type MessagePurpose = 'otp' | 'deletion' | 'survey'
export type MessageStatus = 'queued' | 'sent' | 'failed' | 'suppressed'
export type MessageChannel = 'sms' | 'email'
export const MESSAGE_PURPOSES: MessagePurpose[] = ['otp', 'deletion', 'survey']
export const MESSAGE_STATUSES: MessageStatus[] = ['queued', 'sent', 'failed', 'suppressed']
export const MESSAGE_CHANNELS: MessageChannel[] = ['sms', 'email']

/** One message to a member (SMS codes, deletion outcomes, survey links). */
export interface Message {
  id: number
  member_id: number | null
  /** Masked phone (or email). */
  recipient: string
  channel: MessageChannel | (string & {})
  purpose: MessagePurpose | (string & {})
  body: string
  status: MessageStatus | (string & {})
  created_at: string
  sent_at: string | null
}

export interface MessageQuery extends PageQuery {
  purpose?: MessagePurpose | ''
  status?: MessageStatus | ''
  channel?: MessageChannel | ''
}

/** The message log, newest first (`messages.read`; viewing is audited). */
export function getMessages(query: MessageQuery = {}) {
  return http.get<Page<Message>>('/messages', { ...query })
}

export type DeletionStatus = 'pending' | 'approved' | 'rejected'
export const DELETION_STATUSES: DeletionStatus[] = ['pending', 'approved', 'rejected']

/** A member's request to delete their membership (from the member page /m/privacy). */
export interface DeletionRequest {
  id: number
  member: { id: number; member_no: string; name: string; phone: string }
  store_id: number
  status: DeletionStatus
  reason: string
  requested_at: string
  decided_by: StaffRef | null
  decided_at: string | null
  decision_note: string
}

export interface DeletionRequestQuery extends PageQuery {
  status?: DeletionStatus | ''
}

/** Deletion requests of my stores, newest first (`members.anonymize`). */
export function getDeletionRequests(query: DeletionRequestQuery = {}) {
  return http.get<Page<DeletionRequest>>('/deletion-requests', { ...query })
}

/**
 * Approve (anonymises the member — irreversible — and ends their sessions) or reject
 * (`note` required). Either way the member is told by SMS.
 */
export function decideDeletionRequest(id: number, data: { approve: boolean; note?: string }) {
  return http.post<{ id: number; status: DeletionStatus }>(`/deletion-requests/${id}/decide`, data)
}
