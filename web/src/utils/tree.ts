/** Build a tree from a flat list with `parent_id` (unknown parents become roots). */
export interface TreeNode<T> {
  item: T
  children: Array<TreeNode<T>>
}

export function buildTree<T extends { id: number; parent_id: number | null }>(items: T[]): Array<TreeNode<T>> {
  const nodes = new Map<number, TreeNode<T>>()
  for (const it of items) nodes.set(it.id, { item: it, children: [] })
  const roots: Array<TreeNode<T>> = []
  for (const it of items) {
    const node = nodes.get(it.id)!
    const parent = it.parent_id !== null ? nodes.get(it.parent_id) : undefined
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** Ids of a node and everything below it. */
export function descendantIds<T extends { id: number; parent_id: number | null }>(items: T[], id: number): Set<number> {
  const out = new Set<number>([id])
  let grew = true
  while (grew) {
    grew = false
    for (const it of items) {
      if (it.parent_id !== null && out.has(it.parent_id) && !out.has(it.id)) {
        out.add(it.id)
        grew = true
      }
    }
  }
  return out
}
