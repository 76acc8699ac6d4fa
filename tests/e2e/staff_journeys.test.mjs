// Browser tests: a person at a PC or on a phone, with Debian's Chromium driven by Playwright,
// against a real storecrm serving the embedded web app over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, field, signIn } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
let server;
let browser;
let api;

before(async () => {
  server = await new TestServer({ demo: true }).start();
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'en' });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});




async function searchMembers(page, q) {
  await page.goto(`${server.base}/members`);
  await field(page, 'member-search').fill(q);
  await page.locator('[data-test="member-search-submit"]').click();
}

test('a new staff member signs in with the initial password and must change it', async () => {
  const roles = (await api.get('/api/v1/roles')).body.items;
  const created = await api.post('/api/v1/staff', {
    username: 'fresh', name: '新员工', role_id: roles.find((r) => r.code === 'store_manager').id, store_ids: [1],
    password: 'Initial#2026',
  });
  assert.equal(created.status, 201);
  const page = await newPage(browser);
  await signIn(page, server.base, 'fresh', 'Initial#2026');
  await page.waitForURL(/change-password/);
  // The app refuses to go anywhere else until the password is changed.
  await page.goto(`${server.base}/members`);
  await page.waitForURL(/change-password/);
  const inputs = page.locator('input[type="password"]');
  await inputs.nth(0).fill('Initial#2026');
  await inputs.nth(1).fill('weak');
  await inputs.nth(2).fill('weak');
  await page.locator('button[type="submit"], [data-test$="submit"]').first().click();
  await assert.doesNotReject(page.locator('[data-test^="field-error-"]').first().waitFor());
  await inputs.nth(1).fill('Manager#2026');
  await inputs.nth(2).fill('Manager#2026');
  await page.locator('button[type="submit"], [data-test$="submit"]').first().click();
  await page.waitForURL(/\/members/);
  const me = await server.signIn('fresh', 'Manager#2026');
  assert.equal((await me.get('/api/v1/me')).body.must_change_password, false);
  await page.context().close();
});

test('register a member after a validation error, then find it by last four and pinyin initials', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'manager_sh', DEMO_PASSWORD);
  await page.waitForURL(/\/members/);
  await page.goto(`${server.base}/members/new`);
  await field(page, 'member-form-phone').fill('12345');
  await field(page, 'member-form-name').fill('欧阳娜娜');
  await page.locator('[data-test="member-form-submit"]').click();
  const phoneError = page.locator('[data-test="field-error-phone"]');
  await phoneError.waitFor();
  assert.match(await phoneError.innerText(), /手机号格式不正确/);
  await field(page, 'member-form-phone').fill('139 8765 4321');
  await page.locator('[data-test="member-form-submit"]').click();
  await page.waitForURL(/\/members\/\d+$/);
  assert.equal((await page.locator('[data-test="member-detail-name"]').innerText()).trim(), '欧阳娜娜');

  for (const q of ['4321', 'oynn']) {
    await searchMembers(page, q);
    const row = page.locator('[data-test="member-row"]', { hasText: '欧阳娜娜' });
    await row.first().waitFor();
    assert.ok((await row.count()) >= 1, `found by ${q}`);
  }
  await page.context().close();
});

test('edit a member and tag it; history shows the change', async () => {
  const created = await api.post('/api/v1/members', { phone: '13612340000', name: '编辑前', home_store_id: 1 });
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.waitForURL(/\/members/);
  await page.goto(`${server.base}/members/${created.body.id}/edit`);
  await field(page, 'member-form-name').fill('编辑后');
  await page.locator('[data-test="member-form-submit"]').click();
  await page.waitForURL(new RegExp(`/members/${created.body.id}$`));
  await page.locator('[data-test="member-detail-name"]', { hasText: '编辑后' }).waitFor();
  await page.locator('[data-test="member-tag-add-select"]').click();
  await page.locator('.el-select-dropdown__item', { hasText: '高价值' }).first().click();
  await page.keyboard.press('Escape');
  await page.locator('[data-test="member-tag-add"]').click();
  await page.locator('[data-test="member-tags"]', { hasText: '高价值' }).waitFor();
  await page.locator('[data-test="member-history"]', { hasText: '编辑后' }).waitFor();
  const stored = (await api.get(`/api/v1/members/${created.body.id}`)).body;
  assert.equal(stored.name, '编辑后');
  assert.ok(stored.tags.some((t) => t.name === '高价值'));
  await page.context().close();
});

test('merge a suggested duplicate', async () => {
  const a = (await api.post('/api/v1/members', { phone: '13600001111', name: '重复甲', birthday: '1988-08-08', home_store_id: 1 })).body;
  const b = (await api.post('/api/v1/members', { phone: '13600002222', name: '重复甲', birthday: '1988-08-08', home_store_id: 1, company: '某公司' })).body;
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.waitForURL(/\/members/);
  await page.goto(`${server.base}/members/${a.id}`);
  await page.locator('[data-test="member-merge"]:visible').first().click();
  await page.locator(`[data-test="merge-pick-${b.id}"]`).click();
  await page.locator('[data-test="merge-field-phone-other"]').click();
  await page.locator('[data-test="merge-confirm"]').click();
  await page.locator('[data-test="member-detail-phone"]', { hasText: '13600002222' }).waitFor();
  const survivor = (await api.get(`/api/v1/members/${a.id}`)).body;
  assert.equal(survivor.phone, '13600002222');
  assert.equal(survivor.company, '某公司');
  const merged = (await api.get(`/api/v1/members/${b.id}`)).body;
  assert.equal(merged.id, a.id);
  await page.context().close();
});

