import { http } from './request'

/**
 * Online backups (备份) of the database, kept by a daily / weekly / monthly retention rule and
 * taken once a day at `hour_local` (HQ time zone). Permission `backups.manage`.
 */

export type BackupKeep = 'daily' | 'weekly' | 'monthly'

export interface Backup {
  /** File name, `storecrm-YYYYMMDD-HHMMSS.db` (SQLite) or `.dump` (PostgreSQL). */
  name: string
  size_bytes: number
  created_at: string
  /** The copy passed its integrity check. */
  verified: boolean
  /** Which retention buckets keep it. */
  keep: BackupKeep[]
}

export interface BackupRun {
  started_at: string
  finished_at: string | null
  ok: boolean
  name: string | null
  message: string
}

export interface BackupRetention {
  daily: number
  weekly: number
  monthly: number
}

export interface BackupSettings {
  /** 0–23, HQ time zone. */
  hour_local: number
  retention: BackupRetention
  /** IANA time zone `hour_local` is in (default Asia/Shanghai). */
  timezone?: string
}

export interface BackupOverview {
  items: Backup[]
  last_run: BackupRun | null
  directory: string
  backend: string
  settings: BackupSettings
}

/** Backups newest first, the last run, where they are kept and the schedule. */
export function getBackups() {
  return http.get<BackupOverview>('/system/backups')
}

/** Take a backup now (409 `conflict` while another is running). */
export function runBackup() {
  return http.post<{ item: Backup }>('/system/backups')
}

export function updateBackupSettings(settings: BackupSettings) {
  return http.put<void>('/system/backups/settings', settings)
}
