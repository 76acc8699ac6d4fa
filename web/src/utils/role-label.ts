/**
 * The label of a role in the current language.
 *
 * A role's name is data: the server seeds the built-in roles with Chinese names
 * (src/security/permissions.cpp, BuiltinRoles) and an admin may rename them or create
 * others. A built-in role whose stored name is still the seeded default is shown with
 * its label in the current language (`role.builtinName.<code>`); a renamed built-in
 * role, a custom role, or a role of unknown code shows its stored name as it is.
 */
import { tOr } from '@/locales'

/** The names the server seeds the built-in roles with (keep in step with BuiltinRoles). */
const SEEDED_NAMES: Readonly<Record<string, string>> = {
  hq_admin: '总部管理员',
  regional_manager: '区域经理',
  store_manager: '店长',
  cashier: '收银员',
  guide: '导购',
  marketer: '营销',
  customer_service: '客服',
  analyst: '分析',
}

/** True for the codes of the built-in roles. */
export const isBuiltinRoleCode = (code: string | null | undefined): boolean => !!code && Object.hasOwn(SEEDED_NAMES, code)

/**
 * 总部管理员 / HQ admin … for a role given its `code` and stored `name`. Without a name a
 * built-in code is taken as not renamed.
 */
export function roleLabel(code: string | null | undefined, name?: string | null): string {
  const stored = (name ?? '').trim()
  if (!code || !isBuiltinRoleCode(code)) return stored || code || ''
  const seeded = SEEDED_NAMES[code]!
  if (stored && stored !== seeded) return stored
  return tOr(`role.builtinName.${code}`, seeded)
}
