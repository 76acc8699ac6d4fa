// The permission matrix. docs/permissions.md documents which permissions each built-in role
// holds and whether it sees all stores; this test
//  (a) checks GET /api/v1/roles (and /permissions) against that table, exactly;
//  (b) calls every route of GET /api/v1/openapi.json as a staff member of each built-in role,
//      scoped to store A, on store A's records ("own") and on store B's ("other"), with fixture
//      ids and a minimal valid body, and asserts:
//        - a role without the route's permission gets 403 `forbidden` (never 2xx);
//        - a role with it never gets 403 on its own store's records;
//        - a role without all stores never gets 2xx on store B's records (404 or 403 for a record
//          in the path; any refusal for a store named in the body or query), and no answer it
//          gets ever contains store B's data (every store-B fixture carries the marker BLEAK);
//        - HQ admin's calls on store A succeed (2xx), which shows the bodies are valid, so the
//          refusals above are about permissions and stores, not bad input.
// Routes that destroy or change state (archive, merge, refund, void, delete, transitions …) get a
// fresh fixture for every allowed call. Public routes need no sign-in and are only listed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { TestServer } from '../support/server.mjs';
import { printTable } from '../support/reliability.mjs';

const DOC = new URL('../../docs/permissions.md', import.meta.url);
const MARK = 'BLEAK';
const PASSWORD = 'Counter#2026';

// ---- the documented table ----

