import { computed, ref } from 'vue'
import type { Ref } from 'vue'
import type { Page, PageQuery, Query } from '@/api/request'
import { notifyError } from '@/adapter/feedback'

export interface PagedListOptions<T, Q extends Query> {
  /** The list's filters as they are now: read when the first page loads. */
  query: () => Q
  /** One page of the list route. */
  fetch: (query: Q & PageQuery) => Promise<Page<T>>
  /** Rows per page. */
  limit: number
}

/**
 * A list paged by cursor (every list route: `{items, next_cursor, total}`): the rows loaded so
 * far, the total, whether there is more, and the filters of the rows on screen (`shownQuery`,
 * what an export downloads and what "load more" continues with, even if the filter form has
 * changed since). An answer that arrives after a newer first-page load (the user changed a
 * filter meanwhile) is dropped, so the list never shows rows of a superseded query.
 *
 * ```ts
 * const { items, total, hasMore, loading, loadingMore, shownQuery, load } = usePagedList({
 *   query: () => ({ ...filter }), fetch: getStoreList, limit: 50 })
 * onMounted(load)            // first page; load(true) appends the next
 * ```
 */
export function usePagedList<T, Q extends Query>(options: PagedListOptions<T, Q>) {
  const items = ref([]) as Ref<T[]>
  const total = ref<number | null>(null)
  const cursor = ref<string | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const shownQuery = ref<Q>({} as Q) as Ref<Q>
  let generation = 0

  async function load(more = false) {
    const mine = more ? generation : ++generation
    if (more) loadingMore.value = true
    else {
      loading.value = true
      shownQuery.value = options.query()
    }
    try {
      const page = await options.fetch({ ...shownQuery.value, limit: options.limit, cursor: more ? cursor.value : undefined })
      if (mine !== generation) return
      items.value = more ? items.value.concat(page.items ?? []) : page.items ?? []
      total.value = typeof page.total === 'number' ? page.total : null
      cursor.value = page.next_cursor ?? null
    } catch (e) {
      if (mine === generation) notifyError(e)
    } finally {
      if (mine === generation) loading.value = loadingMore.value = false
    }
  }

  return { items, total, cursor, hasMore: computed(() => !!cursor.value), loading, loadingMore, shownQuery, load }
}
