import type { RouteRecordRaw } from 'vue-router'
import { Box, Goods } from '@element-plus/icons-vue'

/** 商品与库存. */
export const catalogRoutes: RouteRecordRaw[] = [
  {
    path: 'catalog/products',
    name: 'ProductList',
    component: () => import('@/views/catalog/products.vue'),
    meta: { title: 'menu.products', permission: 'products.read', icon: Goods },
  },
  {
    path: 'catalog/stock',
    name: 'Stock',
    component: () => import('@/views/catalog/stock.vue'),
    meta: { title: 'menu.stock', permission: 'products.read', icon: Box },
  },
]
