import type { RouteRecordRaw } from 'vue-router'
import { Avatar, ChatLineSquare, Document, FolderChecked, Hide, Key, Link, Lock, Shop, Upload } from '@element-plus/icons-vue'

/** 系统: stores, staff, roles, API tokens, webhooks, audit log, message log, backups, imports, privacy. */
export const systemRoutes: RouteRecordRaw[] = [
  {
    path: 'system/stores',
    name: 'SystemStore',
    component: () => import('@/views/system/stores/list.vue'),
    meta: { title: 'menu.stores', permission: 'stores.read', icon: Shop },
  },
  {
    path: 'system/staff',
    name: 'SystemStaff',
    component: () => import('@/views/system/staff/list.vue'),
    meta: { title: 'menu.staff', permission: 'staff.manage', icon: Avatar },
  },
  {
    path: 'system/roles',
    name: 'SystemRole',
    component: () => import('@/views/system/roles/list.vue'),
    meta: { title: 'menu.roles', permission: 'roles.manage', icon: Lock },
  },
  {
    path: 'system/api-tokens',
    name: 'SystemApiToken',
    component: () => import('@/views/system/api-tokens/list.vue'),
    meta: { title: 'menu.apiTokens', permission: 'api_tokens.manage', icon: Key },
  },
  {
    path: 'system/webhooks',
    name: 'SystemWebhooks',
    component: () => import('@/views/system/webhooks/list.vue'),
    meta: { title: 'menu.webhooks', permission: 'webhooks.manage', icon: Link },
  },
  {
    path: 'system/audit',
    name: 'SystemAudit',
    component: () => import('@/views/system/audit/list.vue'),
    meta: { title: 'menu.audit', permission: 'audit.read', icon: Document },
  },
  {
    path: 'system/messages',
    name: 'SystemMessages',
    component: () => import('@/views/system/messages/list.vue'),
    meta: { title: 'menu.messages', permission: 'messages.read', icon: ChatLineSquare },
  },
  {
    path: 'system/backups',
    name: 'SystemBackups',
    component: () => import('@/views/system/backups/index.vue'),
    meta: { title: 'menu.backups', permission: 'backups.manage', icon: FolderChecked },
  },
  {
    path: 'system/imports',
    name: 'SystemImports',
    component: () => import('@/views/system/imports/index.vue'),
    meta: { title: 'menu.imports', permission: 'imports.run', icon: Upload },
  },
  {
    path: 'system/privacy',
    name: 'SystemPrivacy',
    component: () => import('@/views/system/privacy/index.vue'),
    meta: { title: 'menu.privacy', permission: 'privacy.manage', icon: Hide },
  },
]
