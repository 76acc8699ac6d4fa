// Browser tests of the analysis pages over the demo's months of sales: the RFM grid and its
// drill-down agree with the API, the sales dashboard's KPI amount is the API's total in yuan,
// the member report's figures and the cohort table's rows are the API's.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, signIn, waitText, text } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
let server;
let browser;
let api;

// ¥12.34 as the web app shows amounts (integer fen).
const money = (fen) => `${fen < 0 ? '-' : ''}¥${Math.floor(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const count = (n) => n.toLocaleString('en-US');
const pct = (v) => `${Math.round(v * 10) / 10}%`;

async function get(url) {
  const r = await api.get(url);
  assert.equal(r.status, 200, `${url}: ${r.text}`);
  return r.body;
}

before(async () => {
  // Reports leave out receipts written in the last 2 s (the database may still be committing
  // them), and the demo's were written just now: the test clock moves past that.
  server = await new TestServer({ demo: true, args: ['--test-clock'] }).start();
  const advanced = await server.client().post('/api/v1/test/clock', { advance_seconds: 5 });
  assert.ok(advanced.status < 300, advanced.text);
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'zh-CN' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('RFM: 25 cells, the member total, a cell and a class open their members', async () => {
  const rfm = await get('/api/v1/analytics/rfm');
  assert.ok(rfm.members > 0, 'the demo has buying members');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  // Through the side menu's analysis group.
  await page.locator('[data-test="menu-AnalyticsRfm"]').click();
  await page.waitForURL((u) => u.pathname === '/analytics/rfm');
  await waitText(page, 'rfm-members', count(rfm.members));
  const cells = page.locator('[data-test="rfm-cell"]');
  assert.equal(await cells.count(), 25);
  // Rows r 5→1, columns f 1→5, each cell as the API has it.
  const shown = await cells.evaluateAll((els) => els.map((e) => [Number(e.dataset.r), Number(e.dataset.f), Number(e.dataset.members)]));
  assert.deepEqual(shown, rfm.grid.map((c) => [c.r, c.f, c.members]));
  assert.deepEqual(shown.slice(0, 5).map(([r, f]) => `${r}${f}`), ['51', '52', '53', '54', '55']);
  assert.equal(await page.locator('[data-test="rfm-class"]').count(), rfm.classes.length);
  assert.equal(await page.locator('[data-test="rfm-class"][data-id="champions"] [data-test="rfm-class-name"]').innerText(), '重要价值客户');
  assert.ok(await page.locator('[data-test="rfm-make-segment"]').isDisabled());

  // The cell with the most members, compared with the drill-down API for the same r and f.
  const cell = rfm.grid.reduce((a, b) => (b.members > a.members ? b : a));
  const drill = await get(`/api/v1/analytics/rfm/members?r=${cell.r}&f=${cell.f}&limit=30`);
  assert.equal(drill.total, cell.members);
  await page.locator(`[data-test="rfm-cell"][data-r="${cell.r}"][data-f="${cell.f}"]`).click();
  const panel = page.locator('[data-test="rfm-drill"]');
  await waitText(page, 'rfm-drill-count', String(drill.total));
  await panel.locator('[data-test="rfm-drill-name"]', { hasText: drill.items[0].name }).first().waitFor();
  assert.equal(await panel.locator('[data-test="rfm-drill-name"]').count(), Math.min(30, drill.total));
  assert.equal(await text(page, 'rfm-drill-class'), (await page.locator(`[data-test="rfm-class"][data-id="${cell.class}"] [data-test="rfm-class-name"]`).innerText()).trim());
  // The member's name leads to their 360° page.
  const href = await panel.locator('a[data-test="rfm-drill-name"]').first().getAttribute('href');
  assert.equal(href, `/members/${drill.items[0].member_id}`);
  await page.keyboard.press('Escape');
  await panel.waitFor({ state: 'hidden' });

  // A class row: its members, with more pages behind "load more" when there are over 30.
  const cls = rfm.classes.reduce((a, b) => (b.members > a.members ? b : a));
  await page.locator(`[data-test="rfm-class"][data-id="${cls.class}"]`).click();
  await waitText(page, 'rfm-drill-count', String(cls.members));
  if (cls.members > 30) {
    await page.locator('[data-test="rfm-drill-load-more"]').click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="rfm-drill"] [data-test="rfm-drill-name"]').length === n, Math.min(60, cls.members));
  }
  await page.keyboard.press('Escape');

  // A link with the period backwards: the server's field message shows under the dates.
  const bad = await api.get('/api/v1/analytics/rfm?from=2026-05-01&to=2026-01-01');
  assert.equal(bad.status, 400);
  const message = bad.body.error.fields.find((f) => f.field === 'from').message;
  await page.goto(`${server.base}/analytics/rfm?from=2026-05-01&to=2026-01-01`);
  await waitText(page, 'field-error-from', message);
  await page.context().close();
});

test('sales dashboard: the KPI amount is the API total in yuan; CSV link; a phone shows it too', async () => {
  const sales = await get('/api/v1/analytics/sales');
  assert.ok(sales.totals.transactions > 0, 'the demo sold in the last 30 days');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/analytics/sales`);
  await waitText(page, 'kpi-amount', money(sales.totals.amount));
  await waitText(page, 'kpi-transactions', count(sales.totals.transactions));
  await waitText(page, 'kpi-aov', money(sales.totals.average_order_value));
  await waitText(page, 'kpi-repurchase', pct(sales.totals.repurchase_rate_pct));
  // The charts drew onto their canvases, and the store table lists every store.
  for (const id of ['sales-by-day-chart', 'sales-category-chart', 'sales-heatmap-chart']) {
    await page.locator(`[data-test="${id}"] canvas`).first().waitFor();
  }
  assert.equal(await page.locator('[data-test="sales-by-store"] .el-table__body tr').count(), sales.by_store.length);
  // 导出 CSV is a link to the same report as CSV (with a byte-order mark).
  const href = await page.locator('[data-test="sales-report-csv"]').getAttribute('href');
  assert.match(href, /^\/api\/v1\/analytics\/sales\?(.*&)?format=csv/);
  const csv = await api.get(href);
  assert.equal(csv.status, 200);
  assert.ok(csv.text.startsWith('\uFEFF'), 'CSV starts with a BOM');
  await page.context().close();

  // On a phone: the same amount, KPI cards two to a row.
  const phone = await newPage(browser, 390, 844);
  await signIn(phone, server.base, 'admin', DEMO_PASSWORD);
  await phone.goto(`${server.base}/analytics/sales`);
  await waitText(phone, 'kpi-amount', money(sales.totals.amount));
  const boxes = await phone.locator('[data-test^="kpi-card-"]').evaluateAll((els) => els.slice(0, 2).map((e) => e.getBoundingClientRect().top));
  assert.equal(boxes[0], boxes[1], 'two KPI cards side by side');
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
  await phone.context().close();
});

