/**
 * Labels and small helpers shared by the campaign pages: status (with its tag colour), channel,
 * schedule in words, trigger kinds, outcomes, and the errors of a refused state change.
 */
import type { Campaign, CampaignStatus, RecipientOutcome } from '@/api/marketing'
import { isApiError } from '@/api/request'
import { i18n, t, tOr } from '@/locales'
import { formatTime } from '@/utils/format'

export const statusLabel = (s: string) => tOr(`marketing.campaign.status.${s}`, s)
export const channelLabel = (c: string) => tOr(`marketing.campaign.channel.${c}`, c)
export const triggerLabel = (k: string) => tOr(`marketing.campaign.trigger.${k}`, k)
export const outcomeLabel = (o: RecipientOutcome | string) => tOr(`marketing.campaign.outcome.${o}`, o)
export const weekdayShort = (d: number) => t(`marketing.campaign.weekday.${d}`)

type TagType = 'primary' | 'success' | 'info' | 'warning' | 'danger'
const STATUS_TAG: Record<CampaignStatus, TagType> = {
  draft: 'info',
  pending_approval: 'warning',
  scheduled: 'primary',
  sending: 'primary',
  active: 'success',
  paused: 'warning',
  done: 'success',
  cancelled: 'danger',
}
export const statusTagType = (s: string): TagType => STATUS_TAG[s as CampaignStatus] ?? 'info'

/** "立即发送" · "定时 2026-11-30 10:00" · "每周一、三 10:00" · "触发：距上次购买 30 天". */
export function scheduleText(c: Pick<Campaign, 'schedule' | 'send_at' | 'recurring' | 'trigger'>): string {
  switch (c.schedule) {
    case 'now':
      return t('marketing.campaign.scheduleText.now')
    case 'at':
      return t('marketing.campaign.scheduleText.at', { at: formatTime(c.send_at) || '—' })
    case 'recurring': {
      const days = [...(c.recurring?.weekdays ?? [])].sort((a, b) => a - b)
      const list = days.length === 7 ? t('marketing.campaign.everyDay') : days.map(weekdayShort).join(t('marketing.campaign.listSep'))
      return t('marketing.campaign.scheduleText.recurring', { days: list, time: c.recurring?.time ?? '' })
    }
    case 'trigger': {
      const kind = c.trigger?.kind ?? ''
      const days = c.trigger?.days ?? 0
      const key = `marketing.campaign.triggerText.${kind}`
      const what = i18n.global.te(key) ? t(key, { n: days }) : triggerLabel(kind)
      return t('marketing.campaign.scheduleText.trigger', { what })
    }
    default:
      return c.schedule
  }
}

/** What the server said when it refused (its field messages are the reason; the top one is generic). */
export function refusalText(e: unknown): string {
  if (isApiError(e)) return e.fields.length ? e.fields.map((f) => f.message).join('; ') : e.message
  return e instanceof Error ? e.message : String(e)
}

/** The SMS suffix the server adds (docs/api.md "Campaigns"). */
export const SMS_SUFFIX = ' 回TD退订'
