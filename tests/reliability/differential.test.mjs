// Differential test: one seeded workload (member registrations with and without a referrer,
// checkouts with and without a member, line discounts, coupons, points as cash, refunds whole
// and by line, points adjustments, gift redemptions, coupon issues; days passing on the test
// clock) runs in lockstep against a SQLite server and a PostgreSQL server. Both clocks start at
// the same instant (STORECRM_CLOCK_OFFSET_SECONDS) and move a day at a time through
// POST /api/v1/test/clock, so both runs see the same days and hours. Every answer is compared
// (status, error fields, amounts — ids, codes and times aside), then the end state:
// each member's points ledger (ordered: delta, balance after, kind, reason, source), balances,
// spend and tier, stock, the daily sales report (GET /api/v1/analytics/sales: totals, by_day,
// by_category, by_store, heatmap) and the members report, for the chain and each store.
// Runs in the PostgreSQL pass only (scripts/with-postgres.sh); size 2,000 operations
// (make test) or 50,000 (STORECRM_RELIABILITY=full).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TestServer } from '../support/server.mjs';
import { sized, prng, sleep, printTable, SIZE } from '../support/reliability.mjs';

const PG = process.env.STORECRM_TEST_PG;
const OPS = Number(process.env.STORECRM_DIFF_OPS || sized(2000, 50000));
const DAYS = sized(10, 60);
const SEED = 20260601;
// Day 1 of the workload starts at 10:00 China time (02:00 UTC) on this date, on both servers.
const ANCHOR = Date.UTC(2025, 5, 1, 2, 0, 0) / 1000;
const LONG = '40000000';  // sessions outlive the simulated days

const backends = ['sqlite', 'postgres'];
const servers = {};
const admins = {};
const mismatches = [];
const counts = {};

// Ids differ between the databases; the workload names everything by its index.
const stores = [];       // [{sqlite: id, postgres: id}]
const categories = [];
const products = [];     // {sku, price, category}
const templates = [];
let gift;
const members = [];      // {ids:{sqlite, postgres}, coupons:[{codes:{sqlite, postgres}, used}]}
const sales = [];        // {ids, lines:[{quantity, refunded}], status}
const refundsIdx = [];   // {ids}
const redemptionsIdx = [];

function skipReason() {
  return PG ? false : 'the SQLite/PostgreSQL comparison runs only in the PostgreSQL pass (scripts/with-postgres.sh sets STORECRM_TEST_PG)';
}

before(async () => {
  if (!PG) return;
  for (const backend of backends) {
    const offset = ANCHOR - Math.floor(Date.now() / 1000);
    servers[backend] = await new TestServer({ backend, args: ['--test-clock', '--idle-timeout', LONG, '--session-lifetime', LONG],
      env: { STORECRM_CLOCK_OFFSET_SECONDS: String(offset) } }).start();
    admins[backend] = await servers[backend].signIn('admin', undefined, { lang: 'en' });
  }
});

after(async () => {
  for (const s of Object.values(servers)) await s?.stop();
});

// Drops what legitimately differs between two databases: ids, codes (random), times, timings.
const VOLATILE = /(^id$|_id$|_ids$|_at$|^at$|^now$|^code$|^codes$|coupon_codes|^member_no$|referral_code|^elapsed_ms$|^token$|^expires_at$|^valid_from$|^valid_until$|^sold_at$|^version$)/;
function normalise(v) {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const out = {};
    for (const k of Object.keys(v).sort()) if (!VOLATILE.test(k)) out[k] = normalise(v[k]);
    return out;
  }
  // Coupon codes are random (16 characters): the same coupon has another code on each server.
  if (typeof v === 'string') return v.replace(/\b[0-9A-Z]{16}\b/g, '<coupon>');
  return v;
}

