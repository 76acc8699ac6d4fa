import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { getMe, updateLocale } from '@/api/me'
import type { Locale, Me, StoreRef, User } from '@/api/me'
import { signIn, signOut } from '@/api/session'
import { isApiError } from '@/api/request'
import { normalizeLocale } from '@/locales'
import { useLocaleStore } from './locale'

/** Signed-in staff member: user, permissions, visible stores, CSRF token. */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null)
  const permissions = ref<string[]>([])
  const stores = ref<StoreRef[]>([])
  const csrfToken = ref<string | null>(null)
  const mustChangePassword = ref(false)
  /** The role requires two-factor sign-in and it is off: only the enrolment page is open. */
  const mustEnrolTotp = ref(false)
  const totpEnabled = ref(false)
  /** `GET /me` has been tried once since the page loaded. */
  const checked = ref(false)

  const signedIn = computed(() => user.value !== null)
  const permissionSet = computed(() => new Set(permissions.value))

  function can(permission?: string | string[]): boolean {
    if (!permission) return true
    const list = Array.isArray(permission) ? permission : [permission]
    return list.every((p) => permissionSet.value.has(p))
  }

  /** At least one of the permissions (an empty or missing list passes). */
  function canAny(permissions?: string[]): boolean {
    if (!permissions || permissions.length === 0) return true
    return permissions.some((p) => permissionSet.value.has(p))
  }

  function storeName(id: number | null | undefined): string {
    if (id === null || id === undefined) return ''
    const s = stores.value.find((x) => x.id === id)
    return s ? s.name : `#${id}`
  }

  function applyMe(me: Me) {
    user.value = me.user
    permissions.value = me.permissions ?? []
    stores.value = me.stores ?? []
    csrfToken.value = me.csrf_token ?? csrfToken.value
    mustChangePassword.value = !!me.must_change_password
    mustEnrolTotp.value = !!me.must_enrol_totp
    totpEnabled.value = !!me.totp_enabled
  }

  function reset() {
    user.value = null
    permissions.value = []
    stores.value = []
    csrfToken.value = null
    mustChangePassword.value = false
    mustEnrolTotp.value = false
    totpEnabled.value = false
  }

  /** Load `GET /me`; resolves false when not signed in. The user's saved locale is applied. */
  async function fetchMe(): Promise<boolean> {
    try {
      const me = await getMe({ skipAuthRedirect: true })
      applyMe(me)
      checked.value = true
      const saved = normalizeLocale(me.user?.locale)
      const localeStore = useLocaleStore()
      if (me.user?.locale && saved !== localeStore.locale) await localeStore.apply(saved)
      return true
    } catch (e) {
      checked.value = true
      if (isApiError(e) && e.status === 401) {
        reset()
        return false
      }
      if (isApiError(e) && e.code === 'password_change_required') {
        mustChangePassword.value = true
        return user.value !== null
      }
      throw e
    }
  }

  /**
   * Sign in. When `chosenLocale` is given (the user switched language on the sign-in page),
   * it is saved for the user; otherwise the user's saved locale is applied. `totpCode` is the
   * second step of a two-factor sign-in (after a 401 `totp_required`).
   */
  async function login(username: string, password: string, chosenLocale?: Locale, totpCode?: string) {
    const res = await signIn(username, password, totpCode)
    user.value = res.user
    csrfToken.value = res.csrf_token
    mustChangePassword.value = !!res.must_change_password
    checked.value = true
    if (!res.must_change_password) {
      await fetchMe()
      if (chosenLocale && normalizeLocale(user.value?.locale) !== chosenLocale) {
        // Until a required two-factor enrolment is done the server may refuse to save it.
        await saveLocale(chosenLocale).catch((e) => {
          if (!mustEnrolTotp.value) throw e
          return useLocaleStore().apply(chosenLocale)
        })
      }
    } else if (chosenLocale && normalizeLocale(res.user?.locale) !== chosenLocale) {
      await saveLocale(chosenLocale).catch(() => useLocaleStore().apply(chosenLocale))
    } else if (res.user?.locale) {
      await useLocaleStore().apply(normalizeLocale(res.user.locale))
    }
    return res
  }

  async function logout() {
    try {
      await signOut()
    } catch {
      /* the cookie may already be gone */
    }
    reset()
  }

  /** Switch language; remembered per user on the server (and in localStorage). */
  async function saveLocale(locale: Locale) {
    await useLocaleStore().apply(locale)
    if (user.value) {
      await updateLocale(locale)
      user.value = { ...user.value, locale }
    }
  }

  return {
    user,
    permissions,
    stores,
    csrfToken,
    mustChangePassword,
    mustEnrolTotp,
    totpEnabled,
    checked,
    signedIn,
    can,
    canAny,
    storeName,
    fetchMe,
    login,
    logout,
    reset,
    saveLocale,
  }
})
