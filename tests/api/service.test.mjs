// Service and follow-up over HTTP: interactions whose next step becomes a task, my work today,
// guide handover, reminders (also with two instances running the job at once), complaints
// from intake to closure with an SLA breach on a moved clock, surveys by signed link, member
// events, and the dashboard's to-dos. The server runs with --test-clock; nothing sleeps.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TestServer, fieldError } from '../support/server.mjs';

let server;
let admin;
let storeA;
let storeB;
let guide;
let guideId;
let guideB;
let manager;
let regional;
let regionalId;
let product;

let phoneSeq = 13700000000;
const nextPhone = () => String(++phoneSeq);
const DAY = 86400000;

// The store-local (Shanghai) date `days` from the server's now, as YYYY-MM-DD.
async function serverNow() {
  const r = await admin.get('/api/v1/todos');
  assert.equal(r.status, 200, r.text);
  return Date.parse(r.body.now);
}

async function localDate(days) {
  const now = await serverNow();
  return new Date(now + 8 * 3600000 + days * DAY).toISOString().slice(0, 10);
}

async function member(extra = {}) {
  const r = await admin.post('/api/v1/members', { phone: nextPhone(), name: '会员', home_store_id: storeA, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function sell(memberId, soldAt, quantity = 1) {
  const r = await admin.post('/api/v1/sales', {
    store_id: storeA, terminal: 'T1', member_id: memberId, lines: [{ sku: 'SVC-01', quantity }],
    payments: [{ method: 'cash', amount: 5000 * quantity }], ...(soldAt ? { sold_at: soldAt } : {}),
  }, { headers: { 'Idempotency-Key': randomUUID() } });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function runJob(client, name) {
  const r = await client.post(`/api/v1/jobs/${name}/run`, {});
  assert.equal(r.status, 200, r.text);
}

before(async () => {
  server = await new TestServer({ args: ['--test-clock'] }).start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  // Store A is open around the clock so SLA arithmetic in the tests is plain; B keeps hours.
  storeA = (await admin.post('/api/v1/stores', { code: 'SA', name: '服务甲店', type: 'direct', region: '华东', opens_at: '00:00', closes_at: '24:00' })).body.id;
  storeB = (await admin.post('/api/v1/stores', { code: 'SB', name: '服务乙店', type: 'direct', region: '华东' })).body.id;
  guide = await server.staffWithRole(admin, 'guide_a', 'guide', [storeA]);
  guideId = (await guide.get('/api/v1/me')).body.user.id;
  guideB = await server.staffWithRole(admin, 'guide_b', 'guide', [storeB]);
  manager = await server.staffWithRole(admin, 'manager_a', 'store_manager', [storeA]);
  regional = await server.staffWithRole(admin, 'regional', 'regional_manager', [storeA, storeB]);
  regionalId = (await regional.get('/api/v1/me')).body.user.id;
  product = await admin.post('/api/v1/products', { sku: 'SVC-01', name: '洗发水', price: 5000 });
  assert.equal(product.status, 201, product.text);
  // Reminders other than the ones a test sets up stay quiet.
  const settings = await admin.get('/api/v1/service/settings');
  const off = await admin.put('/api/v1/service/settings', { dormancy_days: 0, cycle_reminders: false, member_day_reminders: false, version: settings.body.version });
  assert.equal(off.status, 200, off.text);
});
after(() => server.stop());

test('a logged interaction with a next step makes a task, and both show on the timeline', async () => {
  const m = await member({ guide_id: guideId });
  await sell(m.id);
  const bad = await guide.post(`/api/v1/members/${m.id}/interactions`, { channel: 'fax', summary: '' });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'channel'));
  assert.equal(fieldError(bad, 'summary'), 'Required');
  assert.ok(fieldError(bad, 'direction'));
  const zh = server.client({ lang: 'zh-CN' });
  zh.cookie = guide.cookie;
  zh.csrf = guide.csrf;
  assert.equal(fieldError(await zh.post(`/api/v1/members/${m.id}/interactions`, { channel: 'phone', direction: 'outbound' }), 'summary'), '必填');

  const due = await localDate(2);
  const r = await guide.post(`/api/v1/members/${m.id}/interactions`, {
    channel: 'phone', direction: 'outbound', summary: '回访新款试穿', feedback: '喜欢颜色', sentiment: 'positive',
    next_step: '到店试穿后跟进', next_step_due: due,
  });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.staff.name, 'guide_a');
  assert.ok(r.body.task_id);
  const task = (await guide.get(`/api/v1/tasks?member_id=${m.id}`)).body.items[0];
  assert.equal(task.id, r.body.task_id);
  assert.equal(task.origin, 'interaction');
  assert.equal(task.title, '到店试穿后跟进');
  assert.equal(task.assignee.id, guideId);
  // Due at the end of that day in the store's zone (Shanghai, UTC+8): 15:59:59Z.
  assert.equal(task.due_at, `${due}T15:59:59Z`);

  const timeline = (await guide.get(`/api/v1/members/${m.id}/timeline`)).body;
  const kinds = timeline.items.map((i) => i.kind);
  for (const kind of ['sale', 'interaction', 'task']) assert.ok(kinds.includes(kind), `${kind} in ${kinds}`);
  assert.equal(timeline.items.find((i) => i.kind === 'interaction').title, '回访新款试穿');
  const times = timeline.items.map((i) => i.at);
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  // Paging one entry at a time walks the same list, even through entries of one second.
  const walked = [];
  let before = '';
  do {
    const page = (await guide.get(`/api/v1/members/${m.id}/timeline?limit=1${before ? `&before=${before}` : ''}`)).body;
    assert.equal(page.items.length, 1);
    walked.push(page.items[0]);
    before = page.next_before;
  } while (before);
  assert.deepEqual(walked, timeline.items);

  // A guide of another store sees none of it.
  assert.equal((await guideB.get(`/api/v1/members/${m.id}/interactions`)).status, 404);
  assert.equal((await guideB.get(`/api/v1/tasks?member_id=${m.id}`)).body.total, 0);
});

test('my work today lists my tasks; finishing one by a logged call closes it with the outcome', async () => {
  const m = await member({ guide_id: guideId });
  const other = await guide.post('/api/v1/tasks', { title: '给别人建任务', store_id: storeA, due_at: await localDate(0), assignee_id: regionalId });
  assert.equal(other.status, 400);
  assert.ok(fieldError(other, 'assignee_id'));
  const created = await guide.post('/api/v1/tasks', { title: '电话确认取货', member_id: m.id, due_at: await localDate(0), priority: 'high' });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.store_id, storeA);

  const today = (await guide.get('/api/v1/tasks/today')).body;
  assert.ok(today.today.some((t) => t.id === created.body.id));
  assert.equal((await guideB.get(`/api/v1/tasks?status=open`)).body.items.some((t) => t.id === created.body.id), false);
  assert.equal((await guideB.post(`/api/v1/tasks/${created.body.id}/complete`, { status: 'done', outcome: 'x' })).status, 404);

  const call = await guide.post(`/api/v1/members/${m.id}/interactions`, { channel: 'phone', direction: 'outbound', summary: '已确认周六取货', task_id: created.body.id });
  assert.equal(call.status, 201, call.text);
  const done = (await guide.get(`/api/v1/tasks?member_id=${m.id}&status=done`)).body.items[0];
  assert.equal(done.id, created.body.id);
  assert.equal(done.outcome, '已确认周六取货');
  assert.equal(done.completed_by.id, guideId);
  const after = (await guide.get('/api/v1/tasks/today')).body;
  assert.equal(after.today.some((t) => t.id === created.body.id), false);
  assert.ok(after.done_today >= 1);
  const again = await guide.post(`/api/v1/tasks/${created.body.id}/complete`, { status: 'skipped', outcome: '重复' });
  assert.equal(again.status, 400);
  assert.ok(fieldError(again, 'status'));
});

