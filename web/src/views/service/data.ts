/** Labels and small helpers shared by the service pages (tasks, interactions, timeline). */
import { tOr } from '@/locales'
import type { TaskPriority } from '@/api/service'

export const channelLabel = (c: string) => tOr(`service.channel.${c}`, c)
export const directionLabel = (d: string) => tOr(`service.direction.${d}`, d)
export const sentimentLabel = (s: string) => tOr(`service.sentiment.${s}`, s)
export const priorityLabel = (p: string) => tOr(`service.priority.${p}`, p)
export const originLabel = (o: string) => tOr(`service.origin.${o}`, o)
export const taskStatusLabel = (s: string) => tOr(`service.taskStatus.${s}`, s)
export const timelineKindLabel = (k: string) => tOr(`service.timeline.kind.${k}`, k)

export function priorityTagType(p: TaskPriority): 'danger' | 'warning' | 'info' | 'primary' {
  if (p === 'urgent') return 'danger'
  if (p === 'high') return 'warning'
  if (p === 'low') return 'info'
  return 'primary'
}

/** A phone number that can be dialled (a masked one cannot). */
export function dialable(phone: string | null | undefined): boolean {
  return !!phone && !phone.includes('*') && /\d{5,}/.test(phone)
}

/** `tel:` address of a phone number (spaces dropped). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, '')}`
}

/** Today's local date as YYYY-MM-DD. */
export function localToday(): string {
  const d = new Date()
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 10)
}
