// Marketing over HTTP: segments with live counts and rule errors, value groups and tag rules
// after a sale, campaigns by email through a real SMTP server (Debian's python3-aiosmtpd on
// loopback) and by SMS through a loopback gateway that checks our signature, consent and
// opt-out, the weekly cap, quiet hours, the control group, approval by a second person,
// results, webhooks (signed, retried, logged) and targets. The server runs with --test-clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer, fieldError } from '../support/server.mjs';
import { marketingKit, readMaildir, startMaildirSmtp } from '../support/marketing.mjs';

let server;
let admin;
let marketer;
let regional;
let managerB;
let storeA;
let storeB;
// settle, runJob, member, sell, settings and launch (tests/support/marketing.mjs), bound to the
// admin, marketer, approver (regional) and store A that `before` fills in.
const ctx = {};
const { settle, runJob, member, sell, settings, launch } = marketingKit(ctx);

// A loopback HTTP receiver (SMS gateway, webhooks) that keeps what it got and can fail on cue.
function receiver() {
  const got = [];
  const failures = [];  // statuses to answer with, first in first out
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ headers: req.headers, body, json: JSON.parse(body) });
      const status = failures.length ? failures.shift() : 200;
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  return {
    got, failures,
    async start() {
      await new Promise((r) => srv.listen(0, '127.0.0.1', r));
      this.url = `http://127.0.0.1:${srv.address().port}/in`;
      return this;
    },
    stop() { return new Promise((r) => srv.close(r)); },
  };
}

// What a receiver computes: HMAC-SHA256(secret, "<t>.<body>") in the X-Storecrm-Signature header.
function signatureOk(secret, header, body) {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header || '');
  if (!m) return false;
  return createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex') === m[2];
}

