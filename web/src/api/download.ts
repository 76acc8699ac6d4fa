/**
 * File downloads (exports) fetched in the page rather than by a plain link, so the page can show
 * progress, let the user cancel, and show the server's message when the export is refused.
 */
import { apiUrl, fetchFile } from './request'
import type { Query } from './request'

export type ExportFormat = 'csv' | 'xlsx'

/** Bytes received so far and the size the server announced (`null` without a Content-Length). */
export interface DownloadProgress {
  received: number
  total: number | null
}

export interface DownloadOptions {
  signal?: AbortSignal
  /** Called once the server has answered (the file is generated) and the body starts. */
  onStart?: (p: DownloadProgress) => void
  /** Called after every chunk of the body. */
  onProgress?: (p: DownloadProgress) => void
}

export interface DownloadedFile {
  blob: Blob
  fileName: string
}

/**
 * Address of a list route's whole result as a file: any `GET` list route answers `?format=csv|xlsx`
 * with every page (same filters and masking as the list, audited, 30 exports a minute per caller).
 * Paging (`cursor`, `limit`) is left out.
 */
export function listExportUrl(path: string, query: Query, format: ExportFormat): string {
  const q: Query = { ...query, format }
  delete q.cursor
  delete q.limit
  return apiUrl(path, q)
}

/**
 * The file name of a `Content-Disposition` header: the RFC 5987 `filename*=UTF-8''…` when present,
 * else `filename="…"`; `null` when there is none. Path separators are replaced.
 */
export function fileNameOf(disposition: string | null): string | null {
  if (!disposition) return null
  let name: string | null = null
  const extended = /filename\*\s*=\s*([\w!#$%&+^`{}~-]*)'[^']*'([^;\s]+)/i.exec(disposition)
  if (extended) {
    try {
      name = decodeURIComponent(extended[2])
    } catch {
      name = null
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*(?:"((?:\\.|[^"\\])*)"|([^;\s]+))/i.exec(disposition)
    if (plain) name = plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]
  }
  name = name?.replace(/[\\/]/g, '_').trim() ?? null
  return name || null
}

function fallbackName(type: string): string {
  if (type.includes('spreadsheetml')) return 'export.xlsx'
  if (type.includes('json')) return 'export.json'
  return 'export.csv'
}

/** Fetch a file into memory, reporting progress as the bytes stream in. */
export async function downloadFile(url: string, opts: DownloadOptions = {}): Promise<DownloadedFile> {
  const res = await fetchFile(url, opts.signal)
  const type = res.headers.get('Content-Type') ?? ''
  const fileName = fileNameOf(res.headers.get('Content-Disposition')) ?? fallbackName(type)
  const length = Number(res.headers.get('Content-Length'))
  const progress: DownloadProgress = { received: 0, total: Number.isFinite(length) && length > 0 ? length : null }
  opts.onStart?.({ ...progress })
  const reader = res.body?.getReader()
  if (!reader) {
    const blob = await res.blob()
    opts.onProgress?.({ received: blob.size, total: progress.total })
    return { blob, fileName }
  }
  const chunks: BlobPart[] = []
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    progress.received += value.byteLength
    opts.onProgress?.({ ...progress })
  }
  return { blob: new Blob(chunks, { type }), fileName }
}

/** Hand a Blob to the browser as a download named `fileName` (an object URL and `<a download>`). */
export function saveBlob(blob: Blob, fileName: string): void {
  const href = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = href
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
  // The browser has taken the file by then; the delay only covers slow download managers.
  setTimeout(() => URL.revokeObjectURL(href), 60_000)
}
