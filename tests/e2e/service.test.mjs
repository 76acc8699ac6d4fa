// Browser tests of service and follow-up: a guide's morning on a phone (my work today, a birthday
// call logged as an interaction that completes the task, the member's timeline); a complaint
// from intake to closure with an escalation after a simulated SLA breach (the server's test clock);
// a member answering a survey link without signing in; a member event's invite, registration and
// check-in by member code.
// Debian's Chromium driven by Playwright against a real storecrm on a fresh database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, ADMIN_PASSWORD } from '../support/server.mjs';
import { launchBrowser, newPage, field, signIn } from '../support/browser.mjs';

// staffWithRole leaves every account with this password.
const STAFF_PASSWORD = 'Counter#2026';
const TZ = 'Asia/Shanghai';
let server;
let browser;
let admin;
let storeId;
let guide;

// Sessions would time out when the test clock jumps hours ahead.
const LONG_SESSIONS = ['--idle-timeout', '8640000', '--session-lifetime', '86400000'];

before(async () => {
  server = await new TestServer({ args: ['--test-clock', ...LONG_SESSIONS] }).start();
  admin = await server.signIn('admin', ADMIN_PASSWORD, { lang: 'zh-CN' });
  const store = await admin.post('/api/v1/stores', { code: 'SVC', name: '服务测试店', type: 'direct', region: '华东', timezone: TZ });
  assert.equal(store.status, 201, store.text);
  storeId = store.body.id;
  // The people of the store: a guide, the store manager and the regional manager complaints escalate to.
  guide = await server.staffWithRole(admin, 'guide_svc', 'guide', [storeId]);
  await server.staffWithRole(admin, 'manager_svc', 'store_manager', [storeId]);
  await server.staffWithRole(admin, 'region_svc', 'regional_manager', [storeId]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// Today's month and day in the store's time zone ("MM-DD").
function storeMonthDay() {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, month: '2-digit', day: '2-digit' }).formatToParts(new Date());
  return `${parts.find((p) => p.type === 'month').value}-${parts.find((p) => p.type === 'day').value}`;
}

async function staffId(username) {
  const r = await admin.get(`/api/v1/staff?q=${username}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.find((s) => s.username === username).id;
}

async function runJob(name) {
  const r = await admin.post(`/api/v1/jobs/${name}/run`, {});
  assert.ok(r.status === 200 || r.status === 201 || r.status === 204, `${name}: ${r.status} ${r.text}`);
}

test('a guide’s morning on a phone: call a birthday member, log it, the task is done and on the timeline', async () => {
  const guideId = await staffId('guide_svc');
  const phone = '13912345678';
  const m = await admin.post('/api/v1/members', {
    phone, name: '生日会员', birthday: `1990-${storeMonthDay()}`, home_store_id: storeId, guide_id: guideId,
  });
  assert.equal(m.status, 201, m.text);
  const member = m.body;

  // Birthday reminders for today (0 days ahead); the daily reminder job makes the guide's task.
  const settings = (await admin.get('/api/v1/service/settings')).body;
  const saved = await admin.put('/api/v1/service/settings', { ...settings, birthday_days_ahead: 0 });
  assert.equal(saved.status, 200, saved.text);
  await runJob('reminders.daily');
  const open = (await admin.get(`/api/v1/tasks?member_id=${member.id}&status=open`)).body.items;
  const task = open.find((x) => x.origin === 'reminder');
  assert.ok(task, `a birthday task for the member: ${JSON.stringify(open)}`);
  assert.equal(task.assignee?.id, guideId);
  // What the guide is allowed to see of the phone (guides hold members.pii: all of it).
  const seen = (await guide.get(`/api/v1/members/${member.id}`)).body.phone;

  const page = await newPage(browser, 390, 844);
  await signIn(page, server.base, 'guide_svc', STAFF_PASSWORD);
  await page.goto(`${server.base}/service/today`);
  await page.locator(`[data-test="today-birthday"][data-id="${member.id}"]`).waitFor();
  const card = page.locator(`[data-test="task-card"][data-id="${task.id}"]`);
  await card.waitFor();
  assert.match(await card.innerText(), /生日会员/);

  // 拨打: a tel: link with the phone as the guide sees it.
  const call = card.locator('[data-test="task-call"]');
  // Task members come as +86… while the member page shows the national number: the same phone.
  const href = await call.getAttribute('href');
  assert.match(href, /^tel:/);
  assert.equal(href.replace(/^tel:(\+86)?/, ''), seen.replace(/^\+86/, ''));
  assert.ok(seen.endsWith(phone), `the guide sees the whole number (${seen})`);
  // A phone hands tel: to its dialer; headless Chromium has none (and would swallow later
  // clicks), so the tap is recorded and the hand-over stopped.
  await page.evaluate(() => document.addEventListener('click', (e) => {
    const a = e.target.closest('a[href^="tel:"]');
    if (a) {
      window.__dialled = a.getAttribute('href');
      e.preventDefault();
    }
  }, true));
  await call.click();
  assert.equal(await page.evaluate(() => window.__dialled), href);

  // 记录互动 on the task: it leaves the open lists and shows as done.
  await card.locator('[data-test="task-log"]').click();
  const dialog = page.locator('[data-test="interaction-dialog"]');
  await dialog.waitFor();
  await field(page, 'interaction-summary').fill('电话祝福生日，提醒到店领取生日礼');
  await field(page, 'interaction-feedback').fill('很开心，周末来店');
  await dialog.locator('[data-test="interaction-sentiment-positive"]').click();
  await dialog.locator('[data-test="interaction-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator(`[data-test="today-section-done"] [data-test="task-card"][data-id="${task.id}"][data-status="done"]`).waitFor();
  for (const s of ['overdue', 'today', 'unassigned']) {
    assert.equal(await page.locator(`[data-test="today-section-${s}"] [data-test="task-card"][data-id="${task.id}"]`).count(), 0, `not in ${s}`);
  }
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling at 390 px (page is ${width} px wide)`);

  const done = (await admin.get(`/api/v1/tasks?member_id=${member.id}&status=done`)).body.items.find((x) => x.id === task.id);
  assert.ok(done, 'the task is done on the server');
  assert.equal(done.outcome, '电话祝福生日，提醒到店领取生日礼');

  // The member's timeline shows the interaction.
  await page.goto(`${server.base}/members/${member.id}`);
  await page.locator('[data-test="member-tab-timeline"]').click();
  await page.locator('[data-test="timeline-item"][data-kind="interaction"]', { hasText: '电话祝福生日' }).waitFor();
  await page.context().close();
});