// Signed at `nowMs` (the server's clock, which the tests move).
function sign(secret, body, nowMs) {
  const t = Math.floor(nowMs / 1000);
  return `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

let smtp;
let mailDir;

// The mails aiosmtpd's Mailbox handler wrote: {to, subject, body, messageId, unsubscribe}.
const mails = () => readMaildir(mailDir);

before(async () => {
  // Sessions outlive the clock moves below (quiet hours, a day's recurring run).
  server = await new TestServer({ args: ['--test-clock', '--idle-timeout', '8640000', '--session-lifetime', '8640000'] }).start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  storeA = (await admin.post('/api/v1/stores', { code: 'MA', name: '营销甲店', type: 'direct', region: '华东' })).body.id;
  storeB = (await admin.post('/api/v1/stores', { code: 'MB', name: '营销乙店', type: 'direct', region: '华南' })).body.id;
  marketer = await server.staffWithRole(admin, 'marketer_1', 'marketer', []);
  regional = await server.staffWithRole(admin, 'regional_1', 'regional_manager', [storeA, storeB]);
  managerB = await server.staffWithRole(admin, 'manager_b', 'store_manager', [storeB]);
  Object.assign(ctx, { admin, marketer, approver: regional, store: storeA });
  const p = await admin.post('/api/v1/products', { sku: 'MK-01', name: '面霜', price: 5000 });
  assert.equal(p.status, 201, p.text);
  // No quiet hours and no cap unless a test sets them.
  await settings({ quiet_start: '00:00', quiet_end: '00:00', weekly_cap: 0, approval_threshold: 1000 });

  // aiosmtpd's Mailbox handler makes the Maildir (tmp/, new/, cur/) when the path is new.
  mailDir = path.join(mkdtempSync(path.join(tmpdir(), 'storecrm-mail-')), 'maildir');
  smtp = await startMaildirSmtp(mailDir);
  server.smtpPort = smtp.port;
});

after(async () => {
  smtp?.stop();
  await server.stop();
  if (mailDir) rmSync(path.dirname(mailDir), { recursive: true, force: true });
});

test('segments: live counts over nested rules, field errors by place, the caller\'s stores, save, members, export, tag', async () => {
  const tag = (await admin.post('/api/v1/tag-groups', { name: '营销测试' })).body;
  const vip = (await admin.post('/api/v1/tags', { group_id: tag.id, name: '老客' })).body;
  const made = [];
  for (let i = 0; i < 12; i++) {
    made.push(await member({
      gender: i % 2 ? 'female' : 'male', birthday: `${1970 + i * 3}-05-0${1 + (i % 9)}`,
      home_store_id: i < 8 ? storeA : storeB, tags: i % 3 === 0 ? [vip.id] : [],
      consents: { sms: i % 4 !== 0, email: false },
    }));
  }
  for (const m of made.slice(0, 4)) await sell(m.id, 120000);  // 1,200 yuan each
  await settle();
  const ids = new Set(made.map((m) => m.id));
  const inMine = (list) => list.filter((m) => ids.has(m.id)).length;
  const expectFemaleOrVipInA = made.filter((m, i) => i < 8 && (i % 2 === 1 || i % 3 === 0)).length;

  // (female OR tagged 老客) AND store A — only the members of this test exist besides none.
  const rules = { match: 'all', rules: [{ field: 'store', value: [storeA] },
    { match: 'any', rules: [{ field: 'gender', value: ['female'] }, { field: 'tag', value: [vip.id] }] }] };
  const count = await marketer.post('/api/v1/segments/count', { rules });
  assert.equal(count.status, 200, count.text);
  assert.equal(count.body.count, expectFemaleOrVipInA);
  assert.equal(count.body.of, 12);
  const spenders = await marketer.post('/api/v1/segments/count', { rules: { rules: [{ field: 'spend', op: 'gte', value: 100000, days: 30 }] } });
  assert.equal(spenders.body.count, 4);
  const none = await marketer.post('/api/v1/segments/count', { rules: { match: 'none', rules: [{ field: 'consent', value: ['sms'] }] } });
  assert.equal(none.body.count, made.filter((_, i) => i % 4 === 0).length);

  // A store manager of B counts B's members only.
  const mine = await managerB.post('/api/v1/segments/count', { rules: { rules: [] } });
  assert.equal(mine.body.count, 4);

  const bad = await marketer.post('/api/v1/segments/count', { rules: { rules: [
    { field: 'gender', value: ['x'] }, { match: 'any', rules: [{ field: 'age', op: 'between', value: [50, 20] }] }, { field: 'nope', value: 1 }] } });
  assert.equal(bad.status, 400);
  assert.equal(fieldError(bad, 'rules.rules[0].value'), 'Unknown value: x');
  assert.equal(fieldError(bad, 'rules.rules[1].rules[0].value'), "The range's minimum is above its maximum");
  assert.equal(fieldError(bad, 'rules.rules[2].field'), 'Unknown segment field: nope');
  const zh = server.client({ lang: 'zh-CN' });
  zh.cookie = marketer.cookie;
  zh.csrf = marketer.csrf;
  assert.equal(fieldError(await zh.post('/api/v1/segments/count', { rules: { rules: [{ field: 'nope', value: 1 }] } }), 'rules.rules[0].field'),
    '未知的分群条件字段：nope');

  const saved = await marketer.post('/api/v1/segments', { name: '甲店女性或老客', rules });
  assert.equal(saved.status, 201, saved.text);
  assert.equal(saved.body.member_count, expectFemaleOrVipInA);
  assert.equal((await marketer.post('/api/v1/segments', { name: '甲店女性或老客', rules })).status, 409);
  const page = await marketer.get(`/api/v1/segments/${saved.body.id}/members?limit=2`);
  assert.equal(page.body.total, expectFemaleOrVipInA);
  assert.equal(page.body.items.length, 2);
  assert.match(page.body.items[0].phone, /\*\*\*\*/, 'a marketer sees masked phones');
  const csv = await marketer.get(`/api/v1/segments/${saved.body.id}/export?format=csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.equal(csv.text.trim().split('\n').length, expectFemaleOrVipInA + 1);
  const audit = await admin.get(`/api/v1/audit?action=segment.export&entity_id=${saved.body.id}`);
  assert.equal(audit.body.items.length, 1);

  const newTag = (await admin.post('/api/v1/tags', { group_id: tag.id, name: '甲店目标客' })).body;
  const tagged = await marketer.post(`/api/v1/segments/${saved.body.id}/tag`, { tag_id: newTag.id });
  assert.equal(tagged.status, 200, tagged.text);
  assert.equal(tagged.body.added, expectFemaleOrVipInA);
  const withTag = await marketer.post('/api/v1/segments/count', { rules: { rules: [{ field: 'tag', value: [newTag.id] }] } });
  assert.equal(withTag.body.count, expectFemaleOrVipInA, 'the index sees the bulk tag at once');
  // Clean up: later tests count "everyone with consent".
  for (const m of made) await admin.put(`/api/v1/members/${m.id}`, { consents: { sms: false, email: false }, version: (await admin.get(`/api/v1/members/${m.id}`)).body.version });
  assert.equal(inMine((await marketer.get(`/api/v1/segments/${saved.body.id}/members?limit=50`)).body.items), expectFemaleOrVipInA);
});

