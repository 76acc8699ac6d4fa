/**
 * Codes of the audit log: every action and entity the server writes (src/**: ctx.Audit / WriteAudit), for
 * the page's filters and labels. An action's label is `audit.actions.<code with '.' → '_'>`; a list export
 * (`list.export`) names its entity after the exported list ("members-interactions"), labelled like any entity.
 */
import { tOr } from '@/locales'

export const AUDIT_ACTIONS = [
  'analytics.export', 'analytics.rebuild',
  'api_token.create', 'api_token.revoke',
  'backup.create', 'backup.settings',
  'campaign.approve', 'campaign.cancel', 'campaign.create', 'campaign.pause', 'campaign.reject', 'campaign.resume',
  'campaign.submit', 'campaign.test_send', 'campaign.update',
  'category.create', 'category.update',
  'complaint.acknowledged', 'complaint.assign', 'complaint.closed', 'complaint.create', 'complaint.follow_up',
  'complaint.investigating', 'complaint.resolved',
  'consent.unsubscribe',
  'coupon.issue', 'coupon.void',
  'coupon_template.create', 'coupon_template.update',
  'custom_field.create', 'custom_field.update',
  'event.cancel_registration', 'event.checkin', 'event.create', 'event.invite', 'event.register', 'event.update',
  'gift.cancel', 'gift.create', 'gift.redeem', 'gift.update', 'gift.voucher_codes',
  'import.start',
  'interaction.create',
  'job.run',
  'list.export',
  'loyalty.settings',
  'marketing.settings',
  'member.anonymize', 'member.archive', 'member.bulk_tags', 'member.create', 'member.data_copy',
  'member.deletion_rejected', 'member.erasure_replayed', 'member.export', 'member.guardian_consent',
  'member.list_pii', 'member.merge', 'member.restore', 'member.update', 'member.view_history', 'member.view_pii',
  'messages.view',
  'points.adjust',
  'portal.deletion_request', 'portal.export', 'portal.sign_in',
  'privacy.retention', 'privacy.retention_rule',
  'product.create', 'product.import', 'product.update',
  'receipt_template.update',
  'role.create', 'role.update',
  'sale.refund',
  'security.settings',
  'segment.create', 'segment.delete', 'segment.export', 'segment.from_cluster', 'segment.tag', 'segment.update',
  'service.settings',
  'session.recovery_code_used', 'session.revoke', 'session.revoke_others', 'session.sign_in',
  'session.sign_in_failed', 'session.sign_out',
  'staff.change_password', 'staff.create', 'staff.handover', 'staff.reset_password', 'staff.totp_disable',
  'staff.totp_enable', 'staff.totp_reset', 'staff.unlock', 'staff.update',
  'stock.adjust', 'stock.transfer',
  'store.create', 'store.update',
  'survey.create', 'survey.update',
  'tag.create', 'tag.delete', 'tag.update',
  'tag_group.create',
  'tag_rule.create', 'tag_rule.delete', 'tag_rule.run', 'tag_rule.update',
  'target.delete', 'target.set',
  'task.create', 'task.done', 'task.skipped', 'task.update',
  'tier.create', 'tier.update',
  'webhook.create', 'webhook.delete', 'webhook.rotate_secret', 'webhook.update',
]

export const AUDIT_ENTITIES = [
  // records
  'analytics', 'api_token', 'backup', 'campaign', 'category', 'complaint', 'coupon', 'coupon_template',
  'custom_field', 'event', 'gift', 'import', 'job', 'loyalty_settings', 'marketing_settings', 'member', 'product',
  'report', 'role', 'sale', 'segment', 'service_settings', 'session', 'settings', 'staff', 'store', 'survey', 'tag',
  'tag_group', 'tag_rule', 'target', 'task', 'tier', 'webhook',
  // exported lists (list.export)
  'analytics-baskets', 'analytics-rfm-members', 'analytics-sequences', 'api-tokens', 'audit', 'campaigns',
  'complaints', 'custom-fields', 'deletion-requests', 'events', 'events-attendees', 'handovers', 'imports',
  'me-sessions', 'members', 'members-duplicates', 'members-history', 'members-interactions', 'members-points',
  'members-sales', 'messages', 'permissions', 'privacy-retention-preview', 'products', 'roles', 'sales', 'segments',
  'segments-members', 'stock', 'stock-movements', 'stores', 'tag-groups', 'tag-rules', 'tags', 'targets', 'tasks',
  'webhooks', 'webhooks-deliveries',
]

export const auditActionLabel = (a: string) => tOr(`audit.actions.${a.replace(/\./g, '_')}`, a)
export const auditEntityLabel = (e: string) => tOr(`audit.entities.${e}`, e)
export const auditActorTypeLabel = (ty: string) => tOr(`audit.actorType.${ty}`, ty)

/**
 * What an entry is about: 会员 #42 for a numbered object; for a named one (the backup, privacy or
 * security settings, the sales report) its name in words, never the code after a '#'.
 */
export function auditSubjectLabel(entity: string, id: string): string {
  const what = entity ? auditEntityLabel(entity) : ''
  if (!id) return what
  if (/^\d+$/.test(id)) return `${what} #${id}`
  if (id === 'settings') return what
  const named = tOr(`audit.subjects.${id}`, auditEntityLabel(id))
  return what ? `${what} · ${named}` : named
}