export function parsePermissionDoc(text) {
  const lines = text.split('\n');
  const head = lines.findIndex((l) => /^\|\s*permission\s*\|\s*group\s*\|/.test(l) && l.includes('hq_admin'));
  if (head < 0) throw new Error('docs/permissions.md: no "| permission | group | <roles> |" table');
  const cells = (l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());
  const roleCodes = cells(lines[head]).slice(2);
  const roles = Object.fromEntries(roleCodes.map((c) => [c, { all_stores: null, permissions: new Set() }]));
  const permissions = [];
  for (let i = head + 2; i < lines.length && lines[i].startsWith('|'); i++) {
    const c = cells(lines[i]);
    if (/all stores/.test(c[0])) {
      roleCodes.forEach((r, k) => { roles[r].all_stores = c[2 + k] === 'yes'; });
      continue;
    }
    const code = c[0].replace(/`/g, '');
    permissions.push(code);
    roleCodes.forEach((r, k) => { if (c[2 + k] === '✓') roles[r].permissions.add(code); });
  }
  return { roles, permissions };
}

const doc = parsePermissionDoc(readFileSync(DOC, 'utf8'));
const ROLES = Object.keys(doc.roles);
const SHORT = { hq_admin: 'hq', regional_manager: 'rm', store_manager: 'sm', cashier: 'ca', guide: 'gu', marketer: 'mk', customer_service: 'cs', analyst: 'an' };

let server;
let admin;        // the init admin: makes the fixtures
let second;       // another HQ admin: approves campaigns the first one submitted
const staff = {}; // role code → {client, id, username}
const store = {}; // 'A' | 'B' → id
let roleIds;

before(async () => {
  server = await new TestServer().start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  roleIds = Object.fromEntries((await admin.get('/api/v1/roles')).body.items.map((r) => [r.code, r.id]));
});
after(async () => {
  await server?.stop();
});

test('GET /api/v1/roles matches docs/permissions.md exactly', async () => {
  const live = (await admin.get('/api/v1/roles')).body.items.filter((r) => r.builtin);
  const perms = (await admin.get('/api/v1/permissions')).body.items.map((p) => p.code);
  const rows = [];
  const problems = [];
  for (const code of new Set([...ROLES, ...live.map((r) => r.code)])) {
    const l = live.find((r) => r.code === code);
    const d = doc.roles[code];
    const row = { role: code, documented: d ? d.permissions.size : 'missing', server: l ? l.permissions.length : 'missing',
      all_stores: `${d?.all_stores ?? '-'} / ${l?.all_stores ?? '-'}`, only_in_doc: '', only_on_server: '' };
    if (l && d) {
      row.only_in_doc = [...d.permissions].filter((p) => !l.permissions.includes(p)).join(' ');
      row.only_on_server = l.permissions.filter((p) => !d.permissions.has(p)).join(' ');
      if (row.only_in_doc || row.only_on_server || l.all_stores !== d.all_stores) problems.push(code);
    } else {
      problems.push(code);
    }
    rows.push(row);
  }
  const undocumented = perms.filter((p) => !doc.permissions.includes(p));
  const unknown = doc.permissions.filter((p) => !perms.includes(p));
  rows.push({ role: '(GET /permissions)', documented: doc.permissions.length, server: perms.length, all_stores: '',
    only_in_doc: unknown.join(' '), only_on_server: undocumented.join(' ') });
  printTable('built-in roles: docs/permissions.md (documented) vs GET /api/v1/roles (server)', rows);
  assert.deepEqual({ problems, undocumented, unknown }, { problems: [], undocumented: [], unknown: [] },
    'docs/permissions.md and the server disagree (see the table)');
});

// ---- fixtures ----

let seq = 0;
let tierRank = 10;
const uniq = (p) => `${p}${Date.now() % 100000}${++seq}`;
let phone = 13700000000;
const nextPhone = () => String(++phone);
const inDays = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 19) + 'Z';
const chain = {};  // chain-wide fixtures made once
const shared = { A: {}, B: {} };

async function make(client, method, url, body, opts) {
  const r = await client.request(method, url, body, opts);
  if (r.status < 200 || r.status >= 300) throw new Error(`fixture ${method} ${url}: ${r.status} ${r.text}`);
  return r.body;
}
const label = (S, what) => (S === 'B' ? `${MARK}${what}` : `甲${what}`);

// Store-scoped fixtures, fresh on every call.
const factories = {
  async member(S, caller, extra = {}) {
    return make(admin, 'POST', '/api/v1/members', { phone: nextPhone(), name: label(S, '会员'), home_store_id: store[S],
      consents: { sms: true }, ...extra });
  },
  async staff(S) {
    const u = uniq('fx');
    return make(admin, 'POST', '/api/v1/staff', { username: u, name: label(S, '员工'), role_id: roleIds.guide, store_ids: [store[S]], password: 'Initial#2026' });
  },
  async sale(S) {
    const m = await factories.member(S);
    return make(admin, 'POST', '/api/v1/sales', { store_id: store[S], terminal: label(S, 'POS'), member_id: m.id,
      lines: [{ sku: chain.product.sku, quantity: 2 }], payments: [{ method: 'cash', amount: 2 * chain.product.price }] },
    { headers: { 'Idempotency-Key': randomUUID() } });
  },
  async coupon(S) {
    const m = await factories.member(S);
    const r = await make(admin, 'POST', `/api/v1/coupon-templates/${chain.couponTemplate.id}/issue`, { member_ids: [m.id] });
    return { id: r.items[0].coupon_id, member: m };
  },
  async redemption(S) {
    const m = await factories.member(S);
    await make(admin, 'POST', `/api/v1/members/${m.id}/points/adjustments`, { points: 1000, reason: '权限测试积分' });
    return make(admin, 'POST', `/api/v1/members/${m.id}/redemptions`, { gift_id: chain.gift.id, quantity: 1, store_id: store[S] });
  },
  async task(S, caller) {
    const body = { title: label(S, '任务'), store_id: store[S], due_at: inDays(3).slice(0, 10) };
    // Assigned to the caller when that is possible, so a role without tasks.manage can work on it.
    if (caller) {
      const r = await admin.post('/api/v1/tasks', { ...body, assignee_id: caller.id });
      if (r.status === 201) return r.body;
    }
    return make(admin, 'POST', '/api/v1/tasks', body);
  },
  async complaint(S) {
    return make(admin, 'POST', '/api/v1/complaints', { store_id: store[S], channel: 'phone', category: 'other', severity: 'low', description: label(S, '投诉：包装破损') });
  },
  async event(S) {
    return make(admin, 'POST', '/api/v1/events', { title: label(S, '活动'), store_id: store[S], starts_at: inDays(7), ends_at: inDays(7.1), capacity: 0 });
  },
  async target(S) {
    const n = ++seq;
    return make(admin, 'POST', '/api/v1/targets', { scope: 'store', subject_id: store[S], metric: 'sales', period: `${2030 + Math.floor(n / 12)}-${String(n % 12 + 1).padStart(2, '0')}`, target: 100000 });
  },
  async apiToken(S) {
    return make(admin, 'POST', '/api/v1/api-tokens', { name: label(S, '令牌'), store_id: store[S], permissions: ['members.read'] });
  },
  async store(S) {
    return (await admin.get(`/api/v1/stores/${store[S]}`)).body;
  },
  // Chain-wide kinds (the store does not matter).
  async campaign(S, caller, state = 'draft') {
    const c = await make(admin, 'POST', '/api/v1/campaigns', { name: uniq('权限活动'), channel: 'sms', template: '{name}您好', schedule: 'at',
      send_at: inDays(30), rules: { match: 'all', rules: [] } });
    if (state === 'draft') return c;
    const submitted = await make(admin, 'POST', `/api/v1/campaigns/${c.id}/submit`, {});
    if (state === 'pending_approval') return submitted;
    const approved = await make(second, 'POST', `/api/v1/campaigns/${c.id}/approve`, {});
    if (state === 'scheduled') return approved;
    return make(admin, 'POST', `/api/v1/campaigns/${c.id}/pause`, {});
  },
  async segment() {
    return make(admin, 'POST', '/api/v1/segments', { name: uniq('权限分群'), rules: { match: 'all', rules: [] } });
  },
  async tag() {
    return make(admin, 'POST', '/api/v1/tags', { group_id: chain.tagGroup.id, name: uniq('权限标签'), color: '#3366ff' });
  },
  async tagRule() {
    const t = await factories.tag();
    return make(admin, 'POST', '/api/v1/tag-rules', { tag_id: t.id, rules: { match: 'all', rules: [] }, enabled: false });
  },
  async customField() {
    return make(admin, 'POST', '/api/v1/custom-fields', { key: uniq('cf_'), label: '权限字段', type: 'text' });
  },
  async couponTemplate() {
    return make(admin, 'POST', '/api/v1/coupon-templates', { name: uniq('权限券'), kind: 'amount_off', amount_off: 100, valid_days: 30 });
  },
  async gift() {
    return make(admin, 'POST', '/api/v1/gifts', { name: uniq('权限礼品'), kind: 'voucher', partner: '权限', points: 10 });
  },
  async tier() {
    const n = ++tierRank;  // ranks are 1–100 and unique
    return make(admin, 'POST', '/api/v1/tiers', { code: `pt${n}`, name: uniq('权限等级'), rank: n, threshold: 10000000 + n });
  },
  async product() {
    return make(admin, 'POST', '/api/v1/products', { sku: uniq('PSKU'), name: '权限商品', price: 100 });
  },
  async category() {
    return make(admin, 'POST', '/api/v1/product-categories', { name: uniq('权限分类') });
  },
  async role() {
    return make(admin, 'POST', '/api/v1/roles', { code: uniq('prole'), name: uniq('权限角色'), permissions: ['members.read'], all_stores: false });
  },
  async webhook() {
    return make(admin, 'POST', '/api/v1/webhooks', { url: 'https://example.com/storecrm-hook', events: ['*'] });
  },
  async survey() {
    return make(admin, 'POST', '/api/v1/surveys', { title: uniq('权限问卷'), questions: [{ id: 'q1', kind: 'nps', text: '您会推荐我们吗？', required: true }], status: 'active' });
  },
};
const STORE_SCOPED = new Set(['member', 'staff', 'sale', 'coupon', 'redemption', 'task', 'complaint', 'event', 'target', 'apiToken', 'store']);
const KIND_OF = {
  members: 'member', staff: 'staff', sales: 'sale', coupons: 'coupon', redemptions: 'redemption', tasks: 'task', complaints: 'complaint',
  events: 'event', targets: 'target', 'api-tokens': 'apiToken', stores: 'store', campaigns: 'campaign', segments: 'segment', tags: 'tag',
  'tag-rules': 'tagRule', 'custom-fields': 'customField', 'coupon-templates': 'couponTemplate', gifts: 'gift', tiers: 'tier',
  products: 'product', 'product-categories': 'category', roles: 'role', webhooks: 'webhook', surveys: 'survey',
};

async function sharedFixture(kind, S) {
  const key = STORE_SCOPED.has(kind) ? S : 'A';
  if (!shared[key][kind]) shared[key][kind] = await factories[kind](key);
  return shared[key][kind];
}

// ---- recipes: a minimal valid request per route ----
// fixture(S, ctx) → the {id} record (default: the path's kind, fresh for writes);
// body/query(f, S, ctx) → request parts; refs: the request names store S in its body or query;
// expect: what HQ admin may get on store A other than 2xx (with the reason); extra: permissions
// the route needs besides its x-permission.
const sid = (S) => store[S];
const other = (S) => (S === 'A' ? 'B' : 'A');
const idem = () => ({ 'Idempotency-Key': randomUUID() });
// Lists: unfiltered on A (the server must leave B out by itself), filtered on store B on B.
const storeQuery = { query: (f, S) => (S === 'B' ? `store_id=${sid(S)}` : ''), refs: true };
const RECIPES = {
  // session and me
  'DELETE /api/v1/session': { session: 'ends', why: 'ends the caller\'s session: run last, then signed in again' },
  'PUT /api/v1/me/password': { body: () => ({ current_password: PASSWORD, new_password: PASSWORD }), expect: [400, 422], why: 'same password: refused or a no-op', session: 'revokes-others' },
  'PUT /api/v1/me/locale': { body: () => ({ locale: 'en' }) },
  'DELETE /api/v1/me/sessions': { why: 'signs out the caller\'s other sessions only' },
  'DELETE /api/v1/me/sessions/{id}': { fixture: (S, ctx) => ctx.extraSession(), session: 'extra', why: 'a second session of the caller, signed in for it' },
  // stores
  'POST /api/v1/stores': { body: () => ({ code: uniq('S'), name: uniq('权限店'), type: 'direct' }) },
  'PUT /api/v1/stores/{id}': { body: (f) => ({ name: f.id.name, version: f.id.version }) },
  // staff and roles
  'GET /api/v1/staff': storeQuery,
  'POST /api/v1/staff': { body: (f, S) => ({ username: uniq('u'), name: label(S, '新员工'), role_id: roleIds.guide, store_ids: [sid(S)], password: 'Initial#2026' }), refs: true },
  'PUT /api/v1/staff/{id}': { body: (f, S) => ({ name: label(S, '改名'), role_id: roleIds.guide, store_ids: [sid(S)], status: 'active', version: f.id.version }) },
  'POST /api/v1/staff/{id}/reset-password': { body: () => ({ password: 'Reset#2026ab' }) },
  'POST /api/v1/staff/{id}/handover': { body: async (f, S) => ({ to_staff_id: (await factories.staff(S)).id }) },
  'GET /api/v1/staff/options': storeQuery,
  'POST /api/v1/roles': { body: () => ({ code: uniq('r'), name: uniq('角色'), permissions: ['members.read'], all_stores: false }) },
  'PUT /api/v1/roles/{id}': { body: (f) => ({ name: f.id.name, permissions: ['members.read', 'stores.read'], all_stores: false, version: f.id.version }) },
  'POST /api/v1/api-tokens': { body: (f, S) => ({ name: uniq('令牌'), store_id: sid(S), permissions: ['members.read'] }), refs: true },
  // members
  'GET /api/v1/members': { ...storeQuery, control: true },
  'POST /api/v1/members': { body: (f, S) => ({ phone: nextPhone(), name: label(S, '新会员'), home_store_id: sid(S) }), refs: true },
  'PUT /api/v1/members/{id}': { body: (f) => ({ notes: '权限测试', version: f.id.version }) },
  'POST /api/v1/members/{id}/archive': { body: () => ({}) },
  'POST /api/v1/members/{id}/restore': { fixture: async (S) => { const m = await factories.member(S); return make(admin, 'POST', `/api/v1/members/${m.id}/archive`, {}); }, body: () => ({}) },
  'POST /api/v1/members/{id}/anonymize': { body: () => ({ confirm: true }) },
  'POST /api/v1/members/{id}/merge': { body: async (f, S) => ({ other_id: (await factories.member(S)).id, fields: {}, version: f.id.version }) },
  'POST /api/v1/members/bulk-tags': { body: async (f, S) => ({ member_ids: [(await sharedFixture('member', S)).id], add: [chain.tag.id] }), refs: true },
  'GET /api/v1/members/export.csv': storeQuery,
  'POST /api/v1/members/{id}/checkins': { body: () => ({}) },
  'POST /api/v1/members/{id}/interactions': { fresh: false, body: () => ({ channel: 'phone', direction: 'outbound', summary: '权限回访' }) },
  'POST /api/v1/members/{id}/points/adjustments': { fresh: false, body: () => ({ points: 1, reason: '权限测试' }) },
  'POST /api/v1/members/{id}/redemptions': { fresh: false, body: (f, S) => ({ gift_id: chain.goods.id, quantity: 1, store_id: sid(S) }), headers: idem },
  'GET /api/v1/members/{id}/prediction': { expect: 'any', why: 'a fresh database may have no model' },
  // tags and fields
  'POST /api/v1/tag-groups': { body: () => ({ name: uniq('权限组') }) },
  'POST /api/v1/tags': { body: () => ({ group_id: chain.tagGroup.id, name: uniq('标签'), color: '#ff6600' }) },
  'PUT /api/v1/tags/{id}': { body: () => ({ name: uniq('改名标签') }) },
  'POST /api/v1/custom-fields': { body: () => ({ key: uniq('k'), label: '权限', type: 'text' }) },
  'PUT /api/v1/custom-fields/{id}': { body: (f) => ({ label: '改名字段', version: f.id.version }) },
  // products and stock
  'POST /api/v1/products': { body: () => ({ sku: uniq('SKU'), name: '权限商品', price: 100 }) },
  'PUT /api/v1/products/{id}': { body: (f) => ({ price: 200, version: f.id.version }) },
  'POST /api/v1/products/import': { raw: () => `sku,name,price\r\n${uniq('IMP')},导入商品,100\r\n`, contentType: 'text/csv' },
  'GET /api/v1/products/lookup': { query: () => `code=${chain.product.sku}` },
  'POST /api/v1/product-categories': { body: () => ({ name: uniq('分类') }) },
  'PUT /api/v1/product-categories/{id}': { body: (f) => ({ name: uniq('改名分类'), version: f.id.version }) },
  'GET /api/v1/stock': { query: (f, S) => `store_id=${sid(S)}`, refs: true },
  'GET /api/v1/stock/movements': { query: (f, S) => `store_id=${sid(S)}&product_id=${chain.product.id}`, refs: true },
  'POST /api/v1/stock/adjustments': { body: (f, S) => ({ store_id: sid(S), product_id: chain.product.id, quantity: 1, low_threshold: 0, note: '权限测试' }), refs: true },
  // From S to the other store: on A it names B as the receiver (no scope rule asserted); on B
  // it takes stock out of B, which an A-only role must not do.
  'POST /api/v1/stock/transfers': { body: (f, S) => ({ from_store_id: sid(S), to_store_id: sid(other(S)), product_id: chain.product.id, quantity: 1, note: '权限测试' }),
    refs: true, namesOther: true },
  // sales
  'GET /api/v1/sales': { ...storeQuery, control: true },
  'POST /api/v1/sales': { body: (f, S) => ({ store_id: sid(S), terminal: label(S, 'T'), lines: [{ sku: chain.product.sku, quantity: 1 }],
    payments: [{ method: 'cash', amount: chain.product.price }] }), headers: idem, refs: true },
  'POST /api/v1/sales/quote': { body: (f, S) => ({ store_id: sid(S), lines: [{ sku: chain.product.sku, quantity: 1 }] }), refs: true },
  'POST /api/v1/sales/{id}/refunds': { body: () => ({ reason: '权限测试' }), headers: idem },
  'GET /api/v1/receipt-template': { query: (f, S) => `store_id=${sid(S)}`, refs: true },
  'PUT /api/v1/receipt-template': { query: (f, S) => `store_id=${sid(S)}`, body: () => ({ header: '欢迎光临' }), refs: true },
  // loyalty
  'PUT /api/v1/loyalty/settings': { body: () => ({ registration_points: 0 }) },
  'POST /api/v1/tiers': { body: () => { const n = ++tierRank; return { code: `nt${n}`, name: uniq('新等级'), rank: n, threshold: 20000000 + n }; } },
  'PUT /api/v1/tiers/{id}': { body: (f) => ({ name: uniq('改名等级'), version: f.id.version }) },
  'POST /api/v1/coupon-templates': { body: () => ({ name: uniq('新券'), kind: 'amount_off', amount_off: 100, valid_days: 30 }) },
  'PUT /api/v1/coupon-templates/{id}': { body: (f) => ({ name: uniq('改名券'), version: f.id.version }) },
  'POST /api/v1/coupon-templates/{id}/issue': { fixture: () => chain.couponTemplate, body: async (f, S) => ({ member_ids: [(await factories.member(S)).id] }), refs: true },
  'POST /api/v1/coupons/{id}/void': { body: () => ({}) },
  'POST /api/v1/gifts': { body: () => ({ name: uniq('新礼品'), kind: 'goods', points: 10, stock: 10 }) },
  'PUT /api/v1/gifts/{id}': { body: (f) => ({ name: uniq('改名礼品'), version: f.id.version }) },
  'POST /api/v1/gifts/{id}/voucher-codes': { body: () => ({ codes: [uniq('V-')] }) },
  'POST /api/v1/redemptions/{id}/cancel': { body: () => ({}) },
  // service
  'GET /api/v1/tasks': storeQuery,
  'POST /api/v1/tasks': { body: (f, S) => ({ title: label(S, '新任务'), store_id: sid(S), due_at: inDays(2).slice(0, 10) }), refs: true },
  'PUT /api/v1/tasks/{id}': { body: (f) => ({ title: '改名任务', version: f.id.version }) },
  'POST /api/v1/tasks/{id}/complete': { body: (f) => ({ status: 'done', outcome: '已完成', version: f.id.version }) },
  'GET /api/v1/complaints': { ...storeQuery, control: true },
  'POST /api/v1/complaints': { body: (f, S) => ({ store_id: sid(S), channel: 'phone', category: 'other', severity: 'low', description: label(S, '新投诉') }), refs: true },
  'GET /api/v1/complaints/report': storeQuery,
  'POST /api/v1/complaints/{id}/transition': { body: (f) => ({ to: 'acknowledged', version: f.id.version }) },
  'POST /api/v1/complaints/{id}/assign': { body: (f) => ({ assignee_id: chain.adminId, version: f.id.version }) },
  'POST /api/v1/complaints/{id}/notes': { body: () => ({ note: '权限测试备注' }) },
  'PUT /api/v1/service/settings': { body: async () => ({ birthday_days_ahead: 3, version: (await admin.get('/api/v1/service/settings')).body.version }) },
  'POST /api/v1/surveys': { body: () => ({ title: uniq('新问卷'), questions: [{ id: 'q1', kind: 'csat', text: '满意吗？', required: true }] }) },
  'PUT /api/v1/surveys/{id}': { body: (f) => ({ title: uniq('改名问卷'), version: f.id.version }) },
  'POST /api/v1/surveys/{id}/links': { fresh: false, body: (f, S) => ({ store_id: sid(S) }), refs: true },
  'GET /api/v1/events': { ...storeQuery, control: true },
  'POST /api/v1/events': { body: (f, S) => ({ title: label(S, '新活动'), store_id: sid(S), starts_at: inDays(9), ends_at: inDays(9.1) }), refs: true },
  'PUT /api/v1/events/{id}': { body: (f) => ({ title: '改名活动', version: f.id.version }) },
  'POST /api/v1/events/{id}/invitations': { body: async (f, S) => ({ member_ids: [(await factories.member(S)).id] }) },
  'POST /api/v1/events/{id}/registrations': { body: async (f, S) => ({ member_id: (await factories.member(S)).id }) },
  'POST /api/v1/events/{id}/checkins': { body: async (f, S) => ({ member_id: (await factories.member(S)).id }) },
  'DELETE /api/v1/events/{id}/registrations/{member_id}': {
    fixture: async (S) => { const e = await factories.event(S); const m = await factories.member(S); await make(admin, 'POST', `/api/v1/events/${e.id}/registrations`, { member_id: m.id }); return { ...e, member: m }; },
    params: { member_id: (f) => f.id.member?.id ?? 999999999 } },
  'POST /api/v1/deletion-requests/{id}/decide': { fixture: () => ({ id: 999999999 }), body: () => ({ approve: false, note: '权限测试' }), expect: [404], why: 'no deletion request to decide (made by a member through the portal): a non-existent id' },
  'POST /api/v1/jobs/{name}/run': { params: { name: () => 'coupons.expire' }, body: () => ({}) },
  'POST /api/v1/analytics/rebuild': { body: () => ({}) },
  // marketing
  'POST /api/v1/segments': { body: () => ({ name: uniq('新分群'), rules: { match: 'all', rules: [] } }) },
  'PUT /api/v1/segments/{id}': { body: (f) => ({ name: uniq('改名分群'), version: f.id.version }) },
  'POST /api/v1/segments/count': { body: () => ({ rules: { match: 'all', rules: [] } }) },
  'POST /api/v1/segments/{id}/tag': { fresh: false, body: () => ({ tag_id: chain.tag.id }), extra: ['tags.manage'] },
  'GET /api/v1/segments/{id}/export': { query: () => 'format=csv', extra: ['members.export'] },
  'POST /api/v1/tag-rules': { body: async () => ({ tag_id: (await factories.tag()).id, rules: { match: 'all', rules: [] }, enabled: false }) },
  'PUT /api/v1/tag-rules/{id}': { body: (f) => ({ enabled: false, version: f.id.version }) },
  'POST /api/v1/tag-rules/{id}/run': { fresh: false, body: () => ({}) },
  'POST /api/v1/campaigns': { body: () => ({ name: uniq('新活动'), channel: 'sms', template: '{name}您好', schedule: 'at', send_at: inDays(30), rules: { match: 'all', rules: [] } }) },
  'PUT /api/v1/campaigns/{id}': { body: (f) => ({ name: uniq('改名营销'), version: f.id.version }) },
  'POST /api/v1/campaigns/{id}/submit': { body: () => ({}) },
  'POST /api/v1/campaigns/{id}/approve': { fixture: (S, ctx) => factories.campaign(S, ctx.caller, 'pending_approval'), body: () => ({}) },
  'POST /api/v1/campaigns/{id}/reject': { fixture: (S, ctx) => factories.campaign(S, ctx.caller, 'pending_approval'), body: () => ({}) },
  'POST /api/v1/campaigns/{id}/pause': { fixture: (S, ctx) => factories.campaign(S, ctx.caller, 'scheduled'), body: () => ({}) },
  'POST /api/v1/campaigns/{id}/resume': { fixture: (S, ctx) => factories.campaign(S, ctx.caller, 'paused'), body: () => ({}) },
  'POST /api/v1/campaigns/{id}/cancel': { fixture: (S, ctx) => factories.campaign(S, ctx.caller, 'scheduled'), body: () => ({}) },
  'POST /api/v1/campaigns/{id}/test': { fresh: false, body: () => ({ to: '13800138000' }) },
  'PUT /api/v1/marketing/settings': { body: async () => ({ approval_threshold: 0, version: (await admin.get('/api/v1/marketing/settings')).body.version }) },
  'POST /api/v1/webhooks': { body: () => ({ url: 'https://example.com/storecrm-hook2', events: ['sale.completed'] }) },
  'PUT /api/v1/webhooks/{id}': { body: (f) => ({ url: 'https://example.com/storecrm-hook3', events: ['*'], version: f.id.version }) },
  'POST /api/v1/webhooks/{id}/test': { fresh: false, body: () => ({}) },
  'POST /api/v1/webhooks/{id}/rotate-secret': { body: () => ({ keep_previous_hours: 1 }) },
  'GET /api/v1/targets': { query: () => 'period=2026' },
  'POST /api/v1/targets': { body: (f, S) => ({ scope: 'store', subject_id: sid(S), metric: 'new_members', period: '2026', target: 100 }), refs: true },
  // analytics: every report by store
  'GET /api/v1/analytics/clusters': { ...storeQuery, expect: [400], why: 'fewer than 10 buying members' },
  'GET /api/v1/analytics/prediction': { ...storeQuery, expect: [400], why: 'fewer than 10 buying members' },
  // the next release (backups, imports, privacy, two-factor): used when the server has them
  'POST /api/v1/me/totp/enable': { body: () => ({ code: '000000' }), expect: [400], why: 'no authenticator: a wrong code' },
  'DELETE /api/v1/me/totp': { body: () => ({ password: PASSWORD }), expect: 'any', why: 'two-factor sign-in is not on' },
  'PUT /api/v1/system/backups/settings': { body: () => ({ hour_local: 3, retention: { daily: 7, weekly: 4, monthly: 12 } }) },
  'POST /api/v1/system/backups': { body: () => ({}), expect: [409], why: 'another backup may still be running' },
  'POST /api/v1/imports': { query: () => 'kind=members&dry_run=true&file_name=m.csv', raw: () => 'phone,name\r\n13912345678,导入\r\n', contentType: 'text/csv', extra: ['members.create'] },
  'GET /api/v1/imports/template': { query: () => 'kind=members' },
  'PUT /api/v1/privacy/retention': { body: () => ({ enabled: false, inactive_years: 5 }) },
  'GET /api/v1/members/{id}/data-copy': { extra: ['members.pii'] },
  'POST /api/v1/segments/from-cluster': { body: () => ({ cluster_id: 1, name: uniq('聚类分群') }), extra: ['tags.manage'], expect: [400], why: 'fewer than 10 buying members to cluster' },
};
for (const route of ['rfm', 'rfm/members', 'sales', 'cohorts', 'members', 'baskets', 'correlation', 'satisfaction', 'staff', 'sequences', 'forecast']) {
  RECIPES[`GET /api/v1/analytics/${route}`] ||= storeQuery;
}

// ---- the matrix ----

// True when a JSON answer holds a record of store `id` (store_id, home_store_id, from/to_store_id
// or store_ids naming it).
function mentionsStore(v, id) {
  if (Array.isArray(v)) return v.some((x) => mentionsStore(x, id));
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (['store_id', 'home_store_id', 'from_store_id', 'to_store_id'].includes(k) && x === id) return true;
      if (k === 'store_ids' && Array.isArray(x) && x.includes(id)) return true;
      if (mentionsStore(x, id)) return true;
    }
  }
  return false;
}

async function signInRole(code) {
  const username = `authz_${code}`;
  if (!staff[code]) {
    const client = await server.staffWithRole(admin, username, code, [store.A]);
    const me = (await client.get('/api/v1/me')).body;
    staff[code] = { client, id: me.user.id, username };
  } else {
    staff[code].client = await server.signIn(username, PASSWORD, { lang: 'en' });
  }
  return staff[code];
}

test('every route × every built-in role × own store / other store: permissions and store scope hold', async () => {
  const spec = (await admin.get('/api/v1/openapi.json')).body;
  second = await server.staffWithRole(admin, 'authz_second_hq', 'hq_admin', []);
  store.A = (await admin.post('/api/v1/stores', { code: 'ZA', name: '甲店', type: 'direct', region: '华东' })).body.id;
  store.B = (await admin.post('/api/v1/stores', { code: 'ZB', name: `${MARK}乙店`, type: 'direct', region: '华南' })).body.id;
  assert.ok(store.A && store.B);
  chain.adminId = (await admin.get('/api/v1/me')).body.user.id;
  chain.product = await make(admin, 'POST', '/api/v1/products', { sku: 'AZ-1', name: '权限测试商品', price: 1000 });
  chain.couponTemplate = await factories.couponTemplate();
  chain.goods = await make(admin, 'POST', '/api/v1/gifts', { name: '权限杯', kind: 'goods', points: 1, stock: 100000 });
  chain.gift = chain.goods;
  chain.tagGroup = await make(admin, 'POST', '/api/v1/tag-groups', { name: uniq('权限组') });
  chain.tag = await factories.tag();
  const ms = (await admin.get('/api/v1/marketing/settings')).body;
  await make(admin, 'PUT', '/api/v1/marketing/settings', { version: ms.version, approval_threshold: 0 });
  for (const S of ['A', 'B']) {
    const m = await sharedFixture('member', S);
    await make(admin, 'POST', `/api/v1/members/${m.id}/points/adjustments`, { points: 100000, reason: '权限测试积分' });
    for (const k of ['sale', 'coupon', 'redemption', 'task', 'complaint', 'event', 'staff', 'target']) await sharedFixture(k, S);
  }
  for (const code of ROLES) await signInRole(code);

  const routes = [];
  for (const [p, ops] of Object.entries(spec.paths)) {
    for (const [m, op] of Object.entries(ops)) routes.push({ method: m.toUpperCase(), path: p, permission: op['x-permission'] });
  }
  routes.sort((a, b) => (a.path + a.method).localeCompare(b.path + b.method));
  // Session-ending routes last, so their sign-outs do not cut the others short.
  const lastOrder = (r) => (RECIPES[`${r.method} ${r.path}`]?.session === 'ends' ? 1 : 0);
  routes.sort((a, b) => lastOrder(a) - lastOrder(b));

  const rows = [];
  const violations = [];
  const checkedCalls = { total: 0 };
  for (const route of routes) {
    const key = `${route.method} ${route.path}`;
    const recipe = RECIPES[key] || {};
    if (!route.permission) {
      rows.push({ route: key, permission: 'public', own_A: '', other_B: '', note: 'public: no sign-in, nothing to check' });
      continue;
    }
    const params = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    const seg = route.path.match(/\/api\/v1\/([^/]+)\/\{id\}/)?.[1];
    const kind = params.includes('id') ? (route.path.startsWith('/api/v1/me/') ? 'session' : KIND_OF[seg]) : null;
    const scoped = kind && STORE_SCOPED.has(kind);
    const refsStore = Boolean(scoped || recipe.refs);
    const needs = route.permission === 'signed-in' ? [] : [route.permission, ...(recipe.extra || [])];
    const line = { A: [], B: [] };
    for (const S of refsStore ? ['A', 'B'] : ['A']) {
      for (const code of ROLES) {
        const role = doc.roles[code];
        const holds = needs.every((p) => role.permissions.has(p));
        const me = staff[code];
        const ctx = {
          caller: me,
          extraSession: async () => {
            const extra = await server.signIn(me.username, PASSWORD, { lang: 'en' });
            return { id: (await extra.get('/api/v1/me/sessions')).body.items.find((s) => s.current).id };
          },
        };
        // The {id} record: fresh for an allowed write, else the shared one (or a non-existent id).
        const fresh = holds && route.method !== 'GET' && recipe.fresh !== false;
        let f = {};
        let url = route.path;
        try {
          for (const p of params) {
            if (p === 'id') {
              if (recipe.fixture && (holds || recipe.session === 'extra')) f.id = await recipe.fixture(S, ctx);
              else if (recipe.fixture && !holds) f.id = { id: 999999999 };
              else if (kind && factories[kind]) f.id = fresh ? await factories[kind](S, me) : await sharedFixture(kind, S);
              else f.id = { id: 999999999 };
              url = url.replace('{id}', f.id.id);
            } else if (recipe.params?.[p]) {
              url = url.replace(`{${p}}`, encodeURIComponent(recipe.params[p](f)));
            } else if (p === 'member_id') {
              url = url.replace('{member_id}', (await sharedFixture('member', S)).id);
            } else {
              url = url.replace(`{${p}}`, '999999999');
            }
          }
        } catch (e) {
          violations.push({ route: key, role: code, store: S, status: 'fixture', rule: 'could not make the fixture', answer: String(e.message).slice(0, 200) });
          line[S].push(`${SHORT[code]}:fx!`);
          continue;
        }
        const query = recipe.query ? recipe.query(f, S, ctx) : '';
        if (query) url += (url.includes('?') ? '&' : '?') + query;
        const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
        const body = recipe.body ? await recipe.body(f, S, ctx) : hasBody && !recipe.raw ? {} : undefined;
        const headers = { ...(recipe.headers ? recipe.headers() : {}) };
        let raw;
        if (recipe.raw) { raw = recipe.raw(); headers['Content-Type'] = recipe.contentType; }
        const r = await me.client.request(route.method, url, raw !== undefined ? undefined : body, { headers, raw });
        checkedCalls.total++;
        if (recipe.session === 'ends' || r.status === 401) await signInRole(code);  // signed out: sign in again
        const code403 = r.body?.error?.code;
        const ok = r.status >= 200 && r.status < 300;
        const where = `${key} as ${code} on store ${S} (${url})`;
        const fail = (rule) => violations.push({ route: key, role: code, store: S, status: r.status, rule, answer: r.text.slice(0, 200) });
        if (!holds) {
          if (r.status !== 403 || code403 !== 'forbidden') fail(`lacks ${needs.join('+')}: expected 403 forbidden${ok ? ' — UNEXPECTED ALLOW' : ''}`);
        } else {
          const own = S === 'A' || role.all_stores;
          if (own && r.status === 403) fail(`holds ${needs.join('+') || 'signed-in'}: 403 ${code403} on ${S === 'A' ? 'its own store' : 'a store it sees (all stores)'}`);
          if (!own) {
            // A record of store B in the path: refused. A write naming store B: refused. A read
            // filtered on store B may answer (an empty list, a report without B) but the leak
            // checks below must find none of B's data in it.
            if (scoped && ![403, 404].includes(r.status)) fail(`no all_stores: store B's ${kind} in the path should be 404 or 403${ok ? ' — UNEXPECTED ALLOW' : ''}`);
            else if (!scoped && ok && route.method !== 'GET') fail('no all_stores: 2xx writing with store B named in the request — UNEXPECTED ALLOW');
          }
          if (code === 'hq_admin' && S === 'A' && RECIPES[key] !== undefined && !ok) {
            const allowed = recipe.expect === 'any' || (Array.isArray(recipe.expect) && recipe.expect.includes(r.status));
            if (!allowed) fail(`HQ admin on store A should succeed (the recipe's body is valid): ${where}`);
          }
        }
        // Positive control: HQ admin's unfiltered list shows store B's records, so the leak
        // check below can see them when they reach a role that must not.
        if (recipe.control && code === 'hq_admin' && S === 'A' && !r.text.includes(MARK)) fail(`positive control: HQ admin's list shows no ${MARK} record, the leak check would be blind`);
        // Nothing of store B ever reaches a role that does not see store B.
        if (!role.all_stores && ok && !(recipe.namesOther && S === 'A')) {
          if (r.text.includes(MARK)) fail(`no all_stores: the answer contains store B's data (${MARK}) — LEAK`);
          else if (r.body && mentionsStore(r.body, store.B)) fail(`no all_stores: the answer holds a record of store B (store_id ${store.B}) — LEAK`);
        }
        line[S].push(`${SHORT[code]}:${r.status}`);
      }
    }
    const noteParts = [];
    if (!RECIPES[key]) noteParts.push(route.method === 'GET' ? 'no recipe (plain GET)' : 'no recipe: {} body');
    if (recipe.why) noteParts.push(recipe.why);
    if (!refsStore) noteParts.push('chain-wide: own store only');
    else if (scoped) noteParts.push(`${kind} of the store in the path${route.method !== 'GET' && recipe.fresh !== false ? ', fresh per allowed call' : ''}`);
    else noteParts.push('store named in body/query');
    if (recipe.extra) noteParts.push(`also needs ${recipe.extra.join(', ')}`);
    rows.push({ route: key, permission: route.permission + (recipe.extra ? `+${recipe.extra.join('+')}` : ''), own_A: line.A.join(' '), other_B: line.B.join(' '), note: noteParts.join('; ') });
  }
  // A last sweep of every list and report (GET without ids) now that the writes above made
  // more records of store B (handovers, audit entries, interactions …): still none of B's data
  // for a role without all stores.
  const sweep = [];
  for (const route of routes.filter((r) => r.method === 'GET' && r.permission && !r.path.includes('{'))) {
    const key = `${route.method} ${route.path}`;
    const needs = route.permission === 'signed-in' ? [] : [route.permission, ...(RECIPES[key]?.extra || [])];
    const q = RECIPES[key]?.query ? RECIPES[key].query({}, 'A', {}) : '';
    for (const code of ROLES.filter((c) => !doc.roles[c].all_stores && needs.every((p) => doc.roles[c].permissions.has(p)))) {
      const r = await staff[code].client.get(route.path + (q ? `?${q}` : ''));
      checkedCalls.total++;
      const leak = r.status >= 200 && r.status < 300 && (r.text.includes(MARK) || (r.body && mentionsStore(r.body, store.B)));
      if (leak) violations.push({ route: key, role: code, store: 'A', status: r.status, rule: `final sweep: the answer contains store B's data — LEAK`, answer: r.text.slice(0, 200) });
      sweep.push(`${SHORT[code]}:${r.status}${leak ? '!' : ''}`);
    }
  }
  rows.push({ route: '(final sweep of every GET list/report)', permission: '', own_A: `${sweep.length} calls, ${sweep.filter((x) => x.endsWith('!')).length} leaks`, other_B: '', note: 'roles without all stores, after all writes' });
  printTable(`permission matrix (${server.backend}): ${routes.length} routes, ${checkedCalls.total} calls; role:status, hq=hq_admin rm=regional_manager sm=store_manager ca=cashier gu=guide mk=marketer cs=customer_service an=analyst`, rows);
  if (violations.length) printTable('permission matrix: violations', violations);
  assert.ok(checkedCalls.total > ROLES.length * 100, `the matrix made ${checkedCalls.total} calls`);
  assert.deepEqual(violations.map((v) => `${v.route} as ${v.role} on ${v.store}: ${v.status} — ${v.rule}`), [], 'no unexpected allows, no wrong refusals, no leaks');
});
