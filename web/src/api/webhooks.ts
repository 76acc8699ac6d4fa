import { http } from './request'
import type { Page, PageQuery } from './request'

/**
 * Webhooks: subscriptions of a URL to domain events, signed with a secret shown once at
 * creation, their delivery log and a test event. Permission `webhooks.manage`.
 */

export interface Webhook {
  id: number
  url: string
  /** Event types, or `*` for all. */
  events: string[]
  description: string
  enabled: boolean
  created_at: string
  updated_at: string
  version: number
  failed_deliveries: number
  last_delivered_at: string | null
  /** After a rotation: until then deliveries also carry a signature made with the replaced secret. */
  previous_secret_expires_at: string | null
}

export interface WebhookCreated extends Webhook {
  /** Shown in this answer only. */
  secret: string
}

export type DeliveryStatus = 'queued' | 'sending' | 'delivered' | 'failed'

export interface WebhookDelivery {
  id: number
  event_id: string
  event_type: string
  status: DeliveryStatus
  attempts: number
  response_status: number | null
  last_error: string
  created_at: string
  delivered_at: string | null
  next_attempt_at: string | null
}

export interface WebhookInput {
  url: string
  events: string[]
  description: string
  enabled: boolean
}

export function getWebhooks() {
  return http.get<Page<Webhook> & { event_types: string[] }>('/webhooks')
}

export function createWebhook(data: WebhookInput) {
  return http.post<WebhookCreated>('/webhooks', data)
}

export function updateWebhook(id: number, data: Partial<WebhookInput> & { version: number }) {
  return http.put<Webhook>(`/webhooks/${id}`, data)
}

export function deleteWebhook(id: number) {
  return http.del(`/webhooks/${id}`)
}

export function getWebhookDeliveries(id: number, query: PageQuery = {}) {
  return http.get<Page<WebhookDelivery>>(`/webhooks/${id}/deliveries`, { ...query })
}

/**
 * A new signing secret (in this answer only). The replaced one keeps signing beside it for
 * `keepPreviousHours` (0–168; 0 stops it at once, e.g. after a leak).
 */
export function rotateWebhookSecret(id: number, keepPreviousHours: number) {
  return http.post<WebhookCreated>(`/webhooks/${id}/rotate-secret`, { keep_previous_hours: keepPreviousHours })
}

/** Queues a `webhook.test` event for this subscription (delivered by the next `webhooks.deliver` run). */
export function testWebhook(id: number) {
  return http.post<{ event_id: string }>(`/webhooks/${id}/test`, {})
}
