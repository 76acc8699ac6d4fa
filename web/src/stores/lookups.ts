import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { getTagGroups, getTags } from '@/api/tags'
import type { Tag, TagGroup } from '@/api/tags'
import { getCustomFields } from '@/api/custom-fields'
import type { CustomField } from '@/api/custom-fields'
import { fetchAll } from '@/api/request'
import type { Staff } from '@/api/staff'
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
    loaded.value = {}
  }

  return {
    tagGroups,
    tags,
    customFields,
    staff,
    tagsByGroup,
    loadTags,
    loadCustomFields,
    loadStaff,
    tagById,
    staffName,
    reset,
  }
})
