/** Client-side mirror of the server's password rules (docs/api.md); the server has the last word. */
export type PasswordProblem = 'length' | 'classes' | 'username' | null

export function checkPassword(password: string, username = ''): PasswordProblem {
  if (password.length < 8 || password.length > 128) return 'length'
  let classes = 0
  if (/[a-z]/.test(password)) classes++
  if (/[A-Z]/.test(password)) classes++
  if (/[0-9]/.test(password)) classes++
  if (/[^A-Za-z0-9]/.test(password)) classes++
  if (classes < 3) return 'classes'
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'username'
  return null
}
