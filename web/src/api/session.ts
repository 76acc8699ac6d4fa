import { http } from './request'
import type { User } from './me'

export interface SignInResult {
  csrf_token: string
  must_change_password: boolean
  user: User
}

/** Sign in with username and password; sets the session cookie. */
export function signIn(username: string, password: string) {
  return http.post<SignInResult>('/session', { username, password }, { skipAuthRedirect: true })
}

/** Sign out of this browser session. */
export function signOut() {
  return http.del('/session', { skipAuthRedirect: true })
}
