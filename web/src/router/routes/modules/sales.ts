import type { RouteRecordRaw } from 'vue-router'
import { List, Printer, ShoppingCart } from '@element-plus/icons-vue'

/** 销售: 收银台, 交易记录, a sale's detail and the receipt layout 小票格式. */
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
  {
    path: 'sales/receipt-template',
    name: 'ReceiptTemplate',
    component: () => import('@/views/sales/receipt-template.vue'),
    meta: { title: 'menu.receiptTemplate', permission: 'stores.manage', icon: Printer },
  },
]
