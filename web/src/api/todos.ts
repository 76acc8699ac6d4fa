import { http } from './request'
import type { ComplaintStatus, Severity } from './complaints'
import type { MemberRef, Task } from './service'

/** A complaint near (within 30 min) or past its SLA, as the to-dos list it. */
export interface UrgentComplaint {
  id: number
  store_name: string
  category: string
  severity: Severity
  status: ComplaintStatus
  due_at: string
  breached: boolean
  escalation_level: number
}

/** The dashboard's to-dos for the caller's role and stores. */
export interface Todos {
  birthdays_today: MemberRef[]
  /** My open tasks: counts, and the overdue and today's ones. */
  tasks: { overdue: number; today: number; items?: Task[] }
  complaints: UrgentComplaint[]
  dormant: { count: number; days?: number; items: MemberRef[] }
  now?: string
}

export function getTodos() {
  return http.get<Todos>('/todos')
}
