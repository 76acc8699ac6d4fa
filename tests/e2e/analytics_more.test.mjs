// Browser tests of the later analysis pages over the demo's months of sales: sequential rules
// (total, first rule, "load more" and thresholds follow the API), the demand forecast (series,
// and a stock shortage made through the stock API shows first as the API's alerts), satisfaction
// and the staff leaderboard (figures, rows and exports are the API's), the four pages on a
// phone, and the member 360° page's next best products.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, signIn, waitText, text, field, exportFile } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
let server;
let browser;
let api;

// ¥12.34 as the web app shows amounts (integer fen).
const money = (fen) => `${fen < 0 ? '-' : ''}¥${Math.floor(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;
const count = (n) => n.toLocaleString('en-US');

const pct = (v) => (v === null ? '—' : `${Math.round(v * 10) / 10}%`);
// Rule figures as the rule tables show them: support to 0.01 %, confidence to 0.1 %, lift 2 decimals.
const supportPct = (v) => `${Math.round(v * 10000) / 100}%`;
const confidencePct = (v) => `${Math.round(v * 1000) / 10}%`;
// Forecast units: one decimal at most, thousands separated.
const qty = (v) => v.toLocaleString('en-US', { maximumFractionDigits: 1 });
const nps = (v) => (v === null ? '—' : String(v));
const csat = (v) => (v === null ? '—' : v.toFixed(2));
// `YYYY-MM-DD` n days before a date.
const daysBefore = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) - n * 86400000).toISOString().slice(0, 10);

async function get(url) {
  const r = await api.get(url);
  assert.equal(r.status, 200, `${url}: ${r.text}`);
  return r.body;
}

// The trimmed texts of every element with a test id, in page order.
async function texts(page, testId) {
  return (await page.locator(`[data-test="${testId}"]`).allInnerTexts()).map((s) => s.trim());
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

test('sequential rules: the total and first rule are the API\'s; looser thresholds load more; window and level follow', async () => {
  // The page asks with every threshold spelled out (90 days, 1 %, 10 %), 50 rules a page.
  const q = (o) => new URLSearchParams({ level: 'product', within_days: '90', min_support: '0.01', min_confidence: '0.1', limit: '50', ...o }).toString();
  const first = await get(`/api/v1/analytics/sequences?${q({})}`);
  assert.ok(first.members > 0, 'the demo has buying members');
  assert.ok(first.total > 0, 'the demo has sequences at 1 % support');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-AnalyticsSequences"]').click();
  await page.waitForURL((u) => u.pathname === '/analytics/sequences');
  await waitText(page, 'sequences-total', `共 ${count(first.total)} 条规则`);
  await waitText(page, 'kpi-sequences-members', count(first.members));
  await waitText(page, 'kpi-sequences-rules', count(first.total));
  const rule = first.items[0];
  assert.equal(await text(page, 'sequence-rule-first'), rule.first.name);
  assert.equal(await text(page, 'sequence-rule-then'), rule.then.name);
  assert.equal(await text(page, 'sequence-rule-members'), count(rule.members));
  assert.equal(await text(page, 'sequence-rule-support'), supportPct(rule.support));
  assert.equal(await text(page, 'sequence-rule-confidence'), confidencePct(rule.confidence));
  assert.equal(await text(page, 'sequence-rule-lift'), rule.lift.toFixed(2));
  assert.equal(await page.locator('[data-test="sequence-rule"]').count(), Math.min(50, first.total));
  await page.locator('[data-test="sequences-chart"] canvas').first().waitFor();

  // 0.5 % instead of 1 % support: the API's total and rules.
  const lower = await get(`/api/v1/analytics/sequences?${q({ min_support: '0.005' })}`);
  await field(page, 'sequences-min-support').fill('0.5');
  await field(page, 'sequences-min-support').press('Enter');
  await waitText(page, 'sequences-total', `共 ${count(lower.total)} 条规则`);
  assert.equal(new URL(page.url()).searchParams.get('min_support'), '0.005');
  assert.deepEqual(await texts(page, 'sequence-rule-then'), lower.items.map((r) => r.then.name));
  // And 5 % confidence: more than a page, and "load more" brings the API's next page.
  const looser = await get(`/api/v1/analytics/sequences?${q({ min_support: '0.005', min_confidence: '0.05' })}`);
  assert.ok(looser.next_cursor, `more than a page of rules at 0.5 % support and 5 % confidence (${looser.total})`);
  const next = await get(`/api/v1/analytics/sequences?${q({ min_support: '0.005', min_confidence: '0.05' })}&cursor=${encodeURIComponent(looser.next_cursor)}`);
  await field(page, 'sequences-min-confidence').fill('5');
  await field(page, 'sequences-min-confidence').press('Enter');
  await waitText(page, 'sequences-total', `共 ${count(looser.total)} 条规则`);
  assert.equal(new URL(page.url()).searchParams.get('min_confidence'), '0.05');
  assert.equal(await page.locator('[data-test="sequence-rule"]').count(), 50);
  await page.locator('[data-test="sequences-list-load-more"]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-test="sequence-rule"]').length === n, 50 + next.items.length);
  assert.deepEqual((await texts(page, 'sequence-rule-first')).slice(50), next.items.map((r) => r.first.name));
  assert.deepEqual((await texts(page, 'sequence-rule-then')).slice(50), next.items.map((r) => r.then.name));

  // A 30-day window, then categories: the list reloads with the API's rules each time.
  const window30 = await get(`/api/v1/analytics/sequences?${q({ min_support: '0.005', min_confidence: '0.05', within_days: '30' })}`);
  await field(page, 'sequences-within-days').fill('30');
  await field(page, 'sequences-within-days').press('Enter');
  await waitText(page, 'sequences-total', `共 ${count(window30.total)} 条规则`);
  await waitText(page, 'kpi-sequences-window', '30 天内');
  assert.equal(new URL(page.url()).searchParams.get('within_days'), '30');
  const cat = await get(`/api/v1/analytics/sequences?${q({ min_support: '0.005', min_confidence: '0.05', within_days: '30', level: 'category' })}`);
  assert.equal(cat.level, 'category');
  await page.locator('[data-test="sequences-level-category"]').click();
  await waitText(page, 'sequences-total', `共 ${count(cat.total)} 条规则`);
  if (cat.total > 0) {
    await waitText(page, 'sequence-rule-first', cat.items[0].first.name);
    assert.equal(await text(page, 'sequence-rule-then'), cat.items[0].then.name);
  } else {
    await page.locator('[data-test="sequences-no-rules"]').waitFor();
  }
  await page.context().close();
});

test('demand forecast: the series are the API\'s; a shortage shows first as the API\'s stock alerts', async () => {
  // The page's defaults: 4 weeks by category.
  const byCategory = await get('/api/v1/analytics/forecast?weeks=4&level=category');
  assert.ok(byCategory.series.length > 0, 'the demo sold in the last 8 weeks');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-AnalyticsForecast"]').click();
  await page.waitForURL((u) => u.pathname === '/analytics/forecast');
  await waitText(page, 'kpi-forecast-series', count(byCategory.series.length));
  await waitText(page, 'kpi-forecast-alerts', count(byCategory.alerts.length));
  const shownRows = Math.min(50, byCategory.series.length);
  assert.deepEqual(await texts(page, 'forecast-series-name'), byCategory.series.slice(0, shownRows).map((s) => s.name));
  assert.equal(await text(page, 'forecast-series-store'), byCategory.series[0].store_name);
  assert.equal(await text(page, 'forecast-series-total'), qty(byCategory.series[0].total));
  assert.equal(await text(page, 'forecast-series-stock'), count(byCategory.series[0].stock));
  assert.equal(await text(page, 'forecast-series-factor'), byCategory.series[0].holiday_factor.toFixed(2));
  assert.equal(await page.locator('[data-test="forecast-series-week"]').count(), shownRows * 4);
  await page.locator('[data-test="forecast-chart"] canvas').first().waitFor();
  assert.equal(await page.locator('[data-test="forecast-alerts"]').count(), byCategory.alerts.length ? 1 : 0);
  assert.equal(await page.locator('[data-test="forecast-no-alerts"]').count(), byCategory.alerts.length ? 0 : 1);

  // Products: the biggest seller's stock in its store is taken to nothing through the stock
  // API, so its forecast is more than the store holds.
  await page.locator('[data-test="forecast-level-product"]').click();
  const byProduct = await get('/api/v1/analytics/forecast?weeks=4&level=product');
  await waitText(page, 'kpi-forecast-series', count(byProduct.series.length));
  assert.equal(new URL(page.url()).searchParams.get('level'), 'product');
  const target = byProduct.series[0];
  assert.ok(target.total >= 1, 'the top product is expected to sell');
  if (target.stock > 0) {
    const cut = await api.post('/api/v1/stock/adjustments', { store_id: target.store_id, product_id: target.item_id, quantity: -target.stock, note: '盘点' });
    assert.equal(cut.status, 200, cut.text);
  }
  const short = await get('/api/v1/analytics/forecast?weeks=4&level=product');
  assert.ok(short.alerts.some((a) => a.item_id === target.item_id && a.store_id === target.store_id), 'the API warns about the product');
  await page.reload();
  await page.locator('[data-test="forecast-alerts"]').waitFor();
  await waitText(page, 'kpi-forecast-alerts', count(short.alerts.length));
  // Every alert as the API has it, largest shortfall first.
  assert.deepEqual(await texts(page, 'forecast-alert-name'), short.alerts.map((a) => a.name));
  assert.deepEqual(await texts(page, 'forecast-alert-store'), short.alerts.map((a) => a.store_name));
  assert.deepEqual(await texts(page, 'forecast-alert-forecast'), short.alerts.map((a) => qty(a.forecast)));
  assert.deepEqual(await texts(page, 'forecast-alert-stock'), short.alerts.map((a) => count(a.stock)));
  assert.deepEqual(await texts(page, 'forecast-alert-short-by'), short.alerts.map((a) => count(a.short_by)));
  assert.equal(await page.locator('[data-test="forecast-no-alerts"]').count(), 0);
  // The alerts come before the figures and the chart.
  const before = await page.evaluate(() => {
    const alerts = document.querySelector('[data-test="forecast-alerts"]');
    const chart = document.querySelector('[data-test="forecast-chart-card"]');
    const kpis = document.querySelector('[data-test="forecast-kpis"]');
    const follows = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    return follows(alerts, kpis) && follows(alerts, chart);
  });
  assert.ok(before, 'the stock alerts are the first thing on the page');

  // Eight weeks: a column a week, and the totals follow.
  const eight = await get('/api/v1/analytics/forecast?weeks=8&level=product');
  await page.locator('[data-test="forecast-weeks"]').click();
  await page.locator('[data-test="forecast-weeks-8"]').click();
  await waitText(page, 'forecast-series-total', qty(eight.series[0].total));
  assert.equal(await page.locator('[data-test="forecast-series-week"]').count(), Math.min(50, eight.series.length) * 8);
  assert.equal(new URL(page.url()).searchParams.get('weeks'), '8');
  await page.context().close();
});

test('satisfaction: the KPI figures and the store table are the API\'s, for the default and a chosen period', async () => {
  const sat = await get('/api/v1/analytics/satisfaction');
  assert.ok(sat.answers > 0, 'the demo has survey answers');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-AnalyticsSatisfaction"]').click();
  await page.waitForURL((u) => u.pathname === '/analytics/satisfaction');
  await waitText(page, 'kpi-satisfaction-answers', count(sat.answers));
  assert.equal(await text(page, 'kpi-satisfaction-nps'), nps(sat.nps));
  assert.equal(await text(page, 'kpi-satisfaction-csat'), csat(sat.csat));
  assert.equal(await text(page, 'kpi-satisfaction-complaints'), count(sat.complaints));
  assert.equal(await text(page, 'kpi-satisfaction-response'), pct(sat.response_compliance_pct));
  assert.equal(await text(page, 'kpi-satisfaction-resolution'), pct(sat.resolution_compliance_pct));
  assert.deepEqual(await texts(page, 'satisfaction-store-name'), sat.stores.map((s) => s.store_name));
  assert.deepEqual(await texts(page, 'satisfaction-store-nps'), sat.stores.map((s) => nps(s.nps)));
  assert.deepEqual(await texts(page, 'satisfaction-store-csat'), sat.stores.map((s) => csat(s.csat)));
  assert.deepEqual(await texts(page, 'satisfaction-store-response'), sat.stores.map((s) => pct(s.response_compliance_pct)));
  await page.locator('[data-test="satisfaction-chart"] canvas').first().waitFor();
  await page.locator('[data-test="satisfaction-metric-csat"]').click();
  await page.locator('[data-test="satisfaction-chart"] canvas').first().waitFor();

  // The last week only, as a link: the API's figures for the same days.
  const from = daysBefore(sat.to, 6);
  const week = await get(`/api/v1/analytics/satisfaction?from=${from}&to=${sat.to}`);
  await page.goto(`${server.base}/analytics/satisfaction?from=${from}&to=${sat.to}`);
  await waitText(page, 'kpi-satisfaction-answers', count(week.answers));
  assert.equal(await text(page, 'kpi-satisfaction-nps'), nps(week.nps));
  assert.equal(await text(page, 'kpi-satisfaction-complaints'), count(week.complaints));
  if (week.answers || week.complaints) {
    assert.deepEqual(await texts(page, 'satisfaction-store-name'), week.stores.map((s) => s.store_name));
  } else {
    await page.locator('[data-test="satisfaction-empty"]').waitFor();
  }
  await page.context().close();
});

test('staff leaderboard: the ranking, first name and amount are the API\'s; CSV and Excel', async () => {
  const board = await get('/api/v1/analytics/staff');
  assert.ok(board.items.length > 0, 'the demo staff sold in the last 30 days');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-AnalyticsStaff"]').click();
  await page.waitForURL((u) => u.pathname === '/analytics/staff');
  await waitText(page, 'staff-name', board.items[0].name);
  assert.equal(await text(page, 'staff-amount'), money(board.items[0].sales_amount));
  assert.equal(await text(page, 'staff-sales-count'), count(board.items[0].sales_count));
  assert.equal(await text(page, 'staff-rank'), '1');
  assert.deepEqual(await texts(page, 'staff-name'), board.items.map((r) => r.name));
  assert.deepEqual(await texts(page, 'staff-amount'), board.items.map((r) => money(r.sales_amount)));
  assert.deepEqual(await texts(page, 'staff-csat'), board.items.map((r) => csat(r.csat)));
  await page.locator('[data-test="staff-board-chart"] canvas').first().waitFor();

  // The exports are the same leaderboard as CSV (a header and a row a person) and Excel.
  const csv = await exportFile(page, 'staff-board-csv');
  assert.match(csv.href, /^\/api\/v1\/analytics\/staff\?(.*&)?format=csv/);
  assert.ok(csv.text.startsWith('\uFEFF'), 'CSV starts with a BOM');
  const lines = csv.text.trim().split('\n');
  assert.equal(lines.length, board.items.length + 1, 'every person and a header');
  assert.ok(lines[1].includes(board.items[0].name) && lines[1].includes(String(board.items[0].sales_amount)));
  const xlsx = await exportFile(page, 'staff-board-xlsx');
  assert.match(xlsx.href, /^\/api\/v1\/analytics\/staff\?(.*&)?format=xlsx/);
  assert.ok(xlsx.text.startsWith('PK'), 'an Excel (zip) file');
  await page.context().close();
});

test('on a phone the four pages show the API\'s figures without sideways scrolling', async () => {
  const seq = await get('/api/v1/analytics/sequences?level=product&within_days=90&min_support=0.01&min_confidence=0.1&limit=50');
  const forecast = await get('/api/v1/analytics/forecast?weeks=4&level=category');
  const sat = await get('/api/v1/analytics/satisfaction');
  const board = await get('/api/v1/analytics/staff');
  const phone = await newPage(browser, 390, 844);
  await signIn(phone, server.base, 'admin', DEMO_PASSWORD);
  const fits = async (what) => {
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${what}: no sideways scrolling (${overflow}px)`);
  };

  await phone.goto(`${server.base}/analytics/sequences`);
  await waitText(phone, 'sequences-total', `共 ${count(seq.total)} 条规则`);
  assert.equal(await text(phone, 'sequence-rule-first'), seq.items[0].first.name);
  await fits('sequences');

  await phone.goto(`${server.base}/analytics/forecast`);
  await waitText(phone, 'forecast-series-name', forecast.series[0].name);
  assert.equal(await text(phone, 'forecast-series-total'), qty(forecast.series[0].total));
  await fits('forecast');

  await phone.goto(`${server.base}/analytics/satisfaction`);
  await waitText(phone, 'kpi-satisfaction-nps', nps(sat.nps));
  // KPI cards two to a row.
  const tops = await phone.locator('[data-test^="kpi-card-"]').evaluateAll((els) => els.slice(0, 2).map((e) => e.getBoundingClientRect().top));
  assert.equal(tops[0], tops[1], 'two KPI cards side by side');
  await fits('satisfaction');

  await phone.goto(`${server.base}/analytics/staff`);
  await waitText(phone, 'staff-name', board.items[0].name);
  assert.equal(await text(phone, 'staff-amount'), money(board.items[0].sales_amount));
  await fits('staff');
  await phone.context().close();
});