test('a tag rule follows a member\'s sales and refunds; value groups show on the member', async () => {
  const group = (await admin.post('/api/v1/tag-groups', { name: '自动' })).body;
  const high = (await admin.post('/api/v1/tags', { group_id: group.id, name: '高价值' })).body;
  const rule = await marketer.post('/api/v1/tag-rules', { tag_id: high.id, rules: { rules: [{ field: 'spend', op: 'gte', value: 500000, days: 365 }] } });
  assert.equal(rule.status, 201, rule.text);
  assert.equal((await marketer.post('/api/v1/tag-rules', { tag_id: high.id, rules: { rules: [] } })).status, 409);
  const m = await member();
  const sale = await sell(m.id, 600000);
  await settle();
  await runJob('marketing.after_sales');
  const tags = (await admin.get(`/api/v1/members/${m.id}`)).body.tags.map((t) => t.name);
  assert.ok(tags.includes('高价值'), `tagged after the sale: ${tags}`);
  const values = await admin.get(`/api/v1/members/${m.id}/values`);
  assert.equal(values.body.lifecycle, 'new');
  assert.ok(values.body.r >= 1 && values.body.r <= 5);
  const refund = await admin.post(`/api/v1/sales/${sale.id}/refunds`, {}, { headers: { 'Idempotency-Key': randomUUID() } });
  assert.equal(refund.status, 201, refund.text);
  await settle();
  await runJob('marketing.after_sales');
  const after = (await admin.get(`/api/v1/members/${m.id}`)).body.tags.map((t) => t.name);
  assert.ok(!after.includes('高价值'), `untagged after the refund: ${after}`);
  const history = (await admin.get(`/api/v1/members/${m.id}/history`)).body.items.filter((h) => h.field === 'tags');
  assert.ok(history.some((h) => h.actor_name === 'tag rule' || h.actor?.name === 'tag rule'), JSON.stringify(history));
});

