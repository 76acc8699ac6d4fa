import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { i18n, storedLocale, t } from './locales'
import { router } from './router'
import { configureRequest } from './api/request'
import { useAuthStore } from './stores/auth'
import { useLocaleStore } from './stores/locale'
import { useLookupStore } from './stores/lookups'
import './styles/index.css'

async function bootstrap() {
  const app = createApp(App)
  const pinia = createPinia()
  app.use(pinia)
  app.use(i18n)

  const auth = useAuthStore()
  const localeStore = useLocaleStore()
  await localeStore.apply(storedLocale())

  configureRequest({
    getCsrfToken: () => auth.csrfToken,
    getLocale: () => localeStore.locale,
    networkMessage: () => t('error.network'),
    onUnauthorized: () => {
      const current = router.currentRoute.value
      auth.reset()
      useLookupStore().reset()
      if (current.name !== 'Login') {
        void router.replace({ name: 'Login', query: current.fullPath && current.fullPath !== '/' ? { redirect: current.fullPath } : {} })
      }
    },
    onPasswordChangeRequired: () => {
      auth.mustChangePassword = true
      if (router.currentRoute.value.name !== 'ChangePassword') void router.replace({ name: 'ChangePassword' })
    },
    onTotpEnrolmentRequired: () => {
      auth.mustEnrolTotp = true
      if (router.currentRoute.value.name !== 'EnrolTotp') void router.replace({ name: 'EnrolTotp' })
    },
  })

  app.use(router)
  await router.isReady()
  app.mount('#app')
}

void bootstrap()