// The same request to both servers; compares the answers. `make(backend)` builds the
// request for that server (its ids). Returns {sqlite, postgres} responses.
async function both(label, make, { compare = (r) => normalise(r.body) } = {}) {
  const [a, b] = await Promise.all(backends.map((backend) => {
    const { method = 'POST', path, body, headers } = make(backend);
    return admins[backend].request(method, path, body, { headers });
  }));
  counts[label] = (counts[label] || 0) + 1;
  const left = { status: a.status, body: compare(a) };
  const right = { status: b.status, body: compare(b) };
  if (JSON.stringify(left) !== JSON.stringify(right)) {
    mismatches.push({ op: label, sqlite: JSON.stringify(left).slice(0, 400), postgres: JSON.stringify(right).slice(0, 400) });
  }
  return { sqlite: a, postgres: b };
}

const ids = (list) => Object.fromEntries(backends.map((b) => [b, list[b].body?.id]));
function expectCreated(label, r) {
  for (const b of backends) assert.ok(r[b].status >= 200 && r[b].status < 300, `${label} on ${b}: ${r[b].status} ${r[b].text}`);
}

// Moves both clocks to day `d` of the workload, 10:00 China time (+ what has run of it).
async function toDay(d) {
  const target = ANCHOR + d * 86400;
  await Promise.all(backends.map(async (b) => {
    const probe = await admins[b].post('/api/v1/test/clock', { advance_seconds: 1 });
    assert.equal(probe.status, 200, probe.text);
    const now = Date.parse(probe.body.now) / 1000;
    if (target - now >= 1) {
      const r = await admins[b].post('/api/v1/test/clock', { advance_seconds: Math.floor(target - now) });
      assert.equal(r.status, 200, r.text);
    }
  }));
}

async function setup() {
  for (const [code, name] of [['DA', '差分一店'], ['DB', '差分二店']]) {
    const r = await both('store', () => ({ path: '/api/v1/stores', body: { code, name, type: 'direct', region: '华东' } }));
    expectCreated('store', r);
    stores.push(ids(r));
  }
  for (const [name, pct] of [['服装', 100], ['配饰', 200]]) {
    const r = await both('category', () => ({ path: '/api/v1/product-categories', body: { name, points_multiplier_pct: pct } }));
    expectCreated('category', r);
    categories.push(ids(r));
  }
  const catalogue = [['D-TEE', 3900, 0], ['D-JEANS', 15900, 0], ['D-COAT', 49900, 0], ['D-SCARF', 8800, 1], ['D-CAP', 4500, 1], ['D-SOCKS', 1500, 1]];
  for (const [sku, price, cat] of catalogue) {
    const r = await both('product', (b) => ({ path: '/api/v1/products', body: { sku, name: sku, price, category_id: categories[cat][b] } }));
    expectCreated('product', r);
    products.push({ sku, price });
  }
  // A tier reached within the run (a discount and a points multiplier from then on); the grace
  // period outlasts the run, so no background review moves anyone down while it goes on.
  const tier = await both('tier', () => ({ path: '/api/v1/tiers', body: { code: 'dsilver', name: '差分银卡', rank: 1, qualify_by: 'spend',
    window_days: 365, threshold: 150000, discount_pct: 5, points_multiplier_pct: 150, grace_days: 365 } }));
  expectCreated('tier', tier);
  for (const body of [
    { name: '满100减15', kind: 'amount_off', amount_off: 1500, min_spend: 10000, valid_days: 365 },
    { name: '九折封顶30', kind: 'percent_off', percent_off: 10, max_discount: 3000, valid_days: 365 },
  ]) {
    const r = await both('coupon template', () => ({ path: '/api/v1/coupon-templates', body }));
    expectCreated('coupon template', r);
    templates.push(ids(r));
  }
  const g = await both('gift', () => ({ path: '/api/v1/gifts', body: { name: '保温杯', kind: 'goods', points: 800, stock: 1000000 } }));
  expectCreated('gift', g);
  gift = ids(g);
}

// ---- the workload ----