test('an email campaign: consent, control group, approval by a second person, real SMTP, unsubscribe, results', async () => {
  await settings({ email_mode: 'smtp', smtp_url: `smtp://127.0.0.1:${server.smtpPort}`, smtp_from: 'crm@shop.test', approval_threshold: 5, public_base_url: server.base });
  const group = (await admin.post('/api/v1/tag-groups', { name: '邮件' })).body;
  const tag = (await admin.post('/api/v1/tags', { group_id: group.id, name: '邮件受众' })).body;
  const people = [];
  for (let i = 0; i < 40; i++) {
    people.push(await member({ name: `邮客${i}`, email: `m${i}@shop.test`, tags: [tag.id], consents: { sms: false, email: i % 5 !== 0 } }));
  }
  const noEmail = await member({ name: '无邮箱', tags: [tag.id], consents: { email: true } });
  const minor = await member({ name: '小朋友', email: 'kid@shop.test', birthday: `${new Date().getUTCFullYear() - 10}-01-01`, tags: [tag.id], consents: { email: true },
    guardian: { name: '家长', phone: '13977776666', relation: 'parent', consent: true } });
  const template = (await admin.post('/api/v1/coupon-templates', { name: '邮件券', kind: 'amount_off', amount_off: 1000, valid_days: 30 })).body;

  const badTemplate = await marketer.post('/api/v1/campaigns', { name: 'x', channel: 'email', subject: 's', template: '{nam}', schedule: 'now', rules: { rules: [] } });
  assert.equal(fieldError(badTemplate, 'template'), 'Unknown variable {nam} in the template (use name, points, tier, coupon_code, store, expiry or next_best in braces)');

  const c = await marketer.post('/api/v1/campaigns', {
    name: '邮件活动', channel: 'email', subject: '{name}，专属礼券', template: '{name}您好，{store}送您券码 {coupon_code}，{expiry} 前有效。',
    coupon_template_id: template.id, schedule: 'now', control_pct: 30, rules: { rules: [{ field: 'tag', value: [tag.id] }] },
  });
  assert.equal(c.status, 201, c.text);
  const preview = await marketer.get(`/api/v1/campaigns/${c.body.id}/preview?member_id=${people[1].id}`);
  assert.equal(preview.body.subject, '邮客1，专属礼券');
  assert.match(preview.body.body, /^邮客1您好，营销甲店送您券码 XXXXXXXX/);
  const submitted = await marketer.post(`/api/v1/campaigns/${c.body.id}/submit`, {});
  assert.equal(submitted.body.status, 'pending_approval', 'above the threshold of 5');
  assert.equal((await marketer.post(`/api/v1/campaigns/${c.body.id}/approve`, {})).status, 403, 'a marketer may not approve');
  const approved = await regional.post(`/api/v1/campaigns/${c.body.id}/approve`, {});
  assert.equal(approved.status, 200, approved.text);
  assert.equal(approved.body.status, 'scheduled');

  await runJob('campaigns.dispatch');
  await runJob('messages.deliver');
  const results = (await marketer.get(`/api/v1/campaigns/${c.body.id}/results`)).body;
  const consenting = people.filter((_, i) => i % 5 !== 0);
  assert.equal(results.recipients.no_consent, people.length - consenting.length);
  assert.equal(results.recipients.no_address, 1);
  // A child is never in an audience: not a recipient at all, so not even counted as a minor.
  assert.equal(results.recipients.minor, 0);
  const toChild = (await admin.get('/api/v1/messages?channel=email&limit=200')).body.items.filter((m) => m.member_id === minor.id);
  assert.deepEqual(toChild, []);
  assert.equal(results.recipients.queued + results.recipients.control, consenting.length);
  assert.ok(results.recipients.control > 0 && results.recipients.queued > 0, JSON.stringify(results.recipients));
  assert.equal(results.messages.sent, results.recipients.queued);
  assert.equal(results.coupons.issued, results.recipients.queued);

  const got = mails();
  assert.equal(got.length, results.recipients.queued, 'the SMTP server got one mail per queued recipient');
  const byAddress = new Map(got.map((m) => [m.to, m]));
  assert.equal(byAddress.size, got.length, 'nobody twice');
  const first = people.find((p) => byAddress.has(`m${people.indexOf(p)}@shop.test`));
  const mail = byAddress.get(`m${people.indexOf(first)}@shop.test`);
  const coupons = (await admin.get(`/api/v1/members/${first.id}/coupons`)).body.items;
  assert.ok(coupons.some((k) => mail.body.includes(k.code)), 'the coupon code in the mail is the member\'s');
  assert.equal(mail.subject, `${first.name}，专属礼券`);
  assert.ok(!byAddress.has('kid@shop.test'), 'no marketing to a child');

  // Running the job again sends nobody twice; the control group got nothing.
  await runJob('campaigns.dispatch');
  await runJob('messages.deliver');
  assert.equal(mails().length, got.length);

  // The unsubscribe link in the mail withdraws email consent (RFC 8058 one-click POST).
  const link = /<([^>]+)>/.exec(mail.unsubscribe)[1];
  const page = await fetch(link);
  assert.equal(page.status, 200);
  const click = await fetch(link, { method: 'POST' });
  assert.equal(click.status, 200);
  assert.match(await click.text(), /已退订/);
  const consents = (await admin.get(`/api/v1/members/${first.id}`)).body.consents;
  assert.equal(consents.email.granted, false);
  assert.equal((await fetch(link.replace(/.$/, (c) => (c === '0' ? '1' : '0')), { method: 'POST' })).status, 404, 'a forged token');

  // A purchase by a recipient within the window counts for the treatment group.
  await sell(first.id, 8000);
  const after = (await marketer.get(`/api/v1/campaigns/${c.body.id}/results`)).body;
  assert.equal(after.treatment.buyers, 1);
  assert.equal(after.treatment.revenue, 8000);
  assert.equal(after.control.members, results.recipients.control);
  assert.equal(after.unsubscribed, 1);
  assert.ok(after.uplift && after.uplift.conversion_ci95.length === 2);
  await settings({ approval_threshold: 1000 });
});

