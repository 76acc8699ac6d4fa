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
    // The member's survey page, opened from a link in a message: no sign-in.
    path: '/s/:token',
    name: 'PublicSurvey',
    component: () => import('@/views/public/survey.vue'),
    meta: { title: 'menu.publicSurvey', public: true },
  },
  {
    path: '/change-password',
    name: 'ChangePassword',
    component: () => import('@/views/auth/change-password.vue'),
    meta: { title: 'auth.forcedChange.title' },
  },
  {
    // Two-factor enrolment required by the role (`must_enrol_totp`): nothing else opens until done.
    path: '/enrol-two-factor',
    name: 'EnrolTotp',
    component: () => import('@/views/auth/enrol-totp.vue'),
    meta: { title: 'totp.enrol.title' },
  },
]
