/** Options, labels and shared state of the member pages. */
import { reactive } from 'vue'
import { CATEGORIES, CONSENT_CHANNELS, GENDERS, MEMBER_STATUSES, SOURCES } from '@/api/members'
import type { Category, ConsentChannel, Gender, Member, MemberFilter, MemberStatus, Source } from '@/api/members'
import { t, tOr } from '@/locales'
import { useAuthStore } from '@/stores/auth'
import { useLookupStore } from '@/stores/lookups'
import { formatValue } from '@/utils/format'

export const genderOptions = () => GENDERS.map((v) => ({ value: v, label: t(`member.gender.${v}`) }))
export const categoryOptions = () => CATEGORIES.map((v) => ({ value: v, label: t(`member.category.${v}`) }))
export const sourceOptions = () => SOURCES.map((v) => ({ value: v, label: t(`member.source.${v}`) }))
export const consentOptions = () => CONSENT_CHANNELS.map((v) => ({ value: v, label: t(`member.consent.${v}`) }))
export const statusOptions = () => MEMBER_STATUSES.map((v) => ({ value: v, label: t(`member.status.${v}`) }))
export const monthOptions = () => Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: t('member.filter.month', { n: i + 1 }) }))

/** Age bands offered in the filter (min/max inclusive; null = open). */
export const AGE_BANDS: Array<{ key: string; min: number | null; max: number | null }> = [
  { key: 'under18', min: null, max: 17 },
  { key: '18_24', min: 18, max: 24 },
  { key: '25_34', min: 25, max: 34 },
  { key: '35_44', min: 35, max: 44 },
  { key: '45_54', min: 45, max: 54 },
  { key: '55_64', min: 55, max: 64 },
  { key: '65plus', min: 65, max: null },
]

/** `sort=` values the server accepts; `-` prefix = descending. */
export const SORT_FIELDS = [
  'created_at', 'updated_at', 'name', 'member_no', 'category', 'gender', 'home_store_id',
  'total_spend', 'purchase_count', 'last_purchase_at', 'points_balance', 'average_order_value',
] as const

export const genderLabel = (g: Gender | null | undefined) => (g ? tOr(`member.gender.${g}`, g) : '')
export const categoryLabel = (c: Category | null | undefined) => (c ? tOr(`member.category.${c}`, c) : '')
export const sourceLabel = (s: Source | null | undefined) => (s ? tOr(`member.source.${s}`, s) : '')
export const statusLabel = (s: MemberStatus | null | undefined) => (s ? tOr(`member.status.${s}`, s) : '')
export const consentLabel = (c: ConsentChannel) => t(`member.consent.${c}`)
export const fieldLabel = (f: string) => {
  if (f.startsWith('custom_fields.') || f.startsWith('cf.')) {
    const key = f.slice(f.indexOf('.') + 1)
    const def = useLookupStore().customFields.find((x) => x.key === key)
    return def ? def.label : key
  }
  return tOr(`member.field.${f}`, f)
}

export const categoryTagType = (c: Category) => (c === 'vip' ? 'warning' : c === 'wholesale' ? 'success' : 'info')
export const statusTagType = (s: MemberStatus) => (s === 'active' ? 'success' : s === 'archived' ? 'info' : 'danger')

/** A member field's value as shown to people (labels for enums, names for ids). */
export function displayField(m: Member, field: string): string {
  const auth = useAuthStore()
  const lookups = useLookupStore()
  const v = (m as unknown as Record<string, unknown>)[field]
  switch (field) {
    case 'gender':
      return genderLabel(v as Gender) || '—'
    case 'category':
      return categoryLabel(v as Category) || '—'
    case 'source':
      return sourceLabel(v as Source) || '—'
    case 'home_store_id':
      return v ? auth.storeName(v as number) : '—'
    case 'guide_id':
      return v ? lookups.staffName(v as number) : '—'
    case 'referrer_id':
      return v ? `#${String(v)}` : '—'
    case 'custom_fields': {
      const o = (v ?? {}) as Record<string, unknown>
      const parts = Object.keys(o)
        .filter((k) => o[k] !== null && o[k] !== '')
        .map((k) => `${lookups.customFields.find((d) => d.key === k)?.label ?? k}: ${formatValue(o[k])}`)
      return parts.length ? parts.join('; ') : '—'
    }
    default:
      return formatValue(v)
  }
}

export function emptyFilter(): MemberFilter {
  return {
    q: '',
    store_id: '',
    category: '',
    source: '',
    gender: '',
    tags: [],
    tags_mode: 'any',
    age_min: null,
    age_max: null,
    birthday_month: '',
    created_from: '',
    created_to: '',
    consent: '',
    guide_id: null,
    status: '',
    tier_id: '',
    spend_min: null,
    spend_max: null,
    purchases_min: null,
    purchases_max: null,
    last_purchase_from: '',
    last_purchase_to: '',
    cf: {},
  }
}

/** Member list state kept while moving between pages (back from a member keeps the search). */
export const memberListState = reactive({
  filter: emptyFilter(),
  applied: emptyFilter(),
  sort: '-created_at',
  advancedOpen: false,
})

/** Number of advanced filters in use (badge on the 高级筛选 button). */
export function activeFilterCount(f: MemberFilter): number {
  let n = 0
  const simple: Array<keyof MemberFilter> = ['store_id', 'category', 'source', 'gender', 'birthday_month', 'consent', 'status', 'tier_id']
  for (const k of simple) if (f[k] !== '' && f[k] !== undefined && f[k] !== null) n++
  if ((f.spend_min ?? null) !== null || (f.spend_max ?? null) !== null) n++
  if ((f.purchases_min ?? null) !== null || (f.purchases_max ?? null) !== null) n++
  if (f.last_purchase_from || f.last_purchase_to) n++
  if (f.tags && f.tags.length) n++
  if (f.age_min !== null && f.age_min !== undefined) n++
  if (f.age_max !== null && f.age_max !== undefined) n++
  if (f.created_from || f.created_to) n++
  if (f.guide_id) n++
  for (const v of Object.values(f.cf ?? {})) if (v !== null && v !== undefined && v !== '') n++
  return n
}
