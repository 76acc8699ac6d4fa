import { fetchAll, http } from './request'

export interface ApiToken {
  id: number
  name: string
  store_id: number | null
  permissions: string[]
  token_prefix: string
  created_at: string
}

export interface ApiTokenCreated extends ApiToken {
  /** The secret, shown once only. */
  token: string
}

export interface ApiTokenCreate {
  name: string
  store_id: number
  permissions: string[]
}

/** List API tokens (secrets are never returned). */
export function getApiTokenList() {
  return fetchAll<ApiToken>('/api-tokens')
}

/** Create a token; the answer carries the secret once. */
export function createApiToken(data: ApiTokenCreate) {
  return http.post<ApiTokenCreated>('/api-tokens', data)
}

/** Revoke a token. */
export function revokeApiToken(id: number) {
  return http.del(`/api-tokens/${id}`)
}