function chooseOp(rng, i) {
  if (members.length < 5 || rng.chance(Math.max(0.04, 0.3 - i / 500))) return 'member';
  const roll = rng.next();
  if (roll < 0.45) return 'sale';
  if (roll < 0.60) return sales.some((s) => s.status !== 'refunded') ? 'refund' : 'sale';
  if (roll < 0.72) return 'adjust';
  if (roll < 0.86) return 'issue';
  return 'redeem';
}

let phoneSeq = 0;
async function opMember(rng) {
  const referrer = members.length && rng.chance(0.15) ? rng.pick(members) : null;
  const store = rng.int(0, stores.length - 1);
  const gender = rng.pick(['male', 'female', 'unknown']);
  const n = ++phoneSeq;
  const r = await both('member.create', (b) => ({ path: '/api/v1/members', body: { phone: String(15000000000 + n), name: `差分会员${n}`,
    home_store_id: stores[store][b], gender, ...(referrer ? { referrer_id: referrer.ids[b] } : {}) } }));
  if (r.sqlite.status === 201 && r.postgres.status === 201) members.push({ ids: ids(r), coupons: [] });
}

async function opSale(rng) {
  const member = rng.chance(0.7) && members.length ? rng.pick(members) : null;
  const store = rng.int(0, stores.length - 1);
  const lines = [];
  for (const p of [...products].sort(() => rng.next() - 0.5).slice(0, rng.int(1, 3))) {
    const line = { sku: p.sku, quantity: rng.int(1, 3) };
    if (rng.chance(0.1)) line.discount = rng.int(1, 5) * 100;
    lines.push(line);
  }
  const usable = member ? member.coupons.filter((c) => !c.used) : [];
  const coupon = usable.length && rng.chance(0.5) ? rng.pick(usable) : null;
  const base = (b) => ({ store_id: stores[store][b], terminal: `T${store}`, lines,
    ...(member ? { member_id: member.ids[b] } : {}), ...(coupon ? { coupon_codes: [coupon.codes[b]] } : {}) });
  const quote = await both('sale.quote', (b) => ({ path: '/api/v1/sales/quote', body: base(b) }));
  if (quote.sqlite.status !== 200) {
    // A coupon that no longer applies: try the sale anyway, both must refuse alike.
    await both('sale.refused', (b) => ({ path: '/api/v1/sales', body: { ...base(b), payments: [{ method: 'cash', amount: 1 }] }, headers: { 'Idempotency-Key': randomUUID() } }));
    return;
  }
  let total = quote.sqlite.body.total;
  let points = 0;
  const max = quote.sqlite.body.max_redeemable_points || 0;
  if (member && max > 0 && rng.chance(0.35)) {
    points = rng.int(1, max);
    const q2 = await both('sale.quote_points', (b) => ({ path: '/api/v1/sales/quote', body: { ...base(b), points_redeemed: points } }));
    total = q2.sqlite.body?.total ?? total;
  }
  const cash = total > 1000 && rng.chance(0.3) ? rng.int(1, total - 1) : total;
  const payments = [{ method: rng.pick(['cash', 'wechat_pay', 'alipay', 'bank_card']), amount: cash }];
  if (cash < total) payments.push({ method: 'cash', amount: total - cash });
  const key = randomUUID();
  const r = await both('sale.create', (b) => ({ path: '/api/v1/sales', body: { ...base(b), ...(points ? { points_redeemed: points } : {}), payments },
    headers: { 'Idempotency-Key': key } }));
  if (r.sqlite.status === 201 && r.postgres.status === 201) {
    sales.push({ ids: ids(r), status: 'completed', coupon, lines: r.sqlite.body.lines.map((l) => ({ quantity: l.quantity, refunded: 0 })) });
    if (coupon) coupon.used = sales[sales.length - 1];
  }
}

