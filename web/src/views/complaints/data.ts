/** Labels and SLA helpers of the complaint pages. */
import { t, tOr } from '@/locales'
import type { Complaint, ComplaintStatus, Severity } from '@/api/complaints'

export const complaintChannelLabel = (c: string) => tOr(`complaint.channel.${c}`, c)
export const severityLabel = (s: string) => tOr(`complaint.severity.${s}`, s)
export const complaintStatusLabel = (s: string) => tOr(`complaint.status.${s}`, s)
export const categoryLabel = (c: string) => tOr(`complaint.category.${c}`, c)
export const eventKindLabel = (k: string) => tOr(`complaint.eventKind.${k}`, k)

export function severityTagType(s: Severity): 'danger' | 'warning' | 'info' | 'primary' {
  if (s === 'critical') return 'danger'
  if (s === 'high') return 'warning'
  if (s === 'low') return 'info'
  return 'primary'
}

export function statusTagType(s: ComplaintStatus): 'danger' | 'warning' | 'success' | 'info' | 'primary' {
  if (s === 'new') return 'danger'
  if (s === 'closed') return 'info'
  if (s === 'resolved' || s === 'follow_up') return 'success'
  return 'warning'
}

/** The next steps of the status flow (acknowledged may be skipped from new). */
export function nextStatuses(s: ComplaintStatus): ComplaintStatus[] {
  switch (s) {
    case 'new':
      return ['acknowledged', 'investigating']
    case 'acknowledged':
      return ['investigating']
    case 'investigating':
      return ['resolved']
    case 'resolved':
      return ['follow_up']
    case 'follow_up':
      return ['closed']
    default:
      return []
  }
}

export interface SlaClock {
  /** Which deadline runs: the first response, then the resolution; `done` when closed/resolved. */
  kind: 'response' | 'resolution' | 'done'
  due: string | null
  breached: boolean
}

/** The deadline that matters now for a complaint. */
export function slaClock(c: Complaint): SlaClock {
  if (c.status === 'new' && !c.responded_at) return { kind: 'response', due: c.response_due_at, breached: c.response_breached }
  if (!c.resolved_at && c.status !== 'resolved' && c.status !== 'follow_up' && c.status !== 'closed') {
    return { kind: 'resolution', due: c.resolution_due_at, breached: c.resolution_breached }
  }
  return { kind: 'done', due: null, breached: c.response_breached || c.resolution_breached }
}

/** "1:02:03" / "12:34" for a duration in ms (sign dropped). */
export function formatDuration(ms: number): string {
  const s = Math.floor(Math.abs(ms) / 1000)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = s % 60
  const mm = String(m).padStart(2, '0')
  const ss = String(sec).padStart(2, '0')
  if (h >= 48) return t('complaint.sla.days', { d: Math.floor(h / 24), h: h % 24 })
  return h > 0 ? `${h}:${mm}:${ss}` : `${m}:${ss}`
}
