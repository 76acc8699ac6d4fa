// Browser tests of the export button (导出 → CSV) on the list pages that had none: 商品 searched
// by name in lower case, 门店 by region, 员工 by role, 消息 by purpose, 投诉 by severity among the open ones, and
// 任务 by origin across every assignee (the admin's own open tasks are none, so the button is off
// until the list shows some). Each file is named after its list and the day, was fetched with
// the filters on screen and nothing else, has a row for every entry the page counts, the list's
// columns, and an entry the filter keeps but none it drops; the message log keeps its masking.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, field, signIn, exportFile } from '../support/browser.mjs';
import { csvRows } from '../support/csv.mjs';

const DEMO_PASSWORD = 'Demo@2026';
// Two phones that ask the member portal for a sign-in code: the message log's 登录验证码.
const PHONES = ['13766600001', '13766600002'];
const masked = (phone) => `${phone.slice(0, 3)}****${phone.slice(-4)}`;
let server;
let browser;
let api;

// `want`: the status, or a list of acceptable ones.
async function call(client, method, url, body, want = 200) {
  const r = await client.request(method, url, body);
  assert.ok([want].flat().includes(r.status), `${method} ${url}: ${r.status} ${r.text}`);
  return r.body;
}

const query = (q) => new URLSearchParams(q).toString();

// Picks the option labelled exactly `label` of the Element Plus select `testId` (the option list
// is teleported to <body>).
async function pick(page, testId, label) {
  await page.locator(`[data-test="${testId}"]`).click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: new RegExp(`^\\s*${label}\\s*$`) }).click();
}

// Waits until the page counts what the API counts for `filters` ("共 N 条"), and answers N.
async function waitTotal(page, testId, list, filters) {
  const { total } = await call(api, 'GET', `/api/v1/${list}?${query({ ...filters, limit: 1 })}`);
  await page.waitForFunction(([id, want]) => document.querySelector(`[data-test="${id}"]`)?.textContent.trim() === want, [`${testId}-total`, `共 ${total} 条`]);
  return total;
}

// The export of the list on screen as CSV: opens the button's menu and saves the file; checks it
// is named after the list and the day, was fetched with exactly `filters` (no page, no cursor)
// and has a data row for each of the `shown` entries the page counts. Answers the header and a
// reader of one column over the data rows.
async function exportShown(page, exportId, list, filters, shown) {
  await page.locator(`[data-test="${exportId}"]`).click();
  const file = await exportFile(page, `${exportId}-csv`);
  assert.match(file.name, new RegExp(`^${list}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const url = new URL(file.href, server.base);
  assert.equal(url.pathname, `/api/v1/${list}`);
  assert.deepEqual(Object.fromEntries(url.searchParams), { ...filters, format: 'csv' }, `the filters on screen: ${file.href}`);
  const [header, ...rows] = csvRows(file.text);
  assert.equal(rows.length, shown, `a row for each of the ${shown} entries the page counts:\n${file.text}`);
  assert.ok(rows.every((r) => r.length === header.length), 'every row has a cell for each column');
  const column = (name) => {
    const i = header.indexOf(name);
    assert.ok(i >= 0, `column ${name} in ${header.join(',')}`);
    return rows.map((r) => r[i]);
  };
  return { header, column, text: file.text };
}

before(async () => {
  server = await new TestServer({ demo: true }).start();
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'en' });
  // The demo sends no messages: two sign-in codes (sent at once) and, after a member's sale, a
  // satisfaction survey link (queued) give the message log two purposes.
  const visitor = server.client();
  for (const phone of PHONES) await call(visitor, 'POST', '/api/v1/portal/otp', { phone }, 202);
  const member = (await call(api, 'GET', '/api/v1/members?limit=1')).items[0];
  const store = (await call(api, 'GET', '/api/v1/stores?status=active&limit=1')).items[0];
  const product = (await call(api, 'GET', '/api/v1/products?q=SP-TEE-001')).items[0];
  const sale = await api.post('/api/v1/sales', {
    store_id: store.id, member_id: member.id, lines: [{ sku: product.sku, quantity: 1 }], payments: [{ method: 'cash', amount: product.price }],
  }, { headers: { 'Idempotency-Key': 'exports-survey-sale' } });
  assert.equal(sale.status, 201, sale.text);
  await call(api, 'POST', '/api/v1/jobs/surveys.after_sale/run', {});
  assert.ok((await call(api, 'GET', '/api/v1/messages?purpose=survey&limit=1')).total > 0, 'the sale sent a survey link');
  // A demo complaint's first response falls due as the demo is made: escalated now (a new task)
  // rather than by the scheduler in the middle of a test.
  await call(api, 'POST', '/api/v1/jobs/complaints.sla/run', {});
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('商品 searched by name (typed in lower case) exports those products only', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/catalog/products`);
  const all = await waitTotal(page, 'product', 'products', {});
  // Typed in lower case: the search folds case (and traditional characters) on both databases.
  await field(page, 'product-search').fill('t恤');
  await page.locator('[data-test="product-search-submit"]').click();
  const filters = { q: 't恤' };
  const shown = await waitTotal(page, 'product', 'products', filters);
  assert.ok(shown > 0 && shown < all, `the search narrows the list (${shown} of ${all})`);

  const csv = await exportShown(page, 'product-export', 'products', filters, shown);
  for (const c of ['sku', 'name', 'barcode', 'price', 'status']) csv.column(c);
  assert.ok(csv.column('name').every((n) => n.includes('T恤')), csv.column('name').join(' '));
  assert.ok(csv.column('sku').includes('SP-TEE-001'));
  assert.ok(!csv.column('sku').includes('SP-JKT-001'), 'the down jacket is no T-shirt');
  await page.context().close();
});

