// Soak test: a real `storecrm serve` on a fresh demo chain gets a moderate, steady mix of the
// traffic a chain produces (tills over API tokens, staff in the web app over sessions) for a long
// time, while the server's memory, threads and open descriptors are sampled. A leak shows as RSS
// or descriptors climbing after warm-up; latency creeping up or errors appearing late point at
// the same. Figures are printed, never asserted: the process exits 0 whatever they show.
//
// The load is open-loop (Poisson arrivals at a fixed rate, not N clients waiting on answers) so
// a server that slows down gets the same offered load rather than a gentler one; an arrival is
// dropped ("shed") only when MAX_IN_FLIGHT operations are already waiting.
//
//   node bench/soak/soak.mjs [--minutes 30] [--rate 50] [--sample-seconds 10]
//                            [--members 2000] [--sales-months 3] [--out-dir DIR] [--ops a,b]
//   env: SOAK_MINUTES, SOAK_RATE, SOAK_DIR, SOAK_OPS; STORECRM_BIN (the binary); STORECRM_TEST_PG
//   runs it on PostgreSQL (bench/soak/run.sh sets one up with SOAK_BACKEND=postgres).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { TestServer, BACKEND, BIN } from '../../tests/support/server.mjs';

const DEMO_PASSWORD = 'Demo@2026';
const REQUEST_TIMEOUT_MS = 30000;
const MAX_IN_FLIGHT = 200;
const GROWTH_WARNING_PCT = 20;

const { values: cli } = parseArgs({
  options: {
    minutes: { type: 'string' },
    rate: { type: 'string' },
    'sample-seconds': { type: 'string' },
    members: { type: 'string' },
    'sales-months': { type: 'string' },
    'out-dir': { type: 'string' },
    ops: { type: 'string' },
  },
});
const num = (v, fallback) => (v === undefined || v === '' ? fallback : Number(v));
const CONFIG = {
  minutes: num(cli.minutes ?? process.env.SOAK_MINUTES, 30),
  rate: num(cli.rate ?? process.env.SOAK_RATE, 50),                 // requests per second, all kinds
  sampleSeconds: num(cli['sample-seconds'], 10),
  members: num(cli.members, 2000),
  salesMonths: num(cli['sales-months'], 3),
  outDir: cli['out-dir'] || process.env.SOAK_DIR || '/tmp/storecrm-bench/soak',
  ops: cli.ops || process.env.SOAK_OPS || '',                       // all kinds unless given
};
for (const [k, v] of Object.entries(CONFIG)) {
  if (!['outDir', 'ops'].includes(k) && !(Number.isFinite(v) && v > 0)) {
    console.error(`soak: ${k} must be a number above 0, not ${v}`);
    process.exit(2);
  }
}

// ---------------------------------------------------------------- small helpers

const rand = Math.random;
const chance = (p) => rand() < p;
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = (list) => list[Math.floor(rand() * list.length)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Report dates are China days (UTC+8), as the server counts them.
const chinaDate = (daysAgo = 0) => new Date(Date.now() + 8 * 3600e3 - daysAgo * 86400e3).toISOString().slice(0, 10);

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
function latencySummary(lat) {
  const s = Float64Array.from(lat).sort();
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.length ? s[s.length - 1] : null };
}
const ms = (v) => (v === null || v === undefined ? '' : v < 10 ? v.toFixed(1) : String(Math.round(v)));
const mb = (kb) => (kb === null || kb === undefined ? '' : (kb / 1024).toFixed(1));

