import type { RouteRecordRaw } from 'vue-router'
import { Setting } from '@element-plus/icons-vue'

/** 个人中心. */
export const profileRoutes: RouteRecordRaw[] = [
  {
    path: 'profile',
    name: 'Profile',
    component: () => import('@/views/profile/index.vue'),
    meta: { title: 'menu.profile', icon: Setting },
  },
]