test('member 360: the next best products card shows the API\'s products, or that there are none', async () => {
  const list = (await get('/api/v1/members?limit=100')).items;
  const buyers = list.filter((m) => m.purchase_count >= 1);
  assert.ok(buyers.length, 'demo members with purchases');
  // A buyer the rules have suggestions for (the demo's rules usually cover one), else any buyer.
  let member = buyers[0];
  let next = await get(`/api/v1/members/${member.id}/next-best-products`);
  for (const m of buyers.slice(1)) {
    if (next.items.length) break;
    member = m;
    next = await get(`/api/v1/members/${m.id}/next-best-products`);
  }
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  const expectCard = async (id, answer) => {
    await page.goto(`${server.base}/members/${id}`);
    if (answer.items.length) {
      await waitText(page, 'member-next-best-name', answer.items[0].product.name);
      assert.deepEqual(await texts(page, 'member-next-best-name'), answer.items.map((s) => s.product.name));
      assert.equal(await text(page, 'member-next-best-because'), `因为买过 ${answer.items[0].because.name}`);
      assert.equal(await text(page, 'member-next-best-score'), answer.items[0].score.toFixed(2));
      assert.equal(await page.locator('[data-test="member-next-best-none"]').count(), 0);
    } else {
      await page.locator('[data-test="member-next-best-none"]').waitFor();
      assert.equal(await page.locator('[data-test="member-next-best-item"]').count(), 0);
    }
  };
  await expectCard(member.id, next);
  // A member who never bought: whatever the API says for them (nothing to start a rule from).
  const idle = list.find((m) => m.purchase_count === 0);
  if (idle) {
    const none = await get(`/api/v1/members/${idle.id}/next-best-products`);
    await expectCard(idle.id, none);
  }
  await page.context().close();
});