test('门店 of one region export those stores only', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/system/stores`);
  const all = await waitTotal(page, 'store', 'stores', {});
  await field(page, 'store-filter-region').fill('华东');
  await page.locator('[data-test="store-search-submit"]').click();
  const filters = { region: '华东' };
  const shown = await waitTotal(page, 'store', 'stores', filters);
  assert.ok(shown > 0 && shown < all, `the region narrows the list (${shown} of ${all})`);

  const csv = await exportShown(page, 'store-export', 'stores', filters, shown);
  for (const c of ['code', 'name', 'region', 'address', 'status']) csv.column(c);
  assert.ok(csv.column('region').every((r) => r === '华东'), csv.column('region').join(' '));
  assert.ok(csv.column('code').includes('SH001'));
  assert.ok(!csv.column('code').includes('SZ001'), 'Shenzhen is in 华南');
  await page.context().close();
});

test('员工 of one role export those accounts only, without secrets', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/system/staff`);
  const all = await waitTotal(page, 'staff', 'staff', {});
  const guide = (await call(api, 'GET', '/api/v1/roles')).items.find((r) => r.code === 'guide');
  await pick(page, 'staff-filter-role', guide.name);
  const filters = { role_id: String(guide.id) };
  const shown = await waitTotal(page, 'staff', 'staff', filters);
  assert.ok(shown > 0 && shown < all, `the role narrows the list (${shown} of ${all})`);

  const csv = await exportShown(page, 'staff-export', 'staff', filters, shown);
  for (const c of ['username', 'name', 'role_name', 'status']) csv.column(c);
  assert.ok(csv.column('role_code').every((r) => r === 'guide'), csv.column('role_code').join(' '));
  assert.ok(csv.column('username').includes('guide_sh'));
  assert.ok(!csv.column('username').includes('cashier_sh'), 'a cashier is not a guide');
  assert.ok(!csv.header.some((h) => h === 'password' || /hash|secret/i.test(h)), `no credentials: ${csv.header.join(',')}`);
  await page.context().close();
});

