// The member's own pages over HTTP: scan-to-join with an SMS code, recognition of an existing
// member, OTP limits, the rotating member code at the till, profile and opt-ins, data export,
// the deletion queue, and that a member never reads another member's data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TestServer, fieldError } from '../support/server.mjs';

let server;
let admin;
let store;
let guideId;
let joinToken;
let phoneSeq = 13900000000;
const nextPhone = () => String(++phoneSeq);

// A phone's browser: its own cookie jar with the member cookie and the CSRF token.
class Phone {
  constructor(ip) {
    this.cookie = '';
    this.csrf = '';
    this.ip = ip;
  }

  async call(method, path, body) {
    const headers = { 'Accept-Language': 'en', 'X-Forwarded-For': this.ip };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    const r = await fetch(`${server.base}/api/v1/portal${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0].endsWith('=') ? '' : set.split(';')[0];
    const text = await r.text();
    let parsed = null;
    try { parsed = JSON.parse(text); } catch {}
    if (parsed?.csrf_token) this.csrf = parsed.csrf_token;
    return { status: r.status, body: parsed, text, headers: r.headers };
  }
}

// The newest SMS code sent to a phone, read from the admin's message log (the file channel).
async function lastCode(phone) {
  const log = await admin.get('/api/v1/messages?purpose=otp&limit=50');
  assert.equal(log.status, 200, log.text);
  const masked = `${phone.slice(0, 3)}****${phone.slice(-4)}`;
  const message = log.body.items.find((m) => m.recipient === masked);
  assert.ok(message, `a code for ${masked}`);
  return message.body.match(/\d{6}/)[0];
}

async function join(phoneNo, extra = {}, device = new Phone('10.0.0.1')) {
  assert.equal((await device.call('POST', '/otp', { phone: phoneNo })).status, 202);
  const r = await device.call('POST', '/session', {
    phone: phoneNo, code: await lastCode(phoneNo), join_token: joinToken, privacy_version: 1, ...extra,
  });
  return { device, r };
}

before(async () => {
  // Each test phone comes from its own address (X-Forwarded-For from a trusted proxy), so the
  // per-address limit is tested on its own.
  server = await new TestServer({ args: ['--trusted-proxy', '127.0.0.1'] }).start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  store = (await admin.post('/api/v1/stores', { code: 'PT', name: '会员店', type: 'direct', address: '淮海中路 1 号' })).body.id;
  const guide = await server.staffWithRole(admin, 'guide_portal', 'guide', [store]);
  guideId = (await guide.get('/api/v1/me')).body.user.id;
  const code = await admin.get(`/api/v1/staff/${guideId}/join-code`);
  assert.equal(code.status, 200, code.text);
  assert.match(code.body.url, /\/m\/join\/\d+-\d+-[0-9a-f]+$/);
  joinToken = code.body.token;
  await admin.put('/api/v1/loyalty/settings', { registration_points: 100 });
});
after(() => server.stop());

test('a store\'s join code gives a link, a QR image and an A5 poster', async () => {
  const info = (await admin.get(`/api/v1/stores/${store}/join-code`)).body;
  assert.equal(info.title, '会员店');
  const png = await fetch(`${server.base}/api/v1/stores/${store}/join-qr.png`, { headers: { Cookie: admin.cookie } });
  assert.equal(png.headers.get('content-type'), 'image/png');
  const bytes = Buffer.from(await png.arrayBuffer());
  assert.deepEqual([...bytes.subarray(1, 4)].map((c) => String.fromCharCode(c)).join(''), 'PNG');
  const pdf = await fetch(`${server.base}/api/v1/stores/${store}/join-poster.pdf`, { headers: { Cookie: admin.cookie } });
  const pdfText = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
  assert.ok(pdfText.startsWith('%PDF-'));
  assert.ok(pdfText.includes('/MediaBox [ 0 0 420 595 ]'), 'A5 page');
  // The public join page names the store and the guide, and shows the privacy notice.
  const page = await new Phone('10.0.0.9').call('GET', `/join/${joinToken}`);
  assert.equal(page.status, 200);
  assert.equal(page.body.store.name, '会员店');
  assert.equal(page.body.guide.name, 'guide_portal');
  assert.equal(page.body.privacy.version, 1);
  assert.match(page.body.privacy.text, /privacy|consent/i);
  // The page behind the code is light: HTML, script and stylesheet well under 150 KB.
  let pageBytes = 0;
  for (const path of [`/m/join/${joinToken}`, '/m/m.js', '/m/m.css']) {
    const r = await fetch(`${server.base}${path}`);
    assert.equal(r.status, 200, path);
    const body = await r.text();
    if (path.startsWith('/m/join')) assert.match(body, /\/m\/m\.js/);
    pageBytes += Buffer.byteLength(body);
  }
  assert.ok(pageBytes < 150 * 1024, `member page ${pageBytes} bytes`);
  const forged = joinToken.replace(/^\d+/, '999');
  assert.equal((await new Phone('10.0.0.9').call('GET', `/join/${forged}`)).status, 404);
});

test('scan to join: an SMS code, the privacy notice, separate opt-ins; the member is bound to the store and guide', async () => {
  const phoneNo = nextPhone();
  const device = new Phone('10.0.1.1');
  assert.equal((await device.call('POST', '/otp', { phone: '12' })).status, 400);
  assert.equal((await device.call('POST', '/otp', { phone: phoneNo })).status, 202);
  const code = await lastCode(phoneNo);
  const noPrivacy = await device.call('POST', '/session', { phone: phoneNo, code, join_token: joinToken });
  assert.equal(noPrivacy.status, 400);
  assert.ok(fieldError(noPrivacy, 'privacy_version'));
  const child = await device.call('POST', '/session', { phone: phoneNo, code, join_token: joinToken, privacy_version: 1, birthday: '2020-01-01' });
  assert.equal(child.status, 400);
  assert.equal(fieldError(child, 'birthday'), 'Under 14, please join in store with a guardian');
  const r = await device.call('POST', '/session', {
    phone: phoneNo, code, join_token: joinToken, privacy_version: 1, name: '林小满', gender: 'female', birthday: '1995-06-01',
    consents: { sms: true, email: false },
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.registered, true);
  const card = await device.call('GET', '/me');
  assert.equal(card.status, 200);
  assert.equal(card.body.member.name, '林小满');
  assert.equal(card.body.member.store_name, '会员店');
  assert.equal(card.body.points.balance, 100, 'registration points');
  assert.deepEqual(card.body.consents, { sms: true, email: false });

  const found = (await admin.get(`/api/v1/members?q=${phoneNo}`)).body.items[0];
  assert.equal(found.guide_id, guideId);
  assert.equal(found.home_store_id, store);
  assert.equal(found.source, 'online');
  const member = (await admin.get(`/api/v1/members/${found.id}`)).body;
  assert.equal(member.consents.sms.granted, true);
  assert.equal(member.consents.sms.source, 'member');
  // The code was used: it cannot sign in a second device.
  const again = await new Phone('10.0.1.2').call('POST', '/session', { phone: phoneNo, code });
  assert.equal(again.status, 400);
  assert.equal(fieldError(again, 'code'), 'The code has expired; ask for a new one');
});

test('an existing member who scans again is recognised and signed in, not registered twice', async () => {
  const phoneNo = nextPhone();
  const staffMade = await admin.post('/api/v1/members', { phone: phoneNo, name: '老会员', home_store_id: store });
  assert.equal(staffMade.status, 201);
  const { r, device } = await join(phoneNo, { name: '新名字' }, new Phone('10.0.2.1'));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.recognised, true);
  assert.equal((await device.call('GET', '/me')).body.member.name, '老会员');
  assert.equal((await admin.get(`/api/v1/members?q=${phoneNo}`)).body.total, 1);
  // Without a join code a stranger's phone is told to join in store.
  const stranger = nextPhone();
  const d = new Phone('10.0.2.2');
  await d.call('POST', '/otp', { phone: stranger });
  const nope = await d.call('POST', '/session', { phone: stranger, code: await lastCode(stranger) });
  assert.equal(fieldError(nope, 'phone'), 'This phone is not a member yet; scan the store\'s code to join');
});

test('sign-in codes are limited per phone and per address, expire, and die after five wrong tries', async () => {
  const phoneNo = nextPhone();
  const device = new Phone('10.0.3.1');
  assert.equal((await device.call('POST', '/otp', { phone: phoneNo })).status, 202);
  const soon = await device.call('POST', '/otp', { phone: phoneNo });
  assert.equal(soon.status, 429, 'one a minute per phone');
  const code = await lastCode(phoneNo);
  const wrong = code === '000000' ? '111111' : '000000';
  for (let i = 0; i < 5; i++) {
    const r = await device.call('POST', '/session', { phone: phoneNo, code: wrong, join_token: joinToken, privacy_version: 1 });
    assert.equal(fieldError(r, 'code'), 'The code is not right');
  }
  const dead = await device.call('POST', '/session', { phone: phoneNo, code, join_token: joinToken, privacy_version: 1 });
  assert.equal(fieldError(dead, 'code'), 'The code has expired; ask for a new one', 'the right code no longer works');

  // Twenty codes an hour from one address, whatever the phones.
  const busy = new Phone('10.0.3.9');
  const statuses = [];
  for (let i = 0; i < 21; i++) statuses.push((await busy.call('POST', '/otp', { phone: nextPhone() })).status);
  assert.deepEqual(statuses.slice(0, 20), Array(20).fill(202));
  assert.equal(statuses[20], 429);
});

test('the rotating member code finds the member at the till; a stale or forged one finds nobody', async () => {
  const phoneNo = nextPhone();
  const { device } = await join(phoneNo, {}, new Phone('10.0.4.1'));
  const code = (await device.call('GET', '/me/code')).body.code;
  assert.match(code, /^MC\d+-\d+-[0-9a-f]{16}$/);
  const svg = await device.call('GET', '/me/code.svg');
  assert.match(svg.headers.get('content-type'), /image\/svg\+xml/);
  assert.ok(svg.text.startsWith('<svg'));

  const cashier = await server.staffWithRole(admin, 'cashier_portal', 'cashier', [store]);
  const hit = await cashier.get(`/api/v1/members?q=${encodeURIComponent(code)}`);
  assert.equal(hit.body.total, 1);
  const member = hit.body.items[0];
  assert.equal(member.member_no, (await device.call('GET', '/me')).body.member.member_no);
  const forged = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
  assert.equal((await cashier.get(`/api/v1/members?q=${encodeURIComponent(forged)}`)).body.total, 0);
  const [id, window] = code.slice(2).split('-');
  const stale = `MC${id}-${Number(window) - 5}-${code.split('-')[2]}`;
  assert.equal((await cashier.get(`/api/v1/members?q=${encodeURIComponent(stale)}`)).body.total, 0);

  // The till rings up a sale for the member found by the code; the card shows the new points.
  const product = await admin.post('/api/v1/products', { sku: 'PT-1', name: '护手霜', price: 8800 });
  const sale = await cashier.post('/api/v1/sales', {
    store_id: store, terminal: 'T1', member_id: member.id, lines: [{ sku: 'PT-1', quantity: 1 }],
    payments: [{ method: 'cash', amount: 8800 }],
  }, { headers: { 'Idempotency-Key': randomUUID() } });
  assert.equal(sale.status, 201, sale.text);
  const card = (await device.call('GET', '/me')).body;
  assert.equal(card.points.balance, 100 + sale.body.points_earned);
  assert.equal(card.purchases[0].total, 8800);
});

test('a member edits their profile and opt-ins, downloads their data, and never sees another member', async () => {
  const a = await join(nextPhone(), { name: '甲' }, new Phone('10.0.5.1'));
  const b = await join(nextPhone(), { name: '乙' }, new Phone('10.0.5.2'));
  const bad = await a.device.call('PUT', '/me', { email: 'not-an-email', phone: '13000000000' });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'phone'), 'the phone is not self-service');
  const noCsrf = new Phone('10.0.5.1');
  noCsrf.cookie = a.device.cookie;
  assert.equal((await noCsrf.call('PUT', '/me', { name: 'x' })).status, 403);
  const edited = await a.device.call('PUT', '/me', { name: '甲甲', email: 'jia@example.com' });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.member.email, 'jia@example.com');
  // The store decides which fields members may change themselves.
  const settings = (await admin.get('/api/v1/service/settings')).body;
  assert.deepEqual(settings.member_editable_fields, ['name', 'gender', 'birthday', 'email']);
  await admin.put('/api/v1/service/settings', { member_editable_fields: ['name'], version: settings.version });
  assert.deepEqual((await a.device.call('GET', '/me')).body.editable_fields, ['name']);
  const locked = await a.device.call('PUT', '/me', { email: 'other@example.com' });
  assert.equal(locked.status, 400);
  assert.ok(fieldError(locked, 'email'));
  await admin.put('/api/v1/service/settings', { member_editable_fields: ['name', 'gender', 'birthday', 'email'], version: settings.version + 1 });
  const consents = await a.device.call('PUT', '/me/consents', { sms: false, email: true });
  assert.deepEqual(consents.body, { sms: false, email: true });

  const exported = await a.device.call('GET', '/me/export');
  assert.match(exported.headers.get('content-disposition'), /attachment; filename="member-M\d+\.json"/);
  assert.equal(exported.body.profile.name, '甲甲');
  assert.ok(exported.body.consents.some((c) => c.purpose === 'privacy' && c.wording_version === 1));
  assert.ok(exported.body.points.some((p) => p.delta === 100));
  assert.equal(exported.text.includes('乙'), false, 'nothing of another member');
  assert.equal((await b.device.call('GET', '/me')).body.member.name, '乙');
  // A staff session is no member session, and the other way round.
  assert.equal((await fetch(`${server.base}/api/v1/portal/me`, { headers: { Cookie: admin.cookie } })).status, 401);
  assert.equal((await fetch(`${server.base}/api/v1/members`, { headers: { Cookie: a.device.cookie } })).status, 401);

  await a.device.call('DELETE', '/sessions');
  assert.equal((await a.device.call('GET', '/me')).status, 401);
});

test('a deletion request waits for staff; approval anonymises the member, who is told', async () => {
  const phoneNo = nextPhone();
  const { device } = await join(phoneNo, { name: '要注销' }, new Phone('10.0.6.1'));
  const asked = await device.call('POST', '/me/deletion-request', { reason: '不再需要' });
  assert.equal(asked.status, 201);
  assert.equal((await device.call('POST', '/me/deletion-request', {})).status, 409);
  assert.equal((await device.call('GET', '/me')).body.deletion_request.status, 'pending');

  const queue = (await admin.get('/api/v1/deletion-requests?status=pending')).body.items;
  const request = queue.find((q) => q.member.name === '要注销');
  assert.ok(request);
  const cashier = await server.staffWithRole(admin, 'cashier_deletion', 'cashier', [store]);
  assert.equal((await cashier.get('/api/v1/deletion-requests')).status, 403);
  const noNote = await admin.post(`/api/v1/deletion-requests/${request.id}/decide`, { approve: false });
  assert.ok(fieldError(noNote, 'note'));
  const decided = await admin.post(`/api/v1/deletion-requests/${request.id}/decide`, { approve: true });
  assert.equal(decided.status, 200, decided.text);
  assert.equal((await admin.post(`/api/v1/deletion-requests/${request.id}/decide`, { approve: true })).status, 409);

  const member = (await admin.get(`/api/v1/members/${request.member.id}`)).body;
  assert.equal(member.status, 'anonymized');
  assert.equal(member.name, '');
  assert.equal((await device.call('GET', '/me')).status, 401, 'sessions ended');
  const told = (await admin.get('/api/v1/messages?purpose=deletion')).body.items;
  assert.ok(told.some((m) => m.member_id === request.member.id && m.status === 'sent' &&
    m.recipient === `${phoneNo.slice(0, 3)}****${phoneNo.slice(-4)}`));
});
