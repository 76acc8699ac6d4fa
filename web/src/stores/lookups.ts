import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { getTagGroups, getTags } from '@/api/tags'
import type { Tag, TagGroup } from '@/api/tags'
import { getCustomFields } from '@/api/custom-fields'
import type { CustomField } from '@/api/custom-fields'
import { fetchAll } from '@/api/request'
import type { Staff } from '@/api/staff'
import { getTiers } from '@/api/loyalty'
import type { Tier } from '@/api/loyalty'
import { getCategories } from '@/api/products'
import type { ProductCategory } from '@/api/products'
import { getStaffOptions } from '@/api/service'
import type { StaffOption } from '@/api/service'
import { useAuthStore } from './auth'

/**
 * Reference data shared by the member pages (tags, custom fields, staff names), loaded once
 * and refreshed after the admin pages change them. A 403 leaves the list empty.
 */
export const useLookupStore = defineStore('lookups', () => {
  const tagGroups = ref<TagGroup[]>([])
  const tags = ref<Tag[]>([])
  const customFields = ref<CustomField[]>([])
  const staff = ref<Staff[]>([])
  const tiers = ref<Tier[]>([])
  const categories = ref<ProductCategory[]>([])
  /** Active colleagues to assign work to, per store id (`''` = all my stores). */
  const colleagues = ref<Record<string, StaffOption[]>>({})
  const loaded = ref<Record<string, boolean>>({})
  const pending: Record<string, Promise<void> | undefined> = {}

  function once(key: string, load: () => Promise<void>, force = false): Promise<void> {
    if (!force && loaded.value[key]) return Promise.resolve()
    if (!force && pending[key]) return pending[key]!
    const p = load()
      .then(() => {
        loaded.value = { ...loaded.value, [key]: true }
      })
      .catch(() => undefined)
      .finally(() => {
        pending[key] = undefined
      })
    pending[key] = p
    return p
  }

  function loadTags(force = false) {
    return once('tags', async () => {
      const [groups, list] = await Promise.all([getTagGroups(), getTags()])
      tagGroups.value = groups
      tags.value = list
    }, force)
  }

  function loadCustomFields(force = false) {
    return once('customFields', async () => {
      customFields.value = await getCustomFields()
    }, force)
  }

  /** Staff names for the guide pickers; needs `staff.manage`, otherwise ids are shown. */
  function loadStaff(force = false) {
    const auth = useAuthStore()
    if (!auth.can('staff.manage')) return Promise.resolve()
    return once('staff', async () => {
      staff.value = await fetchAll<Staff>('/staff', { status: 'active' }, 10)
    }, force)
  }

  /** Membership tiers (filters, labels); `GET /tiers` needs `members.read`. */
  function loadTiers(force = false) {
    return once('tiers', async () => {
      tiers.value = (await getTiers()).items ?? []
    }, force)
  }

  /** Product categories (flat, with `parent_id`); needs `products.read`. */
  function loadCategories(force = false) {
    const auth = useAuthStore()
    if (!auth.can('products.read')) return Promise.resolve()
    return once('categories', async () => {
      categories.value = (await getCategories()).items ?? []
    }, force)
  }

  /**
   * Colleagues to assign tasks and complaints to (`GET /staff/options`, `service.use`); without
   * it but with `staff.manage` the staff list stands in.
   */
  function loadColleagues(storeId?: number | null, force = false) {
    const auth = useAuthStore()
    const key = storeId ? String(storeId) : ''
    if (!auth.can('service.use')) {
      if (!auth.can('staff.manage')) return Promise.resolve()
      return loadStaff(force).then(() => {
        const list = staff.value.filter((s) => s.status === 'active' && (!storeId || s.store_ids.includes(storeId)))
        colleagues.value = { ...colleagues.value, [key]: list.map((s) => ({ id: s.id, name: s.name || s.username, role_code: s.role_code, role_name: s.role_name })) }
      })
    }
    return once(`colleagues:${key}`, async () => {
      const items = (await getStaffOptions(storeId)).items ?? []
      colleagues.value = { ...colleagues.value, [key]: items }
    }, force)
  }

  function categoryName(id: number | null | undefined): string {
    if (id === null || id === undefined) return ''
    return categories.value.find((c) => c.id === id)?.name ?? `#${id}`
  }

  const tagsByGroup = computed(() =>
    tagGroups.value
      .map((g) => ({ group: g, tags: tags.value.filter((t) => t.group_id === g.id) }))
      .concat(
        tags.value.some((t) => !tagGroups.value.find((g) => g.id === t.group_id))
          ? [{ group: { id: 0, name: '—', preset: false }, tags: tags.value.filter((t) => !tagGroups.value.find((g) => g.id === t.group_id)) }]
          : [],
      ),
  )

  function tagById(id: number) {
    return tags.value.find((t) => t.id === id)
  }

  function staffName(id: number | null | undefined): string {
    if (id === null || id === undefined) return ''
    const s = staff.value.find((x) => x.id === id)
    return s ? s.name || s.username : `#${id}`
  }

  function reset() {
    tagGroups.value = []
    tags.value = []
    customFields.value = []
    staff.value = []
    tiers.value = []
    categories.value = []
    colleagues.value = {}
    loaded.value = {}
  }

  return {
    tagGroups,
    tags,
    customFields,
    staff,
    tiers,
    categories,
    colleagues,
    loadColleagues,
    tagsByGroup,
    loadTiers,
    loadCategories,
    categoryName,
    loadTags,
    loadCustomFields,
    loadStaff,
    tagById,
    staffName,
    reset,
  }
})
