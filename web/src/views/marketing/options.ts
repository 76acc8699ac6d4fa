/**
 * What a rule condition offers: the field catalogue (`GET /segments/fields`, labels in the
 * caller's language, reloaded when the language changes), the ids a field refers to (stores,
 * tiers, guides, tags, categories, coupon templates, months) loaded once on first use, and the
 * labels of operators, codes and matches. Lists a user may not read (403) stay empty: the value
 * is then typed as ids.
 */
import { reactive, ref } from 'vue'
import { fetchAll } from '@/api/request'
import { getSegmentFields } from '@/api/marketing'
import type { RuleMatch, RuleOp, SegmentField } from '@/api/marketing'
import type { Store } from '@/api/stores'
import { getTiers, getCouponTemplates } from '@/api/loyalty'
import { getCategories } from '@/api/products'
import type { ProductCategory } from '@/api/products'
import { getStaffOptions } from '@/api/service'
import { SOURCES } from '@/api/members'
import { useAuthStore } from '@/stores/auth'
import { useLookupStore } from '@/stores/lookups'
import { useLocaleStore } from '@/stores/locale'
import { t, tOr } from '@/locales'
import { buildTree } from '@/utils/tree'
import type { TreeNode } from '@/utils/tree'

export interface ValueOption {
  value: number | string
  label: string
  /** Indent of a category below its parents. */
  depth?: number
}

// ---- fields ----------------------------------------------------------------------------

const fieldList = ref<SegmentField[]>([])
const fieldsLocale = ref('')
let fieldsPending: Promise<void> | null = null
export const fieldsError = ref('')

/** The field catalogue in the current language (fetched again after a language switch). */
export function loadFields(): Promise<void> {
  // The language requests are sent in (set once Element Plus' messages are in too).
  const locale = useLocaleStore().locale
  if (fieldsLocale.value === locale && fieldList.value.length) return Promise.resolve()
  if (fieldsPending) return fieldsPending
  fieldsPending = getSegmentFields()
    .then((r) => {
      fieldList.value = r.fields ?? []
      fieldsLocale.value = locale
      fieldsError.value = ''
    })
    .catch((e: unknown) => {
      fieldsError.value = e instanceof Error ? e.message : String(e)
    })
    .finally(() => {
      fieldsPending = null
    })
  return fieldsPending
}

export function useFields() {
  return fieldList
}

export function fieldMap(): Map<string, SegmentField> {
  return new Map(fieldList.value.map((f) => [f.name, f]))
}

/** Menu sections of the field select. */
const FIELD_SECTIONS: Record<string, string[]> = {
  profile: ['store', 'tier', 'guide', 'tag', 'gender', 'age', 'birth_month', 'member_category', 'source', 'joined_days', 'points', 'consent'],
  purchase: ['total_spend', 'spend', 'purchases', 'last_purchase_days', 'bought_category', 'coupon_held', 'coupon_used'],
  value: ['rfm_class', 'lifecycle', 'value_group'],
  campaign: ['campaign_received', 'campaign_responded'],
}

export function fieldSections(fields: SegmentField[]): Array<{ key: string; label: string; fields: SegmentField[] }> {
  const placed = new Set<string>()
  const out: Array<{ key: string; label: string; fields: SegmentField[] }> = []
  for (const [key, names] of Object.entries(FIELD_SECTIONS)) {
    const list = names.map((n) => fields.find((f) => f.name === n)).filter((f): f is SegmentField => !!f)
    list.forEach((f) => placed.add(f.name))
    if (list.length) out.push({ key, label: t(`marketing.fieldSection.${key}`), fields: list })
  }
  const custom = fields.filter((f) => !placed.has(f.name) && f.name.startsWith('custom.'))
  custom.forEach((f) => placed.add(f.name))
  if (custom.length) out.push({ key: 'custom', label: t('marketing.fieldSection.custom'), fields: custom })
  const other = fields.filter((f) => !placed.has(f.name))
  if (other.length) out.push({ key: 'other', label: t('marketing.fieldSection.other'), fields: other })
  return out
}

// ---- ids a field refers to ----------------------------------------------------------------

type Source = 'stores' | 'tiers' | 'guides' | 'tags' | 'categories' | 'coupons'

const SOURCE_OF: Record<string, Source> = {
  store: 'stores',
  tier: 'tiers',
  guide: 'guides',
  tag: 'tags',
  bought_category: 'categories',
  coupon_held: 'coupons',
  coupon_used: 'coupons',
}

const lists = reactive<Record<Source, ValueOption[]>>({ stores: [], tiers: [], guides: [], tags: [], categories: [], coupons: [] })
const loading = reactive<Record<string, boolean>>({})
const loaded = new Set<Source>()

