import { createRouter, createWebHistory } from 'vue-router'
import type { RouteRecordRaw } from 'vue-router'
import './types'
import { coreRoutes } from './routes/core'
import { memberRoutes } from './routes/modules/members'
import { systemRoutes } from './routes/modules/system'
import { profileRoutes } from './routes/modules/profile'
import { salesRoutes } from './routes/modules/sales'
import { catalogRoutes } from './routes/modules/catalog'
import { loyaltyRoutes } from './routes/modules/loyalty'
import { serviceRoutes } from './routes/modules/service'
import { analyticsRoutes } from './routes/modules/analytics'
import { marketingRoutes } from './routes/modules/marketing'
import { firstAllowedPath } from './menu'
import { useAuthStore } from '@/stores/auth'
import { t } from '@/locales'

const routes: RouteRecordRaw[] = [
  ...coreRoutes,
  {
    path: '/',
    component: () => import('@/layouts/basic-layout.vue'),
    children: [
      {
        // Resolved in beforeEach once the user is known: a route-level redirect runs before
        // the guard, while signed out, and would send everyone to the last fallback.
        path: '',
        name: 'Home',
        component: () => import('@/views/error/not-found.vue'),
      },
      ...salesRoutes,
      ...memberRoutes,
      ...serviceRoutes,
      ...loyaltyRoutes,
      ...catalogRoutes,
      ...analyticsRoutes,
      ...marketingRoutes,
      ...systemRoutes,
      ...profileRoutes,
      {
        path: '403',
        name: 'Forbidden',
        component: () => import('@/views/error/forbidden.vue'),
        meta: { title: 'error.forbiddenTitle' },
      },
      {
        path: ':pathMatch(.*)*',
        name: 'NotFound',
        component: () => import('@/views/error/not-found.vue'),
        meta: { title: 'error.notFoundTitle' },
      },
    ],
  },
]

export const router = createRouter({
  history: createWebHistory(import.meta.env.BASE_URL),
  routes,
  scrollBehavior: (_to, _from, saved) => saved ?? { top: 0 },
})

router.beforeEach(async (to) => {
  const auth = useAuthStore()
  if (!auth.checked) {
    try {
      await auth.fetchMe()
    } catch {
      /* server unreachable: treated as signed out */
    }
  }
  if (to.meta.public) {
    if (to.name === 'Login' && auth.signedIn && !auth.mustChangePassword) {
      if (auth.mustEnrolTotp) return { name: 'EnrolTotp' }
      const redirect = typeof to.query.redirect === 'string' && to.query.redirect.startsWith('/') ? to.query.redirect : '/'
      return redirect
    }
    return true
  }
  if (!auth.signedIn) {
    return { name: 'Login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  }
  if (auth.mustChangePassword) {
    return to.name === 'ChangePassword' ? true : { name: 'ChangePassword' }
  }
  if (to.name === 'ChangePassword') return { name: 'Profile' }
  if (auth.mustEnrolTotp) {
    return to.name === 'EnrolTotp' ? true : { name: 'EnrolTotp' }
  }
  if (to.name === 'EnrolTotp') return { name: 'Profile' }
  if (to.name === 'Home') return firstAllowedPath(auth.can, auth.canAny)
  if (!auth.can(to.meta.permission) || !auth.canAny(to.meta.permissionAny)) return { name: 'Forbidden' }
  return true
})

router.afterEach((to) => {
  const title = to.meta.title ? t(to.meta.title) : ''
  document.title = title ? `${title} · storecrm` : 'storecrm'
})
