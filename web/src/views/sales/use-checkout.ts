/**
 * 收银台 state: the basket, member, coupons, points and payments; a debounced live quote after
 * every change; the sale posted with one Idempotency-Key per checkout attempt (a retry of the
 * same basket and payments reuses it, so a lost response never charges twice).
 */
import { computed, onBeforeUnmount, reactive, ref, watch } from 'vue'
import { createSale, quoteSale } from '@/api/sales'
import type { PaymentMethod, Quote, Sale, SaleInput } from '@/api/sales'
import type { Member } from '@/api/members'
import type { Product } from '@/api/products'
import { isApiError } from '@/api/request'
import { useAuthStore } from '@/stores/auth'
import { newUuid } from '@/utils/uuid'

export interface CartLine {
  key: number
  sku: string
  name: string
  unit_price: number
  quantity: number
  /** Line discount in fen. */
  discount: number
}

export interface PaymentRow {
  key: number
  method: PaymentMethod
  amount: number
  /** Cash only: what the customer handed over (fen), for the change 找零; not sent. */
  tendered?: number | null
}

const STORE_KEY = 'storecrm.checkout.store'
const QUOTE_DELAY = 250
let keySeq = 0
const nextKey = () => ++keySeq

function rememberedStore(ids: number[]): number | null {
  try {
    const v = Number(localStorage.getItem(STORE_KEY))
    if (ids.includes(v)) return v
  } catch {
    /* storage disabled */
  }
  return ids[0] ?? null
}

