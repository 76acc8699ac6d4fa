// More marketing over HTTP: the trigger campaigns that follow loyalty and service data (a tier
// change, points about to expire, a member due by their own purchase cycle), each sent once per
// occasion and only to the member it concerns; a segment exported as an Excel file; the WeChat
// channel failing its messages without a provider; and SMTP with a user name and password
// against a server that requires AUTH. The server runs with --test-clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TestServer } from '../support/server.mjs';
import { marketingKit, parseMail, startAuthSmtp } from '../support/marketing.mjs';

let server;
let admin;
let marketer;
let storeA;
let workDir;
const ctx = {};
const { settle, advance, runJob, member, sell, settings, launch } = marketingKit(ctx);

const DAY = 86400;

// The server's clock (the tests move it).
async function serverNow() {
  return Date.parse((await admin.get('/api/v1/todos')).body.now);
}

// Runs the outbox and waits (≤ 5 s) until no message is being sent any more: the scheduler's
// own run of messages.deliver may hold a message in `sending` while ours returns.
async function deliver() {
  await runJob('messages.deliver');
  for (let i = 0; i < 25; i++) {
    const r = await admin.get('/api/v1/messages?status=sending&limit=1');
    assert.equal(r.status, 200, r.text);
    if (r.body.total === 0) return;
    await new Promise((res) => setTimeout(res, 200));
  }
  assert.fail('messages still sending after 5 s');
}

