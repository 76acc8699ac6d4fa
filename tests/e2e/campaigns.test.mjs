// Browser tests of 营销活动 and what came with it, over the demo chain: a campaign drafted in the
// browser from a saved segment with a coupon previews exactly what the API renders, is submitted,
// sent by the jobs and its results page shows the API's treatment and control figures; a campaign
// above the approval threshold waits for a second person (the submitter's own approval is refused
// with the server's message, a marketer has no approve button, an admin approves); the RFM grid
// makes a segment whose live count is the API's for the same rules; a new webhook shows its secret
// once, a test delivery is signed with it and a rotated secret signs beside the old one; the targets page and the dashboard show the API's
// actual and progress, and a target typed in yuan reaches the API in fen; the member 360 page shows
// the member's value group; and the campaign pages fit a 390 px phone.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, signIn, waitText, text, field } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
let server;
let browser;
let api;

const count = (n) => n.toLocaleString('en-US');
// ¥12.34 as the web app shows amounts (integer fen).
const money = (fen) => `${fen < 0 ? '-' : ''}¥${Math.floor(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
// A percentage with one decimal, as the results and targets pages show them.
const pct1 = (v) => `${(Math.round(v * 10) / 10).toFixed(1)}%`;
const STATUS_ZH = { draft: '草稿', pending_approval: '待审批', scheduled: '已排期', sending: '发送中', active: '进行中', paused: '已暂停', done: '已完成', cancelled: '已取消' };
const RFM_ZH = {
  champions: '重要价值客户', loyal: '忠诚客户', potential_loyalist: '潜力客户', new: '新客户', promising: '有潜力新客',
  need_attention: '需关注客户', about_to_sleep: '即将流失', at_risk: '重要挽留客户', cant_lose: '不能失去的客户',
  hibernating: '沉睡客户', lost: '流失客户', none: '无分类',
};
const LIFECYCLE_ZH = { prospect: '潜在客户', new: '新客', growing: '成长期', mature: '成熟期', declining: '衰退期', dormant: '沉睡', lost: '流失' };
const VALUE_GROUP_ZH = {
  core: '核心客户', new_potential: '高潜新客', dormant_high_value: '沉睡高价值', potential: '潜力客户', dormant: '沉睡客户',
  regular: '一般客户', prospect: '潜在客户',
};
const OUTCOMES = ['queued', 'control', 'no_consent', 'capped', 'no_address', 'minor'];

async function call(method, url, body, want = 200, client = api) {
  const r = await client.request(method, url, body);
  assert.equal(r.status, want, `${method} ${url}: ${r.text}`);
  return r.body;
}
const get = (url, client = api) => call('GET', url, undefined, 200, client);

async function settings(changes) {
  const current = await get('/api/v1/marketing/settings');
  return call('PUT', '/api/v1/marketing/settings', { ...changes, version: current.version });
}

async function runJob(name) {
  const r = await call('POST', `/api/v1/jobs/${name}/run`, {});
  assert.equal(r.status, 'ok', JSON.stringify(r));
}

// Picks an option of an Element Plus select (the option list is teleported to <body>).
async function pick(page, select, optionTestId) {
  await select.click();
  await page.locator(`[data-test="${optionTestId}"]:visible`).click();
}

// Waits until the rule builder's live count has answered and shows `n` matching of `of`.
async function waitCount(page, n, of) {
  await page.waitForFunction(
    ([want, wantOf]) => {
      const box = document.querySelector('[data-test="rule-count"]');
      if (!box || box.getAttribute('data-state') !== 'ok') return false;
      const value = box.querySelector('[data-test="rule-count-value"]')?.textContent.trim();
      const ofText = box.querySelector('[data-test="rule-count-of-text"]')?.textContent ?? '';
      return value === want && ofText.includes(wantOf);
    },
    [count(n), count(of)],
  );
}

async function confirm(page) {
  await page.locator('.sc-confirm .el-message-box__btns .el-button--primary, .sc-confirm .el-message-box__btns .el-button--danger').click();
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what}: no sideways scrolling (${overflow}px)`);
}

// China's calendar month now (targets are kept in China time).
const chinaMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