async function opRefund(rng) {
  const open = sales.filter((s) => s.status !== 'refunded');
  const sale = rng.pick(open);
  const left = sale.lines.map((l, i) => ({ line_no: i + 1, left: l.quantity - l.refunded })).filter((l) => l.left > 0);
  const body = rng.chance(0.4) ? { reason: '整单退货' }
    : { reason: '部分退货', lines: [{ line_no: rng.pick(left).line_no, quantity: 1 }] };
  const key = randomUUID();
  const r = await both('refund', (b) => ({ path: `/api/v1/sales/${sale.ids[b]}/refunds`, body, headers: { 'Idempotency-Key': key } }));
  if (r.sqlite.status === 201 && r.postgres.status === 201) {
    refundsIdx.push({ ids: Object.fromEntries(backends.map((b) => [b, r[b].body.refund.id])) });
    sale.status = r.sqlite.body.sale.status;
    r.sqlite.body.sale.lines.forEach((l, i) => { sale.lines[i].refunded = l.refunded_quantity; });
    if (sale.status === 'refunded' && sale.coupon && sale.coupon.used === sale) sale.coupon.used = null;  // a whole refund gives it back
  }
}

async function opAdjust(rng) {
  const m = rng.pick(members);
  const points = rng.chance(0.7) ? rng.int(1, 50) * 10 : -rng.int(1, 30) * 10;
  await both('points.adjust', (b) => ({ path: `/api/v1/members/${m.ids[b]}/points/adjustments`, body: { points, reason: points > 0 ? '活动奖励' : '积分扣减' } }));
}

async function opIssue(rng) {
  const m = rng.pick(members);
  const t = rng.pick(templates);
  const r = await both('coupon.issue', (b) => ({ path: `/api/v1/coupon-templates/${t[b]}/issue`, body: { member_ids: [m.ids[b]] } }));
  if (r.sqlite.status !== 201 || r.postgres.status !== 201) return;
  const codes = {};
  for (const b of backends) {
    const couponId = r[b].body.items[0].coupon_id;
    const list = (await admins[b].get(`/api/v1/members/${m.ids[b]}/coupons?status=issued&limit=200`)).body.items;
    codes[b] = list.find((c) => c.id === couponId)?.code;
  }
  m.coupons.push({ codes, used: null });
}

async function opRedeem(rng) {
  const m = rng.pick(members);
  const store = rng.int(0, stores.length - 1);
  const key = randomUUID();
  const r = await both('gift.redeem', (b) => ({ path: `/api/v1/members/${m.ids[b]}/redemptions`, body: { gift_id: gift[b], quantity: 1, store_id: stores[store][b] },
    headers: { 'Idempotency-Key': key } }));
  if (r.sqlite.status === 201 && r.postgres.status === 201) redemptionsIdx.push({ ids: ids(r) });
}

// ---- the end state ----

