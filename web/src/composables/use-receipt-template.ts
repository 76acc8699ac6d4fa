import { ref, watch } from 'vue'
import type { Ref } from 'vue'
import { getReceiptTemplate } from '@/api/sales'
import type { ReceiptTemplateInput } from '@/api/sales'

/** What prints when the layout cannot be read: everything, no header, the built-in thanks line. */
export const DEFAULT_RECEIPT_LAYOUT: ReceiptTemplateInput = { header: '', footer: '', show_member: true, show_points: true }

const TTL_MS = 60_000
const cache = new Map<string, { at: number; layout: Promise<ReceiptTemplateInput | null> }>()

/**
 * The receipt layout of a store (its own, else the chain default), cached for a minute per
 * store. Resolves null when it cannot be read (no `sales.read`, network): print with the default.
 */
export function loadReceiptLayout(storeId: number | null | undefined): Promise<ReceiptTemplateInput | null> {
  const key = String(storeId ?? '')
  const hit = cache.get(key)
  if (hit && Date.now() - hit.at < TTL_MS) return hit.layout
  const layout = getReceiptTemplate(storeId)
    .then((t) => ({ header: t.header ?? '', footer: t.footer ?? '', show_member: t.show_member !== false, show_points: t.show_points !== false }))
    .catch(() => {
      cache.delete(key)
      return null
    })
  cache.set(key, { at: Date.now(), layout })
  return layout
}

/** Drop the cached layouts (after the layout page saved one). */
export function forgetReceiptLayouts() {
  cache.clear()
}

/**
 * The layout for a receipt: `fixed` when given (the layout page's preview), else loaded for
 * `storeId`. `ready` turns true once known (also when it could not be read).
 */
export function useReceiptLayout(storeId: () => number | null | undefined, fixed: () => ReceiptTemplateInput | null | undefined) {
  const layout: Ref<ReceiptTemplateInput> = ref({ ...DEFAULT_RECEIPT_LAYOUT })
  const ready = ref(false)
  let seq = 0
  watch(
    [storeId, fixed],
    async ([id, given]) => {
      const mine = ++seq
      if (given) {
        layout.value = { ...given }
        ready.value = true
        return
      }
      ready.value = false
      const loaded = await loadReceiptLayout(id)
      if (mine !== seq) return
      layout.value = loaded ?? { ...DEFAULT_RECEIPT_LAYOUT }
      ready.value = true
    },
    { immediate: true, deep: true },
  )
  return { layout, ready }
}
