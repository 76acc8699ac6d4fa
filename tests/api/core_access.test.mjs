// Store scope, permissions, masking by role, audit of unmasked views, bad input that writes
// nothing, personal data encrypted at rest, and a busy database answering 503.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { TestServer, fieldError } from '../support/server.mjs';

let server;
let admin;
let storeA;
let storeB;
let memberA;
let memberB;
let cashier;

before(async () => {
  server = await new TestServer().start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  storeA = (await admin.post('/api/v1/stores', { code: 'A', name: '甲店', type: 'direct', region: '华东' })).body.id;
  storeB = (await admin.post('/api/v1/stores', { code: 'B', name: '乙店', type: 'direct', region: '华南' })).body.id;
  memberA = (await admin.post('/api/v1/members', { phone: '13811112222', name: '甲会员', email: 'jia@example.com', birthday: '1991-06-15', address: '上海市黄浦区南京东路1号', home_store_id: storeA })).body;
  memberB = (await admin.post('/api/v1/members', { phone: '13933334444', name: '乙会员', email: 'yi@example.com', home_store_id: storeB })).body;
  cashier = await server.staffWithRole(admin, 'cashier_a', 'cashier', [storeA]);
});
after(() => server.stop());

test('a cashier of store A can neither see nor change anything of store B', async () => {
  assert.equal((await cashier.get(`/api/v1/members/${memberB.id}`)).status, 404);
  assert.equal((await cashier.get(`/api/v1/members/${memberA.id}`)).status, 200);
  for (const q of ['乙会员', '13933334444', '4444', 'yi@example.com', memberB.member_no]) {
    assert.equal((await cashier.get(`/api/v1/members?q=${encodeURIComponent(q)}`)).body.total, 0, q);
  }
  const list = await cashier.get('/api/v1/members');
  assert.deepEqual(list.body.items.map((m) => m.id), [memberA.id]);
  const intoB = await cashier.post('/api/v1/members', { phone: '13755556666', home_store_id: storeB });
  assert.equal(intoB.status, 400);
  assert.equal(fieldError(intoB, 'home_store_id'), 'You cannot use this store');
  const stores = await cashier.get('/api/v1/stores');
  assert.deepEqual(stores.body.items.map((s) => s.id), [storeA]);
  assert.equal((await cashier.get(`/api/v1/stores/${storeB}`)).status, 404);
  const guide = await server.staffWithRole(admin, 'guide_a', 'guide', [storeA]);
  assert.equal((await guide.put(`/api/v1/members/${memberB.id}`, { version: 1, name: 'x' })).status, 404);
  assert.equal((await admin.get(`/api/v1/members/${memberB.id}`)).body.name, '乙会员', 'unchanged');
});

test('a regional manager sees exactly the stores assigned', async () => {
  const rm = await server.staffWithRole(admin, 'region_east', 'regional_manager', [storeA]);
  assert.deepEqual((await rm.get('/api/v1/stores')).body.items.map((s) => s.id), [storeA]);
  assert.equal((await rm.get(`/api/v1/members/${memberB.id}`)).status, 404);
});

test('routes refuse roles without their permission', async () => {
  const checks = [
    ['PUT', `/api/v1/members/${memberA.id}`, { version: 1, name: 'x' }],
    ['POST', `/api/v1/members/${memberA.id}/archive`, {}],
    ['POST', `/api/v1/members/${memberA.id}/anonymize`, { confirm: true }],
    ['GET', '/api/v1/members/export.csv'],
    ['GET', '/api/v1/members/duplicates'],
    ['POST', '/api/v1/stores', { code: 'Z', name: 'z', type: 'direct' }],
    ['GET', '/api/v1/staff'],
    ['GET', '/api/v1/roles'],
    ['GET', '/api/v1/audit'],
    ['GET', '/api/v1/api-tokens'],
    ['POST', '/api/v1/tags', { group_id: 1, name: 'x' }],
  ];
  for (const [method, url, body] of checks) {
    const r = await cashier.request(method, url, body);
    assert.equal(r.status, 403, `${method} ${url}`);
    assert.equal(r.body.error.code, 'forbidden');
    assert.equal(r.body.error.message, 'You do not have permission to do this');
  }
});