export function useCheckout() {
  const auth = useAuthStore()
  const storeId = ref<number | null>(rememberedStore(auth.stores.map((s) => s.id)))
  const member = ref<Member | null>(null)
  const lines = ref<CartLine[]>([])
  const couponCodes = ref<string[]>([])
  const points = ref(0)
  const payments = ref<PaymentRow[]>([{ key: nextKey(), method: 'cash', amount: 0 }])
  const quote = ref<Quote | null>(null)
  const quoting = ref(false)
  const quotePending = ref(false)
  const quoteFailed = ref(false)
  /** Field errors of the last quote or checkout (`lines[0].quantity`, `payments`, ...). */
  const errors = reactive<Record<string, string>>({})
  const formError = ref('')
  /** The last checkout attempt failed without an answer we can trust (retry with the same key). */
  const submitFailed = ref(false)
  const submitting = ref(false)
  const sale = ref<Sale | null>(null)
  /** Change 找零 given back on the last sale's cash (fen), shown with the receipt. */
  const change = ref(0)
  let attempt: { key: string; body: string } | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  let seq = 0
  let controller: AbortController | null = null

  const paid = computed(() => payments.value.reduce((s, p) => s + (p.amount || 0), 0))
  const total = computed(() => quote.value?.total ?? 0)
  const remaining = computed(() => total.value - paid.value)
  /** A cash row whose tendered amount is below what it pays. */
  const cashShort = computed(() => payments.value.some((p) => p.method === 'cash' && !!p.tendered && p.tendered < (p.amount || 0)))
  /** The change of the cash rows with a tendered amount. */
  const cashChange = computed(() =>
    payments.value.reduce((s, p) => (p.method === 'cash' && p.tendered && p.tendered >= (p.amount || 0) ? s + p.tendered - (p.amount || 0) : s), 0),
  )
  const canPay = computed(
    () =>
      !!storeId.value &&
      lines.value.length > 0 &&
      !!quote.value &&
      !quotePending.value &&
      !quoting.value &&
      !quoteFailed.value &&
      remaining.value === 0 &&
      !cashShort.value &&
      !submitting.value,
  )

  function setErrors(e: unknown): boolean {
    for (const k of Object.keys(errors)) delete errors[k]
    formError.value = ''
    if (isApiError(e) && e.fields.length) {
      for (const f of e.fields) errors[f.field] = errors[f.field] ? `${errors[f.field]}; ${f.message}` : f.message
      return true
    }
    if (e) formError.value = isApiError(e) || e instanceof Error ? e.message : String(e)
    return false
  }

  function basket() {
    return {
      store_id: storeId.value!,
      ...(member.value ? { member_id: member.value.id } : {}),
      lines: lines.value.map((l) => ({ sku: l.sku, quantity: l.quantity, ...(l.discount ? { discount: l.discount } : {}) })),
      ...(member.value && couponCodes.value.length ? { coupon_codes: [...couponCodes.value] } : {}),
      ...(member.value && points.value > 0 ? { points_redeemed: points.value } : {}),
    }
  }

  /** The payments follow the total: one row takes it all, otherwise the last row takes the rest. */
  function fitPayments(due: number) {
    const rows = payments.value
    if (!rows.length) return
    const others = rows.slice(0, -1).reduce((s, p) => s + (p.amount || 0), 0)
    rows[rows.length - 1]!.amount = Math.max(0, due - others)
  }

  async function runQuote() {
    const mine = ++seq
    controller?.abort()
    if (!storeId.value || !lines.value.length) {
      quote.value = null
      quotePending.value = false
      quoteFailed.value = false
      setErrors(null)
      fitPayments(0)
      return
    }
    controller = new AbortController()
    quoting.value = true
    try {
      const q = await quoteSale(basket(), controller.signal)
      if (mine !== seq) return
      quote.value = q
      quoteFailed.value = false
      setErrors(null)
      const codes = new Set((q.available_coupons ?? []).map((c) => c.code))
      const kept = couponCodes.value.filter((c) => codes.has(c))
      if (kept.length !== couponCodes.value.length) couponCodes.value = kept
      const maxPoints = Math.max(0, Math.min(q.max_redeemable_points ?? 0, q.points_balance ?? 0))
      if (points.value > maxPoints) points.value = maxPoints
      fitPayments(q.total)
    } catch (e) {
      if (mine !== seq || (e instanceof DOMException && e.name === 'AbortError')) return
      quoteFailed.value = true
      setErrors(e)
    } finally {
      if (mine === seq) {
        quoting.value = false
        quotePending.value = false
      }
    }
  }

  function scheduleQuote() {
    quotePending.value = true
    clearTimeout(timer)
    timer = setTimeout(() => void runQuote(), QUOTE_DELAY)
  }

  watch([storeId, () => member.value?.id, lines, couponCodes, points], scheduleQuote, { deep: true })
  watch(storeId, (id) => {
    if (!id) return
    try {
      localStorage.setItem(STORE_KEY, String(id))
    } catch {
      /* ignore */
    }
  })
  watch(
    () => member.value?.id,
    () => {
      couponCodes.value = []
      points.value = 0
    },
  )

  function addProduct(p: Product, quantity = 1) {
    const existing = lines.value.find((l) => l.sku === p.sku)
    if (existing) existing.quantity += quantity
    else lines.value.push({ key: nextKey(), sku: p.sku, name: p.name, unit_price: p.price, quantity, discount: 0 })
  }

  function removeLine(key: number) {
    lines.value = lines.value.filter((l) => l.key !== key)
  }

  function addPayment() {
    const rest = Math.max(0, remaining.value)
    const used = new Set(payments.value.map((p) => p.method))
    const method = (['wechat_pay', 'alipay', 'bank_card', 'cash', 'other'] as PaymentMethod[]).find((m) => !used.has(m)) ?? 'other'
    payments.value.push({ key: nextKey(), method, amount: rest })
  }

  function removePayment(key: number) {
    if (payments.value.length <= 1) return
    payments.value = payments.value.filter((p) => p.key !== key)
    fitPayments(total.value)
  }

  async function checkout(): Promise<Sale | null> {
    if (!canPay.value) return null
    const body: SaleInput = {
      ...basket(),
      terminal: 'WEB',
      payments: payments.value.filter((p) => p.amount > 0).map((p) => ({ method: p.method, amount: p.amount })),
    }
    if (!body.payments.length) body.payments = [{ method: payments.value[0]?.method ?? 'cash', amount: 0 }]
    const text = JSON.stringify(body)
    // Same basket and payments as the attempt that failed: the same key, so the server replays.
    if (!attempt || attempt.body !== text) attempt = { key: newUuid(), body: text }
    submitting.value = true
    submitFailed.value = false
    const givenBack = cashChange.value
    try {
      const done = await createSale(body, attempt.key)
      attempt = null
      setErrors(null)
      change.value = givenBack
      sale.value = done
      return done
    } catch (e) {
      setErrors(e)
      // A refused sale (4xx but not a conflict while in flight) will not succeed with this key.
      if (isApiError(e) && e.status >= 400 && e.status < 500 && e.status !== 409 && e.status !== 429) attempt = null
      else submitFailed.value = true
      return null
    } finally {
      submitting.value = false
    }
  }

  function reset() {
    member.value = null
    lines.value = []
    couponCodes.value = []
    points.value = 0
    payments.value = [{ key: nextKey(), method: 'cash', amount: 0 }]
    quote.value = null
    sale.value = null
    change.value = 0
    attempt = null
    submitFailed.value = false
    setErrors(null)
  }

  onBeforeUnmount(() => {
    clearTimeout(timer)
    controller?.abort()
  })

  return {
    storeId,
    member,
    lines,
    couponCodes,
    points,
    payments,
    quote,
    quoting,
    quotePending,
    quoteFailed,
    errors,
    formError,
    submitFailed,
    submitting,
    sale,
    change,
    paid,
    total,
    remaining,
    cashShort,
    cashChange,
    canPay,
    addProduct,
    removeLine,
    addPayment,
    removePayment,
    checkout,
    reset,
  }
}