test('a leaving guide hands every member and open task to a colleague in one action', async () => {
  const leaving = await server.staffWithRole(admin, 'guide_leaving', 'guide', [storeA]);
  const leavingId = (await leaving.get('/api/v1/me')).body.user.id;
  const m1 = await member({ guide_id: leavingId });
  const m2 = await member({ guide_id: leavingId });
  const open = await leaving.post('/api/v1/tasks', { title: '节后回访', member_id: m1.id, due_at: await localDate(3) });
  const closed = await leaving.post('/api/v1/tasks', { title: '已完成', member_id: m2.id, due_at: await localDate(1) });
  await leaving.post(`/api/v1/tasks/${closed.body.id}/complete`, { status: 'done', outcome: 'ok' });

  assert.equal((await guide.post(`/api/v1/staff/${leavingId}/handover`, { to_staff_id: guideId })).status, 403);
  const self = await manager.post(`/api/v1/staff/${leavingId}/handover`, { to_staff_id: leavingId });
  assert.equal(self.status, 400);
  const r = await manager.post(`/api/v1/staff/${leavingId}/handover`, { to_staff_id: guideId, note: '离职交接' });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual([r.body.members_moved, r.body.tasks_moved], [2, 1]);
  assert.equal((await admin.get(`/api/v1/members/${m1.id}`)).body.guide_id, guideId);
  const history = (await admin.get(`/api/v1/members/${m1.id}/history`)).body.items;
  assert.ok(history.some((h) => h.field === 'guide_id' && h.new === String(guideId)), JSON.stringify(history));
  assert.equal((await admin.get(`/api/v1/tasks?member_id=${m1.id}&status=open`)).body.items[0].assignee.id, guideId);
  assert.equal((await admin.get(`/api/v1/tasks?member_id=${m2.id}&status=done`)).body.items[0].completed_by.name, 'guide_leaving', 'history kept');
  const list = (await manager.get('/api/v1/handovers')).body.items;
  assert.equal(list[0].from.id, leavingId);
  assert.equal(list[0].note, '离职交接');
});

