import type { RouteRecordRaw } from 'vue-router'
import { Calendar, Connection, DataAnalysis, DataLine, Grid, MagicStick, Right, ShoppingCart, Star, TrendCharts, Trophy, UserFilled } from '@element-plus/icons-vue'

/**
 * 分析: sales dashboard, members, RFM, cohorts, basket rules, sequential rules, correlation, clusters, prediction,
 * demand forecast, satisfaction and the staff leaderboard. Each page is its own lazily loaded chunk and
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
    path: 'analytics/sequences',
    name: 'AnalyticsSequences',
    component: () => import('@/views/analytics/sequences.vue'),
    meta: { title: 'menu.analyticsSequences', permission: 'analytics.read', icon: Right },
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
  {
    path: 'analytics/forecast',
    name: 'AnalyticsForecast',
    component: () => import('@/views/analytics/forecast.vue'),
    meta: { title: 'menu.analyticsForecast', permission: 'analytics.read', icon: DataLine },
  },
  {
    path: 'analytics/satisfaction',
    name: 'AnalyticsSatisfaction',
    component: () => import('@/views/analytics/satisfaction.vue'),
    meta: { title: 'menu.analyticsSatisfaction', permission: 'analytics.read', icon: Star },
  },
  {
    path: 'analytics/staff',
    name: 'AnalyticsStaff',
    component: () => import('@/views/analytics/staff.vue'),
    meta: { title: 'menu.analyticsStaff', permission: 'analytics.read', icon: Trophy },
  },
]
