import { http } from './request'
import type { Page, PageQuery } from './request'

/** Staff in the service answers: `{id, name}`. */
export interface StaffRef {
  id: number
  name: string
}

/** A member in the service answers (phone masked without `members.pii`). */
export interface MemberRef {
  id: number
  member_no: string
  name: string
  phone: string
}

export type Channel = 'phone' | 'wechat' | 'visit' | 'sms' | 'email'
export type Direction = 'outbound' | 'inbound'
export type Sentiment = 'positive' | 'neutral' | 'negative'
export const CHANNELS: Channel[] = ['phone', 'wechat', 'visit', 'sms', 'email']
export const DIRECTIONS: Direction[] = ['outbound', 'inbound']
export const SENTIMENTS: Sentiment[] = ['positive', 'neutral', 'negative']

/** 互动记录. */
export interface Interaction {
  id: number
  member_id: number
  store_id: number
  staff: StaffRef | null
  occurred_at: string
  channel: Channel
  direction: Direction
  summary: string
  feedback: string
  sentiment: Sentiment
  next_step: string
  task_id: number | null
  created_at: string
}

export interface InteractionInput {
  channel: Channel
  direction: Direction
  summary: string
  occurred_at?: string
  feedback?: string
  sentiment?: Sentiment
  store_id?: number
  next_step?: string
  next_step_due?: string
  next_step_assignee_id?: number
  /** The task this call works on: the server completes it with the summary as outcome. */
  task_id?: number
}

export type TimelineKind = 'sale' | 'refund' | 'interaction' | 'task' | 'complaint' | 'points' | 'message' | 'survey' | 'event'

export interface TimelineItem {
  kind: TimelineKind
  at: string
  id: number
  title: string
  detail: Record<string, unknown>
}

export type TaskPriority = 'low' | 'normal' | 'high' | 'urgent'
export type TaskOrigin = 'manual' | 'interaction' | 'reminder' | 'complaint' | 'campaign' | 'dormancy'
export type TaskStatus = 'open' | 'done' | 'skipped'
export const TASK_PRIORITIES: TaskPriority[] = ['low', 'normal', 'high', 'urgent']
export const TASK_ORIGINS: TaskOrigin[] = ['manual', 'interaction', 'reminder', 'complaint', 'campaign', 'dormancy']
export const TASK_STATUSES: TaskStatus[] = ['open', 'done', 'skipped']

/** 跟进任务. */
export interface Task {
  id: number
  store_id: number
  member: MemberRef | null
  assignee: StaffRef | null
  title: string
  details: string
  due_at: string
  priority: TaskPriority
  origin: TaskOrigin
  origin_ref: string
  status: TaskStatus
  outcome: string
  completed_at: string | null
  completed_by: StaffRef | null
  overdue: boolean
  escalated_to: StaffRef | null
  escalated_at: string | null
  created_at: string
  version: number
}

export interface TaskQuery extends PageQuery {
  assignee_id?: number | 'me' | ''
  store_id?: number | ''
  member_id?: number | ''
  status?: TaskStatus | ''
  origin?: TaskOrigin | ''
  due?: 'today' | 'overdue' | 'upcoming' | ''
  escalated?: boolean | ''
  /** `today`: tasks finished (done or skipped) today. */
  completed?: 'today' | ''
}

export interface TaskInput {
  title: string
  details?: string
  member_id?: number
  store_id?: number
  assignee_id?: number
  due_at: string
  priority?: TaskPriority
}

export type TaskUpdate = Partial<Pick<TaskInput, 'title' | 'details' | 'due_at' | 'priority' | 'assignee_id'>> & { version: number }

/** 我的待办. */
export interface TodayTasks {
  overdue: Task[]
  today: Task[]
  unassigned: Task[]
  done_today: number
}

export interface Handover {
  id: number
  from: StaffRef
  to: StaffRef
  members_moved: number
  tasks_moved: number
  note: string
  created_by: StaffRef | null
  created_at: string
}

export interface ServiceSettings {
  birthday_days_ahead: number
  member_day_reminders: boolean
  cycle_reminders: boolean
  dormancy_days: number
  dormancy_coupon_template_id: number | null
  points_expiry_days_ahead: number
  sla_response_minutes: { online: number; phone: number; email: number; in_store: number }
  sla_resolution_hours: { low: number; medium: number; high: number; critical: number }
  legal_categories: string[]
  version: number
}

export interface PurchaseCycle {
  median_days: number | null
  purchases: number
  next_due_at: string | null
  categories: Array<{ category_id: number; name: string; median_days: number | null; purchases: number; next_due_at: string | null }>
}

/** A member's interactions, newest first. */
export function getInteractions(memberId: number, query: PageQuery = {}) {
  return http.get<Page<Interaction>>(`/members/${memberId}/interactions`, { ...query })
}

/** Log an interaction (a `task_id` completes that task; a `next_step` creates one). */
export function createInteraction(memberId: number, data: InteractionInput) {
  return http.post<Interaction>(`/members/${memberId}/interactions`, data)
}

/** One page of the member's timeline; `before` is the previous page's `next_before`. */
export function getTimeline(memberId: number, query: { before?: string | null; limit?: number } = {}) {
  return http.get<{ items: TimelineItem[]; next_before: string | null }>(`/members/${memberId}/timeline`, { ...query })
}

/** The member's purchase cycle (median days between purchases, next due). */
export function getPurchaseCycle(memberId: number) {
  return http.get<PurchaseCycle>(`/members/${memberId}/purchase-cycle`)
}

/** Tasks list (filters of docs/api.md), ordered by due time. */
export function getTasks(query: TaskQuery = {}) {
  return http.get<Page<Task>>('/tasks', { ...query })
}

/** My work today: overdue, today, unassigned in my stores. */
export function getTodayTasks() {
  return http.get<TodayTasks>('/tasks/today')
}

export function createTask(data: TaskInput) {
  return http.post<Task>('/tasks', data)
}

export function updateTask(id: number, data: TaskUpdate) {
  return http.put<Task>(`/tasks/${id}`, data)
}

/** Mark a task done or skipped with an outcome. */
export function completeTask(id: number, data: { status: 'done' | 'skipped'; outcome: string; version?: number }) {
  return http.post<Task>(`/tasks/${id}/complete`, data)
}

/** An active colleague to assign work to (`GET /staff/options`). */
export interface StaffOption {
  id: number
  name: string
  role_code: string
  role_name: string
}

/** Active colleagues of my stores (or of one store) to assign tasks and complaints to (`service.use`). */
export function getStaffOptions(storeId?: number | null) {
  return http.get<{ items: StaffOption[] }>('/staff/options', { store_id: storeId ?? undefined })
}

/** 导购交接: move the guide's members and open tasks to another staff member. */
export function handover(staffId: number, data: { to_staff_id: number; note?: string }) {
  return http.post<{ id: number; members_moved: number; tasks_moved: number }>(`/staff/${staffId}/handover`, data)
}

export function getHandovers(query: PageQuery = {}) {
  return http.get<Page<Handover>>('/handovers', { ...query })
}

export function getServiceSettings() {
  return http.get<ServiceSettings>('/service/settings')
}

/** Save the settings (`version` checked: a stale one gets 409). */
export function saveServiceSettings(data: ServiceSettings) {
  return http.put<ServiceSettings>('/service/settings', data)
}