test('reminders fire once per member and occasion, also with two instances running the job at once', async () => {
  const birthday = `1990-${(await localDate(3)).slice(5)}`;
  const m = await member({ guide_id: guideId, birthday });
  const coupon = await admin.post('/api/v1/coupon-templates', { name: '回归礼 10 元', kind: 'amount_off', amount_off: 1000, valid_days: 30 });
  const settings = (await admin.get('/api/v1/service/settings')).body;
  const set = await admin.put('/api/v1/service/settings', { dormancy_days: 60, dormancy_coupon_template_id: coupon.body.id, version: settings.version });
  assert.equal(set.status, 200, set.text);
  // A member whose last purchase was 61 days ago has just become dormant.
  const sleeper = await member({ guide_id: guideId });
  await sell(sleeper.id, new Date(await serverNow() - 61 * DAY).toISOString().replace(/\.\d+Z$/, 'Z'));

  const second = Object.assign(new TestServer({ args: ['--test-clock'] }), { dir: server.dir, db: server.db, keyFile: server.keyFile, backend: server.backend });
  await second.launch();
  try {
    const adminOnSecond = await second.signIn('admin', undefined, { lang: 'en' });
    await Promise.all([runJob(admin, 'reminders.daily'), runJob(adminOnSecond, 'reminders.daily'), runJob(admin, 'reminders.daily')]);
  } finally {
    await second.stopProcess();
  }
  const tasks = (await guide.get(`/api/v1/tasks?member_id=${m.id}&origin=reminder`)).body.items;
  assert.equal(tasks.length, 1, JSON.stringify(tasks));
  assert.equal(tasks[0].origin_ref, `birthday:${await localDate(3)}`);
  assert.equal(tasks[0].assignee.id, guideId);
  const dormancy = (await guide.get(`/api/v1/tasks?member_id=${sleeper.id}&origin=dormancy`)).body.items;
  assert.equal(dormancy.length, 1);
  assert.equal(dormancy[0].priority, 'high');
  const coupons = (await admin.get(`/api/v1/members/${sleeper.id}/coupons?status=issued`)).body.items;
  assert.equal(coupons.length, 1, 'one retention coupon, not three');
  const validDays = (Date.parse(coupons[0].valid_until) - Date.parse(coupons[0].valid_from)) / DAY;
  assert.ok(validDays <= 3.01, `retention coupon valid ${validDays} days`);

  await runJob(admin, 'reminders.daily');
  assert.equal((await guide.get(`/api/v1/tasks?member_id=${m.id}&origin=reminder`)).body.total, 1);
  const off = await admin.put('/api/v1/service/settings', { dormancy_days: 0, version: set.body.version });
  assert.equal(off.status, 200);
});