before(async () => {
  // Windowed counts read the analysis columns, which leave out receipts of the last 2 s.
  server = await new TestServer({ demo: true, args: ['--test-clock'] }).start();
  const advanced = await server.client().post('/api/v1/test/clock', { advance_seconds: 5 });
  assert.ok(advanced.status < 300, advanced.text);
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'zh-CN' });
  // RFM classes, lifecycles and value groups are the nightly job's; run it now.
  await runJob('marketing.values');
  // No quiet hours and no weekly cap, so what is queued is sent when the jobs run.
  await settings({ quiet_start: '00:00', quiet_end: '00:00', weekly_cap: 0 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

let sentCampaign; // the campaign of the first test (the phone layout test opens it again)

test('a campaign drafted from a saved segment with a coupon previews the API\'s text, is sent, and shows the API\'s results', async () => {
  // One person may send it: the audience is below the approval threshold.
  await settings({ approval_threshold: 100000000, default_control_pct: 10 });
  const segRules = { match: 'all', rules: [{ field: 'rfm_class', op: 'in', value: ['champions', 'loyal', 'potential_loyalist'] }] };
  const segment = await call('POST', '/api/v1/segments', { name: '活动测试分群', description: '', rules: segRules }, 201);
  const coupon = (await get('/api/v1/coupon-templates')).items.find((t) => t.status === 'active');
  assert.ok(coupon, 'the demo has an active coupon template');

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-CampaignList"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/campaigns');
  await page.locator('[data-test="campaign-new"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/campaigns/new');

  // The control group starts at the settings' default.
  await page.waitForFunction(() => document.querySelector('[data-test="campaign-control-hint"]')?.textContent.includes('10%'));
  await field(page, 'campaign-name-input').fill('E2E 会员回馈');
  await pick(page, page.locator('[data-test="campaign-segment"]'), `campaign-segment-option-${segment.id}`);
  // The segment's members now, as the API counts its rules.
  const segCount = await call('POST', '/api/v1/segments/count', { rules: segRules });
  await waitText(page, 'campaign-segment-count', count(segCount.count));
  // An unknown variable: the server's message shows under the template, and nothing is saved.
  await field(page, 'campaign-template-input').fill('您好 {nam}');
  await page.locator('[data-test="campaign-save"]').click();
  const refused = await api.post('/api/v1/campaigns', { name: 'x', channel: 'sms', template: '您好 {nam}', schedule: 'now', segment_id: segment.id });
  assert.equal(refused.status, 400, refused.text);
  await waitText(page, 'field-error-template', refused.body.error.fields.find((f) => f.field === 'template').message);
  assert.equal(new URL(page.url()).pathname, '/marketing/campaigns/new');
  assert.equal((await get('/api/v1/campaigns')).total, 0, 'nothing was saved');

  // The template: typed text and variables inserted with the buttons where the cursor is.
  await field(page, 'campaign-template-input').fill('E2E回馈 ');
  await page.locator('[data-test="campaign-var-name"]').click();
  await field(page, 'campaign-template-input').press('End');
  await field(page, 'campaign-template-input').pressSequentially('您好，{store}送您券 ');
  await page.locator('[data-test="campaign-var-coupon_code"]').click();
  await page.locator('[data-test="campaign-coupon-missing"]').waitFor();
  await pick(page, page.locator('[data-test="campaign-coupon"]'), `campaign-coupon-option-${coupon.id}`);
  await page.locator('[data-test="campaign-coupon-missing"]').waitFor({ state: 'detached' });
  const template = 'E2E回馈 {name}您好，{store}送您券 {coupon_code}';
  assert.equal(await field(page, 'campaign-template-input').inputValue(), template);
  // A control group of 30 %.
  const control = page.locator('[data-test="campaign-control-pct"] .el-input-number input');
  await control.fill('30');
  await control.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-test="campaign-control-hint"]')?.textContent.includes('30%'));

  await page.locator('[data-test="campaign-save"]').click();
  await page.waitForURL((u) => /^\/marketing\/campaigns\/\d+$/.test(u.pathname));
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const saved = await get(`/api/v1/campaigns/${id}`);
  assert.equal(saved.status, 'draft');
  assert.equal(saved.segment_id, segment.id);
  assert.deepEqual(saved.rules, segRules, 'the segment\'s rules were copied');
  assert.equal(saved.coupon_template_id, coupon.id);
  assert.equal(saved.template, template);
  assert.equal(saved.channel, 'sms');
  assert.equal(saved.schedule, 'now');
  assert.equal(saved.control_pct, 30);
  assert.equal(await text(page, 'campaign-detail-status'), '草稿');
  await waitText(page, 'campaign-audience-now', count(saved.audience_now));
  await waitText(page, 'campaign-info-segment', segment.name);
  await waitText(page, 'campaign-info-coupon', coupon.name);

  // The preview is the API's rendering for the audience's first member.
  const preview = await get(`/api/v1/campaigns/${id}/preview`);
  assert.ok(preview.member, 'someone to preview for');
  assert.ok(preview.body.includes('XXXXXXXX'), preview.body);
  await waitText(page, 'campaign-preview-body', preview.body);
  assert.ok((await text(page, 'campaign-preview-member')).includes(preview.member.member_no));

  // A test to my own phone: the same text, marked 【测试】.
  await field(page, 'campaign-test-to').fill('13912345678');
  await page.locator('[data-test="campaign-test-send"]').click();
  const sentTest = page.locator('[data-test="campaign-test-result"]');
  await sentTest.waitFor();
  assert.ok((await sentTest.innerText()).includes(`【测试】${preview.body}`), await sentTest.innerText());
  assert.ok((await sentTest.innerText()).includes('139****5678'));

  // Submitted below the threshold: scheduled at once.
  await page.locator('[data-test="campaign-submit"]').click();
  await confirm(page);
  await page.locator('[data-test="campaign-detail-status"][data-status="scheduled"]').waitFor();
  assert.equal(await text(page, 'campaign-detail-status'), '已排期');
  assert.equal((await get(`/api/v1/campaigns/${id}`)).status, 'scheduled');

  await runJob('campaigns.dispatch');
  await runJob('messages.deliver');
  // One member of the treatment group buys within the window.
  const messages = (await get('/api/v1/messages?purpose=marketing&limit=200')).items.filter((m) => m.body.startsWith('E2E回馈'));
  assert.ok(messages.length > 0, 'the campaign queued messages');
  const buyer = messages[0].member_id;
  const product = (await get('/api/v1/products?limit=1')).items[0];
  // The member's tier may discount the price: pay what the till's quote says is due.
  const basket = { store_id: 1, member_id: buyer, lines: [{ sku: product.sku, quantity: 1 }] };
  const quote = await api.post('/api/v1/sales/quote', basket);
  assert.equal(quote.status, 200, quote.text);
  const sale = await api.post('/api/v1/sales', { ...basket, payments: [{ method: 'cash', amount: quote.body.total }] },
    { headers: { 'Idempotency-Key': `e2e-campaign-${id}` } });
  assert.equal(sale.status, 201, sale.text);
  const results = await get(`/api/v1/campaigns/${id}/results`);
  assert.ok(results.recipients.queued > 0 && results.recipients.control > 0, JSON.stringify(results.recipients));
  assert.equal(results.treatment.buyers, 1);

  await page.locator('[data-test="campaign-open-results"]').click();
  await page.waitForURL((u) => u.pathname === `/marketing/campaigns/${id}/results`);
  await waitText(page, 'results-name', 'E2E 会员回馈');
  // Treatment and control, figure by figure, as the API has them.
  for (const group of ['treatment', 'control']) {
    const g = results[group];
    const row = page.locator(`[data-test="results-${group}"]`);
    assert.equal((await row.locator('[data-test="results-members"]').innerText()).trim(), count(g.members));
    assert.equal((await row.locator('[data-test="results-buyers"]').innerText()).trim(), count(g.buyers));
    assert.equal((await row.locator('[data-test="results-conversion"]').innerText()).trim(), pct1(g.conversion_pct));
    assert.equal((await row.locator('[data-test="results-revenue"]').innerText()).trim(), money(g.revenue));
    assert.equal((await row.locator('[data-test="results-revenue-per-member"]').innerText()).trim(), money(Math.round(g.revenue_per_member)));
  }
  assert.equal(results.treatment.members, results.recipients.queued);
  assert.equal(results.control.members, results.recipients.control);
  for (const o of OUTCOMES) assert.equal(await text(page, `results-outcome-${o}`), count(results.recipients[o]), o);
  const m = results.messages;
  assert.equal(await text(page, 'kpi-results-sent'), count(m.queued + m.sending + m.sent + m.failed + m.suppressed));
  assert.equal(await text(page, 'kpi-results-delivered'), count(results.delivered));
  assert.equal(await text(page, 'kpi-results-failed'), count(m.failed));
  assert.equal(await text(page, 'kpi-results-unsubscribed'), count(results.unsubscribed));
  assert.equal(await text(page, 'kpi-results-coupons-issued'), count(results.coupons.issued));
  assert.equal(await text(page, 'kpi-results-coupons-redeemed'), count(results.coupons.redeemed));
  assert.ok(results.uplift, 'both groups have members');
  const points = (v) => `${v > 0 ? '+' : v < 0 ? '-' : ''}${Math.abs(Math.round(v * 10) / 10).toFixed(1)}`;
  assert.equal(await text(page, 'results-uplift-points'), `${points(results.uplift.conversion_points)} 个百分点`);
  assert.equal(await text(page, 'results-uplift-ci'), `95% 区间 ${points(results.uplift.conversion_ci95[0])} ~ ${points(results.uplift.conversion_ci95[1])}`);
  assert.equal(await text(page, 'results-significance'), results.uplift.significant ? '显著' : '暂不显著');
  assert.equal(await page.locator('[data-test="results-window-open"]').count(), results.window_complete ? 0 : 1);
  sentCampaign = id;

  // The list shows it with its status and recipients.
  await page.locator('[data-test="menu-CampaignList"]').click();
  const row = page.locator(`[data-test="campaign-row"][data-id="${id}"]`);
  await row.waitFor();
  const now = await get(`/api/v1/campaigns/${id}`);
  assert.equal((await row.locator('[data-test="campaign-status"]').innerText()).trim(), STATUS_ZH[now.status]);
  assert.equal((await row.locator('[data-test="campaign-queued"]').innerText()).trim(), count(now.recipients.queued));
  assert.equal((await row.locator('[data-test="campaign-control"]').innerText()).trim(), count(now.recipients.control));
  // Filtering by a status the campaign is not in leaves it out.
  await pick(page, page.locator('[data-test="campaign-status-filter"]'), 'campaign-status-option-paused');
  await page.locator('[data-test="campaigns-empty"]').waitFor();
  assert.equal(await page.locator(`[data-test="campaign-row"][data-id="${id}"]`).count(), 0);
  await page.context().close();
});

test('above the threshold a campaign waits for a second person: the submitter\'s approval is refused with the server\'s reason', async () => {
  await settings({ approval_threshold: 0 });
  const east = await server.signIn('east', DEMO_PASSWORD, { lang: 'zh-CN' });
  const me = await get('/api/v1/me', east);
  const created = await call('POST', '/api/v1/campaigns', {
    name: 'E2E 需审批', channel: 'sms', template: '{name}您好', schedule: 'now',
    rules: { match: 'all', rules: [{ field: 'rfm_class', op: 'in', value: ['champions'] }] },
  }, 201, east);

  // The regional manager submits it and may approve campaigns, but not their own.
  let page = await newPage(browser);
  await signIn(page, server.base, 'east', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/campaigns/${created.id}`);
  await page.locator('[data-test="campaign-submit"]').click();
  await confirm(page);
  await page.locator('[data-test="campaign-detail-status"][data-status="pending_approval"]').waitFor();
  assert.equal(await text(page, 'campaign-detail-status'), '待审批');
  const pending = await get(`/api/v1/campaigns/${created.id}`);
  assert.equal(pending.status, 'pending_approval');
  assert.equal(pending.requested_by, me.user.id);
  assert.equal(pending.requested_by_name, me.user.name);
  assert.equal(await text(page, 'campaign-info-requested-by'), me.user.name);
  assert.ok((await text(page, 'campaign-pending-note')).includes(count(pending.audience_estimate)));
  await page.locator('[data-test="campaign-approve"]').click();
  await page.locator('[data-test="campaign-action-error"]').waitFor();
  const refused = await east.post(`/api/v1/campaigns/${created.id}/approve`, {});
  assert.equal(refused.status, 409);
  const reason = refused.body.error.fields.map((f) => f.message).join('; ');
  assert.ok(reason, refused.text);
  assert.equal(await text(page, 'campaign-action-error-text'), reason);
  assert.equal(await text(page, 'campaign-detail-status'), '待审批');
  await page.context().close();

  // A marketer may not approve: no button.
  page = await newPage(browser);
  await signIn(page, server.base, 'marketer', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/campaigns/${created.id}`);
  await page.locator('[data-test="campaign-detail-status"][data-status="pending_approval"]').waitFor();
  assert.equal(await page.locator('[data-test="campaign-approve"]').count(), 0);
  assert.equal(await page.locator('[data-test="campaign-reject"]').count(), 0);
  await page.context().close();

  // A second person with campaigns.approve approves it.
  page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/campaigns/${created.id}`);
  await page.locator('[data-test="campaign-approve"]').click();
  await page.locator('[data-test="campaign-detail-status"]:not([data-status="pending_approval"])').waitFor();
  const approved = await get(`/api/v1/campaigns/${created.id}`);
  assert.ok(['scheduled', 'sending', 'done'].includes(approved.status), approved.status);
  const approver = (await get('/api/v1/me')).user;
  assert.equal(approved.approved_by, approver.id);
  assert.equal(approved.approved_by_name, approver.name);
  await page.locator('[data-test="campaign-info-approved-by"]').waitFor();
  assert.equal(await text(page, 'campaign-info-approved-by'), approver.name);
  assert.equal(await text(page, 'campaign-detail-status'), STATUS_ZH[approved.status]);
  await page.context().close();
  await settings({ approval_threshold: 100000000 });
});

test('a class and a cell of the RFM grid make a segment whose live count is the API\'s for those rules', async () => {
  const rfm = await get('/api/v1/analytics/rfm');
  const cls = rfm.classes.reduce((a, b) => (b.members > a.members ? b : a)).class;
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/analytics/rfm`);
  await page.locator(`[data-test="rfm-class"][data-id="${cls}"]`).click();
  await page.locator('[data-test="rfm-drill-count"]').waitFor();
  const button = page.locator('[data-test="rfm-make-segment"]');
  await button.waitFor();
  assert.equal(await button.getAttribute('data-class'), cls);
  await button.click();
  await page.waitForURL((u) => u.pathname === '/marketing/segments/new');
  await page.locator('[data-test="segment-prefilled"][data-from="rfm"]').waitFor();
  const rules = { match: 'all', rules: [{ field: 'rfm_class', op: 'in', value: [cls] }] };
  const expected = await call('POST', '/api/v1/segments/count', { rules });
  assert.ok(expected.count > 0, 'the values job classed some members');
  await waitCount(page, expected.count, expected.of);
  assert.equal(await field(page, 'segment-name-input').inputValue(), `RFM：${RFM_ZH[cls]}`);

  // A cell: segments have no r or f, so its segment is the cell's class from the grid.
  const cell = rfm.grid.filter((c) => c.members > 0 && c.class !== cls).reduce((a, b) => (b.members > a.members ? b : a));
  await page.goto(`${server.base}/analytics/rfm`);
  await page.locator(`[data-test="rfm-cell"][data-r="${cell.r}"][data-f="${cell.f}"]`).click();
  await page.locator(`[data-test="rfm-make-segment"][data-class="${cell.class}"]`).waitFor();
  assert.ok((await text(page, 'rfm-make-segment-note')).includes(RFM_ZH[cell.class]));
  await page.locator('[data-test="rfm-make-segment"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/segments/new');
  const cellRules = { match: 'all', rules: [{ field: 'rfm_class', op: 'in', value: [cell.class] }] };
  const cellCount = await call('POST', '/api/v1/segments/count', { rules: cellRules });
  await waitCount(page, cellCount.count, cellCount.of);
  await page.locator('[data-test="segment-save"]').click();
  await page.waitForURL((u) => /^\/marketing\/segments\/\d+$/.test(u.pathname));
  const saved = await get(`/api/v1/segments/${new URL(page.url()).pathname.split('/').pop()}`);
  assert.deepEqual(saved.rules, cellRules);
  assert.equal(saved.live_count, cellCount.count);
  await page.context().close();

  // An analyst reads the grid but may not build segments: no button.
  const analyst = await newPage(browser);
  await signIn(analyst, server.base, 'analyst', DEMO_PASSWORD);
  await analyst.goto(`${server.base}/analytics/rfm`);
  await analyst.locator(`[data-test="rfm-class"][data-id="${cls}"]`).click();
  await waitText(analyst, 'rfm-drill-count', String(rfm.classes.find((c) => c.class === cls).members));
  assert.equal(await analyst.locator('[data-test="rfm-make-segment"]').count(), 0);
  assert.equal(await analyst.locator('[data-test="rfm-segment-hint"]').count(), 0);
  await analyst.context().close();
});

