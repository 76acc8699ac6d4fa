// Sign-in, forced password change, lock-out, CSRF, sessions and time-outs over real HTTP.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, ADMIN_PASSWORD, fieldError } from '../support/server.mjs';

let server;
let admin;
let cashierRole;
let storeId;

before(async () => {
  server = await new TestServer().start();
  admin = await server.signIn('admin');
  const roles = await admin.get('/api/v1/roles');
  cashierRole = roles.body.items.find((r) => r.code === 'cashier').id;
  const store = await admin.post('/api/v1/stores', { code: 'S1', name: '一号店', type: 'direct' });
  storeId = store.body.id;
});
after(() => server.stop());

async function newStaff(username) {
  const r = await admin.post('/api/v1/staff', {
    username, name: username, role_id: cashierRole, store_ids: [storeId], password: 'Initial#2026',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

test('sign-in sets an HttpOnly SameSite=Strict cookie and returns the contract fields', async () => {
  const c = server.client();
  const r = await c.signIn('admin', ADMIN_PASSWORD);
  assert.equal(r.status, 200);
  assert.ok(r.body.csrf_token.length >= 20);
  assert.equal(r.body.must_change_password, false);
  assert.equal(r.body.user.username, 'admin');
  assert.equal(r.body.user.role_code, 'hq_admin');
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /storecrm_session=/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const me = await c.get('/api/v1/me');
  assert.equal(me.body.user.username, 'admin');
  assert.equal(me.body.csrf_token, r.body.csrf_token);
});

test('a wrong password is refused in the caller language', async () => {
  const zh = await server.client().signIn('admin', 'Wrong#2026');
  assert.equal(zh.status, 401);
  assert.equal(zh.body.error.code, 'unauthenticated');
  assert.equal(zh.body.error.message, '用户名或密码错误');
  const en = await server.client({ lang: 'en' }).signIn('admin', 'Wrong#2026');
  assert.equal(en.body.error.message, 'Wrong username or password');
});

test('an initial password must be changed before anything else', async () => {
  await newStaff('newbie');
  const c = server.client({ lang: 'en' });
  const r = await c.signIn('newbie', 'Initial#2026');
  assert.equal(r.body.must_change_password, true);
  const blocked = await c.get('/api/v1/members');
  assert.equal(blocked.status, 403);
  assert.equal(blocked.body.error.code, 'password_change_required');
  const weak = await c.put('/api/v1/me/password', { current_password: 'Initial#2026', new_password: 'short' });
  assert.equal(weak.status, 400);
  assert.equal(fieldError(weak, 'new_password'), 'At least 8 characters');
  const withName = await c.put('/api/v1/me/password', { current_password: 'Initial#2026', new_password: 'Newbie#2026x' });
  assert.equal(fieldError(withName, 'new_password'), 'The password must not contain the username');
  const wrong = await c.put('/api/v1/me/password', { current_password: 'nope', new_password: 'Counter#2026' });
  assert.equal(fieldError(wrong, 'current_password'), 'The current password is wrong');
  const ok = await c.put('/api/v1/me/password', { current_password: 'Initial#2026', new_password: 'Counter#2026' });
  assert.equal(ok.status, 204);
  const list = await c.get('/api/v1/members');
  assert.equal(list.status, 200);
  assert.equal((await c.get('/api/v1/me')).body.must_change_password, false);
});

test('five wrong passwords lock the account until an admin unlocks it', async () => {
  const staff = await newStaff('locky');
  const c = server.client();
  for (let i = 0; i < 4; i++) assert.equal((await c.signIn('locky', 'Bad#pass2026')).status, 401);
  const fifth = await c.signIn('locky', 'Bad#pass2026');
  assert.equal(fifth.status, 423);
  assert.equal(fifth.body.error.code, 'account_locked');
  const right = await c.signIn('locky', 'Initial#2026');
  assert.equal(right.status, 423, 'the right password does not open a locked account');
  const shown = await admin.get(`/api/v1/staff/${staff.id}`);
  assert.ok(shown.body.locked_until);
  const unlock = await admin.post(`/api/v1/staff/${staff.id}/unlock`, {});
  assert.equal(unlock.status, 200);
  assert.equal(unlock.body.locked_until, null);
  assert.equal((await c.signIn('locky', 'Initial#2026')).status, 200);
  const audit = await admin.get(`/api/v1/audit?action=session.sign_in_failed&entity_id=${staff.id}`);
  assert.equal(audit.body.total, 5);
});

test('sign-in entries in the audit log name the staff member as every other entry does', async () => {
  const r = await admin.post('/api/v1/staff', { username: 'namey', name: '署名员工', role_id: cashierRole, store_ids: [storeId], password: 'Initial#2026' });
  assert.equal(r.status, 201, r.text);
  const c = server.client();
  assert.equal((await c.signIn('namey', 'Wrong#pass2026')).status, 401);
  assert.equal((await c.signIn('namey', 'Initial#2026')).status, 200);
  for (const action of ['session.sign_in', 'session.sign_in_failed']) {
    const entry = (await admin.get(`/api/v1/audit?action=${action}&entity_id=${r.body.id}`)).body.items[0];
    assert.deepEqual([entry.actor.id, entry.actor.name], [r.body.id, '署名员工'], action);
  }
});

test('a cookie request that changes something needs the CSRF header', async () => {
  const c = await server.signIn('admin');
  const saved = c.csrf;
  c.csrf = '';
  const r = await c.post('/api/v1/stores', { code: 'X1', name: 'x', type: 'direct' });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'csrf_failed');
  c.csrf = 'forged';
  assert.equal((await c.post('/api/v1/stores', { code: 'X1', name: 'x', type: 'direct' })).status, 403);
  c.csrf = saved;
  const stores = await c.get('/api/v1/stores?q=X1');
  assert.equal(stores.body.total, 0, 'nothing was written');
});

async function readyStaff(username) {
  await newStaff(username);
  const c = await server.signIn(username, 'Initial#2026');
  const r = await c.put('/api/v1/me/password', { current_password: 'Initial#2026', new_password: 'Counter#2026' });
  assert.equal(r.status, 204);
}

test('sessions are listed and can be ended one by one, everywhere, or by signing out', async () => {
  await readyStaff('roamer');
  const signIn = () => server.signIn('roamer', 'Counter#2026');
  const a = await signIn();
  const b = await signIn();
  const list = await a.get('/api/v1/me/sessions');
  const current = list.body.items.find((s) => s.current);
  assert.ok(current);
  const other = (await b.get('/api/v1/me/sessions')).body.items.find((s) => s.current);
  assert.equal((await a.del(`/api/v1/me/sessions/${other.id}`)).status, 204);
  assert.equal((await b.get('/api/v1/me')).status, 401);
  const c = await signIn();
  assert.equal((await a.del('/api/v1/me/sessions')).status, 204);
  assert.equal((await c.get('/api/v1/me')).status, 401);
  assert.equal((await a.get('/api/v1/me')).status, 200);
  assert.equal((await a.del('/api/v1/session')).status, 204);
  assert.equal((await a.get('/api/v1/me')).status, 401);
});

test('the language choice is remembered per user', async () => {
  const c = await server.signIn('admin');
  assert.equal((await c.put('/api/v1/me/locale', { locale: 'en' })).status, 204);
  const noHeader = await c.post('/api/v1/stores', { code: 'bad code!', name: 'x', type: 'direct' });
  assert.equal(noHeader.body.error.message, 'Some fields are invalid');
  assert.equal((await c.put('/api/v1/me/locale', { locale: 'zh-CN' })).status, 204);
  const zh = await c.post('/api/v1/stores', { code: 'bad code!', name: 'x', type: 'direct' });
  assert.equal(zh.body.error.message, '提交的内容有误，请检查标出的字段');
  const bad = await c.put('/api/v1/me/locale', { locale: 'fr' });
  assert.equal(bad.status, 400);
});

test('an idle session times out', async () => {
  const idle = await new TestServer({ args: ['--idle-timeout', '1'] }).start();
  try {
    const c = await idle.signIn('admin');
    assert.equal((await c.get('/api/v1/me')).status, 200);
    await new Promise((r) => setTimeout(r, 2200));
    const r = await c.get('/api/v1/me');
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'unauthenticated');
  } finally {
    await idle.stop();
  }
});

test('API tokens: shown once, scoped to a store and permissions, revocable', async () => {
  const created = await admin.post('/api/v1/api-tokens', { name: 'POS 1', store_id: storeId, permissions: ['members.read'] });
  assert.equal(created.status, 201);
  assert.match(created.body.token, /^sct_/);
  const list = await admin.get('/api/v1/api-tokens');
  const listed = list.body.items.find((t) => t.id === created.body.id);
  assert.equal(listed.token, undefined, 'the token is never shown again');
  assert.equal(listed.token_prefix, created.body.token.slice(0, 8));
  const pos = server.client({ token: created.body.token });
  assert.equal((await pos.get('/api/v1/members')).status, 200);
  const denied = await pos.post('/api/v1/members', { phone: '13800000001', home_store_id: storeId });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.error.code, 'forbidden');
  assert.equal((await pos.get('/api/v1/me')).status, 403, 'personal routes are for staff');
  assert.equal((await admin.del(`/api/v1/api-tokens/${created.body.id}`)).status, 204);
  assert.equal((await pos.get('/api/v1/members')).status, 401);
});

