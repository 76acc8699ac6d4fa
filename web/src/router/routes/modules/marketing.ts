import type { RouteRecordRaw } from 'vue-router'
import { Aim, CollectionTag, Flag, Promotion, Setting } from '@element-plus/icons-vue'

/**
 * 精准营销: segments 客户分群 (list, editor, detail), automatic tags 自动标签, campaigns 营销活动
 * (list, editor, detail with preview and approval, results), targets 营销目标 and the marketing
 * settings 营销设置 (read with campaigns.manage, saved with marketing.settings).
 */
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
  {
    path: 'marketing/campaigns',
    name: 'CampaignList',
    component: () => import('@/views/marketing/campaigns.vue'),
    meta: { title: 'marketing.menu.campaigns', permission: 'campaigns.manage', icon: Promotion },
  },
  {
    path: 'marketing/campaigns/new',
    name: 'CampaignNew',
    component: () => import('@/views/marketing/campaign-editor.vue'),
    meta: { title: 'marketing.menu.campaignNew', permission: 'campaigns.manage', activeMenu: '/marketing/campaigns' },
  },
  {
    path: 'marketing/campaigns/:id(\\d+)',
    name: 'CampaignDetail',
    component: () => import('@/views/marketing/campaign-detail.vue'),
    meta: { title: 'marketing.menu.campaignDetail', permission: 'campaigns.manage', activeMenu: '/marketing/campaigns' },
  },
  {
    path: 'marketing/campaigns/:id(\\d+)/edit',
    name: 'CampaignEdit',
    component: () => import('@/views/marketing/campaign-editor.vue'),
    meta: { title: 'marketing.menu.campaignEdit', permission: 'campaigns.manage', activeMenu: '/marketing/campaigns' },
  },
  {
    path: 'marketing/campaigns/:id(\\d+)/results',
    name: 'CampaignResults',
    component: () => import('@/views/marketing/campaign-results.vue'),
    meta: { title: 'marketing.menu.campaignResults', permission: 'campaigns.manage', activeMenu: '/marketing/campaigns' },
  },
  {
    path: 'marketing/targets',
    name: 'MarketingTargets',
    component: () => import('@/views/marketing/targets.vue'),
    meta: { title: 'marketing.menu.targets', permission: 'analytics.read', icon: Flag },
  },
  {
    path: 'marketing/settings',
    name: 'MarketingSettings',
    component: () => import('@/views/marketing/settings.vue'),
    meta: { title: 'marketing.menu.settings', permission: 'campaigns.manage', icon: Setting },
  },
]