test('an admin-defined role grants exactly its permissions', async () => {
  const role = await admin.post('/api/v1/roles', { code: 'auditor', name: '审计员', permissions: ['audit.read'], all_stores: true });
  assert.equal(role.status, 201);
  const bad = await admin.post('/api/v1/roles', { code: 'x', name: 'x', permissions: ['members.everything'] });
  assert.equal(fieldError(bad, 'permissions'), 'Unknown permission');
  const u = await admin.post('/api/v1/staff', { username: 'aud', name: 'aud', role_id: role.body.id, password: 'Initial#2026' });
  const c = await server.signIn('aud', 'Initial#2026');
  await c.put('/api/v1/me/password', { current_password: 'Initial#2026', new_password: 'Counter#2026' });
  assert.equal((await c.get('/api/v1/audit')).status, 200);
  assert.equal((await c.get('/api/v1/members')).status, 403);
  const edited = await admin.put(`/api/v1/roles/${role.body.id}`, { version: 1, permissions: ['audit.read', 'members.read'] });
  assert.equal(edited.status, 200);
  assert.equal((await c.get('/api/v1/members')).status, 200, 'role edits apply at once');
  assert.ok(u.body.id);
});

test('a cashier sees personal data masked everywhere; an unmasked view is audited', async () => {
  const one = (await cashier.get(`/api/v1/members/${memberA.id}`)).body;
  assert.equal(one.phone, '138****2222');
  assert.equal(one.email, 'j***@example.com');
  assert.equal(one.birthday, '****-06-**');
  assert.equal(one.address, '上海市黄浦区****');
  assert.equal(one.pii_masked, true);
  const listed = (await cashier.get('/api/v1/members?q=2222')).body.items[0];
  assert.equal(listed.phone, '138****2222');
  await admin.put(`/api/v1/members/${memberA.id}`, { version: memberA.version, phone: '13811113333' });
  const history = (await cashier.get(`/api/v1/members/${memberA.id}/history`)).body.items;
  const change = history.find((h) => h.field === 'phone' && h.old);
  assert.equal(change.old, '138****2222');
  assert.equal(change.new, '138****3333');
  const before = (await admin.get('/api/v1/audit?action=member.view_pii')).body.total;
  const full = (await admin.get(`/api/v1/members/${memberA.id}`)).body;
  assert.equal(full.phone, '13811113333');
  assert.equal(full.email, 'jia@example.com');
  assert.equal(full.birthday, '1991-06-15');
  const audit = (await admin.get('/api/v1/audit?action=member.view_pii')).body;
  assert.equal(audit.total, before + 1);
  assert.equal(audit.items[0].entity_id, String(memberA.id));
  assert.equal(audit.items[0].actor.name, 'admin');
  assert.equal(audit.items[0].ip, '127.0.0.1');
});

const bigBody = 'x'.repeat(10 * 1024 * 1024);
const invalidUtf8 = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('"}')]);
const nasty = ["'; DROP TABLE members; --", '<script>alert(1)</script>'];

async function totals() {
  return JSON.stringify(await Promise.all(['/api/v1/members?status=all', '/api/v1/stores', '/api/v1/staff', '/api/v1/roles', '/api/v1/tags', '/api/v1/tag-groups']
    .map(async (u) => (await admin.get(u)).body.total)));
}