test('health and the OpenAPI document need no session', async () => {
  const h = await fetch(`${server.base}/healthz`);
  assert.deepEqual(await h.json(), { status: 'ok', database: 'ok' });
  const doc = await (await fetch(`${server.base}/api/v1/openapi.json`)).json();
  assert.equal(doc.openapi, '3.0.3');
  for (const p of ['/api/v1/session', '/api/v1/members', '/api/v1/members/{id}/merge', '/api/v1/staff/{id}/unlock', '/api/v1/audit']) {
    assert.ok(doc.paths[p], `${p} documented`);
  }
  assert.equal(doc.paths['/api/v1/members'].post['x-permission'], 'members.create');
});

test('X-Forwarded-For is believed only from a trusted proxy', async () => {
  const proxied = await new TestServer({ args: ['--trusted-proxy', '127.0.0.1'] }).start();
  try {
    const c = proxied.client();
    await c.request('POST', '/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD }, { headers: { 'X-Forwarded-For': '198.51.100.7, 203.0.113.9' } });
    const viaProxy = await proxied.signIn('admin');
    const audit = await viaProxy.get('/api/v1/audit?action=session.sign_in');
    assert.equal(audit.body.items.at(-1).ip, '203.0.113.9', 'the address the proxy appended');
  } finally {
    await proxied.stop();
  }
  // Without --trusted-proxy a forged header changes nothing.
  const forged = server.client();
  await forged.request('POST', '/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD }, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
  const audit = await admin.get('/api/v1/audit?action=session.sign_in&limit=1');
  assert.equal(audit.body.items[0].ip, '127.0.0.1');
});
