// The happy path of the admin routes not covered elsewhere, and store scope on staff.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, fieldError } from '../support/server.mjs';

let server;
let admin;

before(async () => {
  server = await new TestServer().start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
});
after(() => server.stop());

test('stores: create, read, list with filters, update with version', async () => {
  const s = await admin.post('/api/v1/stores', { code: 'GZ01', name: '广州店', type: 'franchise', region: '华南', timezone: 'Asia/Shanghai' });
  assert.equal(s.status, 201);
  assert.equal(s.body.type, 'franchise');
  assert.equal((await admin.get(`/api/v1/stores/${s.body.id}`)).body.code, 'GZ01');
  assert.equal((await admin.get('/api/v1/stores?region=华南')).body.total, 1);
  assert.equal((await admin.get('/api/v1/stores?q=gz')).body.total, 1);
  const up = await admin.put(`/api/v1/stores/${s.body.id}`, { version: 1, name: '广州天河店', status: 'closed' });
  assert.equal(up.body.name, '广州天河店');
  assert.equal(up.body.status, 'closed');
  const stale = await admin.put(`/api/v1/stores/${s.body.id}`, { version: 1, name: 'x' });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.current.name, '广州天河店');
  const tz = await admin.put(`/api/v1/stores/${s.body.id}`, { version: 2, timezone: 'Mars/Olympus' });
  assert.match(fieldError(tz, 'timezone'), /Invalid time zone/);
  const dup = await admin.post('/api/v1/stores', { code: 'GZ01', name: 'x', type: 'direct' });
  assert.equal(dup.status, 409);
  assert.equal(fieldError(dup, 'code'), 'This code is already in use');
  assert.equal((await admin.get('/api/v1/stores/999999')).status, 404);
});

test('staff: create, list, edit, disable, reset password; scope hides other stores’ staff', async () => {
  const roles = (await admin.get('/api/v1/roles')).body.items;
  const manager = roles.find((r) => r.code === 'store_manager').id;
  const a = (await admin.post('/api/v1/stores', { code: 'SA', name: 'A', type: 'direct' })).body.id;
  const b = (await admin.post('/api/v1/stores', { code: 'SB', name: 'B', type: 'direct' })).body.id;
  const alice = (await admin.post('/api/v1/staff', { username: 'alice', name: 'Alice', role_id: manager, store_ids: [a], password: 'Initial#2026' })).body;
  assert.equal(alice.must_change_password, true);
  assert.deepEqual(alice.store_ids, [a]);
  const bob = (await admin.post('/api/v1/staff', { username: 'bob', name: 'Bob', role_id: manager, store_ids: [b], password: 'Initial#2026' })).body;
  assert.equal((await admin.get(`/api/v1/staff?store_id=${a}`)).body.items.map((s) => s.username).join(), 'alice');
  const taken = await admin.post('/api/v1/staff', { username: 'ALICE', name: 'x', role_id: manager, password: 'Initial#2026' });
  assert.equal(fieldError(taken, 'username'), 'This username is already taken');
  const edited = await admin.put(`/api/v1/staff/${alice.id}`, { version: alice.version, name: 'Alice Wang', store_ids: [a, b] });
  assert.equal(edited.body.name, 'Alice Wang');
  assert.deepEqual(edited.body.store_ids, [a, b]);
  const disabled = await admin.put(`/api/v1/staff/${bob.id}`, { version: bob.version, status: 'disabled' });
  assert.equal(disabled.body.status, 'disabled');
  const refused = await server.client({ lang: 'en' }).signIn('bob', 'Initial#2026');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.message, 'This account is disabled');
  const reset = await admin.post(`/api/v1/staff/${alice.id}/reset-password`, { password: 'Reset#2026x' });
  assert.equal(reset.body.must_change_password, true);
  assert.equal((await server.client().signIn('alice', 'Reset#2026x')).status, 200);
  const self = await admin.put('/api/v1/staff/1', { version: 1, status: 'disabled' });
  assert.equal(fieldError(self, 'status'), 'You cannot disable your own account');
  // A store-scoped admin role sees only staff of its stores.
  const scoped = (await admin.post('/api/v1/roles', { code: 'store_admin', name: '门店管理员', permissions: ['staff.manage'] })).body;
  await admin.post('/api/v1/staff', { username: 'carol', name: 'Carol', role_id: scoped.id, store_ids: [b], password: 'Initial#2026' });
  const carol = await server.signIn('carol', 'Initial#2026', { lang: 'en' });
  await carol.put('/api/v1/me/password', { current_password: 'Initial#2026', new_password: 'Counter#2026' });
  const seen = (await carol.get('/api/v1/staff')).body.items.map((s) => s.username).sort();
  assert.deepEqual(seen, ['alice', 'bob', 'carol']);
  const onlyA = (await admin.post('/api/v1/staff', { username: 'dave', name: 'Dave', role_id: manager, store_ids: [a], password: 'Initial#2026' })).body;
  assert.equal((await carol.get(`/api/v1/staff/${onlyA.id}`)).status, 404);
  const outside = await carol.post('/api/v1/staff', { username: 'erin', name: 'Erin', role_id: manager, store_ids: [a], password: 'Initial#2026' });
  assert.equal(fieldError(outside, 'store_ids'), 'You cannot use this store');
});