async function fullLedger(b, memberId) {
  const items = [];
  let cursor = null;
  let balance;
  do {
    const r = await admins[b].get(`/api/v1/members/${memberId}/points?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    balance = r.body.balance;
    items.push(...r.body.items);
    cursor = r.body.next_cursor;
  } while (cursor);
  return { balance, items: items.reverse() };  // oldest first
}

function sourceIndex(b, type, id) {
  const list = { sale: sales, refund: refundsIdx, redemption: redemptionsIdx }[type];
  if (!list || id == null) return null;
  const i = list.findIndex((x) => x.ids[b] === id);
  return i < 0 ? `unknown ${type} ${id}` : `${type}#${i}`;
}

function storeIndex(b, id) {
  const i = stores.findIndex((s) => s[b] === id);
  return i < 0 ? id : `store#${i}`;
}

function normaliseReport(b, body) {
  const out = normalise(body);
  out.by_store = (body.by_store || []).map((s) => ({ ...normalise(s), store: storeIndex(b, s.store_id) }));
  out.by_category = (body.by_category || []).map((c) => normalise(c));
  return out;
}

const dayString = (unix) => new Date((unix + 8 * 3600) * 1000).toISOString().slice(0, 10);

test(`SQLite and PostgreSQL give identical ledgers, balances and daily reports for one seeded workload (${SIZE}: ${OPS} operations over ${DAYS} days)`,
  { skip: skipReason() }, async () => {
    const started = Date.now();
    await toDay(1);
    await setup();
    const rng = prng(SEED);
    const perDay = Math.ceil(OPS / DAYS);
    for (let i = 0; i < OPS; i++) {
      if (i > 0 && i % perDay === 0) await toDay(1 + i / perDay);
      const op = chooseOp(rng, i);
      if (op === 'member') await opMember(rng);
      else if (op === 'sale') await opSale(rng);
      else if (op === 'refund') await opRefund(rng);
      else if (op === 'adjust') await opAdjust(rng);
      else if (op === 'issue') await opIssue(rng);
      else await opRedeem(rng);
      if (mismatches.length > 50) break;
    }
    const workloadMs = Date.now() - started;

    // PostgreSQL's analytics reads receipts ≥ 2 s old: move both clocks on, then read.
    await Promise.all(backends.map((b) => admins[b].post('/api/v1/test/clock', { advance_seconds: 600 })));
    await sleep(2500);

    const rows = [];
    // Ledgers and balances, member by member.
    let ledgerEntries = 0;
    let ledgerDiffs = 0;
    let balanceDiffs = 0;
    const kinds = {};
    let inTier = 0;
    for (const [i, m] of members.entries()) {
      const view = {};
      const card = {};
      for (const b of backends) {
        const l = await fullLedger(b, m.ids[b]);
        view[b] = l.items.map((e) => [e.delta, e.balance_after, e.kind, e.reason, e.source_type, sourceIndex(b, e.source_type, e.source_id), storeIndex(b, e.store_id)]);
        const sum = l.items.reduce((s, e) => s + e.delta, 0);
        assert.equal(sum, l.balance, `${b}: member #${i} balance = ledger sum`);
        const mem = (await admins[b].get(`/api/v1/members/${m.ids[b]}`)).body;
        card[b] = { points_balance: mem.points_balance, ledger_balance: l.balance, total_spend: mem.total_spend, purchase_count: mem.purchase_count,
          average_order_value: mem.average_order_value, tier: mem.tier?.name ?? null };
      }
      ledgerEntries += view.sqlite.length;
      for (const e of view.sqlite) kinds[e[2]] = (kinds[e[2]] || 0) + 1;
      if (card.sqlite.tier) inTier++;
      if (JSON.stringify(view.sqlite) !== JSON.stringify(view.postgres)) {
        ledgerDiffs++;
        if (ledgerDiffs <= 5) mismatches.push({ op: `ledger of member #${i}`, sqlite: JSON.stringify(view.sqlite).slice(0, 400), postgres: JSON.stringify(view.postgres).slice(0, 400) });
      }
      if (JSON.stringify(card.sqlite) !== JSON.stringify(card.postgres)) {
        balanceDiffs++;
        if (balanceDiffs <= 5) mismatches.push({ op: `balances of member #${i}`, sqlite: JSON.stringify(card.sqlite), postgres: JSON.stringify(card.postgres) });
      }
    }
    rows.push({ compared: 'points ledgers (ordered entries)', items: `${members.length} members, ${ledgerEntries} entries`, differences: ledgerDiffs });
    rows.push({ compared: 'balances, spend, purchases, tier', items: `${members.length} members, ${inTier} reached the tier`, differences: balanceDiffs });

    // Stock per store and product.
    let stockDiffs = 0;
    for (const [i, s] of stores.entries()) {
      const view = {};
      for (const b of backends) {
        view[b] = (await admins[b].get(`/api/v1/stock?store_id=${s[b]}&limit=200`)).body.items.map((x) => [x.sku, x.quantity]).sort();
      }
      if (JSON.stringify(view.sqlite) !== JSON.stringify(view.postgres)) {
        stockDiffs++;
        mismatches.push({ op: `stock of store #${i}`, sqlite: JSON.stringify(view.sqlite), postgres: JSON.stringify(view.postgres) });
      }
    }
    rows.push({ compared: 'stock', items: `${stores.length} stores × ${products.length} products`, differences: stockDiffs });

    // The daily sales report: the chain, then each store.
    const from = dayString(ANCHOR + 86400);
    const to = dayString(ANCHOR + (DAYS + 1) * 86400);
    let reportDiffs = 0;
    let days = 0;
    let amount = 0;
    for (const scope of [null, ...stores.keys()]) {
      const view = {};
      for (const b of backends) {
        const q = `/api/v1/analytics/sales?from=${from}&to=${to}${scope === null ? '' : `&store_id=${stores[scope][b]}`}`;
        const r = await admins[b].get(q);
        assert.equal(r.status, 200, `${b} ${q}: ${r.text}`);
        view[b] = normaliseReport(b, r.body);
      }
      if (scope === null) {
        days = view.sqlite.by_day.filter((d) => d.transactions > 0).length;
        amount = view.sqlite.totals.amount;
      }
      if (JSON.stringify(view.sqlite) !== JSON.stringify(view.postgres)) {
        reportDiffs++;
        const dayDiff = view.sqlite.by_day.find((d, k) => JSON.stringify(d) !== JSON.stringify(view.postgres.by_day?.[k]));
        mismatches.push({ op: `sales report ${scope === null ? 'chain' : `store #${scope}`}`,
          sqlite: JSON.stringify(dayDiff ? { day: dayDiff } : view.sqlite.totals), postgres: JSON.stringify(dayDiff ? { day: view.postgres.by_day.find((d) => d.date === dayDiff.date) } : view.postgres.totals) });
      }
    }
    // The members report over the same days (registrations, buyers, splits).
    let memberReportDiffs = 0;
    for (const scope of [null, ...stores.keys()]) {
      const view = {};
      for (const b of backends) {
        const q = `/api/v1/analytics/members?from=${from}&to=${to}${scope === null ? '' : `&store_id=${stores[scope][b]}`}`;
        const r = await admins[b].get(q);
        assert.equal(r.status, 200, `${b} ${q}: ${r.text}`);
        view[b] = normalise(r.body);
      }
      if (JSON.stringify(view.sqlite) !== JSON.stringify(view.postgres)) {
        memberReportDiffs++;
        mismatches.push({ op: `members report ${scope === null ? 'chain' : `store #${scope}`}`, sqlite: JSON.stringify(view.sqlite).slice(0, 400), postgres: JSON.stringify(view.postgres).slice(0, 400) });
      }
    }
    rows.push({ compared: 'daily sales report (chain + each store)', items: `${from}..${to}, ${days} days with sales, ${amount} fen`, differences: reportDiffs });
    rows.push({ compared: 'members report (chain + each store)', items: `${from}..${to}`, differences: memberReportDiffs });
    rows.push({ compared: '(ledger entries by kind)', items: Object.entries(kinds).map(([k, n]) => `${k} ${n}`).join(', '), differences: '' });
    const answered = Object.values(counts).reduce((s, n) => s + n, 0);
    rows.push({ compared: 'every answer (status, errors, amounts)', items: `${answered} request pairs`, differences: mismatches.filter((m) => !/^(ledger|balances|stock|sales report|members report)/.test(m.op)).length });

    printTable(`differential SQLite vs PostgreSQL (${SIZE}: ${OPS} operations, ${DAYS} days, seed ${SEED}, workload ${Math.round(workloadMs / 1000)} s)`, rows);
    printTable('operations run (request pairs)', Object.entries(counts).map(([op, n]) => ({ op, n })));
    if (mismatches.length) printTable('differences (first 50)', mismatches.slice(0, 50));

    // The workload must have exercised what it claims to compare.
    assert.ok(sales.length > OPS / 10, `sales made: ${sales.length}`);
    assert.ok(refundsIdx.length > 0 && redemptionsIdx.length > 0, 'refunds and redemptions made');
    assert.ok(members.some((m) => m.coupons.some((c) => c.used)) || sales.some((s) => s.coupon), 'coupons used');
    assert.ok(days >= Math.min(DAYS, 5), `sales on ${days} different days`);
    assert.deepEqual(mismatches, [], 'SQLite and PostgreSQL agree on every answer and on the end state');
  });
