import type { RouteRecordRaw } from 'vue-router'

/** Pages outside the main layout. */
export const coreRoutes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'Login',
    component: () => import('@/views/auth/login.vue'),
    meta: { title: 'auth.signIn', public: true },
  },
  {
    path: '/change-password',
    name: 'ChangePassword',
    component: () => import('@/views/auth/change-password.vue'),
    meta: { title: 'auth.forcedChange.title' },
  },
]