test('the purchase cycle comes from the member\'s own median gap, with three purchases at least', async () => {
  const m = await member();
  const now = await serverNow();
  const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
  await sell(m.id, iso(now - 60 * DAY));
  await sell(m.id, iso(now - 40 * DAY));
  let cycle = (await admin.get(`/api/v1/members/${m.id}/purchase-cycle`)).body;
  assert.equal(cycle.median_days, null, 'two purchases are not a cycle');
  assert.equal(cycle.purchases, 2);
  await sell(m.id, iso(now - 10 * DAY));
  cycle = (await admin.get(`/api/v1/members/${m.id}/purchase-cycle`)).body;
  assert.equal(cycle.median_days, 25);  // gaps of 20 and 30 days
  assert.equal(cycle.purchases, 3);
  assert.equal(Date.parse(cycle.next_due_at), Date.parse(iso(now - 10 * DAY)) + 25 * DAY);
});

test('surveys: a signed link answered once without signing in, thanked with points, summed per store and staff', async () => {
  const bad = await admin.post('/api/v1/surveys', { title: '满意度', questions: [{ id: 'q', kind: 'choice', text: '选一个', options: ['只有一个'] }, { id: 'q', kind: 'nps', text: '重复' }] });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'questions[0].options'));
  assert.ok(fieldError(bad, 'questions[1].id'));
  const survey = await admin.post('/api/v1/surveys', {
    title: '购物体验', intro: '一分钟', thanks_points: 20, questions: [
      { id: 'nps', kind: 'nps', text: '您有多大可能向朋友推荐我们？' },
      { id: 'csat', kind: 'csat', text: '对本次服务满意吗？' },
      { id: 'why', kind: 'choice', text: '主要原因', options: ['导购热情', '价格实惠'], required: false },
      { id: 'say', kind: 'text', text: '其他建议', required: false },
    ],
  });
  assert.equal(survey.status, 201, survey.text);
  const m = await member();
  const link = await guide.post(`/api/v1/surveys/${survey.body.id}/links`, { member_id: m.id });
  assert.equal(link.status, 201, link.text);
  assert.match(link.body.url, /^\/s\/\d+\.[0-9a-f]+$/);
  const anon = server.client({ lang: 'en' });
  const forged = link.body.token.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
  assert.equal((await anon.get(`/api/v1/public/surveys/${forged}`)).status, 404);
  const page = await anon.get(`/api/v1/public/surveys/${link.body.token}`);
  assert.equal(page.status, 200);
  assert.equal(page.body.title, '购物体验');
  assert.equal(page.body.answered, false);
  assert.equal(page.body.store_name, '服务甲店');
  assert.equal(JSON.stringify(page.body).includes(m.phone), false, 'no personal data on the public page');

  const invalid = await anon.post(`/api/v1/public/surveys/${link.body.token}/answers`, { answers: { nps: 11, why: '太远' } });
  assert.equal(invalid.status, 400);
  assert.ok(fieldError(invalid, 'answers.nps'));
  assert.equal(fieldError(invalid, 'answers.csat'), 'Required');
  assert.ok(fieldError(invalid, 'answers.why'));
  const before = (await admin.get(`/api/v1/members/${m.id}/points`)).body.balance;
  const ok = await anon.post(`/api/v1/public/surveys/${link.body.token}/answers`, { answers: { nps: 10, csat: 4, why: '导购热情', say: '很好' } });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.thanks_points, 20);
  assert.equal((await admin.get(`/api/v1/members/${m.id}/points`)).body.balance, before + 20);
  const twice = await anon.post(`/api/v1/public/surveys/${link.body.token}/answers`, { answers: { nps: 0, csat: 1 } });
  assert.equal(twice.status, 409);
  assert.equal((await admin.get(`/api/v1/members/${m.id}/points`)).body.balance, before + 20, 'thanked once');
  assert.equal((await anon.get(`/api/v1/public/surveys/${link.body.token}`)).body.answered, true);

  const second = await manager.post(`/api/v1/surveys/${survey.body.id}/links`, { member_id: m.id });
  await anon.post(`/api/v1/public/surveys/${second.body.token}/answers`, { answers: { nps: 3, csat: 2 } });
  const results = (await admin.get(`/api/v1/surveys/${survey.body.id}/results`)).body;
  assert.equal(results.answers, 2);
  assert.deepEqual(results.nps, { score: 0, promoters: 1, passives: 0, detractors: 1 });
  assert.deepEqual(results.csat, { average: 3, count: 2 });
  assert.deepEqual(results.questions.find((q) => q.id === 'why').distribution, { 导购热情: 1 });
  assert.deepEqual(results.questions.find((q) => q.id === 'say').texts, ['很好']);
  assert.deepEqual(results.stores.map((s) => [s.store_name, s.answers]), [['服务甲店', 2]]);
  assert.deepEqual(results.staff.map((s) => [s.staff_name, s.answers, s.nps.score]).sort(), [['guide_a', 1, 100], ['manager_a', 1, -100]]);
  assert.equal((await guide.get(`/api/v1/surveys/${survey.body.id}/results`)).status, 403);
  assert.ok((await admin.get(`/api/v1/members/${m.id}/timeline`)).body.items.some((i) => i.kind === 'survey'));

  // After-sale surveys: each new sale with a member gets a link and a queued message.
  await admin.put(`/api/v1/surveys/${survey.body.id}`, { after_sale: true, version: survey.body.version });
  await runJob(admin, 'surveys.after_sale');  // moves past earlier sales
  const buyer = await member();
  await sell(buyer.id);
  await runJob(admin, 'surveys.after_sale');
  await runJob(admin, 'surveys.after_sale');
  const messages = (await admin.get(`/api/v1/members/${buyer.id}/timeline`)).body.items.filter((i) => i.kind === 'message');
  assert.equal(messages.length, 1, 'one link per sale');
  const token = messages[0].detail.body.match(/\/s\/([0-9a-f.]+)/)[1];
  assert.equal((await anon.get(`/api/v1/public/surveys/${token}`)).body.title, '购物体验');
  await admin.put(`/api/v1/surveys/${survey.body.id}`, { after_sale: false, version: survey.body.version + 1 });
});

