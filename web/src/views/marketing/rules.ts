/**
 * The rule builder's working copy of a rule tree, and its way to and from the API's
 * `{match, rules:[…]}` (docs/api.md "Segments"). The draft keeps what a user is still typing
 * (a condition without a value, amounts in yuan); the API tree holds the complete conditions
 * only, amounts in fen. `paths` maps each API place (`rules.rules[2]`) back to the draft node,
 * so a field error the server names by place lands next to the condition the user sees.
 */
import type { FieldError } from '@/api/request'
import { isRuleGroup } from '@/api/marketing'
import type { RuleCondition, RuleGroup, RuleMatch, RuleNode, RuleOp, SegmentField } from '@/api/marketing'

export const MAX_DEPTH = 5
export const MAX_CONDITIONS = 100
/** Amount fields: typed in yuan, sent in fen. */
export const MONEY_FIELDS = new Set(['spend', 'total_spend'])

export interface DraftCondition {
  type: 'condition'
  key: number
  field: string
  op: RuleOp | ''
  /** ids / codes. */
  values: Array<number | string>
  /** gte / lte (yuan for amount fields). */
  num: number | null
  /** between (yuan for amount fields). */
  low: number | null
  high: number | null
  /** Windowed fields: the last N days (null: the field's default). */
  days: number | null
}

export interface DraftGroup {
  type: 'group'
  key: number
  match: RuleMatch
  items: DraftNode[]
}

export type DraftNode = DraftCondition | DraftGroup

let nextKey = 1
const newKey = () => nextKey++

export function newGroup(match: RuleMatch = 'all'): DraftGroup {
  return { type: 'group', key: newKey(), match, items: [] }
}

export function newCondition(field?: SegmentField): DraftCondition {
  const c: DraftCondition = { type: 'condition', key: newKey(), field: '', op: '', values: [], num: null, low: null, high: null, days: null }
  if (field) setField(c, field)
  return c
}

/** Picks a field: the first operator, its default window, an empty value. */
export function setField(c: DraftCondition, field: SegmentField) {
  c.field = field.name
  c.op = field.ops[0] ?? ''
  c.values = []
  c.num = null
  c.low = null
  c.high = null
  c.days = field.windowed ? field.default_days : null
}

const toFen = (yuan: number) => Math.round(yuan * 100)
const fromFen = (fen: number) => fen / 100

