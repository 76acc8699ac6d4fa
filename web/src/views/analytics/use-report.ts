import { computed, ref, shallowRef } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { ReportQuery } from '@/api/analytics'
import { useFieldErrors } from '@/composables/use-field-errors'

/**
 * Loads a report: the latest answer wins (an older request finishing late is dropped), a
 * `validation_failed` answer's field messages land in `errors` (shown under the filters),
 * anything else is a toast and, with nothing loaded yet, the page's error state.
 */
export function useReport<T>(fetch: () => Promise<T>) {
  const data = shallowRef<T | null>(null)
  const loading = ref(false)
  const failed = ref(false)
  const { errors, clear, fromError } = useFieldErrors()
  let seq = 0

  async function load() {
    const mine = ++seq
    loading.value = true
    clear()
    try {
      const answer = await fetch()
      if (mine !== seq) return
      data.value = answer
      failed.value = false
    } catch (e) {
      if (mine !== seq) return
      fromError(e)
      failed.value = true
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  return { data, loading, failed, errors, load }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/

/**
 * The period and stores of a report page, read from and written back to the address
 * (`?from=&to=&store_id=1,2`) so a report can be bookmarked or sent as a link. Without dates
 * the server's default period is used and shown once the report arrives.
 */
export function useReportFilters() {
  const route = useRoute()
  const router = useRouter()
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const from = str(route.query.from)
  const to = str(route.query.to)
  const range = ref<[string, string] | null>(DATE.test(from) && DATE.test(to) ? [from, to] : null)
  const stores = ref<number[]>(
    str(route.query.store_id)
      .split(',')
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0),
  )
  const query = computed<ReportQuery>(() => ({ from: range.value?.[0], to: range.value?.[1], store_id: stores.value }))

  /** Put the filters in the address (after the user changed them). */
  function remember(extra: Record<string, string | undefined> = {}) {
    void router.replace({
      query: {
        ...route.query,
        from: range.value?.[0],
        to: range.value?.[1],
        store_id: stores.value.length ? stores.value.join(',') : undefined,
        ...extra,
      },
    })
  }

  /** Show the period the server used when none was asked for. */
  function adoptPeriod(answer: { from?: string; to?: string }) {
    if (!range.value && answer.from && answer.to) range.value = [answer.from.slice(0, 10), answer.to.slice(0, 10)]
  }

  return { range, stores, query, remember, adoptPeriod }
}