async function fetchSource(source: Source): Promise<ValueOption[]> {
  const auth = useAuthStore()
  switch (source) {
    case 'stores':
      try {
        return (await fetchAll<Store>('/stores', {}, 10)).map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))
      } catch {
        return auth.stores.map((s) => ({ value: s.id, label: `${s.name} (${s.code})` }))
      }
    case 'tiers':
      return ((await getTiers()).items ?? []).map((x) => ({ value: x.id, label: x.name }))
    case 'guides': {
      if (auth.can('service.use')) return ((await getStaffOptions()).items ?? []).map((s) => ({ value: s.id, label: s.name }))
      const lookups = useLookupStore()
      await lookups.loadStaff()
      return lookups.staff.map((s) => ({ value: s.id, label: s.name || s.username }))
    }
    case 'tags': {
      const lookups = useLookupStore()
      await lookups.loadTags()
      return lookups.tags.map((x) => ({ value: x.id, label: x.name }))
    }
    case 'categories': {
      const items = (await getCategories()).items ?? []
      const out: ValueOption[] = []
      const walk = (nodes: Array<TreeNode<ProductCategory>>, path: string[]) => {
        for (const n of nodes) {
          const names = [...path, n.item.name]
          out.push({ value: n.item.id, label: names.join(' / '), depth: path.length })
          walk(n.children, names)
        }
      }
      walk(buildTree(items), [])
      return out
    }
    case 'coupons':
      return ((await getCouponTemplates()).items ?? []).map((x) => ({ value: x.id, label: x.name }))
  }
}

/** Load the ids a field refers to (once; a forbidden list stays empty). */
export function ensureOptions(fieldName: string): Promise<void> {
  const source = SOURCE_OF[fieldName]
  if (!source || loaded.has(source) || loading[source]) return Promise.resolve()
  loading[source] = true
  return fetchSource(source)
    .then((items) => {
      lists[source] = items
      loaded.add(source)
    })
    .catch(() => {
      lists[source] = []
      loaded.add(source)
    })
    .finally(() => {
      loading[source] = false
    })
}

export function optionsLoading(fieldName: string): boolean {
  const source = SOURCE_OF[fieldName]
  return !!source && !!loading[source]
}

/** The choices of an ids or codes field (empty: the value is typed). */
export function valueOptions(field: SegmentField | undefined): ValueOption[] {
  if (!field) return []
  if (field.kind === 'codes') {
    const codes = field.codes.length ? field.codes : field.name === 'source' ? SOURCES : []
    return codes.map((c) => ({ value: c, label: codeLabel(field.name, c) }))
  }
  if (field.kind !== 'ids') return []
  if (field.name === 'birth_month') return Array.from({ length: 12 }, (_, i) => ({ value: i + 1, label: t(`marketing.month.${i + 1}`) }))
  const source = SOURCE_OF[field.name]
  if (!source) return []
  // Tags follow the shared tag library (refreshed when tags are created elsewhere).
  const items = source === 'tags' ? useLookupStore().tags.map((x) => ({ value: x.id, label: x.name })) : lists[source]
  if (field.name === 'tier') return [{ value: 0, label: t('marketing.value.noTier') }, ...items]
  if (field.name === 'guide') return [{ value: 0, label: t('marketing.value.noGuide') }, ...items]
  return items
}

/** Whether the user types the values (campaign ids, free codes such as a text custom field). */
export function isTypedField(field: SegmentField | undefined): boolean {
  if (!field || field.kind === 'number') return false
  if (field.kind === 'codes') return valueOptions(field).length === 0
  return !SOURCE_OF[field.name] && field.name !== 'birth_month'
}

/** The name of one value of a condition ("女", "上海南京路店 (SH001)", "#12" when unknown). */
export function valueLabel(field: SegmentField | undefined, v: number | string): string {
  if (!field) return String(v)
  if (field.kind === 'codes') return codeLabel(field.name, String(v))
  const hit = valueOptions(field).find((o) => o.value === v)
  return hit ? hit.label : `#${v}`
}

/** Labels of the codes of a codes field, from the app's own translations. */
export function codeLabel(fieldName: string, code: string): string {
  switch (fieldName) {
    case 'gender':
      return tOr(`member.gender.${code}`, code)
    case 'member_category':
      return tOr(`member.category.${code}`, code)
    case 'source':
      return tOr(`member.source.${code}`, code)
    case 'consent':
      return tOr(`member.consent.${code}`, code)
    case 'rfm_class':
      return rfmClassLabel(code)
    case 'lifecycle':
      return lifecycleLabel(code)
    case 'value_group':
      return valueGroupLabel(code)
    default:
      return code
  }
}

export const rfmClassLabel = (c: string) => (c === 'none' ? t('marketing.rfmNone') : tOr(`analytics.rfm.class.${c}`, c))
export const lifecycleLabel = (c: string) => tOr(`marketing.lifecycle.${c}`, c)
export const valueGroupLabel = (c: string) => tOr(`marketing.valueGroup.${c}`, c)

export const opLabel = (op: RuleOp | string) => tOr(`marketing.op.${op}`, op)
export const matchLabel = (m: RuleMatch) => t(`marketing.match.${m}`)
