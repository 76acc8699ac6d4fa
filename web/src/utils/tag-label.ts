/**
 * The label of a preset tag or tag group in the current language.
 *
 * Tag names are data: the preset library (migration 0002_preset_tags, SQLite and PostgreSQL
 * alike) is seeded with Chinese names, and admins rename those tags or add their own. A name
 * that is still one of the seeded ones shows its label in the current language
 * (`tag.presetName.<key>`); any other name shows as it is stored. The stored name is what forms
 * edit and the server filters by.
 */
import { tOr } from '@/locales'

/** The seeded names (keep in step with 0002_preset_tags.sql) and their message keys. */
const SEEDED_KEYS: Readonly<Record<string, string>> = {
  性别: 'gender',
  年龄段: 'ageBand',
  偏好: 'preference',
  消费频次: 'frequency',
  客户价值: 'value',
  男士: 'male',
  女士: 'female',
  '18-25岁': 'age18to25',
  '26-35岁': 'age26to35',
  '36-50岁': 'age36to50',
  '50岁以上': 'age50plus',
  护肤: 'skincare',
  彩妆: 'makeup',
  母婴: 'motherBaby',
  服饰: 'apparel',
  零食: 'snacks',
  高频: 'frequent',
  中频: 'regular',
  低频: 'occasional',
  高价值: 'highValue',
  潜力: 'potential',
  沉睡: 'dormant',
  新客: 'newCustomer',
}

/** 高价值 / High value … for a tag or tag group's stored name. */
export function tagLabel(name: string | null | undefined): string {
  const stored = name ?? ''
  const key = Object.hasOwn(SEEDED_KEYS, stored) ? SEEDED_KEYS[stored] : undefined
  return key ? tOr(`tag.presetName.${key}`, stored) : stored
}