test('a new webhook shows its secret once, a test delivery is signed with it, and a rotation signs with both', async () => {
  const got = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${receiver.address().port}/hook`;
  try {
    const page = await newPage(browser);
    await signIn(page, server.base, 'admin', DEMO_PASSWORD);
    // Under 系统管理.
    await page.locator('[data-test="menu-SystemWebhooks"]').click();
    await page.waitForURL((u) => u.pathname === '/system/webhooks');
    await page.locator('[data-test="webhook-signature-doc"]').waitFor();
    assert.ok((await text(page, 'webhook-signature-doc')).includes('X-Storecrm-Signature: t=<unix>,v1=<hex>'));
    await page.locator('[data-test="webhook-new"]').click();
    await field(page, 'webhook-form-url').fill(url);
    await page.locator('[data-test="webhook-form-event-sale.completed"]').click();
    await page.locator('[data-test="webhook-form-event-member.created"]').click();
    await field(page, 'webhook-form-description').fill('E2E 接收端');
    await page.locator('[data-test="webhook-form-submit"]').click();

    const dialog = page.locator('[data-test="webhook-secret-dialog"]');
    await dialog.waitFor();
    assert.ok((await text(page, 'webhook-secret-warning')).includes('只显示这一次'));
    const secret = await field(page, 'webhook-secret').inputValue();
    assert.match(secret, /^whsec_\S+$/);
    const list = await get('/api/v1/webhooks');
    const hook = list.items.find((w) => w.url === url);
    assert.ok(hook, 'created');
    assert.deepEqual([...hook.events].sort(), ['member.created', 'sale.completed']);
    assert.equal(hook.description, 'E2E 接收端');
    assert.equal(hook.secret, undefined, 'the list never has the secret');
    await page.locator('[data-test="webhook-secret-close"]').click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator(`[data-test="webhook-row"][data-id="${hook.id}"]`);
    await row.waitFor();
    assert.equal((await row.locator('[data-test="webhook-url"]').innerText()).trim(), url);
    assert.equal(await page.evaluate((s) => document.body.innerHTML.includes(s) || [...document.querySelectorAll('input')].some((i) => i.value === s), secret), false, 'not shown again');
    // Editing shows no secret either.
    await page.locator(`[data-test="webhook-edit-${hook.id}"]`).click();
    await page.locator('[data-test="webhook-dialog"]').waitFor();
    assert.equal(await page.locator('[data-test="webhook-secret"]:visible').count(), 0);
    await page.keyboard.press('Escape');

    // A test event, delivered by the job, signed with the secret the page showed.
    await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/webhooks/${hook.id}/test`),
      page.locator(`[data-test="webhook-test-${hook.id}"]`).click(),
    ]);
    await runJob('webhooks.deliver');
    const tests = got.filter((g) => JSON.parse(g.body).type === 'webhook.test');
    assert.equal(tests.length, 1);
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(tests[0].headers['x-storecrm-signature']);
    assert.ok(m, tests[0].headers['x-storecrm-signature']);
    assert.equal(createHmac('sha256', secret).update(`${m[1]}.${tests[0].body}`).digest('hex'), m[2]);
    const eventId = JSON.parse(tests[0].body).id;
    assert.equal(tests[0].headers['idempotency-key'], eventId);

    const log = (await get(`/api/v1/webhooks/${hook.id}/deliveries?limit=20`)).items;
    await page.locator(`[data-test="webhook-log-${hook.id}"]`).click();
    const first = page.locator(`[data-test="webhook-delivery"][data-id="${log[0].id}"]`);
    await first.waitFor();
    assert.equal(await page.locator('[data-test="webhook-delivery"]').count(), log.length);
    assert.equal((await first.locator('[data-test="webhook-delivery-event"]').innerText()).trim(), log[0].event_id);
    assert.equal(log.find((d) => d.event_id === eventId)?.status, 'delivered');
    assert.equal(
      (await page.locator(`[data-test="webhook-delivery"][data-id="${log.find((d) => d.event_id === eventId).id}"] [data-test="webhook-delivery-status"]`).innerText()).trim(),
      '已投递',
    );

    // 更换密钥: a new secret shown once; the old one keeps signing beside it for a day.
    await page.keyboard.press('Escape');
    await page.locator('[data-test="webhook-log"]').waitFor({ state: 'hidden' });
    await page.locator(`[data-test="webhook-rotate-${hook.id}"]`).click();
    const rotate = page.locator('[data-test="webhook-rotate-dialog"]');
    await rotate.waitFor();
    assert.ok(await page.locator('[data-test="webhook-rotate-keep-24"] input').isChecked(), 'a day by default');
    await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/webhooks/${hook.id}/rotate-secret`),
      page.locator('[data-test="webhook-rotate-submit"]').click(),
    ]);
    await dialog.waitFor();
    assert.ok((await dialog.innerText()).includes('签名密钥已更换'));
    const newSecret = await field(page, 'webhook-secret').inputValue();
    assert.match(newSecret, /^whsec_\S+$/);
    assert.notEqual(newSecret, secret);
    const rotated = (await get('/api/v1/webhooks')).items.find((w) => w.id === hook.id);
    assert.ok(rotated.previous_secret_expires_at, 'the old secret is honoured for a while');
    assert.ok((await text(page, 'webhook-secret-previous')).includes('旧密钥'));
    await page.locator('[data-test="webhook-secret-close"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await row.locator('[data-test="webhook-previous-secret"]').waitFor();
    await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === `/api/v1/webhooks/${hook.id}/test`),
      page.locator(`[data-test="webhook-test-${hook.id}"]`).click(),
    ]);
    await runJob('webhooks.deliver');
    const afterRotation = got.filter((g) => JSON.parse(g.body).type === 'webhook.test');
    assert.equal(afterRotation.length, 2);
    const last = afterRotation[1];
    const signed = /^t=(\d+),v1=([0-9a-f]{64}),v1=([0-9a-f]{64})$/.exec(last.headers['x-storecrm-signature']);
    assert.ok(signed, last.headers['x-storecrm-signature']);
    assert.equal(createHmac('sha256', newSecret).update(`${signed[1]}.${last.body}`).digest('hex'), signed[2]);
    assert.equal(createHmac('sha256', secret).update(`${signed[1]}.${last.body}`).digest('hex'), signed[3]);
    await page.context().close();
  } finally {
    await new Promise((r) => receiver.close(r));
  }
});

test('the targets page and the dashboard show the API\'s actual and progress; a target typed in yuan is kept in fen', async () => {
  const period = chinaMonth();
  const stores = (await get('/api/v1/stores?limit=200')).items;
  const [a, b] = stores;
  const set1 = await call('POST', '/api/v1/targets', { scope: 'store', subject_id: a.id, metric: 'sales', period, target: 80000000 }, 201);
  const set2 = await call('POST', '/api/v1/targets', { scope: 'store', subject_id: b.id, metric: 'new_members', period, target: 40 }, 201);
  const listed = (await get(`/api/v1/targets?period=${period}`)).items;
  const t1 = listed.find((x) => x.id === set1.id);
  const t2 = listed.find((x) => x.id === set2.id);

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-MarketingTargets"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/targets');
  const row1 = page.locator(`[data-test="target-row"][data-id="${t1.id}"]`);
  await row1.waitFor();
  assert.equal((await row1.locator('[data-test="target-subject"]').innerText()).trim(), t1.subject_name);
  assert.equal((await row1.locator('[data-test="target-actual"]').innerText()).trim(), money(t1.actual));
  assert.equal((await row1.locator('[data-test="target-target"]').innerText()).trim(), money(t1.target));
  assert.equal((await row1.locator('[data-test="target-progress"]').innerText()).trim(), pct1(t1.progress_pct));
  assert.equal(await row1.locator('[data-test="target-status"]').getAttribute('data-on-track'), String(t1.on_track));
  assert.equal((await row1.locator('[data-test="target-status"]').innerText()).trim(), t1.on_track ? '进度正常' : '落后');
  // The time-gone marker sits at the API's share of the period.
  const marker = await row1.locator('[data-test="target-elapsed-marker"]').evaluate((e) => parseFloat(e.style.left));
  assert.ok(Math.abs(marker - Math.min(100, t1.time_elapsed_pct)) < 0.001, `${marker} vs ${t1.time_elapsed_pct}`);
  const row2 = page.locator(`[data-test="target-row"][data-id="${t2.id}"]`);
  assert.equal((await row2.locator('[data-test="target-actual"]').innerText()).trim(), `${count(t2.actual)} 人`);
  assert.equal((await row2.locator('[data-test="target-progress"]').innerText()).trim(), pct1(t2.progress_pct));

  // Setting one in the browser: ¥12,345.67 for the second store's sales.
  await page.locator('[data-test="target-new"]').click();
  await page.locator('[data-test="target-form-store"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: `(${b.code})` }).click();
  const amount = field(page, 'target-form-amount');
  await amount.fill('12345.67');
  await amount.blur();
  await page.locator('[data-test="target-form-submit"]').click();
  await page.locator('[data-test="target-dialog"]').waitFor({ state: 'hidden' });
  const mine = (await get(`/api/v1/targets?period=${period}`)).items.find((x) => x.scope === 'store' && x.subject_id === b.id && x.metric === 'sales');
  assert.ok(mine, 'set');
  assert.equal(mine.target, 1234567, 'yuan typed, fen kept');
  const row3 = page.locator(`[data-test="target-row"][data-id="${mine.id}"]`);
  await row3.waitFor();
  assert.equal((await row3.locator('[data-test="target-progress"]').innerText()).trim(), pct1(mine.progress_pct));

  // This month's targets on the dashboard.
  await page.goto(`${server.base}/service/dashboard`);
  const card = page.locator(`[data-test="dashboard-target"][data-id="${t1.id}"]`);
  await card.waitFor();
  assert.equal((await card.locator('[data-test="dashboard-target-actual"]').innerText()).trim(), money(t1.actual));
  assert.equal((await card.locator('[data-test="target-progress"]').innerText()).trim(), pct1(t1.progress_pct));
  await page.context().close();
});

test('the member 360 page shows the member\'s value group', async () => {
  // A buyer of the demo: a segment member with an RFM class.
  const seg = await call('POST', '/api/v1/segments', { name: '价值卡测试', description: '', rules: { match: 'all', rules: [{ field: 'purchases', op: 'gte', value: 2, days: 365 }] } }, 201);
  const member = (await get(`/api/v1/segments/${seg.id}/members?limit=1`)).items[0];
  const values = await get(`/api/v1/members/${member.id}/values`);
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/members/${member.id}`);
  await page.locator('[data-test="member-values"] [data-test="member-values-r"]').waitFor();
  for (const k of ['r', 'f', 'm']) assert.equal(await text(page, `member-values-${k}`), values[k] ? String(values[k]) : '—');
  assert.equal(await text(page, 'member-values-rfm-class'), RFM_ZH[values.rfm_class]);
  assert.equal(await text(page, 'member-values-lifecycle'), LIFECYCLE_ZH[values.lifecycle]);
  assert.equal(await text(page, 'member-values-value-group'), VALUE_GROUP_ZH[values.value_group]);
  await page.context().close();
});