test('消息 of one purpose export those messages only, recipients masked as on screen', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/system/messages`);
  const all = await waitTotal(page, 'message', 'messages', {});
  await pick(page, 'message-filter-purpose', '登录验证码');
  const filters = { purpose: 'otp' };
  const shown = await waitTotal(page, 'message', 'messages', filters);
  assert.ok(shown > 0 && shown < all, `the purpose narrows the list (${shown} of ${all})`);

  const csv = await exportShown(page, 'message-export', 'messages', filters, shown);
  for (const c of ['created_at', 'recipient', 'channel', 'body', 'status']) csv.column(c);
  assert.ok(csv.column('purpose').every((p) => p === 'otp'), csv.column('purpose').join(' '));
  for (const phone of PHONES) {
    assert.ok(csv.column('recipient').includes(masked(phone)), `a code to ${masked(phone)}`);
    assert.ok(!csv.text.includes(phone), 'the phone stays masked in the file');
  }
  assert.ok(!csv.column('body').some((b) => b.includes('/s/')), 'no survey link');
  await page.context().close();
});

test('投诉 open and of one severity export those complaints only', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/service/complaints`);
  // The page opens on the open complaints.
  const open = await waitTotal(page, 'complaints', 'complaints', { status: 'open' });
  await pick(page, 'complaint-filter-severity', '轻微');
  const filters = { status: 'open', severity: 'low' };
  const shown = await waitTotal(page, 'complaints', 'complaints', filters);
  assert.ok(shown > 0 && shown < open, `the severity narrows the list (${shown} of ${open})`);

  const csv = await exportShown(page, 'complaint-export', 'complaints', filters, shown);
  for (const c of ['id', 'category', 'description', 'store_name', 'created_at']) csv.column(c);
  assert.ok(csv.column('severity').every((s) => s === 'low'), csv.column('severity').join(' '));
  const every = (await call(api, 'GET', '/api/v1/complaints?limit=200')).items;
  const kept = every.find((c) => c.severity === 'low' && !['resolved', 'closed'].includes(c.status));
  const otherSeverity = every.find((c) => c.severity !== 'low' && !['resolved', 'closed'].includes(c.status));
  const done = every.find((c) => ['resolved', 'closed'].includes(c.status));
  assert.ok(csv.column('description').includes(kept.description), kept.description);
  assert.ok(!csv.column('description').includes(otherSeverity.description), `not the ${otherSeverity.severity} one`);
  assert.ok(!csv.column('description').includes(done.description), `not the ${done.status} one`);
  await page.context().close();
});

test('任务 of everyone and of one origin export those tasks only; nothing to export keeps the button off', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/service/tasks`);
  // The page opens on my open tasks: the admin has none, so there is nothing to export.
  assert.equal(await waitTotal(page, 'tasks', 'tasks', { status: 'open', assignee_id: 'me' }), 0);
  assert.ok(await page.locator('[data-test="task-export"]').isDisabled(), 'no export of an empty list');
  await page.locator('[data-test="task-filter-who"]').getByText('全部', { exact: true }).click();
  const open = await waitTotal(page, 'tasks', 'tasks', { status: 'open' });
  await pick(page, 'task-filter-origin', '投诉');
  const filters = { status: 'open', origin: 'complaint' };
  const shown = await waitTotal(page, 'tasks', 'tasks', filters);
  assert.ok(shown > 0 && shown < open, `the origin narrows the list (${shown} of ${open})`);

  const csv = await exportShown(page, 'task-export', 'tasks', filters, shown);
  for (const c of ['title', 'details', 'due_at', 'priority', 'member.name']) csv.column(c);
  assert.ok(csv.column('origin').every((o) => o === 'complaint'), csv.column('origin').join(' '));
  assert.ok(csv.column('status').every((s) => s === 'open'), csv.column('status').join(' '));
  const listed = (await call(api, 'GET', `/api/v1/tasks?${query({ ...filters, limit: 200 })}`)).items;
  assert.deepEqual(csv.column('id').sort(), listed.map((t) => String(t.id)).sort());
  const other = (await call(api, 'GET', '/api/v1/tasks?status=open&origin=dormancy&limit=1')).items[0];
  assert.ok(!csv.column('id').includes(String(other.id)), `not the ${other.origin} task “${other.title}”`);
  await page.context().close();
});