test('member events: invite by filter, register within capacity, check in by QR, effect report', async () => {
  const now = await serverNow();
  const iso = (t) => new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
  const group = (await admin.post('/api/v1/tag-groups', { name: '活动' })).body;
  const tag = (await admin.post('/api/v1/tags', { group_id: group.id, name: '活动达人' })).body;
  const [a, b, c] = [await member({ tags: [tag.id] }), await member({ tags: [tag.id] }), await member()];
  const bad = await manager.post('/api/v1/events', { title: '', store_id: storeA, starts_at: iso(now), ends_at: iso(now - 3600000) });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'title'));
  assert.ok(fieldError(bad, 'ends_at'));
  const event = await manager.post('/api/v1/events', { title: '秋季护发沙龙', store_id: storeA, starts_at: iso(now - 3600000), ends_at: iso(now + 3600000), capacity: 2 });
  assert.equal(event.status, 201, event.text);
  const id = event.body.id;
  const invited = await manager.post(`/api/v1/events/${id}/invitations`, { filter: { tags: String(tag.id) } });
  assert.equal(invited.status, 201, invited.text);
  assert.equal(invited.body.invited, 2);
  assert.equal((await manager.post(`/api/v1/events/${id}/invitations`, { filter: { tags: String(tag.id) } })).body.invited, 0);
  assert.equal((await guide.post(`/api/v1/events/${id}/registrations`, { member_id: a.id })).status, 201);
  assert.equal((await guide.post(`/api/v1/events/${id}/registrations`, { member_id: a.id })).status, 409);
  // A walk-in checks in by the member code on their card; then the event is full.
  const walkIn = await guide.post(`/api/v1/events/${id}/checkins`, { code: c.member_no });
  assert.equal(walkIn.status, 201, walkIn.text);
  assert.equal(walkIn.body.member.id, c.id);
  const full = await guide.post(`/api/v1/events/${id}/registrations`, { member_id: b.id });
  assert.equal(full.status, 400);
  assert.equal(fieldError(full, 'member_id'), 'The event is full (2 places)');
  assert.equal((await guide.post(`/api/v1/events/${id}/checkins`, { code: a.member_no })).status, 201);
  assert.equal((await guide.post(`/api/v1/events/${id}/checkins`, { code: a.member_no })).status, 409);
  assert.equal((await guide.post(`/api/v1/events/${id}/checkins`, { code: 'NOPE' })).status, 400);

  await sell(a.id, iso(now - 10 * DAY));
  await sell(a.id, iso(now + 60000), 2);
  await sell(c.id);
  const report = (await manager.get(`/api/v1/events/${id}/report?days=30`)).body;
  assert.equal(report.invited, 3);
  assert.equal(report.registered, 2);
  assert.equal(report.attended, 2);
  assert.equal(report.attendance_rate_pct, 100);
  assert.deepEqual(report.sales_before, { amount: 5000, count: 1 });
  assert.deepEqual(report.sales_after, { amount: 15000, count: 2 });
  assert.equal(report.members_buying_after, 2);
  const attendees = (await guide.get(`/api/v1/events/${id}/attendees?status=attended`)).body;
  assert.equal(attendees.total, 2);
  assert.equal((await guideB.get(`/api/v1/events/${id}`)).status, 404);
});