test('bad input gets a 4xx with a field message and writes nothing', async () => {
  const before = await totals();
  const cases = [
    ['POST', '/api/v1/members', { phone: '13800000001', home_store_id: storeA }, ['name', 'company', 'notes', 'address', 'wechat_id']],
    ['PUT', `/api/v1/members/${memberB.id}`, { version: memberB.version }, ['name', 'company', 'notes']],
    ['POST', '/api/v1/stores', { code: 'NEW', name: '新店', type: 'direct' }, ['name', 'region', 'address', 'code']],
    ['POST', '/api/v1/staff', { username: 'newone', name: '新人', role_id: 1, password: 'Initial#2026' }, ['name', 'username']],
    ['POST', '/api/v1/roles', { code: 'newrole', name: '新角色', permissions: [] }, ['name', 'code']],
    ['POST', '/api/v1/tags', { group_id: 1, name: '新标签' }, ['name']],
  ];
  for (const [method, url, valid, textFields] of cases) {
    for (const field of textFields) {
      for (const value of nasty) {
        const r = await admin.request(method, url, { ...valid, [field]: value });
        assert.equal(r.status, 400, `${url} ${field}=${value}`);
        assert.ok(fieldError(r, field), `${url} names ${field}`);
      }
      const wrongType = await admin.request(method, url, { ...valid, [field]: 42 });
      assert.equal(wrongType.status, 400);
      assert.equal(fieldError(wrongType, field), 'Must be a string');
    }
    const unknown = await admin.request(method, url, { ...valid, colour: 'red' });
    assert.equal(fieldError(unknown, 'colour'), 'Unknown field');
    const big = await admin.request(method, url, undefined, { raw: bigBody, headers: { 'Content-Type': 'application/json' } });
    assert.equal(big.status, 413, url);
    assert.equal(big.body.error.code, 'payload_too_large');
    const utf8 = await admin.request(method, url, undefined, { raw: invalidUtf8, headers: { 'Content-Type': 'application/json' } });
    assert.equal(utf8.status, 400);
    assert.equal(fieldError(utf8, 'body'), 'The request contains invalid UTF-8');
    const notJson = await admin.request(method, url, undefined, { raw: '{"name": ', headers: { 'Content-Type': 'application/json' } });
    assert.equal(notJson.body.error.code, 'invalid_json');
  }
  const missing = await admin.post('/api/v1/stores', {});
  for (const f of ['code', 'name', 'type']) assert.equal(fieldError(missing, f), 'Required');
  const zh = await server.client();
  zh.cookie = admin.cookie;
  zh.csrf = admin.csrf;
  const zhMsg = await zh.post('/api/v1/stores', { code: 'Q', name: '<b>', type: 'direct' });
  assert.match(fieldError(zhMsg, 'name'), /不能包含以下字符/);
  assert.equal(await totals(), before, 'nothing was written');
  assert.equal((await admin.get(`/api/v1/members/${memberB.id}`)).body.version, memberB.version);
});

test('personal data is encrypted at rest and the key file is private', async () => {
  await admin.post('/api/v1/members', { phone: '13688889999', email: 'plain.text@example.org', home_store_id: storeA });
  const secrets = ['13688889999', '8613688889999', 'plain.text@example.org', 'jia@example.com', '13933334444'];
  // SQLite: the database file and its WAL as bytes; PostgreSQL: a full dump of the database.
  const dumps = server.backend === 'postgres'
    ? [['pg_dump', execFileSync('pg_dump', [server.db])]]
    : [server.db, `${server.db}-wal`].filter((f) => existsSync(f)).map((f) => [path.basename(f), readFileSync(f)]);
  assert.ok(dumps.length > 0);
  for (const [name, bytes] of dumps) {
    assert.ok(bytes.length > 10000, `${name} holds the data`);
    for (const secret of secrets) assert.equal(bytes.indexOf(secret), -1, `${secret} in ${name}`);
  }
  assert.equal(statSync(server.keyFile).mode & 0o777, 0o600);
});

test('a database held busy by another writer answers 503 with Retry-After, then recovers', async () => {
  const lock = await server.holdTransaction(server.backend === 'postgres' ? 'LOCK TABLE members IN ACCESS EXCLUSIVE MODE;' : '');
  const r = await admin.post('/api/v1/members', { phone: '13500001111', home_store_id: storeA });
  assert.equal(r.status, 503);
  assert.equal(r.body.error.code, 'busy');
  assert.equal(r.headers.get('retry-after'), '1');
  await lock.release();
  const again = await admin.post('/api/v1/members', { phone: '13500001111', home_store_id: storeA });
  assert.equal(again.status, 201);
});
