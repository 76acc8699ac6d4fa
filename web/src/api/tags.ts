import { fetchAll, http } from './request'

export interface TagGroup {
  id: number
  name: string
  preset: boolean
}

export interface Tag {
  id: number
  group_id: number
  name: string
  color: string
  member_count: number
}

/** List tag groups. */
export function getTagGroups() {
  return fetchAll<TagGroup>('/tag-groups')
}

/** Create a tag group. */
export function createTagGroup(name: string) {
  return http.post<TagGroup>('/tag-groups', { name })
}

/** List tags, optionally of one group. */
export function getTags(group_id?: number) {
  return fetchAll<Tag>('/tags', { group_id })
}

/** Create a tag in a group. */
export function createTag(data: { group_id: number; name: string; color?: string }) {
  return http.post<Tag>('/tags', data)
}

/** Rename or recolour a tag. */
export function updateTag(id: number, data: { name?: string; color?: string }) {
  return http.put<Tag>(`/tags/${id}`, data)
}

/** Delete a tag (it is removed from its members). */
export function deleteTag(id: number) {
  return http.del(`/tags/${id}`)
}
