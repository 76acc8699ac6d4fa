import { apiUrl, http } from './request'
import type { Page, PageQuery } from './request'

/**
 * Imports (导入) of members, products or sales from a CSV (UTF-8 or GBK) or .xlsx file (its first sheet), run in the
 * background: all rows or none; a dry run only checks. Permission `imports.run` plus the kind's own.
 */

export type ImportKind = 'members' | 'products' | 'sales' | 'history'
export type ImportStatus = 'queued' | 'running' | 'done' | 'failed'

export interface ImportRowError {
  /** As a spreadsheet numbers it: the header is row 1; 0 = the file as a whole. */
  row: number
  field: string
  reason: string
}

export interface ImportJob {
  id: number
  kind: ImportKind
  file_name: string
  dry_run: boolean
  status: ImportStatus
  total_rows: number
  processed_rows: number
  written_rows: number
  /** Bad rows. */
  error_count: number
  /** The first 1,000. */
  errors: ImportRowError[]
  started_at: string | null
  finished_at: string | null
  created_by: unknown
  created_at?: string
  /** Why a `failed` import failed (when the server says). */
  message?: string
}

export const IMPORT_KINDS: ImportKind[] = ['members', 'products', 'sales', 'history']

/** The permission each kind needs besides `imports.run`. */
export const IMPORT_KIND_PERMISSION: Record<ImportKind, string> = {
  members: 'members.create',
  products: 'products.manage',
  sales: 'sales.create',
  history: 'sales.create',
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/** The Content-Type the server expects for a file: `.xlsx` or CSV. */
export function importContentType(fileName: string): string {
  return /\.xlsx$/i.test(fileName) ? XLSX_TYPE : 'text/csv'
}

/** Upload a file (the raw bytes as the body) → 202 `{id, status}`; then poll `getImport`. */
export function startImport(kind: ImportKind, file: Blob, fileName: string, dryRun: boolean) {
  return http.post<{ id: number; status: ImportStatus }>('/imports', undefined, {
    query: { kind, dry_run: dryRun ? 'true' : 'false', file_name: fileName },
    raw: { data: file, type: importContentType(fileName) },
  })
}

export function getImport(id: number) {
  return http.get<ImportJob>(`/imports/${id}`)
}

/** Past imports, newest first. */
export function getImports(query: PageQuery = {}) {
  return http.get<Page<ImportJob>>('/imports', { ...query })
}

/** Link to the template of a kind (header row and one example row), as CSV or .xlsx. */
export function importTemplateUrl(kind: ImportKind, format: 'csv' | 'xlsx' = 'csv') {
  return apiUrl('/imports/template', { kind, format })
}
