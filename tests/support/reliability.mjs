// Shared bits of the reliability suite (tests/reliability/): the run size, a seeded PRNG and the
// result tables every test prints.
//
// Size: small by default (inside `make test`); STORECRM_RELIABILITY=full (`make reliability`)
// runs the long version.
export const FULL = process.env.STORECRM_RELIABILITY === 'full';
export const SIZE = FULL ? 'full' : 'small';

// The size-dependent number: `small` in make test, `full` under make reliability.
export function sized(small, full) {
  return FULL ? full : small;
}

// mulberry32: a small deterministic PRNG, so a seed gives the same workload on every run.
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),  // lo..hi inclusive
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Prints a titled table (an array of objects; columns from the first row unless given) so the
// test log shows what was tried and what held.
export function printTable(title, rows, columns) {
  const cols = columns || (rows.length ? Object.keys(rows[0]) : []);
  const cell = (v) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals) => `| ${vals.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`;
  const out = [`\n== ${title} ==`, line(cols), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`];
  for (const r of rows) out.push(line(cols.map((c) => cell(r[c]))));
  console.log(out.join('\n'));
}
