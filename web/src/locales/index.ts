/**
 * vue-i18n set-up. Messages live in `locales/<lang>/<namespace>.json` and are loaded
 * lazily per language (`member.json` → keys `member.*`). zh-CN is the default.
 */
import { createI18n } from 'vue-i18n'
import type { Locale } from '@/api/me'

export const SUPPORTED_LOCALES: Locale[] = ['zh-CN', 'en']
export const DEFAULT_LOCALE: Locale = 'zh-CN'
const STORAGE_KEY = 'storecrm.locale'

export const i18n = createI18n({
  legacy: false,
  locale: DEFAULT_LOCALE,
  fallbackLocale: DEFAULT_LOCALE,
  messages: {},
  missingWarn: false,
  fallbackWarn: false,
})

const modules = import.meta.glob<{ default: Record<string, unknown> }>('./*/*.json')
const loaded = new Set<string>()

export function normalizeLocale(v: unknown): Locale {
  if (typeof v !== 'string') return DEFAULT_LOCALE
  const l = v.toLowerCase()
  if (l === 'en' || l.startsWith('en-')) return 'en'
  return 'zh-CN'
}

export function storedLocale(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY)
    if (v) return normalizeLocale(v)
  } catch {
    /* storage may be disabled */
  }
  return DEFAULT_LOCALE
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    /* ignore */
  }
}

/** Load the messages of a language (once). */
export async function loadLocaleMessages(locale: Locale): Promise<void> {
  if (loaded.has(locale)) return
  const entries = Object.entries(modules).filter(([path]) => path.startsWith(`./${locale}/`))
  const messages: Record<string, unknown> = {}
  await Promise.all(
    entries.map(async ([path, load]) => {
      const ns = path.slice(path.lastIndexOf('/') + 1, -'.json'.length)
      messages[ns] = (await load()).default
    }),
  )
  i18n.global.setLocaleMessage(locale, messages as never)
  loaded.add(locale)
}

/** Switch the UI language (messages, `<html lang>`); Element Plus follows via the locale store. */
export async function setI18nLocale(locale: Locale): Promise<void> {
  await loadLocaleMessages(locale)
  if (locale !== DEFAULT_LOCALE) await loadLocaleMessages(DEFAULT_LOCALE).catch(() => undefined)
  i18n.global.locale.value = locale
  document.documentElement.setAttribute('lang', locale)
}

/** `t` for use outside components. */
export function t(key: string, named?: Record<string, unknown>): string {
  return named ? i18n.global.t(key, named) : i18n.global.t(key)
}

/** Translate if the key exists, else return the fallback. */
export function tOr(key: string, fallback: string): string {
  return i18n.global.te(key) ? i18n.global.t(key) : fallback
}