test('SMS through a signed gateway: retried after a 500, the weekly cap, quiet hours, and TD opts out', async () => {
  const gateway = await receiver().start();
  const secret = 'gw-secret-123';
  await settings({ sms_mode: 'http', sms_url: gateway.url, sms_secret: secret, weekly_cap: 1 });
  const group = (await admin.post('/api/v1/tag-groups', { name: '短信' })).body;
  const tag = (await admin.post('/api/v1/tags', { group_id: group.id, name: '短信受众' })).body;
  const people = [];
  for (let i = 0; i < 6; i++) people.push(await member({ name: `短信${i}`, tags: [tag.id], consents: { sms: true } }));
  const rules = { rules: [{ field: 'tag', value: [tag.id] }] };

  gateway.failures.push(500);
  const c1 = await launch({ name: '短信一', channel: 'sms', template: '{name}，会员日快乐', schedule: 'now', control_pct: 0, rules });
  await runJob('campaigns.dispatch');
  await runJob('messages.deliver');
  let results = (await marketer.get(`/api/v1/campaigns/${c1.id}/results`)).body;
  assert.equal(results.messages.sent, 5, 'one failed with a 500 and waits to be retried');
  assert.equal(results.messages.queued, 1);
  const clock = await admin.post('/api/v1/test/clock', { advance_seconds: 31 });
  assert.equal(clock.status, 200, clock.text);
  await runJob('messages.deliver');
  results = (await marketer.get(`/api/v1/campaigns/${c1.id}/results`)).body;
  assert.equal(results.messages.sent, 6);
  assert.equal(gateway.got.length, 7);
  for (const r of gateway.got) {
    assert.ok(signatureOk(secret, r.headers['x-storecrm-signature'], r.body), 'signed');
    assert.equal(r.headers['idempotency-key'], `msg-${r.json.message_id}`);
    assert.match(r.json.text, /^短信\d，会员日快乐 回TD退订$/);
    assert.match(r.json.to, /^\+86139\d{8}$/);
  }
  const delivered = new Set(gateway.got.map((r) => r.json.message_id));
  assert.equal(delivered.size, 6, 'the retry reused the message id');

  // The weekly cap of 1: a second campaign this week reaches nobody.
  const c2 = await launch({ name: '短信二', channel: 'sms', template: '再见', schedule: 'now', control_pct: 0, rules });
  await runJob('campaigns.dispatch');
  results = (await marketer.get(`/api/v1/campaigns/${c2.id}/results`)).body;
  assert.equal(results.recipients.capped, 6);
  assert.equal(results.recipients.queued, 0);

  // Quiet hours around now (store time): queued, held until they end.
  await settings({ weekly_cap: 0 });
  const nowLocal = new Date(Date.parse((await admin.get('/api/v1/todos')).body.now) + 8 * 3600000);
  const hhmm = (d) => d.toISOString().slice(11, 16);
  await settings({ quiet_start: hhmm(new Date(nowLocal.getTime() - 3600000)), quiet_end: hhmm(new Date(nowLocal.getTime() + 3600000)) });
  const c3 = await launch({ name: '短信三', channel: 'sms', template: '晚安', schedule: 'now', control_pct: 0, rules });
  const before = gateway.got.length;
  await runJob('campaigns.dispatch');
  await runJob('messages.deliver');
  assert.equal(gateway.got.length, before, 'nothing during quiet hours');
  await admin.post('/api/v1/test/clock', { advance_seconds: 3700 });
  await runJob('messages.deliver');
  assert.equal(gateway.got.length, before + 6, 'sent when quiet hours end');
  await settings({ quiet_start: '00:00', quiet_end: '00:00' });

  // A reply of TD, forwarded signed by the gateway, opts that member out; unsigned is refused.
  const reply = JSON.stringify({ from: people[0].phone, text: ' td ' });
  const unsigned = await fetch(`${server.base}/api/v1/public/sms/replies`, { method: 'POST', body: reply, headers: { 'Content-Type': 'application/json' } });
  assert.equal(unsigned.status, 403);
  const signed = await fetch(`${server.base}/api/v1/public/sms/replies`, {
    method: 'POST', body: reply, headers: { 'Content-Type': 'application/json', 'X-Storecrm-Signature': sign(secret, reply, Date.parse((await admin.get('/api/v1/todos')).body.now)) } });
  assert.equal(signed.status, 200);
  assert.deepEqual(await signed.json(), { unsubscribed: true });
  const c4 = await launch({ name: '短信四', channel: 'sms', template: '新品', schedule: 'now', control_pct: 0, rules });
  await runJob('campaigns.dispatch');
  results = (await marketer.get(`/api/v1/campaigns/${c4.id}/results`)).body;
  assert.equal(results.recipients.no_consent, 1);
  assert.equal(results.recipients.queued, 5);
  await gateway.stop();
  await settings({ sms_mode: 'file' });
  void c3;
});