test('on a phone a cashier sees masked phones and cannot open another store’s member', async () => {
  const other = (await api.get('/api/v1/members?store_id=3&limit=1')).body.items[0];
  const own = (await api.get('/api/v1/members?store_id=1&limit=1')).body.items[0];
  const page = await newPage(browser, 390, 844);
  await signIn(page, server.base, 'cashier_sh', DEMO_PASSWORD);
  await page.waitForURL(/\/members/);
  const firstCard = page.locator('[data-test="member-row"]').first();
  await firstCard.waitFor();
  assert.match(await firstCard.innerText(), /1\d\d\*\*\*\*\d{4}/);
  assert.doesNotMatch(await firstCard.innerText(), /1\d{10}/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling at 390 px (page is ${width} px wide)`);
  await page.goto(`${server.base}/members/${own.id}`);
  await page.locator('[data-test="member-detail-phone"]').waitFor();
  assert.match(await page.locator('[data-test="member-detail-phone"]').innerText(), /\*\*\*\*/);
  await page.goto(`${server.base}/members/${other.id}`);
  await page.locator('[data-test="member-error"], .el-result, [data-test="not-found"]').first().waitFor();
  assert.equal(await page.locator('[data-test="member-detail-name"]').count(), 0);
  await page.context().close();
});

test('the interface switches to English and remembers it', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'analyst', DEMO_PASSWORD);
  await page.waitForURL(/\/members/);
  assert.match(await page.locator('body').innerText(), /会员列表/);
  await api.get('/api/v1/me');
  const analyst = await server.signIn('analyst', DEMO_PASSWORD);
  await analyst.put('/api/v1/me/locale', { locale: 'en' });
  await page.reload();
  await page.locator('body', { hasText: 'Members' }).waitFor();
  await analyst.put('/api/v1/me/locale', { locale: 'zh-CN' });
  await page.context().close();
});

test('the preset tag library reads in the staff member\'s language; tags staff named themselves show as named', async () => {
  const groups = (await api.get('/api/v1/tag-groups')).body.items;
  const valueGroup = groups.find((g) => g.name === '客户价值');
  const tags = (await api.get('/api/v1/tags')).body.items;
  const highValue = tags.find((t) => t.name === '高价值');
  const own = (await api.post('/api/v1/tags', { group_id: valueGroup.id, name: '私享会员' })).body;
  const store = (await api.get('/api/v1/stores')).body.items[0];
  const created = await api.post('/api/v1/members', { name: '标签英文', phone: '13900007788', home_store_id: store.id, tags: [highValue.id, own.id] });
  assert.equal(created.status, 201, created.text);
  const member = created.body;
  const admin = await server.signIn('admin', DEMO_PASSWORD);
  await admin.put('/api/v1/me/locale', { locale: 'en' });
  const page = await newPage(browser);
  try {
    await signIn(page, server.base, 'admin', DEMO_PASSWORD);
    await page.goto(`${server.base}/tags`);
    const group = page.locator(`[data-test="tag-group"][data-id="${valueGroup.id}"]`);
    await group.locator('h3', { hasText: 'Customer value' }).waitFor();
    assert.equal((await group.locator(`[data-test="tag-row"][data-id="${highValue.id}"] .sc-tag-name`).innerText()).trim(), 'High value');
    assert.equal((await group.locator(`[data-test="tag-row"][data-id="${own.id}"] .sc-tag-name`).innerText()).trim(), '私享会员');
    await page.goto(`${server.base}/members/${member.id}`);
    await page.locator(`[data-test="tag-chip-${highValue.id}"]`).waitFor();
    assert.equal((await page.locator(`[data-test="tag-chip-${highValue.id}"]`).innerText()).trim(), 'High value');
    assert.equal((await page.locator(`[data-test="tag-chip-${own.id}"]`).innerText()).trim(), '私享会员');
  } finally {
    await admin.put('/api/v1/me/locale', { locale: 'zh-CN' });
    await page.context().close();
  }
});

test('an admin sets a store\'s business hours, which complaint deadlines then count in', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/system/stores`);
  await page.locator('[data-test="store-edit-1"]').click();
  await field(page, 'store-form-opens').fill('08:00');
  await field(page, 'store-form-closes').fill('25:00');
  await page.locator('[data-test="store-form-submit"]').click();
  // The server's own message, under the field.
  await page.locator('[data-test="store-dialog"] .el-form-item.is-error').filter({ has: field(page, 'store-form-closes') }).waitFor();
  await field(page, 'store-form-closes').fill('21:30');
  await page.locator('[data-test="store-form-submit"]').click();
  await page.locator('[data-test="store-dialog"]').waitFor({ state: 'hidden' });
  const store = (await api.get('/api/v1/stores/1')).body;
  assert.equal(store.opens_at, '08:00');
  assert.equal(store.closes_at, '21:30');
  await page.close();
});