function asNumber(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

/** The draft of a rule tree from the API (a saved segment or tag rule). */
export function fromApi(rules: RuleGroup | null | undefined): DraftGroup {
  const group = newGroup(rules?.match ?? 'all')
  for (const node of rules?.rules ?? []) group.items.push(isRuleGroup(node) ? fromApi(node) : conditionFromApi(node))
  return group
}

function conditionFromApi(r: RuleCondition): DraftCondition {
  const c = newCondition()
  c.field = r.field
  c.op = r.op
  const money = MONEY_FIELDS.has(r.field)
  const conv = (v: unknown) => {
    const n = asNumber(v)
    return n === null ? null : money ? fromFen(n) : n
  }
  if (r.op === 'between') {
    const [lo, hi] = Array.isArray(r.value) ? r.value : [null, null]
    c.low = conv(lo)
    c.high = conv(hi)
  } else if (r.op === 'gte' || r.op === 'lte') {
    c.num = conv(r.value)
  } else {
    c.values = Array.isArray(r.value) ? [...r.value] : r.value === null || r.value === undefined ? [] : [r.value]
  }
  c.days = typeof r.days === 'number' ? r.days : null
  return c
}

/** A condition the user has not finished (no field, operator or value yet). */
export function isIncomplete(c: DraftCondition, field: SegmentField | undefined): boolean {
  if (!c.field || !c.op || !field) return true
  if (field.kind === 'number') return c.op === 'between' ? c.low === null || c.high === null : c.num === null
  return c.values.length === 0
}

export interface BuiltRules {
  rules: RuleGroup
  /** API place (`rules.rules[1].rules[0]`) → draft key. */
  paths: Map<string, number>
  /** Keys of the conditions left out because they are not finished. */
  incomplete: number[]
}

/**
 * The API tree of the draft: finished conditions only (a group emptied by leaving them out is
 * left out too; a group the user left empty is sent, and matches everyone).
 */
export function toApi(draft: DraftGroup, fields: Map<string, SegmentField>, root = 'rules'): BuiltRules {
  const paths = new Map<string, number>()
  const incomplete: number[] = []

  function condition(c: DraftCondition, field: SegmentField): RuleCondition {
    const money = MONEY_FIELDS.has(c.field)
    const conv = (v: number) => (money ? toFen(v) : v)
    const op = c.op as RuleOp
    let value: RuleCondition['value']
    if (field.kind === 'number') {
      value = op === 'between' ? [conv(c.low!), conv(c.high!)] : conv(c.num!)
    } else if (field.kind === 'ids') {
      // Typed ids (campaigns) arrive as text; anything not a number is left for the server to refuse.
      value = c.values.map((v) => (typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v.trim()) : v))
    } else {
      value = [...c.values]
    }
    const out: RuleCondition = { field: c.field, op, value }
    if (field.windowed && c.days !== null && c.days !== undefined) out.days = c.days
    return out
  }

  function group(g: DraftGroup, at: string): RuleGroup | null {
    paths.set(at, g.key)
    const rules: RuleNode[] = []
    let dropped = false
    for (const item of g.items) {
      const place = `${at}.rules[${rules.length}]`
      if (item.type === 'group') {
        const sub = group(item, place)
        if (sub) {
          rules.push(sub)
        } else {
          // The place goes to the next item: forget what the dropped group put under it.
          for (const p of [...paths.keys()]) if (p === place || p.startsWith(`${place}.`)) paths.delete(p)
          dropped = true
        }
      } else {
        const field = fields.get(item.field)
        if (!field || isIncomplete(item, field)) {
          incomplete.push(item.key)
          dropped = true
          continue
        }
        paths.set(place, item.key)
        rules.push(condition(item, field))
      }
    }
    if (dropped && rules.length === 0 && at !== root) return null
    return { match: g.match, rules }
  }

  const rules = group(draft, root) ?? { match: draft.match, rules: [] }
  return { rules, paths, incomplete }
}

export interface PlacedError {
  /** The part of the node the message is about: `value`, `op`, `days`, `field`, `match` … ('' = the node). */
  part: string
  message: string
}

/**
 * Field errors of the server, by draft node; those naming no known place (another field of
 * the form, or a place the draft no longer has) come back in `rest`.
 */
export function placeErrors(errors: FieldError[], paths: Map<string, number>): { byKey: Map<number, PlacedError[]>; rest: FieldError[] } {
  const byKey = new Map<number, PlacedError[]>()
  const rest: FieldError[] = []
  const places = [...paths.keys()].sort((a, b) => b.length - a.length)
  for (const e of errors) {
    const place = places.find((p) => e.field === p || e.field.startsWith(`${p}.`))
    if (place === undefined) {
      rest.push(e)
      continue
    }
    const key = paths.get(place)!
    const part = e.field.slice(place.length + 1)
    const list = byKey.get(key) ?? []
    list.push({ part, message: e.message })
    byKey.set(key, list)
  }
  return { byKey, rest }
}

export function countConditions(g: DraftGroup): number {
  return g.items.reduce((n, i) => n + (i.type === 'group' ? countConditions(i) : 1), 0)
}

/** Whether a rule tree has any condition at all. */
export function hasConditions(g: RuleGroup | null | undefined): boolean {
  return !!g && g.rules.some((r) => (isRuleGroup(r) ? hasConditions(r) : true))
}

/** The field names a rule tree uses (to load the names of the ids it refers to). */
export function usedFields(g: RuleGroup | null | undefined, out = new Set<string>()): Set<string> {
  for (const r of g?.rules ?? []) {
    if (isRuleGroup(r)) usedFields(r, out)
    else out.add(r.field)
  }
  return out
}
