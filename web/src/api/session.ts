import { http } from './request'
import type { User } from './me'

export interface SignInResult {
  csrf_token: string
  must_change_password: boolean
  user: User
}

/**
 * Sign in with username and password; sets the session cookie. With two-factor sign-in on, the
 * first try (no `totp_code`) answers 401 `totp_required` and a wrong code 401 `totp_invalid`;
 * `totp_code` is the 6-digit code of the authenticator app or a recovery code (`xxxx-xxxx`).
 */
export function signIn(username: string, password: string, totpCode?: string) {
  const body: { username: string; password: string; totp_code?: string } = { username, password }
  if (totpCode) body.totp_code = totpCode
  return http.post<SignInResult>('/session', body, { skipAuthRedirect: true })
}

/** Sign out of this browser session. */
export function signOut() {
  return http.del('/session', { skipAuthRedirect: true })
}