test('marketing settings: the API\'s values, a kept secret, a stale save\'s conflict, read-only without the right', async () => {
  await settings({ sms_mode: 'http', sms_url: 'http://127.0.0.1:9/sms', sms_secret: 'e2e-secret' });
  const before = await get('/api/v1/marketing/settings');
  assert.equal(before.sms_secret_set, true);
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-MarketingSettings"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/settings');
  await page.locator('[data-test="ms-sms-secret-set"]').waitFor();
  assert.equal(await text(page, 'ms-sms-secret-set'), '已设置');
  assert.equal(await field(page, 'ms-sms-secret').inputValue(), '', 'a secret is never shown');
  assert.equal(await field(page, 'ms-sms-url').inputValue(), before.sms_url);
  assert.equal(await field(page, 'ms-weekly-cap').inputValue(), String(before.weekly_cap));
  assert.equal(await field(page, 'ms-approval-threshold').inputValue(), String(before.approval_threshold));
  // Saving with the secret box empty keeps the secret.
  const cap = field(page, 'ms-weekly-cap');
  await cap.fill(String(before.weekly_cap + 3));
  await cap.blur();
  await page.locator('[data-test="ms-save"]').click();
  await page.waitForFunction((v) => document.querySelector('[data-test="ms-weekly-cap"] input')?.value === v, String(before.weekly_cap + 3));
  let after = await get('/api/v1/marketing/settings');
  for (let i = 0; i < 50 && after.version === before.version; i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = await get('/api/v1/marketing/settings');
  }
  assert.equal(after.weekly_cap, before.weekly_cap + 3);
  assert.equal(after.sms_secret_set, true, 'the empty box kept the secret');
  assert.equal(after.version, before.version + 1);
  // Someone else saves meanwhile: the page's next save is refused with the server's conflict.
  await call('PUT', '/api/v1/marketing/settings', { weekly_cap: 0, version: after.version });
  const stale = await api.put('/api/v1/marketing/settings', { weekly_cap: 1, version: after.version });
  assert.equal(stale.status, 409);
  await page.locator('[data-test="ms-save"]').click();
  await page.locator('[data-test="ms-conflict"]').waitFor();
  assert.ok((await text(page, 'ms-conflict')).includes(stale.body.error.message));
  await page.context().close();

  // A marketer may read the settings (campaigns.manage) but not change them.
  const marketer = await newPage(browser);
  await signIn(marketer, server.base, 'marketer', DEMO_PASSWORD);
  await marketer.goto(`${server.base}/marketing/settings`);
  await marketer.locator('[data-test="ms-read-only"]').waitFor();
  assert.equal(await marketer.locator('[data-test="ms-save"]').count(), 0);
  assert.ok(await field(marketer, 'ms-weekly-cap').isDisabled());
  await marketer.context().close();
  await settings({ sms_mode: 'file', weekly_cap: 0 });
});

