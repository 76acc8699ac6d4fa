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
