import type { RouteRecordRaw } from 'vue-router'
import { AlarmClock, ChatDotSquare, DataAnalysis, Flag, List, Odometer, Setting, Switch, Warning } from '@element-plus/icons-vue'

/** 客户服务: dashboard, my work today, tasks, handovers, complaints, surveys, member events, settings. */
export const serviceRoutes: RouteRecordRaw[] = [
  {
    path: 'service/dashboard',
    name: 'ServiceDashboard',
    component: () => import('@/views/service/dashboard.vue'),
    meta: { title: 'menu.dashboard', permission: 'service.use', icon: Odometer },
  },
  {
    path: 'service/today',
    name: 'ServiceToday',
    component: () => import('@/views/service/today.vue'),
    meta: { title: 'menu.serviceToday', permission: 'service.use', icon: AlarmClock },
  },
  {
    path: 'service/tasks',
    name: 'ServiceTasks',
    component: () => import('@/views/service/tasks.vue'),
    meta: { title: 'menu.tasks', permission: 'service.use', icon: List },
  },
  {
    path: 'service/handovers',
    name: 'ServiceHandovers',
    component: () => import('@/views/service/handovers.vue'),
    meta: { title: 'menu.handovers', permission: 'tasks.manage', icon: Switch },
  },
  {
    path: 'service/complaints',
    name: 'ComplaintList',
    component: () => import('@/views/complaints/list.vue'),
    meta: { title: 'menu.complaints', permission: 'complaints.handle', icon: Warning },
  },
  {
    path: 'service/complaints/new',
    name: 'ComplaintNew',
    component: () => import('@/views/complaints/form.vue'),
    meta: { title: 'menu.complaintNew', permission: 'complaints.handle', activeMenu: '/service/complaints' },
  },
  {
    path: 'service/complaints/:id(\\d+)',
    name: 'ComplaintDetail',
    component: () => import('@/views/complaints/detail.vue'),
    meta: { title: 'menu.complaintDetail', permission: 'complaints.handle', activeMenu: '/service/complaints' },
  },
  {
    path: 'service/complaints/report',
    name: 'ComplaintReport',
    component: () => import('@/views/complaints/report.vue'),
    meta: { title: 'menu.complaintReport', permission: 'complaints.handle', icon: DataAnalysis },
  },
  {
    path: 'service/surveys',
    name: 'SurveyList',
    component: () => import('@/views/surveys/list.vue'),
    meta: { title: 'menu.surveys', permission: 'surveys.manage', icon: ChatDotSquare },
  },
  {
    path: 'service/surveys/:id(\\d+)/results',
    name: 'SurveyResults',
    component: () => import('@/views/surveys/results.vue'),
    meta: { title: 'menu.surveyResults', permission: 'surveys.manage', activeMenu: '/service/surveys' },
  },
  {
    path: 'service/events',
    name: 'EventList',
    component: () => import('@/views/events/list.vue'),
    meta: { title: 'menu.events', permission: 'events.manage', icon: Flag },
  },
  {
    path: 'service/events/:id(\\d+)',
    name: 'EventDetail',
    component: () => import('@/views/events/detail.vue'),
    meta: { title: 'menu.eventDetail', permission: 'events.manage', activeMenu: '/service/events' },
  },
  {
    path: 'service/settings',
    name: 'ServiceSettings',
    component: () => import('@/views/service/settings.vue'),
    meta: { title: 'menu.serviceSettings', permission: 'service.manage', icon: Setting },
  },
]
