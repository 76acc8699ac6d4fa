import type { RouteRecordRaw } from 'vue-router'
import { Coin, Medal, Present, Ticket } from '@element-plus/icons-vue'

/** 会员营销: 会员等级, 积分规则, 优惠券, 积分商城. */
export const loyaltyRoutes: RouteRecordRaw[] = [
  {
    path: 'loyalty/tiers',
    name: 'LoyaltyTiers',
    component: () => import('@/views/loyalty/tiers.vue'),
    meta: { title: 'menu.tiers', permission: 'loyalty.manage', icon: Medal },
  },
  {
    path: 'loyalty/settings',
    name: 'LoyaltySettings',
    component: () => import('@/views/loyalty/settings.vue'),
    meta: { title: 'menu.loyaltySettings', permission: 'loyalty.manage', icon: Coin },
  },
  {
    path: 'loyalty/coupons',
    name: 'LoyaltyCoupons',
    component: () => import('@/views/loyalty/coupons.vue'),
    // Marketing manages the templates; store managers only issue them.
    meta: { title: 'menu.coupons', permission: 'members.read', permissionAny: ['loyalty.manage', 'coupons.issue'], icon: Ticket },
  },
  {
    path: 'loyalty/gifts',
    name: 'LoyaltyGifts',
    component: () => import('@/views/loyalty/gifts.vue'),
    meta: { title: 'menu.gifts', permission: 'loyalty.manage', icon: Present },
  },
]