function printTable(title, columns, rows) {
  const cell = (v) => (v === undefined || v === null ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  // Figures right-aligned, words left-aligned.
  const numeric = columns.map((c) => rows.every((r) => /^[-+]?[\d.]*%?$/.test(cell(r[c]))));
  const line = (vals) => `| ${vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join(' | ')} |`;
  console.log([`\n== ${title} ==`, line(columns), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n'));
}

// ---------------------------------------------------------------- what was seen

// Counts for one request kind (or all) over some span: answers by class and latencies of
// answered requests (a network error has no meaningful latency).
class Tally {
  constructor() { this.n = 0; this.c4xx = 0; this.c5xx = 0; this.net = 0; this.lat = []; this.statuses = {}; }
  add(status, latency) {
    this.n++;
    if (status === 0) { this.net++; return; }
    this.lat.push(latency);
    this.statuses[status] = (this.statuses[status] || 0) + 1;
    if (status >= 500) this.c5xx++;
    else if (status >= 400) this.c4xx++;
  }
  summary() {
    return { n: this.n, c4xx: this.c4xx, c5xx: this.c5xx, net: this.net, ...latencySummary(this.lat), statuses: this.statuses };
  }
}

class Book {
  constructor() { this.kinds = new Map(); this.all = new Tally(); this.shed = 0; }
  add(kind, status, latency) {
    if (!this.kinds.has(kind)) this.kinds.set(kind, new Tally());
    this.kinds.get(kind).add(status, latency);
    this.all.add(status, latency);
  }
}

const total = new Book();
let interval = new Book();
const failures = [];          // 5xx and network errors: the first ones in full
let failureCount = 0;
const rejections = new Map(); // `${kind} ${status} ${code}` → {count, example}: 4xx, to tell expected from odd
const anomalies = [];         // answers that are 2xx but not what the contract says
const clientBugs = [];        // exceptions in this script's own code

function noteFailure(entry) {
  failureCount++;
  if (failures.length < 25) failures.push(entry);
}

// ---------------------------------------------------------------- HTTP

let base;

// One request as `actor` (a POS token or a staff session); every answer is tallied under `kind`.
async function call(actor, kind, method, url, body, { key } = {}) {
  const headers = { 'Accept-Language': 'en' };
  if (actor.token) headers.Authorization = `Bearer ${actor.token}`;
  if (actor.cookie) {
    headers.Cookie = actor.cookie;
    if (method !== 'GET') headers['X-CSRF-Token'] = actor.csrf;
  }
  if (key) headers['Idempotency-Key'] = key;
  let payload;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const started = performance.now();
  let res;
  let text;
  try {
    res = await fetch(base + url, { method, headers, body: payload, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    text = await res.text();
  } catch (e) {
    const latency = performance.now() - started;
    const reason = e.name === 'TimeoutError' ? `no answer within ${REQUEST_TIMEOUT_MS / 1000} s` : String(e.cause?.code || e.cause?.message || e.message);
    total.add(kind, 0, latency);
    interval.add(kind, 0, latency);
    noteFailure({ at_s: elapsedS(), kind, method, url, status: 'network', error: reason, body: payload?.slice(0, 300) });
    return { status: 0, error: reason };
  }
  const latency = performance.now() - started;
  total.add(kind, res.status, latency);
  interval.add(kind, res.status, latency);
  let json;
  try { json = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined; } catch { json = undefined; }
  if (res.status >= 500) {
    noteFailure({ at_s: elapsedS(), kind, method, url, status: res.status, request_id: res.headers.get('x-request-id'),
      answer: text.slice(0, 300), body: payload?.slice(0, 300) });
  } else if (res.status >= 400) {
    const code = json?.error?.code || '';
    const id = `${kind} ${res.status} ${code}`;
    const seen = rejections.get(id) || { kind, status: res.status, code, count: 0,
      example: `${method} ${url} → ${(json?.error?.fields?.length ? JSON.stringify(json.error.fields) : json?.error?.message || text).slice(0, 120)}` };
    seen.count++;
    rejections.set(id, seen);
    if (res.status === 401 && actor.cookie) actor.cookie = '';  // sign in again on next use
  }
  return { status: res.status, body: json, text, headers: res.headers, ms: latency };
}

// ---------------------------------------------------------------- actors

const pos = [];     // tills: {token, store, terminal, members, redeemers, sales (recent, refundable)}
const staff = {};   // username → {username, cookie, csrf, userId, stores, allStores, memberPool, tasks, closed}
let catalogue = []; // {sku, barcode}
let members = [];   // {id, phone, name, member_no, store}
let tagIds = [];
let categoryIds = [];
let giftId;
let storeIds = [];

async function signIn(actor, kind = 'staff.sign_in') {
  const r = await call({}, kind, 'POST', '/api/v1/session', { username: actor.username, password: DEMO_PASSWORD });
  if (r.status !== 200) return false;
  actor.cookie = r.headers.get('set-cookie').split(';')[0];
  actor.csrf = r.body.csrf_token;
  actor.userId = r.body.user.id;
  actor.stores = r.body.user.store_ids;
  actor.allStores = r.body.all_stores;
  return true;
}

// A staff member signed in (again, after a 401), or null when sign-in is refused for now.
async function session(username) {
  const actor = staff[username];
  if (actor.cookie) return actor;
  actor.signingIn ??= signIn(actor).finally(() => { actor.signingIn = null; });
  return (await actor.signingIn) ? actor : null;
}

function staffMembers(actor) {
  if (!actor.memberPool) actor.memberPool = actor.allStores ? members : members.filter((m) => actor.stores.includes(m.store));
  return actor.memberPool;
}

// ---------------------------------------------------------------- the traffic

const METHODS = ['cash', 'wechat_pay', 'wechat_pay', 'alipay', 'alipay', 'bank_card'];

// The till's member search: the last four digits of the phone the customer says (mostly a
// member of this store; now and then digits nobody has).
async function posMemberSearch(till) {
  const digits = chance(0.75) ? pick(till.members).phone.slice(-4) : String(int(0, 9999)).padStart(4, '0');
  await call(till, 'pos.member_search', 'GET', `/api/v1/members?q=${digits}&limit=10`);
}

async function posScan(till) {
  const p = pick(catalogue);
  await call(till, 'pos.product_lookup', 'GET', `/api/v1/products/lookup?code=${encodeURIComponent(chance(0.7) ? p.barcode : p.sku)}`);
}

// Quote, maybe re-quote with points as cash, then the sale for the quoted total; now and then
// the till resends the same sale (lost answer) and must get the stored one back.
async function posCheckout(till) {
  const member = chance(0.6) ? pick(till.members) : null;
  // A line's `sku` takes a barcode too: scanned items come by barcode, typed ones by SKU.
  const lines = [...catalogue].sort(() => rand() - 0.5).slice(0, int(1, 3))
    .map((p) => ({ sku: chance(0.7) ? p.barcode : p.sku, quantity: int(1, 2) }));
  const body = { store_id: till.store, terminal: till.terminal, lines };
  if (member) body.member_id = member.id;
  let q = await call(till, 'pos.quote', 'POST', '/api/v1/sales/quote', body);
  if (q.status !== 200) return;
  if (member && q.body.max_redeemable_points >= 100 && chance(0.3)) {
    body.points_redeemed = 100 * int(1, Math.floor(q.body.max_redeemable_points / 100));
    q = await call(till, 'pos.quote', 'POST', '/api/v1/sales/quote', body);
    if (q.status !== 200) return;
  }
  body.payments = q.body.total > 0 ? [{ method: pick(METHODS), amount: q.body.total }] : [];
  const key = randomUUID();
  const r = await call(till, member ? 'pos.checkout_member' : 'pos.checkout_walkin', 'POST', '/api/v1/sales', body, { key });
  if (r.status !== 201) return;
  till.sales.push({ id: r.body.id, lines: r.body.lines.map((l) => ({ line_no: l.line_no, left: l.quantity - l.refunded_quantity })) });
  if (till.sales.length > 300) till.sales.shift();  // the till refunds recent sales; keep the list bounded
  if (chance(0.03)) {
    const again = await call(till, 'pos.checkout_replay', 'POST', '/api/v1/sales', body, { key });
    if (again.status === 201 && (again.headers.get('idempotent-replayed') !== 'true' || again.body?.id !== r.body.id)) {
      anomalies.push({ at_s: elapsedS(), what: 'a resent sale (same Idempotency-Key and body) was not answered from the stored sale',
        first: r.body.id, second: again.body?.id, replayed_header: again.headers.get('idempotent-replayed') });
    }
  }
}

// A customer returns one item, or the whole receipt, of a recent sale of this till.
async function posRefund(till) {
  if (!till.sales.length) return posCheckout(till);
  // Taken off the list while in flight so two refunds never race on one sale.
  const sale = till.sales.splice(Math.floor(rand() * till.sales.length), 1)[0];
  const open = sale.lines.filter((l) => l.left > 0);
  const body = chance(0.5) || !open.length ? { reason: '顾客整单退货' } : { reason: '顾客退一件', lines: [{ line_no: pick(open).line_no, quantity: 1 }] };
  const r = await call(till, 'pos.refund', 'POST', `/api/v1/sales/${sale.id}/refunds`, body, { key: randomUUID() });
  if (r.status === 201 && r.body.sale.status !== 'refunded') {
    sale.lines = r.body.sale.lines.map((l) => ({ line_no: l.line_no, left: l.quantity - l.refunded_quantity }));
    till.sales.push(sale);
  }
}

async function posRedeem(till) {
  const member = pick(till.redeemers);
  await call(till, 'pos.redeem', 'POST', `/api/v1/members/${member.id}/redemptions`,
    { gift_id: giftId, quantity: 1, store_id: till.store }, { key: randomUUID() });
}

// The member page (会员 360): the web app loads these together.
async function member360() {
  const actor = await session(pick(['guide_sh', 'guide_sz', 'service', 'manager_sh']));
  if (!actor) return;
  const m = pick(staffMembers(actor));
  const reads = [
    call(actor, 'staff.member_get', 'GET', `/api/v1/members/${m.id}`),
    call(actor, 'staff.member_timeline', 'GET', `/api/v1/members/${m.id}/timeline?limit=20`),
    call(actor, 'staff.member_points', 'GET', `/api/v1/members/${m.id}/points?limit=10`),
  ];
  if (chance(0.3)) {
    reads.push(call(actor, 'staff.member_coupons', 'GET', `/api/v1/members/${m.id}/coupons`));
    reads.push(call(actor, 'staff.member_tier', 'GET', `/api/v1/members/${m.id}/tier`));
  }
  await Promise.all(reads);
}

async function staffSearch() {
  const actor = await session(pick(['service', 'guide_sh', 'guide_sz']));
  if (!actor) return;
  const m = pick(staffMembers(actor));
  const roll = rand();
  const q = roll < 0.5 ? m.phone.slice(-4) : roll < 0.8 ? m.name : m.member_no;
  await call(actor, 'staff.member_search', 'GET', `/api/v1/members?q=${encodeURIComponent(q)}&limit=20`);
}

// A guide's call logged; sometimes with a next step, which becomes a task to complete later.
async function interaction() {
  const actor = await session(pick(['guide_sh', 'guide_sz', 'service']));
  if (!actor) return;
  const m = pick(staffMembers(actor));
  const body = { channel: pick(['phone', 'wechat', 'visit', 'sms']), direction: 'outbound',
    summary: pick(['新品到店通知，顾客有兴趣', '生日祝福，提醒领取礼券', '回访上次购物体验', '邀请参加会员日活动']),
    sentiment: pick(['positive', 'neutral', 'neutral', 'negative']) };
  if (chance(0.4)) body.next_step = '周末再联系确认到店时间';
  const r = await call(actor, 'staff.interaction', 'POST', `/api/v1/members/${m.id}/interactions`, body);
  if (r.status === 201 && r.body.task_id) rememberTask(actor, r.body.task_id);
}

// Open tasks of a guide to complete later; `closed` keeps a task being (or already) completed
// from coming back from a to-do list read meanwhile.
function rememberTask(actor, id) {
  actor.tasks ??= [];
  actor.closed ??= new Set();
  if (actor.closed.size > 10000) actor.closed.clear();
  if (!actor.closed.has(id) && !actor.tasks.includes(id)) actor.tasks.push(id);
  if (actor.tasks.length > 200) actor.tasks.shift();
}

async function tasksToday() {
  const actor = await session(pick(['guide_sh', 'guide_sz', 'manager_sh', 'manager_sz']));
  if (!actor) return;
  const r = await call(actor, 'staff.tasks_today', 'GET', '/api/v1/tasks/today');
  if (r.status !== 200) return;
  for (const t of [...r.body.overdue, ...r.body.today]) if (t.assignee?.id === actor.userId) rememberTask(actor, t.id);
}

async function taskCreate() {
  const actor = await session(pick(['guide_sh', 'guide_sz']));
  if (!actor) return;
  const m = pick(staffMembers(actor));
  const r = await call(actor, 'staff.task_create', 'POST', '/api/v1/tasks',
    { title: pick(['新品试穿邀约', '会员日提醒', '积分到期提醒']), member_id: m.id, due_at: chinaDate(-1), priority: pick(['normal', 'normal', 'high', 'low']) });
  if (r.status === 201) rememberTask(actor, r.body.id);
}

async function taskComplete() {
  const actor = await session(pick(['guide_sh', 'guide_sz']));
  if (!actor) return;
  if (!actor.tasks?.length) return taskCreate();
  const id = actor.tasks.splice(Math.floor(rand() * actor.tasks.length), 1)[0];
  actor.closed.add(id);
  await call(actor, 'staff.task_complete', 'POST', `/api/v1/tasks/${id}/complete`,
    { status: chance(0.9) ? 'done' : 'skipped', outcome: '已联系，顾客周末到店' });
}

async function todos() {
  const actor = await session(pick(['manager_sh', 'manager_sz', 'guide_sh', 'east']));
  if (actor) await call(actor, 'staff.todos', 'GET', '/api/v1/todos');
}

async function complaints() {
  const actor = await session(pick(['manager_sh', 'manager_sz', 'service']));
  if (actor) await call(actor, 'staff.complaints', 'GET', '/api/v1/complaints?status=open');
}

// The marketer edits a segment: each change of a rule asks for the live count.
function segmentRules() {
  const rules = [
    () => [{ field: 'total_spend', op: 'gte', value: pick([10000, 50000, 100000, 500000]) }],
    () => [{ field: 'last_purchase_days', op: 'lte', value: pick([7, 30, 90]) }, { field: 'consent', op: 'in', value: ['sms'] }],
    () => [{ field: 'tag', op: 'in', value: [pick(tagIds), pick(tagIds)] }, { field: 'gender', op: 'in', value: pick(['female', 'male']) }],
    () => [{ field: 'bought_category', op: 'in', value: [pick(categoryIds)], days: 90 }, { field: 'age', op: 'between', value: [20, 40] }],
    () => [{ field: 'store', op: 'in', value: [pick(storeIds)] }, { field: 'rfm_class', op: 'in', value: ['champions', 'loyal', 'at_risk'] }],
    () => [{ field: 'purchases', op: 'gte', value: 2, days: 90 }, { field: 'lifecycle', op: 'not_in', value: ['lost'] }],
  ];
  return { match: chance(0.8) ? 'all' : 'any', rules: pick(rules)() };
}

async function segmentCount() {
  const actor = await session(pick(['marketer', 'marketer', 'manager_sh']));
  if (actor) await call(actor, 'staff.segment_count', 'POST', '/api/v1/segments/count', { rules: segmentRules() });
}

// Dashboards and reports: a caller limited to some stores asks about one of them.
function reportScope(actor) {
  if (actor.allStores) return chance(0.3) ? `&store_id=${pick(storeIds)}` : '';
  return `&store_id=${pick(actor.stores)}`;
}
const reportActors = ['analyst', 'analyst', 'east', 'manager_sh', 'marketer'];

async function analyticsSales() {
  const actor = await session(pick(reportActors));
  if (actor) await call(actor, 'staff.analytics_sales', 'GET', `/api/v1/analytics/sales?from=${chinaDate(pick([7, 30]))}&to=${chinaDate()}${reportScope(actor)}`);
}
async function analyticsMembers() {
  const actor = await session(pick(reportActors));
  if (actor) await call(actor, 'staff.analytics_members', 'GET', `/api/v1/analytics/members?from=${chinaDate(30)}&to=${chinaDate()}${reportScope(actor)}`);
}
async function analyticsRfm() {
  const actor = await session(pick(reportActors));
  if (actor) await call(actor, 'staff.analytics_rfm', 'GET', `/api/v1/analytics/rfm?${reportScope(actor).slice(1)}`);
}
async function analyticsCohorts() {
  const actor = await session(pick(reportActors));
  if (actor) await call(actor, 'staff.analytics_cohorts', 'GET', `/api/v1/analytics/cohorts?months=3${reportScope(actor)}`);
}

// Weighted operations; `requests` is how many requests one makes on average, so the operation
// rate can be set for the requested request rate. `--ops name,name` keeps only those (with
// sign_in and export for the clock-driven ones): to find which traffic a growth comes with.
const ALL_OPS = [
  { name: 'pos_member_search', weight: 14, requests: 1, run: () => posMemberSearch(pick(pos)) },
  { name: 'pos_scan', weight: 8, requests: 1, run: () => posScan(pick(pos)) },
  { name: 'pos_checkout', weight: 12, requests: 2.25, run: () => posCheckout(pick(pos)) },
  { name: 'pos_refund', weight: 1.5, requests: 1, run: () => posRefund(pick(pos)) },
  { name: 'pos_redeem', weight: 2, requests: 1, run: () => posRedeem(pick(pos)) },
  { name: 'member_360', weight: 6, requests: 3.6, run: member360 },
  { name: 'staff_search', weight: 5, requests: 1, run: staffSearch },
  { name: 'interaction', weight: 3, requests: 1, run: interaction },
  { name: 'tasks_today', weight: 3, requests: 1, run: tasksToday },
  { name: 'task_create', weight: 1.5, requests: 1, run: taskCreate },
  { name: 'task_complete', weight: 1.5, requests: 1, run: taskComplete },
  { name: 'todos', weight: 2, requests: 1, run: todos },
  { name: 'complaints', weight: 1, requests: 1, run: complaints },
  { name: 'segment_count', weight: 3, requests: 1, run: segmentCount },
  { name: 'analytics_sales', weight: 1.5, requests: 1, run: analyticsSales },
  { name: 'analytics_members', weight: 0.7, requests: 1, run: analyticsMembers },
  { name: 'analytics_rfm', weight: 0.7, requests: 1, run: analyticsRfm },
  { name: 'analytics_cohorts', weight: 0.5, requests: 1, run: analyticsCohorts },
];
const CLOCK_OPS = ['sign_in', 'export'];
const wanted = CONFIG.ops ? CONFIG.ops.split(',').map((o) => o.trim()).filter(Boolean) : null;
for (const name of wanted || []) {
  if (!ALL_OPS.some((o) => o.name === name) && !CLOCK_OPS.includes(name)) {
    console.error(`soak: unknown --ops ${name}; known: ${[...ALL_OPS.map((o) => o.name), ...CLOCK_OPS].join(', ')}`);
    process.exit(2);
  }
}
const OPS = wanted ? ALL_OPS.filter((o) => wanted.includes(o.name)) : ALL_OPS;
const clockOp = (name) => !wanted || wanted.includes(name);
const WEIGHT_SUM = OPS.reduce((s, o) => s + o.weight, 0);
const REQUESTS_PER_OP = OPS.reduce((s, o) => s + o.weight * o.requests, 0) / WEIGHT_SUM;

function pickOp() {
  let x = rand() * WEIGHT_SUM;
  for (const op of OPS) if ((x -= op.weight) < 0) return op;
  return OPS[OPS.length - 1];
}

// Now-and-then work on a clock rather than by weight: sign-ins are throttled per address
// (60 per 5 minutes) and exports per caller (30 a minute), whatever --rate says.
const SIGN_IN_EVERY_S = 20;
const EXPORT_EVERY_S = 30;

// A cashier's shift in miniature: sign in (a new session, an Argon2 hash), load the profile,
// sign out.
async function signInRound(n) {
  const actor = { username: n % 2 ? 'cashier_hz' : 'cashier_sh' };
  if (!(await signIn(actor))) return;
  await call(actor, 'staff.me', 'GET', '/api/v1/me');
  await call(actor, 'staff.sign_out', 'DELETE', '/api/v1/session');
}

const EXPORTS = [
  ['manager_sh', () => '/api/v1/members?format=csv&store_id=1'],
  ['analyst', () => `/api/v1/sales?format=csv&from=${chinaDate()}&to=${chinaDate()}`],
  ['marketer', () => '/api/v1/members?format=csv&category=vip'],
  ['analyst', () => `/api/v1/analytics/sales?format=csv&from=${chinaDate(30)}&to=${chinaDate()}`],
];
async function exportRound(n) {
  const [username, url] = EXPORTS[n % EXPORTS.length];
  const actor = await session(username);
  if (actor) await call(actor, 'staff.export_csv', 'GET', url());
}

// ---------------------------------------------------------------- set-up

async function setUp(server) {
  base = server.base;
  const admin = { username: 'admin' };
  const ok = (r, what) => {
    if (r.status < 200 || r.status > 299) throw new Error(`set-up: ${what}: ${r.status} ${r.text?.slice(0, 300) ?? r.error}`);
    return r.body;
  };
  if (!(await signIn(admin, 'setup'))) throw new Error('set-up: admin cannot sign in with the demo password');
  const get = (url) => call(admin, 'setup', 'GET', url);
  const post = (url, body) => call(admin, 'setup', 'POST', url, body);

  storeIds = ok(await get('/api/v1/stores'), 'stores').items.map((s) => s.id);
  catalogue = ok(await get('/api/v1/products?limit=200'), 'products').items
    .filter((p) => p.status === 'active').map((p) => ({ sku: p.sku, barcode: p.barcode }));
  tagIds = ok(await get('/api/v1/tags'), 'tags').items.map((t) => t.id);
  categoryIds = ok(await get('/api/v1/product-categories'), 'categories').items.map((c) => c.id);
  for (let cursor = ''; ;) {
    const page = ok(await get(`/api/v1/members?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 'members');
    for (const m of page.items) members.push({ id: m.id, phone: m.phone, name: m.name, member_no: m.member_no, store: m.home_store_id });
    if (!page.next_cursor) break;
    cursor = page.next_cursor;
  }
  if (!catalogue.length || !members.length) throw new Error('set-up: the demo has no products or members (was --sales-months 0 given?)');
  giftId = ok(await post('/api/v1/gifts', { name: '帆布袋（压测）', kind: 'goods', points: 100, stock: 10000000 }), 'gift').id;

  // Two tills per store, each with its own token; a token sees only its store's members.
  const permissions = ['sales.create', 'sales.read', 'sales.refund', 'points.redeem', 'members.read', 'products.read'];
  for (const store of storeIds) {
    const local = members.filter((m) => m.store === store);
    // Members with points enough for the whole run's redemptions at this till's store.
    const redeemers = local.slice(0, 10);
    for (const m of redeemers) ok(await post(`/api/v1/members/${m.id}/points/adjustments`, { points: 500000, reason: '压测积分' }), 'points');
    for (const terminal of ['POS1', 'POS2']) {
      const t = ok(await post('/api/v1/api-tokens', { name: `soak ${store} ${terminal}`, store_id: store, permissions }), 'token');
      pos.push({ token: t.token, store, terminal, members: local, redeemers, sales: [] });
    }
  }
  for (const username of ['guide_sh', 'guide_sz', 'manager_sh', 'manager_sz', 'service', 'marketer', 'analyst', 'east']) {
    staff[username] = { username };
    if (!(await signIn(staff[username], 'setup'))) throw new Error(`set-up: ${username} cannot sign in`);
  }
  // Set-up requests are not part of the measured traffic.
  total.kinds.delete('setup');
  total.all = new Tally();
  interval = new Book();
}

// ---------------------------------------------------------------- sampling

let t0;
let startedAt;
const elapsedS = () => (t0 ? Math.round((performance.now() - t0) / 100) / 10 : 0);
const samples = [];
const minuteLatencies = [];   // per minute, every answered request's latency (for the minute table)

function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(text.match(new RegExp(`^${name}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN);
    // RSS split: anonymous memory (heap, SQLite's page cache) is where a leak shows; file pages
    // (the binary, SQLite's memory-mapped database) grow with the database and are not a leak.
    return { rss_kb: field('VmRSS'), hwm_kb: field('VmHWM'), anon_kb: field('RssAnon'), file_kb: field('RssFile'),
      shmem_kb: field('RssShmem'), threads: field('Threads'), fds: readdirSync(`/proc/${pid}/fd`).length };
  } catch {
    return { rss_kb: null, hwm_kb: null, anon_kb: null, file_kb: null, shmem_kb: null, threads: null, fds: null };  // the process is gone
  }
}

// What the server says of its own memory (/metrics, loopback): the C heap's live bytes, the freed
// bytes its allocator keeps, and SQLite's share. Live bytes flat while RSS climbs means
// fragmentation; live bytes climbing means something holds on to memory.
async function heapGauges(server) {
  try {
    const text = await (await fetch(`${server.base}/metrics`)).text();
    const gauge = (name) => Number(text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1] ?? NaN);
    return { heap_kb: gauge('storecrm_heap_in_use_bytes') / 1024, heap_free_kb: gauge('storecrm_heap_free_bytes') / 1024,
      sqlite_kb: gauge('storecrm_sqlite_memory_bytes') / 1024 };
  } catch {
    return { heap_kb: NaN, heap_free_kb: NaN, sqlite_kb: NaN };
  }
}

// The database's size on disk: for SQLite the file and, apart, its write-ahead log (a log that
// is never checkpointed back keeps growing); for PostgreSQL pg_database_size.
async function databaseSize(server) {
  if (server.backend === 'postgres') {
    const bytes = await new Promise((resolve) => execFile('psql', [server.db, '-Atc', 'SELECT pg_database_size(current_database())'],
      (err, out) => resolve(err ? null : Number(out.trim()))));
    return { db_bytes: bytes, wal_bytes: null };
  }
  const size = (file) => { try { return statSync(file).size; } catch { return 0; } };
  return { db_bytes: size(server.db), wal_bytes: size(`${server.db}-wal`) };
}

async function takeSample(server, index) {
  const book = interval;
  interval = new Book();
  const minute = Math.max(0, Math.ceil(index * CONFIG.sampleSeconds / 60) - 1);
  (minuteLatencies[minute] ??= []).push(...book.all.lat);
  const kinds = {};
  for (const [kind, tally] of [...book.kinds].sort()) kinds[kind] = tally.summary();
  const t = elapsedS();
  const s = { index, t_s: t, seconds: t - samples[samples.length - 1].t_s, ...procStatus(server.proc.pid), ...(await databaseSize(server)),
    ...(await heapGauges(server)),
    in_flight: inFlight, shed: book.shed, ...book.all.summary(), kinds };
  samples.push(s);
  return s;
}

// ---------------------------------------------------------------- the run

let inFlight = 0;
let stopping = false;
let interrupted = false;
let serverExit = null;

function launch(op) {
  if (inFlight >= MAX_IN_FLIGHT) {
    interval.shed++;
    total.shed++;
    return;
  }
  inFlight++;
  op().catch((e) => {
    if (clientBugs.length < 10) clientBugs.push(String(e.stack || e));
  }).finally(() => { inFlight--; });
}

// Poisson arrivals at `opRate` per second until `endAt` (performance.now() time) or a stop.
function drive(opRate, endAt) {
  return new Promise((resolve) => {
    let next = OPS.length ? performance.now() : Infinity;
    let signIns = 0;
    let exports = 0;
    const tick = () => {
      const now = performance.now();
      if (now >= endAt || stopping) return resolve();
      while (OPS.length && next <= now) {
        launch(pickOp().run);
        next += (-Math.log(1 - rand()) * 1000) / opRate;
      }
      const elapsed = (now - t0) / 1000;
      // The first sign-in and export come a few seconds in, then on their clocks.
      if (clockOp('sign_in') && elapsed >= 5 + signIns * SIGN_IN_EVERY_S) { const n = signIns++; launch(() => signInRound(n)); }
      if (clockOp('export') && elapsed >= 15 + exports * EXPORT_EVERY_S) { const n = exports++; launch(() => exportRound(n)); }
      setTimeout(tick, Math.max(1, Math.min(50, next - performance.now())));
    };
    tick();
  });
}

function progressLine(s) {
  const rate = s.seconds > 0 ? s.n / s.seconds : 0;
  const memory = s.rss_kb === null ? 'server process gone' : `rss ${mb(s.rss_kb)} MB (anon ${mb(s.anon_kb)}; heap live ${mb(s.heap_kb)} ` +
    `free ${mb(s.heap_free_kb)} sqlite ${mb(s.sqlite_kb)})  hwm ${mb(s.hwm_kb)} MB  fds ${s.fds}  threads ${s.threads}`;
  return `[${String(Math.round(s.t_s)).padStart(5)} s] ${memory}  ` +
    `${rate.toFixed(1)} req/s  4xx ${s.c4xx}  5xx ${s.c5xx}  net ${s.net}  shed ${s.shed}  p95 ${ms(s.p95)} ms  in flight ${s.in_flight}`;
}

async function main() {
  mkdirSync(CONFIG.outDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  const jsonPath = path.join(CONFIG.outDir, `soak-${BACKEND}-${stamp}.json`);
  const logPath = path.join(CONFIG.outDir, `soak-${BACKEND}-${stamp}.server.log`);

  console.log(`storecrm soak: ${BACKEND}, ${CONFIG.minutes} min at ~${CONFIG.rate} requests/s, demo chain of ${CONFIG.members} members ` +
    `with ${CONFIG.salesMonths} months of sales; sampling every ${CONFIG.sampleSeconds} s; binary ${BIN}` +
    `${wanted ? `; only ${wanted.join(', ')}` : ''}`);
  const server = new TestServer({ demo: true, demoMembers: CONFIG.members, demoSalesMonths: CONFIG.salesMonths });
  await server.start();
  // The server writes an access-log line per request; over half an hour that would pile up in
  // TestServer's in-memory log, so from here on it goes to a file (kept after the run).
  const log = createWriteStream(logPath);
  log.write(server.log);
  for (const stream of [server.proc.stdout, server.proc.stderr]) {
    stream.removeAllListeners('data');
    stream.pipe(log, { end: false });
  }
  server.proc.on('exit', (code, signal) => {
    if (serverExit) return;
    serverExit = { at_s: elapsedS(), code, signal, expected: stopping };
    if (!stopping) stopping = true;
  });
  process.on('SIGINT', () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    stopping = true;
    console.log('\ninterrupted: stopping the traffic and printing what was measured (Ctrl-C again to quit at once)');
  });

  let result;
  try {
    await setUp(server);
    console.log(`set-up: ${storeIds.length} stores, ${catalogue.length} products, ${members.length} members, ${pos.length} tills, ` +
      `${Object.keys(staff).length} staff sessions; server pid ${server.proc.pid}; log ${logPath}`);
    result = await run(server);
  } finally {
    const beforeStop = serverExit;
    await server.stop();
    // TestServer falls back to SIGKILL 3 s after SIGTERM: a clean shutdown exits on SIGTERM.
    const shutdown = beforeStop ? null : server.proc.signalCode === 'SIGKILL' ? 'did not exit within 3 s of SIGTERM (killed)'
      : `exited with code ${server.proc.exitCode}${server.proc.signalCode ? ` on ${server.proc.signalCode}` : ''}`;
    await new Promise((r) => log.end(r));
    if (result) report(result, { jsonPath, logPath, shutdown, server });
  }
}

async function run(server) {
  const opRate = CONFIG.rate / REQUESTS_PER_OP;
  const durationMs = CONFIG.minutes * 60000;
  const perMinute = Math.round(60 / CONFIG.sampleSeconds);
  const lastIndex = Math.max(1, Math.round(durationMs / (CONFIG.sampleSeconds * 1000)));
  t0 = performance.now();
  startedAt = new Date().toISOString();
  samples.push({ index: 0, t_s: 0, seconds: 0, ...procStatus(server.proc.pid), ...(await databaseSize(server)), ...(await heapGauges(server)),
    in_flight: 0, shed: 0, ...new Tally().summary(), kinds: {} });
  console.log(progressLine(samples[0]));
  // Samples on a fixed grid from t0 (so minute rows line up whatever the timers' drift), the
  // last one at the end of the traffic; progress is printed once a minute.
  let index = 0;
  let timer;
  let sampling = Promise.resolve();
  let allTaken;
  const done = new Promise((resolve) => { allTaken = resolve; });
  const sample = async () => {
    index++;
    const s = await takeSample(server, index);
    if (index % perMinute === 0) console.log(progressLine(s));
    return s;
  };
  const schedule = () => {
    timer = setTimeout(() => {
      sampling = sample().then(() => (index >= lastIndex || stopping ? allTaken() : schedule()));
    }, Math.max(0, t0 + (index + 1) * CONFIG.sampleSeconds * 1000 - performance.now()));
  };
  schedule();
  await drive(opRate, t0 + durationMs);
  if (stopping) {
    // Cut short (the server exited, or Ctrl-C): one more sample for the part interval.
    clearTimeout(timer);
    await sampling;
    if (index < lastIndex) console.log(progressLine(await sample()));
  } else {
    await done;
  }
  stopping = true;
  // Let what is still on the wire finish or time out; it counts in the totals, not in a sample.
  const drainUntil = performance.now() + REQUEST_TIMEOUT_MS + 2000;
  while (inFlight > 0 && performance.now() < drainUntil) await sleep(50);
  return { opRate, stillInFlight: inFlight };
}

// ---------------------------------------------------------------- the report

function minuteRows() {
  const perMinute = Math.round(60 / CONFIG.sampleSeconds);
  const rows = [];
  for (let m = 1; (m - 1) * perMinute + 1 < samples.length; m++) {
    const group = samples.slice((m - 1) * perMinute + 1, m * perMinute + 1);
    const last = group[group.length - 1];
    const seconds = last.t_s - samples[(m - 1) * perMinute].t_s;
    const sum = (k) => group.reduce((s, x) => s + x[k], 0);
    const lat = latencySummary(minuteLatencies[m - 1] || []);
    rows.push({ minute: m, t_s: last.t_s, rss_kb: last.rss_kb, hwm_kb: last.hwm_kb, anon_kb: last.anon_kb, file_kb: last.file_kb,
      heap_kb: last.heap_kb, heap_free_kb: last.heap_free_kb, sqlite_kb: last.sqlite_kb,
      shmem_kb: last.shmem_kb, threads: last.threads, fds: last.fds, db_bytes: last.db_bytes, wal_bytes: last.wal_bytes,
      requests: sum('n'), rps: seconds > 0 ? sum('n') / seconds : 0, c4xx: sum('c4xx'), c5xx: sum('c5xx'), net: sum('net'),
      shed: sum('shed'), ...lat });
  }
  return rows;
}

// Least-squares slope of RSS after warm-up, MB per hour: less sensitive to one noisy sample
// than the two end points.
function rssTrend(fromS, key = 'rss_kb') {
  const pts = samples.filter((s) => s.t_s >= fromS && s[key] !== null);
  if (pts.length < 3) return null;
  const mx = pts.reduce((a, s) => a + s.t_s, 0) / pts.length;
  const my = pts.reduce((a, s) => a + s[key], 0) / pts.length;
  const num = pts.reduce((a, s) => a + (s.t_s - mx) * (s[key] - my), 0);
  const den = pts.reduce((a, s) => a + (s.t_s - mx) ** 2, 0);
  return den ? (num / den) * 3600 / 1024 : null;
}

function serverLogSummary(logPath) {
  const levels = {};
  const notable = [];
  let lines = [];
  try { lines = readFileSync(logPath, 'utf8').split('\n').filter(Boolean); } catch {}
  for (const line of lines) {
    let level;
    try { level = JSON.parse(line).level; } catch { level = line.match(/\[(trace|debug|info|warning|warn|error|critical)\]/)?.[1] || 'other'; }
    levels[level] = (levels[level] || 0) + 1;
    if (!['info', 'debug', 'trace'].includes(level) && notable.length < 15) notable.push(line.slice(0, 400));
  }
  return { lines, levels, notable };
}

function report(result, { jsonPath, logPath, shutdown, server }) {
  const rows = minuteRows();
  printTable(`memory over time (server pid ${server.proc.pid}, ${server.backend}; one row per minute, figures at its end)`,
    ['min', 'RSS MB', 'anon MB', 'heap live MB', 'heap free MB', 'sqlite MB', 'file MB', 'HWM MB', 'threads', 'fds', 'db MB', ...(server.backend === 'sqlite' ? ['WAL MB'] : []),
      'req/s', '4xx', '5xx', 'net', 'shed', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    rows.map((r) => ({
      min: r.minute, 'RSS MB': mb(r.rss_kb), 'anon MB': mb(r.anon_kb), 'heap live MB': mb(r.heap_kb),
      'heap free MB': mb(r.heap_free_kb), 'sqlite MB': mb(r.sqlite_kb), 'file MB': r.file_kb === null ? '' : mb(r.file_kb + r.shmem_kb),
      'HWM MB': mb(r.hwm_kb), threads: r.threads, fds: r.fds,
      'db MB': r.db_bytes === null ? '' : (r.db_bytes / 1048576).toFixed(1), 'WAL MB': r.wal_bytes === null ? '' : (r.wal_bytes / 1048576).toFixed(1),
      'req/s': r.rps.toFixed(1), '4xx': r.c4xx, '5xx': r.c5xx, net: r.net, shed: r.shed,
      'p50 ms': ms(r.p50), 'p95 ms': ms(r.p95), 'p99 ms': ms(r.p99), 'max ms': ms(r.max),
    })));

  const kinds = [...total.kinds].sort(([a], [b]) => a.localeCompare(b)).map(([kind, t]) => ({ kind, ...t.summary() }));
  printTable('errors by kind (5xx and network errors are server problems; 4xx below)', ['kind', 'requests', '2xx/3xx', '4xx', '5xx', 'net'],
    [...kinds, { kind: 'all', ...total.all.summary() }].map((k) => ({ kind: k.kind, requests: k.n, '2xx/3xx': k.n - k.c4xx - k.c5xx - k.net,
      '4xx': k.c4xx, '5xx': k.c5xx, net: k.net })));
  if (rejections.size) {
    printTable('4xx answers by kind and code (an example of each)', ['kind', 'status', 'code', 'count', 'example'],
      [...rejections.values()].sort((a, b) => b.count - a.count));
  }
  printTable('latency by kind (ms, answered requests, whole run)', ['kind', 'requests', 'p50', 'p95', 'p99', 'max'],
    [...kinds, { kind: 'all', ...total.all.summary() }].map((k) => ({ kind: k.kind, requests: k.n - k.net, p50: ms(k.p50), p95: ms(k.p95), p99: ms(k.p99), max: ms(k.max) })));

  const logInfo = serverLogSummary(logPath);
  if (failures.length) {
    // The server's own lines for each failed request, by X-Request-Id.
    for (const f of failures) if (f.request_id) f.log = logInfo.lines.filter((l) => l.includes(f.request_id)).map((l) => l.slice(0, 400));
    console.log(`\n== 5xx and network errors: ${failureCount} (the first ${failures.length}) ==`);
    for (const f of failures) console.log(JSON.stringify(f));
  }
  if (anomalies.length) {
    console.log(`\n== answers that break the contract: ${anomalies.length} ==`);
    for (const a of anomalies.slice(0, 10)) console.log(JSON.stringify(a));
  }
  if (clientBugs.length) {
    console.log('\n== exceptions in the soak script itself (not the server) ==');
    for (const b of clientBugs) console.log(b);
  }
  console.log(`\nserver log: ${Object.entries(logInfo.levels).map(([k, v]) => `${k} ${v}`).join(', ')} lines`);
  for (const l of logInfo.notable) console.log(`  ${l}`);

  // Verdict: RSS after warm-up (the end of minute 2; of minute 1 in runs under 3 minutes) against
  // the last minute.
  const baseMinute = rows.length >= 3 ? 2 : 1;
  const base = rows[baseMinute - 1];
  const last = rows[rows.length - 1];
  let verdict = null;
  console.log('');
  if (serverExit && !serverExit.expected && !interrupted) {
    console.log(`WARNING: the server process exited during the run at ${serverExit.at_s} s (code ${serverExit.code}, signal ${serverExit.signal}); see ${logPath}`);
  }
  if (shutdown && !shutdown.startsWith('exited with code 0')) console.log(`WARNING: at the end the server ${shutdown}`);
  if (base && last && base !== last && base.rss_kb && last.rss_kb) {
    const growthMb = (last.rss_kb - base.rss_kb) / 1024;
    const growthPct = (100 * (last.rss_kb - base.rss_kb)) / base.rss_kb;
    const trend = rssTrend(base.t_s);
    const anonMb = (last.anon_kb - base.anon_kb) / 1024;
    const anonPct = (100 * (last.anon_kb - base.anon_kb)) / base.anon_kb;
    const anonTrend = rssTrend(base.t_s, 'anon_kb');
    const dbMb = (r) => (r.db_bytes === null ? null : (r.db_bytes + (r.wal_bytes || 0)) / 1048576);
    verdict = { base_minute: baseMinute, last_minute: last.minute, rss_base_mb: base.rss_kb / 1024, rss_last_mb: last.rss_kb / 1024,
      growth_mb: growthMb, growth_pct: growthPct, anon_growth_mb: anonMb, anon_growth_pct: anonPct, anon_trend_mb_per_hour: anonTrend, hwm_last_mb: last.hwm_kb / 1024, fds_base: base.fds, fds_last: last.fds,
      threads_base: base.threads, threads_last: last.threads, rss_trend_mb_per_hour: trend, db_base_mb: dbMb(base), db_last_mb: dbMb(last) };
    const signed = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}`;
    console.log(`verdict: memory growth ${signed(growthMb)} MB (${signed(growthPct)} %): ` +
      `RSS ${mb(base.rss_kb)} MB at minute ${baseMinute} → ${mb(last.rss_kb)} MB at minute ${last.minute}` +
      `${trend === null ? '' : ` (trend ${signed(trend)} MB/h)`}, of which anonymous ${signed(anonMb)} MB; HWM ${mb(last.hwm_kb)} MB; ` +
      `fds ${base.fds} → ${last.fds}; threads ${base.threads} → ${last.threads}; ` +
      `${verdict.db_base_mb === null ? '' : `database ${verdict.db_base_mb.toFixed(1)} → ${verdict.db_last_mb.toFixed(1)} MB; `}` +
      `${total.all.n} requests, ${total.all.c5xx} 5xx, ${total.all.net} network errors, ${total.all.c4xx} 4xx, ${total.shed} shed`);
    // Anonymous memory is what a leak grows; the rest of RSS is file pages — on SQLite mostly the
    // memory-mapped database, which grows with the data and the kernel can drop at will.
    // A leak raises the floor; an export or report in flight only makes a spike the next trim
    // takes back. Compare the lowest sample of the first five minutes after warm-up with the
    // lowest of the last five.
    const floor = (from, to) => Math.min(...samples.filter((x) => x.t_s >= from && x.t_s <= to && x.anon_kb).map((x) => x.anon_kb));
    const early = floor(base.t_s - 60, base.t_s + 240);
    const late = floor(last.t_s - 300, last.t_s);
    const floorPct = (100 * (late - early)) / early;
    verdict.anon_floor_early_mb = early / 1024;
    verdict.anon_floor_late_mb = late / 1024;
    console.log(`anonymous memory: ${mb(base.anon_kb)} → ${mb(last.anon_kb)} MB (${signed(anonPct)} %` +
      `${anonTrend === null ? '' : `, trend ${signed(anonTrend)} MB/h`}); its floor ${mb(early)} → ${mb(late)} MB (${signed(floorPct)} %)`);
    if (floorPct > GROWTH_WARNING_PCT) console.log(`WARNING: the floor of anonymous memory rose ${floorPct.toFixed(1)} % (more than ${GROWTH_WARNING_PCT} %) after warm-up`);
    if (last.fds - base.fds > 20) console.log(`WARNING: open descriptors grew from ${base.fds} to ${last.fds}`);
    if (Number.isFinite(last.heap_kb) && Number.isFinite(base.heap_kb)) {
      // Where anonymous growth went: live allocations (a leak or data that grows), freed memory
      // the allocator keeps in its arenas (fragmentation), or SQLite's caches (bounded).
      verdict.heap_live_growth_mb = (last.heap_kb - base.heap_kb) / 1024;
      verdict.heap_free_growth_mb = (last.heap_free_kb - base.heap_free_kb) / 1024;
      verdict.sqlite_growth_mb = (last.sqlite_kb - base.sqlite_kb) / 1024;
      console.log(`heap: live ${mb(base.heap_kb)} → ${mb(last.heap_kb)} MB (${signed(verdict.heap_live_growth_mb)}), ` +
        `held free by the allocator ${mb(base.heap_free_kb)} → ${mb(last.heap_free_kb)} MB (${signed(verdict.heap_free_growth_mb)}), ` +
        `of the live bytes SQLite's ${mb(base.sqlite_kb)} → ${mb(last.sqlite_kb)} MB (${signed(verdict.sqlite_growth_mb)})`);
    }
  } else {
    console.log('verdict: the run was too short to compare two minutes (give --minutes 2 or more)');
  }
  if (total.all.c5xx || total.all.net) console.log(`WARNING: ${total.all.c5xx} server errors (5xx) and ${total.all.net} network errors`);
  if (result.stillInFlight) console.log(`WARNING: ${result.stillInFlight} requests still had no answer ${REQUEST_TIMEOUT_MS / 1000} s after the traffic stopped`);

  writeFileSync(jsonPath, JSON.stringify({
    tool: 'storecrm bench/soak', backend: server.backend, started_at: startedAt,
    config: { ...CONFIG, requests_per_operation: REQUESTS_PER_OP, operations_per_second: result.opRate, max_in_flight: MAX_IN_FLIGHT,
      request_timeout_ms: REQUEST_TIMEOUT_MS, sign_in_every_s: SIGN_IN_EVERY_S, export_every_s: EXPORT_EVERY_S, binary: BIN },
    server: { pid: server.proc.pid, log: logPath, exit_during_run: serverExit && !serverExit.expected ? serverExit : null, shutdown, log_levels: logInfo.levels },
    verdict, minutes: rows, kinds: Object.fromEntries(kinds.map((k) => [k.kind, k])), all: total.all.summary(), shed: total.shed,
    failures_total: failureCount, failures, rejections: [...rejections.values()], anomalies, client_bugs: clientBugs, samples,
  }, null, 1));
  console.log(`raw samples: ${jsonPath}\nserver log:  ${logPath}`);
}

main().then(() => process.exit(0), (e) => {
  console.error(`soak could not run: ${e.stack || e}`);
  process.exit(1);
});
