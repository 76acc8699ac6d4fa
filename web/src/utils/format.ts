/** Display helpers. Times from the server are UTC ISO strings; they are shown in local time. */

function pad(n: number) {
  return n < 10 ? `0${n}` : String(n)
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return String(iso)
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return ''
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso) || iso.includes('*')) return iso
  return formatTime(iso).slice(0, 10)
}

/** A value of unknown shape (history old/new, custom field, audit detail) as short text. */
export function formatValue(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  if (Array.isArray(v)) return v.map((x) => formatValue(x)).join(', ')
  if (typeof v === 'boolean') return v ? '✓' : '✗'
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o.name === 'string') return o.name
    return JSON.stringify(v)
  }
  return String(v)
}

/** Name of an `{id,name}` reference or a plain string. */
export function refName(v: unknown): string {
  if (!v) return ''
  if (typeof v === 'string') return v
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>
    if (typeof o.name === 'string' && o.name) return o.name
    if (typeof o.username === 'string') return o.username
    if (o.id !== undefined && o.id !== null) return `#${String(o.id)}`
  }
  return String(v)
}

/** Amounts are integer fen: 1234 → "¥12.34" (negative: "-¥12.34"). */
export function formatMoney(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || Number.isNaN(fen)) return '—'
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.round(fen))
  const yuan = Math.floor(abs / 100)
  const cents = abs % 100
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents < 10 ? '0' : ''}${cents}`
}

/** fen → yuan number (for money inputs). */
export function fenToYuan(fen: number | null | undefined): number | undefined {
  if (fen === null || fen === undefined) return undefined
  return fen / 100
}

/** yuan number → integer fen. */
export function yuanToFen(yuan: number | null | undefined): number {
  if (yuan === null || yuan === undefined || Number.isNaN(yuan)) return 0
  return Math.round(yuan * 100)
}

/** "13912345678" → "139****5678"; an already masked or short value is returned as is. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return ''
  const digits = phone.replace(/\s+/g, '')
  if (digits.includes('*') || digits.length < 7) return digits
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`
}

/** A time for the API: UTC ISO-8601 to the second (`2026-11-24T08:30:00Z`; the server refuses milliseconds). */
export function toApiTime(d: Date | string | number): string {
  return new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** A file size for people: 1536 → "1.5 KB" (binary units, one decimal from KB up). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || Number.isNaN(bytes)) return '—'
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`
}
