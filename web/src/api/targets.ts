import { http } from './request'

/**
 * 营销目标: yearly, quarterly and monthly targets per store or staff member, with progress
 * against the time gone (China calendar). Read `analytics.read`; set / remove `targets.manage`.
 */

export type TargetScope = 'store' | 'staff'
export type TargetMetric = 'sales' | 'new_members' | 'reactivated'
export const TARGET_METRICS: TargetMetric[] = ['sales', 'new_members', 'reactivated']

export interface Target {
  id: number
  scope: TargetScope
  subject_id: number
  subject_name: string
  metric: TargetMetric
  /** "2026", "2026-Q4" or "2026-11". */
  period: string
  /** Sales in fen; members as a count. */
  target: number
  actual: number
  progress_pct: number
  time_elapsed_pct: number
  on_track: boolean
  version: number
}

export interface TargetInput {
  scope: TargetScope
  subject_id: number
  metric: TargetMetric
  period: string
  target: number
}

export function getTargets(period?: string) {
  return http.get<{ items: Target[] }>('/targets', { period })
}

/** Sets or replaces the target of that scope, subject, metric and period (201). */
export function setTarget(data: TargetInput) {
  return http.post<{ id: number }>('/targets', data)
}

export function deleteTarget(id: number) {
  return http.del(`/targets/${id}`)
}
