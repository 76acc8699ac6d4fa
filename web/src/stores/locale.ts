import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Language } from 'element-plus/es/locale'
import type { Locale } from '@/api/me'
import { DEFAULT_LOCALE, rememberLocale, setI18nLocale } from '@/locales'

const elementLocales: Record<Locale, () => Promise<{ default: Language }>> = {
  'zh-CN': () => import('element-plus/es/locale/lang/zh-cn'),
  en: () => import('element-plus/es/locale/lang/en'),
}

/** Current UI language; Element Plus' own locale follows it. */
export const useLocaleStore = defineStore('locale', () => {
  const locale = ref<Locale>(DEFAULT_LOCALE)
  const elementLocale = shallowRef<Language | undefined>()

  async function apply(next: Locale) {
    const [, el] = await Promise.all([setI18nLocale(next), elementLocales[next]()])
    elementLocale.value = el.default
    locale.value = next
    rememberLocale(next)
  }

  return { locale, elementLocale, apply }
})
