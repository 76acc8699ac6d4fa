import type { CustomFieldType } from '@/api/custom-fields'

export const FIELD_TYPES: CustomFieldType[] = ['text', 'number', 'date', 'single', 'multi']
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,31}$/
