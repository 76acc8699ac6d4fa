import { http } from './request'
import type { Page } from './request'

export type QuestionKind = 'nps' | 'csat' | 'choice' | 'text'
export const QUESTION_KINDS: QuestionKind[] = ['nps', 'csat', 'choice', 'text']

export interface SurveyQuestion {
  id: string
  kind: QuestionKind
  text: string
  options: string[]
  required: boolean
}

/** 反馈问卷. */
export interface Survey {
  id: number
  title: string
  intro: string
  questions: SurveyQuestion[]
  thanks_points: number
  after_sale: boolean
  status: 'active' | 'inactive'
  version: number
  created_at?: string
}

export type SurveyInput = Omit<Survey, 'id' | 'version' | 'created_at'>

export interface SurveyLink {
  token: string
  url: string
  expires_at: string
}

export interface NpsResult {
  score: number
  promoters: number
  passives: number
  detractors: number
}

export interface CsatResult {
  average: number
  count: number
}

export interface SurveyResults {
  answers: number
  nps: NpsResult | null
  csat: CsatResult | null
  questions: Array<{ id: string; text: string; kind: QuestionKind; distribution: Record<string, number>; texts: string[] }>
  stores: Array<{ store_id: number; store_name: string; answers: number; nps: NpsResult | number | null; csat: CsatResult | number | null }>
  staff: Array<{ staff_id: number; staff_name: string; answers: number; nps: NpsResult | number | null; csat: CsatResult | number | null }>
}

export interface PublicSurvey {
  title: string
  intro: string
  store_name: string
  questions: SurveyQuestion[]
  answered: boolean
}

export function getSurveys() {
  return http.get<Page<Survey>>('/surveys', { limit: 200 })
}

export function getSurvey(id: number) {
  return http.get<Survey>(`/surveys/${id}`)
}

export function createSurvey(data: SurveyInput) {
  return http.post<Survey>('/surveys', data)
}

export function updateSurvey(id: number, data: SurveyInput & { version: number }) {
  return http.put<Survey>(`/surveys/${id}`, data)
}

/** A signed answer link (30 days) for a member / sale / event. */
export function createSurveyLink(id: number, data: { member_id?: number; sale_id?: number; event_id?: number; store_id?: number }) {
  return http.post<SurveyLink>(`/surveys/${id}/links`, data)
}

export function getSurveyResults(id: number, query: { from?: string; to?: string; store_id?: number | ''; staff_id?: number | '' } = {}) {
  return http.get<SurveyResults>(`/surveys/${id}/results`, { ...query })
}

/** The survey behind a link, without signing in. */
export function getPublicSurvey(token: string) {
  return http.get<PublicSurvey>(`/public/surveys/${encodeURIComponent(token)}`, undefined, { skipAuthRedirect: true })
}

export function answerPublicSurvey(token: string, answers: Record<string, number | string>) {
  return http.post<{ thanks_points: number }>(`/public/surveys/${encodeURIComponent(token)}/answers`, { answers }, { skipAuthRedirect: true })
}
