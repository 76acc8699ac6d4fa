import { fetchAll, http } from './request'

export interface Permission {
  code: string
  group: string
  name: string
}

export interface Role {
  id: number
  code: string
  name: string
  permissions: string[]
  all_stores: boolean
  builtin: boolean
  version: number
}

export interface RoleCreate {
  code: string
  name: string
  permissions: string[]
  all_stores: boolean
}

export interface RoleUpdate {
  name: string
  permissions: string[]
  all_stores: boolean
  version: number
}

/** Every permission code with its group and localised name. */
export function getPermissions() {
  return fetchAll<Permission>('/permissions')
}

/** List roles. */
export function getRoleList() {
  return fetchAll<Role>('/roles')
}

/** One role. */
export function getRole(id: number) {
  return http.get<Role>(`/roles/${id}`)
}

/** Create a role. */
export function createRole(data: RoleCreate) {
  return http.post<Role>('/roles', data)
}

/** Update a role (`version` required). */
export function updateRole(id: number, data: RoleUpdate) {
  return http.put<Role>(`/roles/${id}`, data)
}