test('control groups are stable per campaign and member, and about the share asked for', async () => {
  const group = (await admin.post('/api/v1/tag-groups', { name: '对照' })).body;
  const tag = (await admin.post('/api/v1/tags', { group_id: group.id, name: '对照受众' })).body;
  const people = [];
  for (let i = 0; i < 60; i++) people.push(await member({ tags: [tag.id], consents: { sms: true } }));
  const rules = { rules: [{ field: 'tag', value: [tag.id] }] };
  const body = { channel: 'sms', template: '测试', schedule: 'recurring', recurring: { weekdays: [1, 2, 3, 4, 5, 6, 7], time: '00:00' }, control_pct: 40, rules };
  const c = await launch({ name: '对照一', ...body });
  await runJob('campaigns.dispatch');
  const first = (await marketer.get(`/api/v1/campaigns/${c.id}/results`)).body.recipients;
  assert.equal(first.control + first.queued, 60);
  assert.ok(first.control >= 12 && first.control <= 36, `about 40 % held out: ${first.control}`);
  // The next day's run holds out exactly the same members.
  await admin.post('/api/v1/test/clock', { advance_seconds: 86400 });
  await runJob('campaigns.dispatch');
  const second = (await marketer.get(`/api/v1/campaigns/${c.id}/results`)).body.recipients;
  assert.equal(second.control, first.control * 2);
  await marketer.post(`/api/v1/campaigns/${c.id}/pause`, {});
});

test('webhooks: signed deliveries of sales and members, retried with back-off, logged', async () => {
  const hook = await receiver().start();
  const bad = await admin.post('/api/v1/webhooks', { url: 'ftp://x', events: ['sale.exploded'] });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'url'));
  assert.equal(fieldError(bad, 'events'), 'Unknown event type: sale.exploded');
  const created = await admin.post('/api/v1/webhooks', { url: hook.url, events: ['sale.completed', 'member.created'] });
  assert.equal(created.status, 201, created.text);
  const secret = created.body.secret;
  assert.match(secret, /^whsec_/);
  assert.equal((await admin.get('/api/v1/webhooks')).body.items[0].secret, undefined, 'the secret is shown once');

  hook.failures.push(503);
  const m = await member({ name: '钩子' });
  const sale = await sell(m.id, 3000);
  await settle();
  await runJob('webhooks.deliver');
  const types = hook.got.map((r) => r.json.type).sort();
  assert.deepEqual(types, ['member.created', 'sale.completed']);
  for (const r of hook.got) assert.ok(signatureOk(secret, r.headers['x-storecrm-signature'], r.body));
  const failed = hook.got[0];
  await admin.post('/api/v1/test/clock', { advance_seconds: 31 });
  await runJob('webhooks.deliver');
  assert.equal(hook.got.length, 3, 'the 503 was retried');
  assert.equal(hook.got[2].json.id, failed.json.id, 'with the same event id');
  const saleEvent = hook.got.find((r) => r.json.type === 'sale.completed');
  assert.equal(saleEvent.json.data.sale_id, sale.id);
  assert.equal(saleEvent.json.data.member_id, m.id);
  assert.equal(saleEvent.json.data.total, 3000);
  const log = (await admin.get(`/api/v1/webhooks/${created.body.id}/deliveries`)).body.items;
  assert.equal(log.length, 2);
  assert.ok(log.every((d) => d.status === 'delivered'));
  assert.equal(log.find((d) => d.event_id === failed.json.id).attempts, 2);
  await hook.stop();
});

