import type { Directive } from 'vue'

/**
 * Gives the rows of an `<el-table>` stable test attributes: `data-test="<name>"` and
 * `data-id="<id>"`. The table's `row-class-name` must return `sc-rowid-<id>` (see `rowIdClass`).
 * Usage: `<el-table v-row-test="'member-row'" :row-class-name="rowIdClass">`.
 */
type El = HTMLElement & { __scRowObserver?: MutationObserver; __scRowName?: string }

function apply(el: El) {
  const name = el.__scRowName
  if (!name) return
  el.querySelectorAll<HTMLTableRowElement>('tr.el-table__row').forEach((tr) => {
    const m = /(?:^|\s)sc-rowid-(\S+)/.exec(tr.className)
    if (tr.getAttribute('data-test') !== name) tr.setAttribute('data-test', name)
    if (m && tr.getAttribute('data-id') !== m[1]) tr.setAttribute('data-id', m[1]!)
  })
}

export const vRowTest: Directive<El, string> = {
  mounted(el, binding) {
    el.__scRowName = binding.value
    apply(el)
    const obs = new MutationObserver(() => apply(el))
    obs.observe(el, { childList: true, subtree: true, attributes: true, attributeFilter: ['class'] })
    el.__scRowObserver = obs
  },
  updated(el, binding) {
    el.__scRowName = binding.value
    apply(el)
  },
  beforeUnmount(el) {
    el.__scRowObserver?.disconnect()
  },
}

/** `row-class-name` helper for tables using `v-row-test`. */
export function rowIdClass({ row }: { row: { id?: number | string } }): string {
  return row && row.id !== undefined ? `sc-rowid-${row.id}` : ''
}