test('roles and the permission catalog', async () => {
  const perms = await admin.get('/api/v1/permissions');
  assert.ok(perms.body.items.some((p) => p.code === 'members.pii' && p.name === 'See full personal data'));
  const roles = (await admin.get('/api/v1/roles')).body.items;
  assert.deepEqual(roles.filter((r) => r.builtin).map((r) => r.code).sort(),
    ['analyst', 'cashier', 'customer_service', 'guide', 'hq_admin', 'marketer', 'regional_manager', 'store_manager']);
  const cashier = roles.find((r) => r.code === 'cashier');
  const one = await admin.get(`/api/v1/roles/${cashier.id}`);
  assert.ok(!one.body.permissions.includes('members.pii'));
  const rename = await admin.put(`/api/v1/roles/${cashier.id}`, { version: one.body.version, code: 'till' });
  assert.equal(fieldError(rename, 'code'), "A built-in role's code cannot change");
});

test('tag groups and tags: create, rename, recolour, delete', async () => {
  const groups = (await admin.get('/api/v1/tag-groups')).body.items;
  assert.ok(groups.some((g) => g.preset && g.name === '客户价值'), 'the preset library is there');
  const g = (await admin.post('/api/v1/tag-groups', { name: '风格' })).body;
  const t = await admin.post('/api/v1/tags', { group_id: g.id, name: '简约', color: '#333333' });
  assert.equal(t.status, 201);
  const badColour = await admin.post('/api/v1/tags', { group_id: g.id, name: '复古', color: 'red' });
  assert.equal(badColour.status, 400);
  const up = await admin.put(`/api/v1/tags/${t.body.id}`, { name: '极简', color: '#000000' });
  assert.equal(up.body.name, '极简');
  assert.equal(up.body.color, '#000000');
  const store = (await admin.post('/api/v1/stores', { code: 'T1', name: 'T', type: 'direct' })).body.id;
  const m = (await admin.post('/api/v1/members', { phone: '13511112222', home_store_id: store, tags: [t.body.id] })).body;
  assert.equal((await admin.del(`/api/v1/tags/${t.body.id}`)).status, 204);
  assert.deepEqual((await admin.get(`/api/v1/members/${m.id}`)).body.tags, []);
  assert.equal((await admin.get(`/api/v1/tags?group_id=${g.id}`)).body.total, 0);
});

test('custom field definitions can be edited and disabled', async () => {
  const def = (await admin.post('/api/v1/custom-fields', { key: 'colour', label: '喜欢的颜色', type: 'multi', options: ['红', '蓝'] })).body;
  const up = await admin.put(`/api/v1/custom-fields/${def.id}`, { version: def.version, options: ['红', '蓝', '绿'], label: '偏好颜色' });
  assert.deepEqual(up.body.options, ['红', '蓝', '绿']);
  const off = await admin.put(`/api/v1/custom-fields/${def.id}`, { version: up.body.version, status: 'disabled' });
  assert.equal(off.body.status, 'disabled');
  const list = await admin.get('/api/v1/custom-fields');
  assert.equal(list.body.items.find((d) => d.id === def.id).label, '偏好颜色');
  const noOptions = await admin.post('/api/v1/custom-fields', { key: 'shoe', label: '鞋码', type: 'single' });
  assert.equal(fieldError(noOptions, 'options'), 'Required');
});

test('the audit log filters by actor, entity and date', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const all = await admin.get(`/api/v1/audit?from=${today}&to=${today}`);
  assert.ok(all.body.total > 0);
  const stores = await admin.get('/api/v1/audit?entity=store&action=store.create&actor_id=1');
  assert.ok(stores.body.items.every((e) => e.entity === 'store' && e.action === 'store.create' && e.actor.id === 1));
  assert.equal((await admin.get('/api/v1/audit?from=1999-01-01&to=1999-01-02')).body.total, 0);
  assert.equal((await admin.get('/api/v1/audit?from=yesterday')).status, 400);
});