test('member report and cohorts match the API', async () => {
  const members = await get('/api/v1/analytics/members');
  const cohorts = await get('/api/v1/analytics/cohorts?months=12');
  assert.ok(cohorts.cohorts.length > 0);
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);

  await page.goto(`${server.base}/analytics/members`);
  await waitText(page, 'kpi-members-total', count(members.total));
  await waitText(page, 'kpi-members-new', count(members.new));
  await waitText(page, 'kpi-churn-rate', pct(members.churn_rate_pct));
  await page.locator('[data-test="member-split-gender-chart"] canvas').first().waitFor();

  await page.locator('[data-test="menu-AnalyticsCohorts"]').click();
  await page.waitForURL((u) => u.pathname === '/analytics/cohorts');
  await waitText(page, 'cohort-month', cohorts.cohorts[0].month);
  assert.equal(await page.locator('[data-test="cohort-row"]').count(), cohorts.cohorts.length);
  const last = cohorts.cohorts.at(-1);
  assert.equal(await page.locator(`[data-test="cohort-row"][data-month="${last.month}"] [data-test="cohort-members"]`).innerText(), count(last.members));
  await page.locator('[data-test="cohorts-chart"] canvas').first().waitFor();

  // Six months instead of twelve: the rows follow, and the address keeps the choice.
  const six = await get('/api/v1/analytics/cohorts?months=6');
  await page.locator('[data-test="cohorts-months"]').click();
  await page.locator('[data-test="cohorts-months-6"]').click();
  await waitText(page, 'cohort-month', six.cohorts[0].month);
  assert.equal(await page.locator('[data-test="cohort-row"]').count(), six.cohorts.length);
  assert.equal(new URL(page.url()).searchParams.get('months'), '6');
  await page.context().close();
});
