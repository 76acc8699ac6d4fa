import type { RouteRecordRaw } from 'vue-router'
import { List, ShoppingCart } from '@element-plus/icons-vue'

/** 销售: 收银台, 交易记录 and a sale's detail. */
export const salesRoutes: RouteRecordRaw[] = [
  {
    path: 'sales/checkout',
    name: 'Checkout',
    component: () => import('@/views/sales/checkout.vue'),
    meta: { title: 'menu.checkout', permission: 'sales.create', icon: ShoppingCart },
  },
  {
    path: 'sales',
    name: 'SaleList',
    component: () => import('@/views/sales/list.vue'),
    meta: { title: 'menu.sales', permission: 'sales.read', icon: List },
  },
  {
    path: 'sales/:id(\\d+)',
    name: 'SaleDetail',
    component: () => import('@/views/sales/detail.vue'),
    meta: { title: 'menu.saleDetail', permission: 'sales.read', activeMenu: '/sales' },
  },
]