test('the campaign list, editor, campaign and results fit a 390 px phone', async () => {
  assert.ok(sentCampaign, 'the first test sent a campaign');
  const page = await newPage(browser, 390, 844);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/campaigns`);
  await page.locator(`[data-test="campaign-row"][data-id="${sentCampaign}"]`).waitFor();
  await noSidewaysScroll(page, 'campaign list');

  await page.goto(`${server.base}/marketing/campaigns/new`);
  await page.locator('[data-test="campaign-name-input"]').waitFor();
  await noSidewaysScroll(page, 'campaign editor');
  // Rules of its own (the builder), an email with a subject, and a weekly schedule.
  await page.locator('[data-test="campaign-audience-rules"]').click();
  await page.locator('[data-test="rule-condition"][data-path="r.0"]').waitFor();
  await page.locator('[data-test="campaign-channel-email"]').click();
  await page.locator('[data-test="campaign-subject-input"]').waitFor();
  await page.locator('[data-test="campaign-schedule-recurring"]').click();
  await page.locator('[data-test="campaign-weekdays"]').waitFor();
  await noSidewaysScroll(page, 'campaign editor, rules and weekly schedule');
  await page.locator('[data-test="campaign-schedule-trigger"]').click();
  await pick(page, page.locator('[data-test="campaign-trigger-kind"]'), 'campaign-trigger-option-days_since_purchase');
  await page.locator('[data-test="campaign-trigger-days"]').waitFor();
  await noSidewaysScroll(page, 'campaign editor, trigger');

  await page.goto(`${server.base}/marketing/campaigns/${sentCampaign}`);
  await page.locator('[data-test="campaign-preview-body"]').waitFor();
  await noSidewaysScroll(page, 'campaign');
  await page.goto(`${server.base}/marketing/campaigns/${sentCampaign}/results`);
  await page.locator('[data-test="results-treatment"]').waitFor();
  await noSidewaysScroll(page, 'campaign results');
  await page.context().close();
});