test('a complaint from intake to closure, escalated after its SLA passes', async () => {
  const m = await admin.post('/api/v1/members', { phone: '13787654321', name: '投诉会员', home_store_id: storeId });
  assert.equal(m.status, 201, m.text);
  const member = m.body;
  const pointsBefore = (await admin.get(`/api/v1/members/${member.id}/points`)).body.balance;

  // The store manager records it at the counter.
  const page = await newPage(browser);
  await signIn(page, server.base, 'manager_svc', STAFF_PASSWORD);
  await page.goto(`${server.base}/service/complaints/new`);
  await page.locator('[data-test="complaint-form-channel-in_store"]').click();
  await page.locator('[data-test="complaint-form-category"]').click();
  await page.locator('[data-test="complaint-form-category-product_quality"]').click();
  await page.locator('[data-test="complaint-form-severity-high"]').click();
  await field(page, 'complaint-form-description').fill('买的牛奶开盒就变质了');
  await field(page, 'complaint-form-member').fill('投诉会员');
  await page.locator('.el-select-dropdown__item', { hasText: '投诉会员' }).first().click();
  await page.locator('[data-test="complaint-form-submit"]').click();
  await page.waitForURL(/\/service\/complaints\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());

  const status = page.locator('[data-test="complaint-detail-status"]');
  await page.locator('[data-test="complaint-detail-status"][data-status="new"]').waitFor();
  const timer = page.locator('[data-test="sla-timer"]').first();
  await timer.waitFor();
  assert.match(await timer.getAttribute('data-state'), /^(ok|warn)$/);
  assert.match(await timer.innerText(), /响应.*剩/s);

  // The clock passes the response deadline; the SLA job marks the breach and escalates.
  const stored = (await admin.get(`/api/v1/complaints/${id}`)).body;
  assert.equal(stored.member?.id, member.id);
  const serverNow = Date.parse(stored.now ?? (await admin.get('/api/v1/complaints')).body.now);
  const advance = Math.ceil((Date.parse(stored.response_due_at) - serverNow) / 1000) + 120;
  const moved = await admin.post('/api/v1/test/clock', { advance_seconds: advance });
  assert.equal(moved.status, 200, moved.text);
  await runJob('complaints.sla');
  await page.reload();
  await page.locator('[data-test="complaint-escalated"][data-level="1"]').waitFor();
  await page.locator('[data-test="complaint-breached"]').waitFor();
  await page.locator('[data-test="sla-timer"][data-state="breached"]').first().waitFor();
  await page.locator('[data-test="complaint-event"][data-kind="escalated"]').waitFor();
  await page.locator('[data-test="complaint-escalated-to"]', { hasText: 'region_svc' }).waitFor();

  async function step(to, fill = async () => {}) {
    await page.locator(`[data-test="complaint-action-${to}"]`).click();
    const dialog = page.locator('[data-test="complaint-transition-dialog"]');
    await dialog.waitFor();
    await fill(dialog);
    await dialog.locator('[data-test="complaint-transition-submit"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator(`[data-test="complaint-detail-status"][data-status="${to}"]`).waitFor();
  }
  await step('acknowledged');
  await step('investigating', async () => field(page, 'complaint-transition-note').fill('批次抽检中'));
  await step('resolved', async () => {
    await field(page, 'complaint-resolution').fill('退款并致歉，补偿积分');
    await field(page, 'complaint-compensation-points').fill('200');
  });
  await step('follow_up', async (dialog) => {
    await dialog.locator('[data-test="complaint-satisfaction-5"]').click();
    await field(page, 'complaint-follow-up-note').fill('客户表示满意');
  });
  await step('closed');
  assert.equal((await status.innerText()).trim(), '已关闭');
  await page.locator('[data-test="complaint-compensation"]', { hasText: '200' }).waitFor();

  const closed = (await admin.get(`/api/v1/complaints/${id}`)).body;
  assert.equal(closed.status, 'closed');
  assert.equal(closed.satisfaction, 5);
  assert.equal(closed.compensation_points, 200);
  assert.equal(closed.escalation_level, 1);
  assert.equal(closed.response_breached, true);
  const pointsAfter = (await admin.get(`/api/v1/members/${member.id}/points`)).body.balance;
  assert.equal(pointsAfter, pointsBefore + 200);
  await page.context().close();
});

test('a member answers a survey on a phone without signing in, gets the thank-you points, and cannot answer twice', async () => {
  const m = await admin.post('/api/v1/members', { phone: '13611113333', name: '问卷会员', home_store_id: storeId });
  assert.equal(m.status, 201, m.text);
  const survey = await admin.post('/api/v1/surveys', {
    title: '购物体验调查', intro: '占用您一分钟', thanks_points: 20, after_sale: false, status: 'active',
    questions: [
      { id: 'q1', kind: 'nps', text: '您有多大可能向朋友推荐本店？', options: [], required: true },
      { id: 'q2', kind: 'csat', text: '对导购服务满意吗？', options: [], required: true },
      { id: 'q3', kind: 'choice', text: '您最看重什么？', options: ['价格', '品质', '服务'], required: false },
      { id: 'q4', kind: 'text', text: '还有什么建议？', options: [], required: false },
    ],
  });
  assert.equal(survey.status, 201, survey.text);
  const link = await admin.post(`/api/v1/surveys/${survey.body.id}/links`, { member_id: m.body.id });
  assert.equal(link.status, 201, link.text);
  const before = (await admin.get(`/api/v1/members/${m.body.id}/points`)).body.balance;

  const page = await newPage(browser, 390, 844);
  await page.goto(`${server.base}${link.body.url}`);
  await page.locator('[data-test="public-question"][data-id="q1"]').waitFor();
  assert.match(page.url(), new RegExp(`${link.body.url}$`), 'no sign-in page');
  // Submitting without the required answers shows which are missing.
  await page.locator('[data-test="public-survey-submit"]').click();
  await page.locator('[data-test="public-error-q1"]').waitFor();
  await page.locator('[data-test="public-nps-q1-9"]').click();
  await page.locator('[data-test="public-csat-q2-5"]').click();
  await page.locator('[data-test="public-choice-q3-1"]').click();
  await field(page, 'public-text-q4').fill('周末人多，希望多开一个收银台');
  await page.locator('[data-test="public-survey-submit"]').click();
  await page.locator('[data-test="public-survey-points"]', { hasText: '20' }).waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling at 390 px (page is ${width} px wide)`);
  assert.equal((await admin.get(`/api/v1/members/${m.body.id}/points`)).body.balance, before + 20);

  await page.reload();
  await page.locator('[data-test="public-survey-answered"]').waitFor();
  const results = (await admin.get(`/api/v1/surveys/${survey.body.id}/results`)).body;
  assert.equal(results.answers, 1);
  await page.context().close();

  // The results page shows the answer to the marketer.
  const staffPage = await newPage(browser);
  await signIn(staffPage, server.base, 'admin', ADMIN_PASSWORD);
  await staffPage.goto(`${server.base}/service/surveys/${survey.body.id}/results`);
  await staffPage.locator('[data-test="survey-results-answers"]', { hasText: '1' }).waitFor();
  assert.equal((await staffPage.locator('[data-test="survey-results-nps"]').innerText()).trim(), '100');
  await staffPage.context().close();
});

test('a member event: invite, register and check in by the member code', async () => {
  const a = (await admin.post('/api/v1/members', { phone: '13622224444', name: '活动会员甲', home_store_id: storeId })).body;
  const b = (await admin.post('/api/v1/members', { phone: '13622225555', name: '活动会员乙', home_store_id: storeId })).body;
  const at = (ms) => new Date(Date.now() + ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const ev = await admin.post('/api/v1/events', { title: '新品品鉴会', description: '试吃新品', store_id: storeId, starts_at: at(3600e3), ends_at: at(7200e3), capacity: 10 });
  assert.equal(ev.status, 201, ev.text);

  const page = await newPage(browser);
  await signIn(page, server.base, 'manager_svc', STAFF_PASSWORD);
  await page.goto(`${server.base}/service/events/${ev.body.id}`);
  await page.locator('[data-test="event-title"]', { hasText: '新品品鉴会' }).waitFor();

  // Invite one picked member.
  await page.locator('[data-test="event-invite"]').click();
  const dialog = page.locator('[data-test="event-invite-dialog"]');
  await dialog.waitFor();
  await field(page, 'event-invite-member').fill('活动会员甲');
  await page.locator('.el-select-dropdown__item', { hasText: '活动会员甲' }).first().click();
  await dialog.locator('[data-test="event-invite-picked"]', { hasText: '活动会员甲' }).waitFor();
  await dialog.locator('[data-test="event-invite-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  await page.locator(`[data-test="event-attendee"][data-id="${a.id}"][data-status="invited"]`).waitFor();

  // Register the other one at the desk, then both check in by typing their member numbers.
  await field(page, 'event-register-member').fill('活动会员乙');
  await page.locator('.el-select-dropdown__item', { hasText: '活动会员乙' }).first().click();
  await page.locator('[data-test="event-register-submit"]').click();
  await page.locator(`[data-test="event-attendee"][data-id="${b.id}"][data-status="registered"]`).waitFor();
  for (const m of [a, b]) {
    await field(page, 'event-checkin-code').fill(m.member_no);
    await field(page, 'event-checkin-code').press('Enter');
    await page.locator(`[data-test="event-attendee"][data-id="${m.id}"][data-status="attended"]`).waitFor();
  }
  await page.locator('[data-test="event-attended"]', { hasText: '2' }).waitFor();
  // A second check-in is refused next to the field.
  await field(page, 'event-checkin-code').fill(a.member_no);
  await page.locator('[data-test="event-checkin-submit"]').click();
  await page.locator('[data-test="field-error-code"]').waitFor();

  // The attended filter lists both.
  await page.locator('[data-test="event-attendee-status-attended"]').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-test="event-attendee"][data-status="attended"]').length === 2
    && document.querySelectorAll('[data-test="event-attendee"]:not([data-status="attended"])').length === 0);
  const stored = (await admin.get(`/api/v1/events/${ev.body.id}`)).body;
  assert.equal(stored.attended, 2);
  assert.equal(stored.invited >= 1, true);
  await page.context().close();
});