// Every v1 signature of an X-Storecrm-Signature header that `secret` made.
function signedWith(secret, header, body) {
  const m = /^t=(\d+)((?:,v1=[0-9a-f]{64})+)$/.exec(header || '');
  if (!m) return 0;
  const mine = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex');
  return m[2].split(',v1=').filter((v) => v === mine).length;
}

test('webhooks: a rotated secret signs beside the old one until the old one expires', async () => {
  const hook = await receiver().start();
  const created = (await admin.post('/api/v1/webhooks', { url: hook.url, events: ['webhook.test'] })).body;
  const path = `/api/v1/webhooks/${created.id}`;
  const deliverTest = async () => {
    await admin.post(`${path}/test`, {});
    await runJob('webhooks.deliver');
    return hook.got[hook.got.length - 1];
  };

  for (const [body, field] of [[{ keep_previous_hours: 169 }, 'keep_previous_hours'], [{ keep_previous_hours: 'day' }, 'keep_previous_hours'], [{ keep: 1 }, 'keep']]) {
    const refused = await admin.post(`${path}/rotate-secret`, body);
    assert.equal(refused.status, 400, JSON.stringify(body));
    assert.ok(fieldError(refused, field), `${field}: ${refused.text}`);
  }
  assert.equal((await admin.get('/api/v1/webhooks')).body.items.find((h) => h.id === created.id).version, created.version,
    'a refused rotation changes nothing');
  assert.equal((await marketer.post(`${path}/rotate-secret`, {})).status, 403);

  const now = Date.parse((await admin.get('/api/v1/todos')).body.now);
  const rotated = await admin.post(`${path}/rotate-secret`, {});
  assert.equal(rotated.status, 200, rotated.text);
  assert.match(rotated.body.secret, /^whsec_/);
  assert.notEqual(rotated.body.secret, created.secret);
  assert.equal(rotated.body.version, created.version + 1);
  const expires = Date.parse(rotated.body.previous_secret_expires_at);
  assert.ok(Math.abs(expires - (now + 24 * 3600000)) < 120000, `the old secret is honoured a day: ${rotated.body.previous_secret_expires_at}`);
  const listed = (await admin.get('/api/v1/webhooks')).body.items.find((h) => h.id === created.id);
  assert.equal(listed.secret, undefined, 'the new secret is shown once');
  assert.equal(listed.previous_secret_expires_at, rotated.body.previous_secret_expires_at);

  let got = await deliverTest();
  const header = got.headers['x-storecrm-signature'];
  assert.equal(header.split(',v1=').length, 3, `two signatures during the switch-over: ${header}`);
  assert.equal(signedWith(rotated.body.secret, header, got.body), 1);
  assert.equal(signedWith(created.secret, header, got.body), 1);

  await admin.post('/api/v1/test/clock', { advance_seconds: 24 * 3600 + 60 });
  got = await deliverTest();
  assert.ok(signatureOk(rotated.body.secret, got.headers['x-storecrm-signature'], got.body), 'one signature, the new secret');
  assert.equal(signedWith(created.secret, got.headers['x-storecrm-signature'], got.body), 0, 'the old secret no longer signs');
  assert.equal((await admin.get('/api/v1/webhooks')).body.items.find((h) => h.id === created.id).previous_secret_expires_at, null);

  // After a leak: the replaced secret stops signing at once.
  const leaked = await admin.post(`${path}/rotate-secret`, { keep_previous_hours: 0 });
  assert.equal(leaked.body.previous_secret_expires_at, null);
  got = await deliverTest();
  assert.ok(signatureOk(leaked.body.secret, got.headers['x-storecrm-signature'], got.body));
  assert.equal(signedWith(rotated.body.secret, got.headers['x-storecrm-signature'], got.body), 0);

  const audit = (await admin.get('/api/v1/audit?action=webhook.rotate_secret')).body.items;
  assert.equal(audit.length, 2);
  assert.equal(audit[0].detail.keep_previous_hours, 0, "newest first");
  await hook.stop();
});

