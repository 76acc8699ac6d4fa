import { fetchAll, http } from './request'

export type CustomFieldType = 'text' | 'number' | 'date' | 'single' | 'multi'

export interface CustomField {
  id: number
  key: string
  label: string
  type: CustomFieldType
  options: string[]
  required: boolean
  version?: number
}

export type CustomFieldCreate = Omit<CustomField, 'id' | 'version'>
export type CustomFieldUpdate = Partial<Pick<CustomField, 'label' | 'options' | 'required' | 'version'>>

/** List the admin-defined member fields. */
export function getCustomFields() {
  return fetchAll<CustomField>('/custom-fields')
}

/** Define a member field. */
export function createCustomField(data: CustomFieldCreate) {
  return http.post<CustomField>('/custom-fields', data)
}

/** Change a field's label, options or required flag. */
export function updateCustomField(id: number, data: CustomFieldUpdate) {
  return http.put<CustomField>(`/custom-fields/${id}`, data)
}