// Last: it moves the server's clock forward.
test('a complaint runs from intake to closure, escalating when its SLA is breached on a moved clock', async () => {
  const m = await member();
  const missing = await manager.post('/api/v1/complaints', { store_id: storeA, channel: 'fax', severity: 'huge' });
  assert.equal(missing.status, 400);
  for (const field of ['channel', 'severity', 'category', 'description']) assert.ok(fieldError(missing, field), field);
  assert.equal((await guideB.post('/api/v1/complaints', { store_id: storeA, channel: 'online', category: 'x', severity: 'low', description: 'x' })).status, 403);

  const created = await manager.post('/api/v1/complaints', { store_id: storeA, member_id: m.id, channel: 'online', category: 'service_attitude', severity: 'medium', description: '导购态度冷淡' });
  assert.equal(created.status, 201, created.text);
  const c = created.body;
  assert.equal(c.status, 'new');
  // Store A is open all day: the online first response is due 15 minutes after intake.
  assert.equal(Date.parse(c.response_due_at) - Date.parse(c.created_at), 15 * 60000);
  assert.equal(Date.parse(c.resolution_due_at) - Date.parse(c.created_at), 48 * 3600000);
  // Store B closes at 22:00: a complaint there is measured in its business hours instead.
  const atB = await admin.post('/api/v1/complaints', { store_id: storeB, channel: 'in_store', category: 'price', severity: 'low', description: '价签不符' });
  const dueB = new Date(Date.parse(atB.body.response_due_at) + 8 * 3600000).toISOString().slice(11, 16);
  assert.ok(dueB >= '09:00' && dueB <= '22:00', `due ${dueB} local lies in business hours`);
  // A food-allergy complaint escalates at once with the legal flag.
  const legal = await manager.post('/api/v1/complaints', { store_id: storeA, channel: 'phone', category: 'allergy', severity: 'high', description: '过敏' });
  assert.equal(legal.body.legal_flag, true);
  assert.equal(legal.body.escalation_level, 1);
  assert.equal(legal.body.escalated_to.id, regionalId);

  const list = (await manager.get('/api/v1/complaints?status=open')).body;
  assert.ok(list.now);
  assert.ok(list.items.some((i) => i.id === c.id));

  // 20 minutes pass without a response; the SLA job notices and escalates to the region.
  const moved = await server.client().post('/api/v1/test/clock', { advance_seconds: 20 * 60 });
  assert.equal(moved.status, 200, moved.text);
  await runJob(admin, 'complaints.sla');
  const breached = (await manager.get(`/api/v1/complaints/${c.id}`)).body;
  assert.equal(breached.response_breached, true);
  assert.equal(breached.escalation_level, 1);
  assert.equal(breached.escalated_to.name, 'regional');
  assert.deepEqual(breached.events.map((e) => e.kind), ['created', 'breach', 'escalated']);
  const regionalTasks = (await regional.get('/api/v1/tasks?assignee_id=me&origin=complaint')).body.items;
  const escalation = regionalTasks.find((t) => t.origin_ref === `complaint:${c.id}`);
  assert.equal(escalation?.priority, 'urgent');
  // What the server wrote reads in each reader's language.
  assert.deepEqual(breached.events.slice(1).map((e) => e.note), ['First response deadline missed', 'First response overdue']);
  assert.equal(escalation.title, `Complaint #${c.id} escalated: first response overdue`);
  const adminZh = await server.signIn('admin', undefined, { lang: 'zh-CN' });
  const zhEvents = (await adminZh.get(`/api/v1/complaints/${c.id}`)).body.events;
  assert.deepEqual(zhEvents.slice(1).map((e) => e.note), ['首次响应时限已过', '首次响应超时']);
  const zhTask = (await adminZh.get(`/api/v1/tasks?origin=complaint&limit=200`)).body.items.find((t) => t.id === escalation.id);
  assert.equal(zhTask.title, `投诉 #${c.id} 首次响应超时，已升级`);
  assert.equal(zhTask.details, '首次响应超时');
  await runJob(admin, 'complaints.sla');
  assert.equal((await manager.get(`/api/v1/complaints/${c.id}`)).body.events.length, 3, 'escalated once');
  assert.ok((await manager.get('/api/v1/todos')).body.complaints.some((x) => x.id === c.id && x.breached));

  let version = breached.version;
  const skip = await manager.post(`/api/v1/complaints/${c.id}/transition`, { to: 'closed', version });
  assert.equal(skip.status, 400);
  assert.equal(fieldError(skip, 'to'), 'A complaint cannot move there from new');
  const step = async (body) => {
    const r = await manager.post(`/api/v1/complaints/${c.id}/transition`, { version, ...body });
    assert.equal(r.status, 200, r.text);
    version = r.body.version;
    return r.body;
  };
  assert.ok((await step({ to: 'acknowledged' })).responded_at);
  await step({ to: 'investigating', note: '调取监控' });
  const noResolution = await manager.post(`/api/v1/complaints/${c.id}/transition`, { to: 'resolved', version });
  assert.equal(fieldError(noResolution, 'resolution'), 'Required');
  const pointsBefore = (await admin.get(`/api/v1/members/${m.id}/points`)).body.balance;
  const resolved = await step({ to: 'resolved', resolution: '当面致歉并培训导购', compensation_points: 300 });
  assert.equal(resolved.compensation_points, 300);
  assert.equal((await admin.get(`/api/v1/members/${m.id}/points`)).body.balance, pointsBefore + 300);
  assert.equal(fieldError(await manager.post(`/api/v1/complaints/${c.id}/transition`, { to: 'follow_up', version }), 'satisfaction'), 'Required');
  const visited = await step({ to: 'follow_up', satisfaction: 4, follow_up_note: '顾客表示满意' });
  assert.equal(visited.satisfaction, 4);
  const closed = await step({ to: 'closed' });
  assert.equal(closed.status, 'closed');
  assert.ok(closed.closed_at);
  assert.deepEqual(closed.events.filter((e) => e.kind === 'status').map((e) => e.to_status), ['acknowledged', 'investigating', 'resolved', 'follow_up', 'closed']);

  const report = (await manager.get('/api/v1/complaints/report')).body;
  const rowA = report.stores.find((s) => s.store_id === storeA);
  assert.equal(rowA.total, 2);
  assert.equal(rowA.responded_in_time, 1, 'the breached one is not in time');
  assert.equal(rowA.response_compliance_pct, 50);
  assert.equal(rowA.avg_satisfaction, 4);
  assert.ok(report.top_categories.some((t) => t.category === 'service_attitude' && t.count === 1));
  assert.equal(report.stores.some((s) => s.store_id === storeB), false, 'the store manager sees their own store only');
});