test('targets: sales and new members per store with progress', async () => {
  const period = new Date(Date.parse((await admin.get('/api/v1/todos')).body.now) + 8 * 3600000).toISOString().slice(0, 7);
  assert.equal(fieldError(await admin.post('/api/v1/targets', { scope: 'store', subject_id: storeB, metric: 'sales', period: '2026-13', target: 1 }), 'period'),
    'A period is 2026, 2026-Q4 or 2026-11');
  const set = await admin.post('/api/v1/targets', { scope: 'store', subject_id: storeB, metric: 'sales', period, target: 100000 });
  assert.equal(set.status, 201, set.text);
  const m = await member({ home_store_id: storeB });
  await sell(m.id, 25000, storeB);
  const list = (await regional.get(`/api/v1/targets?period=${period}`)).body.items;
  const t = list.find((x) => x.id === set.body.id);
  assert.equal(t.actual, 25000);
  assert.equal(t.progress_pct, 25);
  assert.equal(t.subject_name, '营销乙店');
  assert.equal((await marketer.post('/api/v1/targets', { scope: 'store', subject_id: storeB, metric: 'sales', period, target: 5 })).status, 403);
});

test('trigger campaigns: welcome, birthday and N days since the last purchase, each once per occasion', async () => {
  const group = (await admin.post('/api/v1/tag-groups', { name: '触发' })).body;
  const tag = (await admin.post('/api/v1/tags', { group_id: group.id, name: '触发受众' })).body;
  const rules = { rules: [{ field: 'tag', value: [tag.id] }] };
  const base = { channel: 'sms', template: '{name}', schedule: 'trigger', control_pct: 0, rules };
  const welcome = await launch({ name: '欢迎', ...base, trigger: { kind: 'welcome' } });
  const birthday = await launch({ name: '生日', ...base, trigger: { kind: 'birthday' } });
  const lapse = await launch({ name: '久未到店', ...base, trigger: { kind: 'days_since_purchase', days: 30 } });
  assert.equal(fieldError(await marketer.post('/api/v1/campaigns', { name: 'x', ...base, trigger: { kind: 'rain' } }), 'trigger.kind'),
    'Invalid value; choose one of: welcome, birthday, days_since_purchase, tier_change, points_expiring, cycle_due');

  const now = Date.parse((await admin.get('/api/v1/todos')).body.now);
  const today = new Date(now + 8 * 3600000).toISOString().slice(5, 10);
  const newcomer = await member({ name: '新会员', tags: [tag.id], consents: { sms: true } });
  const celebrant = await member({ name: '寿星', birthday: `1990-${today}`, tags: [tag.id], consents: { sms: true } });
  const regular = await member({ name: '老顾客', tags: [tag.id], consents: { sms: true } });
  await sell(regular.id, 2000);
  await settle();
  await runJob('campaigns.dispatch');
  const got = async (c) => (await marketer.get(`/api/v1/campaigns/${c.id}/results`)).body.recipients.queued;
  assert.equal(await got(welcome), 3, 'all three joined after the welcome campaign started');
  assert.equal(await got(birthday), 1);
  assert.equal(await got(lapse), 0, 'bought today');
  const preview = await marketer.get(`/api/v1/campaigns/${birthday.id}/preview?member_id=${celebrant.id}`);
  assert.equal(preview.body.body, '寿星');
  // A month later: the regular lapsed (once), nobody is welcomed or congratulated again.
  await admin.post('/api/v1/test/clock', { advance_seconds: 31 * 86400 });
  await runJob('campaigns.dispatch');
  await runJob('campaigns.dispatch');
  assert.equal(await got(lapse), 1);
  assert.equal(await got(welcome), 3);
  assert.equal(await got(birthday), 1);
  void newcomer;
});
