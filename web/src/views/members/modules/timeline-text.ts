/** Readable title and one-line detail of a timeline entry, per kind (codes translated, fen as money). */
import { t, tOr } from '@/locales'
import type { TimelineItem } from '@/api/service'
import { formatMoney, formatTime } from '@/utils/format'
import { pointsKindLabel, pointsReasonLabel, saleStatusLabel } from '@/utils/labels'
import { channelLabel, originLabel, sentimentLabel, taskStatusLabel } from '@/views/service/data'
import { categoryLabel, complaintChannelLabel, complaintStatusLabel, severityLabel } from '@/views/complaints/data'

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const num = (v: unknown) => (typeof v === 'number' ? v : 0)
const join = (parts: Array<string | false | null | undefined>) => parts.filter(Boolean).join(' · ')

export function timelineTitle(it: TimelineItem): string {
  if (it.kind === 'sale' || it.kind === 'refund') return t('service.timeline.receipt', { no: it.title })
  if (it.kind === 'points') return pointsReasonLabel(it.title)
  if (it.kind === 'complaint') return categoryLabel(it.title)
  if (it.kind === 'message') return tOr(`service.timeline.purpose.${it.title}`, it.title)
  return it.title
}

export function timelineDetail(it: TimelineItem): string {
  const d = it.detail ?? {}
  switch (it.kind) {
    case 'sale':
      return join([formatMoney(num(d.total)), num(d.points_earned) ? t('service.timeline.pointsEarned', { n: num(d.points_earned) }) : '', saleStatusLabel(str(d.status))])
    case 'refund':
      return join([formatMoney(num(d.amount)), num(d.points_reversed) ? t('service.timeline.pointsReversed', { n: num(d.points_reversed) }) : ''])
    case 'interaction':
      return join([channelLabel(str(d.channel)), sentimentLabel(str(d.sentiment)), str(d.staff_name), str(d.feedback)])
    case 'task':
      return join([taskStatusLabel(str(d.status)), originLabel(str(d.origin)), str(d.due_at) && `${t('service.task.due')} ${formatTime(str(d.due_at))}`, str(d.outcome)])
    case 'complaint':
      return join([complaintStatusLabel(str(d.status)), severityLabel(str(d.severity)), complaintChannelLabel(str(d.channel))])
    case 'points': {
      const delta = num(d.delta)
      return join([`${delta > 0 ? '+' : ''}${delta}`, pointsKindLabel(str(d.points_kind)), t('member.loyalty.after', { n: num(d.balance_after) })])
    }
    case 'message':
      return join([str(d.channel), str(d.status), str(d.body)])
    case 'survey':
      return join([d.nps !== null && d.nps !== undefined ? `NPS ${num(d.nps)}` : '', d.csat !== null && d.csat !== undefined ? `CSAT ${num(d.csat)}` : ''])
    case 'event':
      return join([tOr(`event.attendeeStatus.${str(d.status)}`, str(d.status)), str(d.starts_at) && formatTime(str(d.starts_at))])
    default:
      return ''
  }
}
