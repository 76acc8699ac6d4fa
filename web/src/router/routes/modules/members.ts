import type { RouteRecordRaw } from 'vue-router'
import { CircleClose, CopyDocument, Plus, PriceTag, Tickets, User } from '@element-plus/icons-vue'

/** 会员: list, form, 360° view, duplicates, deletion requests, tag library, custom fields. */
export const memberRoutes: RouteRecordRaw[] = [
  {
    path: 'members',
    name: 'MemberList',
    component: () => import('@/views/members/list.vue'),
    meta: { title: 'menu.memberList', permission: 'members.read', icon: User },
  },
  {
    path: 'members/new',
    name: 'MemberCreate',
    component: () => import('@/views/members/form.vue'),
    meta: { title: 'menu.memberCreate', permission: 'members.create', icon: Plus },
  },
  {
    path: 'members/duplicates',
    name: 'MemberDuplicates',
    component: () => import('@/views/members/duplicates.vue'),
    meta: { title: 'menu.duplicates', permission: ['members.read', 'members.merge'], icon: CopyDocument },
  },
  {
    path: 'members/deletion-requests',
    name: 'MemberDeletionRequests',
    component: () => import('@/views/members/deletion-requests.vue'),
    meta: { title: 'menu.deletionRequests', permission: 'members.anonymize', icon: CircleClose },
  },
  {
    path: 'members/:id(\\d+)',
    name: 'MemberDetail',
    component: () => import('@/views/members/detail.vue'),
    meta: { title: 'menu.memberDetail', permission: 'members.read', activeMenu: '/members' },
  },
  {
    path: 'members/:id(\\d+)/edit',
    name: 'MemberEdit',
    component: () => import('@/views/members/form.vue'),
    meta: { title: 'menu.memberEdit', permission: ['members.read', 'members.update'], activeMenu: '/members' },
  },
  {
    path: 'tags',
    name: 'TagList',
    component: () => import('@/views/tags/list.vue'),
    meta: { title: 'menu.tags', permission: 'tags.manage', icon: PriceTag },
  },
  {
    path: 'custom-fields',
    name: 'CustomFieldList',
    component: () => import('@/views/custom-fields/list.vue'),
    meta: { title: 'menu.customFields', permission: 'custom_fields.manage', icon: Tickets },
  },
]