// The marketing messages of a channel in the message log, oldest first.
async function messageLog(channel) {
  const out = [];
  let cursor = '';
  for (;;) {
    const r = await admin.get(`/api/v1/messages?channel=${channel}&purpose=marketing&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.body.items);
    if (!r.body.next_cursor) break;
    cursor = r.body.next_cursor;
  }
  return out.sort((a, b) => a.id - b.id);
}

// The SMS messages whose body starts with `prefix` (each campaign here has its own wording),
// as [member_id, body, status].
async function smsStartingWith(prefix) {
  return (await messageLog('sms')).filter((m) => m.body.startsWith(prefix)).map((m) => [m.member_id, m.body, m.status]);
}

async function audienceTag(name) {
  const group = (await admin.post('/api/v1/tag-groups', { name: `${name}组` })).body;
  const tag = await admin.post('/api/v1/tags', { group_id: group.id, name });
  assert.equal(tag.status, 201, tag.text);
  return { tag: tag.body, rules: { rules: [{ field: 'tag', value: [tag.body.id] }] } };
}

async function results(campaign) {
  const r = await marketer.get(`/api/v1/campaigns/${campaign.id}/results`);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

// Two passes of the dispatcher (a trigger must not send twice), then the outbox.
async function dispatchTwiceAndDeliver() {
  await runJob('campaigns.dispatch');
  await runJob('campaigns.dispatch');
  await deliver();
}

before(async () => {
  // Sessions outlive the clock moves below (weeks of purchase history).
  server = await new TestServer({ args: ['--test-clock', '--idle-timeout', '8640000', '--session-lifetime', '8640000'] }).start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  storeA = (await admin.post('/api/v1/stores', { code: 'MX', name: '营销丙店', type: 'direct', region: '华东' })).body.id;
  marketer = await server.staffWithRole(admin, 'marketer_2', 'marketer', []);
  const regional = await server.staffWithRole(admin, 'regional_2', 'regional_manager', [storeA]);
  Object.assign(ctx, { admin, marketer, approver: regional, store: storeA });
  const p = await admin.post('/api/v1/products', { sku: 'MK-01', name: '面霜', price: 5000 });
  assert.equal(p.status, 201, p.text);
  // No quiet hours, no weekly cap, no approval: the campaigns below are small.
  await settings({ quiet_start: '00:00', quiet_end: '00:00', weekly_cap: 0, approval_threshold: 1000 });
  workDir = mkdtempSync(path.join(tmpdir(), 'storecrm-mkmore-'));
});

after(async () => {
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('tier_change: the member whose tier changed gets one message per change (upgrades and a downgrade), nobody else', async () => {
  const silver = await admin.post('/api/v1/tiers', { code: 'silver', name: '银卡', rank: 1, qualify_by: 'spend', window_days: 0, threshold: 100000, grace_days: 0 });
  assert.equal(silver.status, 201, silver.text);
  const gold = await admin.post('/api/v1/tiers', { code: 'gold', name: '金卡', rank: 2, qualify_by: 'spend', window_days: 0, threshold: 300000, grace_days: 0 });
  assert.equal(gold.status, 201, gold.text);
  const { tag, rules } = await audienceTag('升级受众');
  const sms = { tags: [tag.id], consents: { sms: true } };

  // Upgraded before the campaign goes live: not an occasion of this campaign.
  const early = await member({ name: '早升级', ...sms });
  await sell(early.id, 120000);
  await settle();
  const campaign = await launch({ name: '等级变动', channel: 'sms', template: '等级通知：{name}现为{tier}', schedule: 'trigger',
    trigger: { kind: 'tier_change' }, control_pct: 0, rules });
  assert.equal((await marketer.get(`/api/v1/campaigns/${campaign.id}`)).body.status, 'active');

  const climber = await member({ name: '升级者', ...sms });
  const small = await member({ name: '小额客', ...sms });
  const outsider = await member({ name: '圈外人', consents: { sms: true } });
  await sell(climber.id, 150000);
  await sell(small.id, 5000);
  await sell(outsider.id, 150000);
  const tierOf = async (m) => (await admin.get(`/api/v1/members/${m.id}/tier`)).body.current?.name ?? null;
  assert.equal(await tierOf(climber), '银卡', 'precondition: the spend upgraded the member');
  assert.equal(await tierOf(outsider), '银卡');
  assert.equal(await tierOf(small), null);
  await settle();
  await dispatchTwiceAndDeliver();
  assert.deepEqual(await smsStartingWith('等级通知'), [[climber.id, '等级通知：升级者现为银卡 回TD退订', 'sent']],
    'only the upgraded member of the audience, once');

  // A second upgrade is a new occasion.
  const big = await sell(climber.id, 200000);
  assert.equal(await tierOf(climber), '金卡');
  await settle();
  await dispatchTwiceAndDeliver();
  assert.deepEqual((await smsStartingWith('等级通知')).map(([id, body]) => [id, body]), [
    [climber.id, '等级通知：升级者现为银卡 回TD退订'],
    [climber.id, '等级通知：升级者现为金卡 回TD退订'],
  ]);

  // Refunding the big sale leaves the member below gold; the tier review moves them down (no
  // grace days: the first review marks it due, the next one downgrades) — a third occasion.
  const refund = await admin.post(`/api/v1/sales/${big.id}/refunds`, { reason: '退货' }, { headers: { 'Idempotency-Key': randomUUID() } });
  assert.equal(refund.status, 201, refund.text);
  await runJob('tiers.review');
  await advance(60);
  await runJob('tiers.review');
  const history = (await admin.get(`/api/v1/members/${climber.id}/tier`)).body;
  assert.equal(history.current?.name, '银卡', `precondition: downgraded by the review: ${JSON.stringify(history)}`);
  assert.ok(history.history.some((h) => h.reason === 'downgrade'));
  await settle();
  await dispatchTwiceAndDeliver();
  const sent = await smsStartingWith('等级通知');
  assert.deepEqual(sent.map(([id, body]) => [id, body]), [
    [climber.id, '等级通知：升级者现为银卡 回TD退订'],
    [climber.id, '等级通知：升级者现为金卡 回TD退订'],
    [climber.id, '等级通知：升级者现为银卡 回TD退订'],
  ]);
  assert.ok(sent.every(([, , status]) => status === 'sent'));
  assert.equal((await results(campaign)).recipients.queued, 3);
  await marketer.post(`/api/v1/campaigns/${campaign.id}/pause`, {});
});

test('points_expiring: a member whose points expire within the window gets one message per expiry date; later expiries wait their turn', async () => {
  const { tag, rules } = await audienceTag('积分到期受众');
  const sms = { tags: [tag.id], consents: { sms: true } };
  const expiry = async (policy) => {
    const r = await admin.put('/api/v1/loyalty/settings', { expiry: policy });
    assert.equal(r.status, 200, r.text);
  };
  const adjust = async (m, points) => {
    const r = await admin.post(`/api/v1/members/${m.id}/points/adjustments`, { points, reason: '活动补发' });
    assert.ok(r.status === 200 || r.status === 201, r.text);
  };
  const campaign = await launch({ name: '积分到期', channel: 'sms', template: '积分提醒：{name}有{points}分将到期', schedule: 'trigger',
    trigger: { kind: 'points_expiring', days: 7 }, control_pct: 0, rules });

  // Points earned now under "days:3" expire in four local days; under "days:30" in about a month.
  await expiry('days:3');
  const soon = await member({ name: '快到期', ...sms });
  await adjust(soon, 300);
  const outsider = await member({ name: '圈外人', consents: { sms: true } });
  await adjust(outsider, 200);
  await expiry('days:30');
  const later = await member({ name: '晚到期', ...sms });
  await adjust(later, 500);
  const none = await member({ name: '无积分', ...sms });
  await expiry('end_of_next_year');

  const now = await serverNow();
  // When the member's points lot expires (the adjustment's ledger row).
  const nextExpiry = async (m) => {
    const items = (await admin.get(`/api/v1/members/${m.id}/points`)).body.items;
    assert.equal(items.length, 1, JSON.stringify(items));
    return Date.parse(items[0].expires_at);
  };
  const soonAt = await nextExpiry(soon);
  const laterAt = await nextExpiry(later);
  assert.ok(soonAt > now && soonAt <= now + 7 * DAY * 1000, `precondition: within the week (${new Date(soonAt).toISOString()})`);
  assert.ok(laterAt > now + 7 * DAY * 1000, `precondition: beyond the week (${new Date(laterAt).toISOString()})`);

  await settle();
  await dispatchTwiceAndDeliver();
  assert.deepEqual(await smsStartingWith('积分提醒'), [[soon.id, '积分提醒：快到期有300分将到期 回TD退订', 'sent']]);

  // 25 days on: the first lot has expired, the second is now within the week.
  await advance(25 * DAY);
  assert.ok(laterAt > (await serverNow()) && laterAt <= (await serverNow()) + 7 * DAY * 1000, 'precondition: the later lot is now due');
  await settle();
  await dispatchTwiceAndDeliver();
  assert.deepEqual((await smsStartingWith('积分提醒')).map(([id, body]) => [id, body]), [
    [soon.id, '积分提醒：快到期有300分将到期 回TD退订'],
    [later.id, '积分提醒：晚到期有500分将到期 回TD退订'],
  ]);
  assert.equal((await results(campaign)).recipients.queued, 2);
  void none;
  await marketer.post(`/api/v1/campaigns/${campaign.id}/pause`, {});
});

test('cycle_due: a member due by their own purchase cycle (reminders.daily) gets one message; too few purchases or outside the audience gets none', async () => {
  const { tag, rules } = await audienceTag('复购受众');
  const sms = { tags: [tag.id], consents: { sms: true } };
  const campaign = await launch({ name: '复购提醒', channel: 'sms', template: '复购：{name}，常买的该补货了', schedule: 'trigger',
    trigger: { kind: 'cycle_due' }, control_pct: 0, rules });
  const regular = await member({ name: '规律客', ...sms });
  const twice = await member({ name: '两次客', ...sms });
  const outsider = await member({ name: '圈外人', consents: { sms: true } });

  // Every ten days: three purchases for the regular and the outsider, two for the other.
  for (const m of [regular, twice, outsider]) await sell(m.id, 3000);
  await advance(10 * DAY);
  for (const m of [regular, twice, outsider]) await sell(m.id, 3000);
  await advance(10 * DAY);
  for (const m of [regular, outsider]) await sell(m.id, 3000);
  await advance(9 * DAY);  // the next purchase is due tomorrow
  const cycle = (await admin.get(`/api/v1/members/${regular.id}/purchase-cycle`)).body;
  assert.equal(cycle.median_days, 10, JSON.stringify(cycle));
  assert.equal(cycle.purchases, 3);

  await runJob('reminders.daily');
  const tasks = (await admin.get(`/api/v1/tasks?member_id=${regular.id}&origin=reminder&limit=50`)).body.items;
  // The title in the reader's language (this admin reads English).
  assert.ok(tasks.some((t) => t.title === 'Repurchase reminder: 规律客'), `the cycle reminder: ${JSON.stringify(tasks.map((t) => t.title))}`);
  const cycleTasks = async (m) => (await admin.get(`/api/v1/tasks?member_id=${m.id}&origin=reminder&limit=50`)).body.items
    .filter((t) => t.origin_ref.startsWith('cycle:')).length;
  assert.equal(await cycleTasks(twice), 0, 'two purchases are no cycle');
  const made = await cycleTasks(regular);
  await runJob('reminders.daily');
  assert.equal(await cycleTasks(regular), made, 'a second pass the same day makes nothing new');
  await settle();
  await dispatchTwiceAndDeliver();
  assert.deepEqual(await smsStartingWith('复购：'), [[regular.id, '复购：规律客，常买的该补货了 回TD退订', 'sent']]);

  // The next day's reminder pass finds the same due date: no second message.
  await advance(DAY);
  await runJob('reminders.daily');
  await settle();
  await dispatchTwiceAndDeliver();
  assert.equal((await smsStartingWith('复购：')).length, 1);
  assert.equal((await results(campaign)).recipients.queued, 1);
  await marketer.post(`/api/v1/campaigns/${campaign.id}/pause`, {});
});

// The shared strings and the rows of the first sheet of an .xlsx file, by unzip.
function readXlsx(file) {
  const unzip = (entry) => execFileSync('unzip', ['-p', file, entry]).toString('utf8');
  const xml = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const types = unzip('\\[Content_Types\\].xml');  // unzip reads [ ] as a wildcard class
  const workbook = unzip('xl/workbook.xml');
  const sheets = [...workbook.matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => xml(m[1]));
  const shared = [...unzip('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => [...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => xml(t[1])).join(''));
  // Each row as an array by column letter (an empty cell is left out of the XML).
  const column = (letters) => [...letters].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const rows = [...unzip('xl/worksheets/sheet1.xml').matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)].map((row) => {
    const cells = [];
    for (const [, letters, attrs, inner] of row[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const v = /<v>([\s\S]*?)<\/v>/.exec(inner || '')?.[1];
      cells[column(letters)] = v === undefined ? xml(/<t[^>]*>([\s\S]*?)<\/t>/.exec(inner || '')?.[1] ?? '')
        : /t="s"/.test(attrs) ? shared[Number(v)] : v;
    }
    return Array.from(cells, (c) => c ?? '');
  });
  return { types, sheets, shared, rows };
}

test('segment export as Excel: a real .xlsx whose first sheet lists exactly the segment\'s members, phones masked for a marketer', async () => {
  const { tag, rules } = await audienceTag('导出受众');
  const inside = [];
  for (let i = 0; i < 5; i++) inside.push(await member({ name: `导出${i}`, tags: [tag.id] }));
  const outside = [await member({ name: '不导出甲' }), await member({ name: '不导出乙' })];
  await sell(inside[0].id, 12345);
  await settle();
  const seg = await marketer.post('/api/v1/segments', { name: '导出测试分群', rules });
  assert.equal(seg.status, 201, seg.text);
  assert.equal(seg.body.member_count, inside.length);

  const r = await marketer.get(`/api/v1/segments/${seg.body.id}/export?format=xlsx`);
  assert.equal(r.status, 200, r.text.slice(0, 200));
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const chinaDate = new Date((await serverNow()) + 8 * 3600 * 1000).toISOString().slice(0, 10);
  assert.equal(r.headers.get('content-disposition'), `attachment; filename="segment-${seg.body.id}-${chinaDate}.xlsx"`);
  assert.deepEqual([...r.bytes.subarray(0, 4)], [0x50, 0x4b, 0x03, 0x04], 'a zip file');
  const file = path.join(workDir, 'segment.xlsx');
  writeFileSync(file, r.bytes);
  const { types, sheets, shared, rows } = readXlsx(file);
  assert.match(types, /application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet\.main\+xml/, 'an Excel workbook inside');
  assert.ok(sheets.length >= 1, 'a workbook with a sheet');

  assert.deepEqual(rows[0], ['member_no', 'name', 'phone', 'store', 'tier', 'total_spend_yuan', 'last_purchase', 'points', 'rfm_class', 'lifecycle', 'value_group']);
  const body = rows.slice(1);
  assert.deepEqual(body.map((row) => row[0]).sort(), inside.map((m) => m.member_no).sort(), 'exactly the segment\'s member numbers');
  for (const m of outside) assert.ok(!shared.includes(m.member_no), `${m.member_no} is not in the segment`);
  const byNo = new Map(body.map((row) => [row[0], row]));
  for (const m of inside) {
    const row = byNo.get(m.member_no);
    assert.equal(row[1], m.name);
    assert.match(row[2], /\*\*\*\*/, 'a marketer sees masked phones');
    assert.equal(row[3], '营销丙店');
    assert.ok(!shared.some((s) => s.includes(m.phone)), 'no full phone number in the file');
  }
  assert.equal(Number(byNo.get(inside[0].member_no)[5]), 123.45, 'the spend in yuan');
  // The same members as the segment's member list.
  const listed = (await marketer.get(`/api/v1/segments/${seg.body.id}/members?limit=50`)).body.items.map((m) => m.member_no).sort();
  assert.deepEqual(body.map((row) => row[0]).sort(), listed);

  const audit = (await admin.get(`/api/v1/audit?action=segment.export&entity_id=${seg.body.id}`)).body.items;
  assert.equal(audit.length, 1);
  const detail = typeof audit[0].detail === 'string' ? JSON.parse(audit[0].detail) : audit[0].detail;
  assert.equal(detail.format, 'xlsx');
  assert.equal(detail.rows, inside.length);
});

test('WeChat without a provider: the queued message ends failed (not retried) with "no WeChat provider configured"', async () => {
  const { tag, rules } = await audienceTag('微信受众');
  const fan = await member({ name: '微信粉', wechat_id: 'wx_fan_001', tags: [tag.id], consents: { wechat: true } });
  const noId = await member({ name: '无微信号', tags: [tag.id], consents: { wechat: true } });
  const noConsent = await member({ name: '未同意', wechat_id: 'wx_no_002', tags: [tag.id], consents: { wechat: false } });
  await settle();
  const campaign = await launch({ name: '微信推送', channel: 'wechat', template: '{name}，微信专享', schedule: 'now', control_pct: 0, rules });
  await runJob('campaigns.dispatch');
  await deliver();

  const res = await results(campaign);
  assert.deepEqual({ queued: res.recipients.queued, no_address: res.recipients.no_address, no_consent: res.recipients.no_consent },
    { queued: 1, no_address: 1, no_consent: 1 });
  assert.equal(res.messages.failed, 1, JSON.stringify(res.messages));
  assert.equal(res.messages.sent, 0);
  assert.equal(res.messages.queued, 0, 'not waiting for a retry');
  const log = (await messageLog('wechat')).filter((m) => m.body.includes('微信专享'));
  assert.deepEqual(log.map((m) => [m.member_id, m.body, m.status]), [[fan.id, '微信粉，微信专享', 'failed']]);
  assert.equal(log[0].reason, 'no WeChat provider configured');  // what the message log shows staff
  const row = () => server.sql(`SELECT status, last_error, attempts FROM messages WHERE id = ${log[0].id}`);
  assert.equal(row(), 'failed|no WeChat provider configured|1');
  // A later outbox run does not try again.
  await advance(3700);
  await deliver();
  assert.equal(row(), 'failed|no WeChat provider configured|1');
  void noId; void noConsent;
});

test('SMTP with a user name and password: sent through an AUTH-only server with the right password; a wrong one fails the message (Login denied), not retried', async () => {
  const smtp = await startAuthSmtp({ user: 'crm-mailer', password: 'Right#Pass-2026', logFile: path.join(workDir, 'smtp.jsonl') });
  try {
    const saved = await settings({ email_mode: 'smtp', smtp_url: `smtp://127.0.0.1:${smtp.port}`, smtp_from: 'crm@shop.test',
      smtp_username: 'crm-mailer', smtp_password: 'Right#Pass-2026', public_base_url: server.base });
    assert.equal(saved.smtp_username, 'crm-mailer');
    assert.equal(saved.smtp_password_set, true);
    assert.equal(saved.smtp_password, undefined, 'the password is write-only');
    assert.equal((await admin.get('/api/v1/marketing/settings')).body.smtp_password, undefined);

    const { tag: tag1, rules: rules1 } = await audienceTag('认证邮件一');
    const first = await member({ name: '邮件甲', email: 'auth-one@shop.test', tags: [tag1.id], consents: { email: true } });
    await settle();
    const c1 = await launch({ name: '认证邮件一', channel: 'email', subject: '{name}，会员通知', template: '{name}，这封信经过认证发出。',
      schedule: 'now', control_pct: 0, rules: rules1 });
    await runJob('campaigns.dispatch');
    await deliver();
    const r1 = await results(c1);
    assert.equal(r1.messages.sent, 1, JSON.stringify(r1.messages));
    const events = smtp.events();
    assert.deepEqual(events.filter((e) => e.event === 'auth').map((e) => [e.login, e.ok]), [['crm-mailer', true]]);
    const mails = events.filter((e) => e.event === 'mail');
    assert.equal(mails.length, 1);
    assert.equal(mails[0].authenticated, true);
    assert.deepEqual(mails[0].rcpt_tos, ['auth-one@shop.test']);
    assert.equal(mails[0].mail_from, 'crm@shop.test');
    const mail = parseMail(mails[0].content);
    assert.equal(mail.to, 'auth-one@shop.test');
    assert.equal(mail.subject, '邮件甲，会员通知');
    assert.match(mail.body, /^邮件甲，这封信经过认证发出。/);
    assert.match(mail.messageId, /^<msg-\d+@storecrm>$/);
    const sentLog = (await messageLog('email')).filter((m) => m.member_id === first.id);
    assert.deepEqual(sentLog.map((m) => m.status), ['sent']);

    // A wrong password: the server refuses the login; the message fails at once with the reason.
    await settings({ smtp_password: 'Wrong#Pass-2026' });
    const { tag: tag2, rules: rules2 } = await audienceTag('认证邮件二');
    const second = await member({ name: '邮件乙', email: 'auth-two@shop.test', tags: [tag2.id], consents: { email: true } });
    await settle();
    const c2 = await launch({ name: '认证邮件二', channel: 'email', subject: '通知', template: '{name}，第二封。',
      schedule: 'now', control_pct: 0, rules: rules2 });
    await runJob('campaigns.dispatch');
    await deliver();
    const r2 = await results(c2);
    assert.deepEqual({ sent: r2.messages.sent, failed: r2.messages.failed, queued: r2.messages.queued }, { sent: 0, failed: 1, queued: 0 });
    const after = smtp.events();
    assert.deepEqual(after.filter((e) => e.event === 'auth').map((e) => [e.login, e.ok]), [['crm-mailer', true], ['crm-mailer', false]]);
    assert.equal(after.filter((e) => e.event === 'mail').length, 1, 'nothing delivered with the wrong password');
    const failedLog = (await messageLog('email')).filter((m) => m.member_id === second.id);
    assert.deepEqual(failedLog.map((m) => [m.status, m.reason]), [['failed', 'Login denied']]);
    const row = () => server.sql(`SELECT status, last_error, attempts FROM messages WHERE id = ${failedLog[0].id}`);
    assert.equal(row(), 'failed|Login denied|1');
    // Not retried later.
    await advance(120);
    await deliver();
    assert.equal(row(), 'failed|Login denied|1');
    assert.equal(smtp.events().filter((e) => e.event === 'auth').length, 2);
  } finally {
    smtp.stop();
    await settings({ email_mode: 'file' });
  }
});
