import type { RouteRecordRaw } from 'vue-router'
import { Aim, CollectionTag } from '@element-plus/icons-vue'

/** 精准营销: segments 客户分群 (list, editor, detail) and automatic tags 自动标签. */
export const marketingRoutes: RouteRecordRaw[] = [
  {
    path: 'marketing/segments',
    name: 'SegmentList',
    component: () => import('@/views/marketing/segments.vue'),
    meta: { title: 'marketing.menu.segments', permission: 'segments.manage', icon: Aim },
  },
  {
    path: 'marketing/segments/new',
    name: 'SegmentNew',
    component: () => import('@/views/marketing/segment-editor.vue'),
    meta: { title: 'marketing.menu.segmentNew', permission: 'segments.manage', activeMenu: '/marketing/segments' },
  },
  {
    path: 'marketing/segments/:id(\\d+)',
    name: 'SegmentDetail',
    component: () => import('@/views/marketing/segment-detail.vue'),
    meta: { title: 'marketing.menu.segmentDetail', permission: 'segments.manage', activeMenu: '/marketing/segments' },
  },
  {
    path: 'marketing/segments/:id(\\d+)/edit',
    name: 'SegmentEdit',
    component: () => import('@/views/marketing/segment-editor.vue'),
    meta: { title: 'marketing.menu.segmentEdit', permission: 'segments.manage', activeMenu: '/marketing/segments' },
  },
  {
    path: 'marketing/tag-rules',
    name: 'TagRuleList',
    component: () => import('@/views/marketing/tag-rules.vue'),
    meta: { title: 'marketing.menu.tagRules', permission: 'segments.manage', icon: CollectionTag },
  },
]
