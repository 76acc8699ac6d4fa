import type { RouteRecordRaw } from 'vue-router'
import { Calendar, Connection, DataAnalysis, Grid, MagicStick, ShoppingCart, TrendCharts, UserFilled } from '@element-plus/icons-vue'

/**
 * 分析: sales dashboard, members, RFM, cohorts, basket rules, correlation, clusters, prediction. Each page is its own lazily loaded chunk and
 * only they import ECharts, so the rest of the app's first load does not carry it.
 */
export const analyticsRoutes: RouteRecordRaw[] = [
  {
    path: 'analytics/sales',
    name: 'AnalyticsSales',
    component: () => import('@/views/analytics/sales.vue'),
    meta: { title: 'menu.analyticsSales', permission: 'analytics.read', icon: TrendCharts },
  },
  {
    path: 'analytics/members',
    name: 'AnalyticsMembers',
    component: () => import('@/views/analytics/members.vue'),
    meta: { title: 'menu.analyticsMembers', permission: 'analytics.read', icon: UserFilled },
  },
  {
    path: 'analytics/rfm',
    name: 'AnalyticsRfm',
    component: () => import('@/views/analytics/rfm.vue'),
    meta: { title: 'menu.analyticsRfm', permission: 'analytics.read', icon: Grid },
  },
  {
    path: 'analytics/cohorts',
    name: 'AnalyticsCohorts',
    component: () => import('@/views/analytics/cohorts.vue'),
    meta: { title: 'menu.analyticsCohorts', permission: 'analytics.read', icon: Calendar },
  },
  {
    path: 'analytics/baskets',
    name: 'AnalyticsBaskets',
    component: () => import('@/views/analytics/baskets.vue'),
    meta: { title: 'menu.analyticsBaskets', permission: 'analytics.read', icon: ShoppingCart },
  },
  {
    path: 'analytics/correlation',
    name: 'AnalyticsCorrelation',
    component: () => import('@/views/analytics/correlation.vue'),
    meta: { title: 'menu.analyticsCorrelation', permission: 'analytics.read', icon: Connection },
  },
  {
    path: 'analytics/clusters',
    name: 'AnalyticsClusters',
    component: () => import('@/views/analytics/clusters.vue'),
    meta: { title: 'menu.analyticsClusters', permission: 'analytics.read', icon: DataAnalysis },
  },
  {
    path: 'analytics/prediction',
    name: 'AnalyticsPrediction',
    component: () => import('@/views/analytics/prediction.vue'),
    meta: { title: 'menu.analyticsPrediction', permission: 'analytics.read', icon: MagicStick },
  },
]
