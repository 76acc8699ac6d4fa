// Browser test of the member's own pages (会员中心) with the staff screens around them: the admin
// shows a store's join code, a customer on a phone scans it and joins with an SMS code (read from
// the admin's message log page, where the demo's SMS land), shows the rotating member code at the
// till, earns points on the sale, then asks for deletion, which the admin approves.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, field, signIn, text, waitText } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
const PHONE = '13766602419';
const MASKED = `${PHONE.slice(0, 3)}****${PHONE.slice(-4)}`;
const NAME = '扫码会员';
const PRODUCT = { sku: 'E2E-PORTAL', name: '会员测试商品', price: 12800 };
let server;
let browser;
let api;
let storeId;

before(async () => {
  server = await new TestServer({ demo: true }).start();
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'zh-CN' });
  const p = await api.post('/api/v1/products', PRODUCT);
  assert.equal(p.status, 201, p.text);
  // The store of the demo's Shanghai cashier: the member joins there and buys there.
  const cashier = (await api.get('/api/v1/staff?q=cashier_sh')).body.items.find((s) => s.username === 'cashier_sh');
  storeId = cashier.store_ids[0];
  const existing = await api.get(`/api/v1/members?q=${PHONE}`);
  assert.equal(existing.body.total, 0, 'the phone is new to the demo');
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// The points on the member card (/m/), once it has loaded.
async function cardPoints(phone) {
  await phone.locator('#points').waitFor();
  return Number((await phone.locator('#points').innerText()).trim());
}

test('scan to join on a phone, SMS code from the message log, member code at the till, points, deletion', async () => {
  // The admin (desktop) opens the store's join code on the store page.
  const admin = await newPage(browser);
  await signIn(admin, server.base, 'admin', DEMO_PASSWORD);
  await admin.goto(`${server.base}/system/stores`);
  await admin.locator(`[data-test="store-join-code-${storeId}"]`).click();
  const dialog = admin.locator('[data-test="join-code-dialog"]');
  await dialog.waitFor();
  const urlInput = field(admin, 'join-code-url');
  await admin.waitForFunction(() => /\/m\/join\/./.test(document.querySelector('input[data-test="join-code-url"], [data-test="join-code-url"] input')?.value ?? ''));
  const joinUrl = await urlInput.inputValue();
  assert.ok(joinUrl.startsWith(`${server.base}/m/join/`), `an absolute link to this server (${joinUrl})`);
  // The QR image has loaded; the PNG download and the A5 poster point at the server's files.
  await admin.waitForFunction(() => {
    const img = document.querySelector('[data-test="join-code-qr"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  assert.match(await dialog.locator('[data-test="join-code-png"]').getAttribute('href'), new RegExp(`/api/v1/stores/${storeId}/join-qr\\.png$`));
  assert.ok((await dialog.locator('[data-test="join-code-png"]').getAttribute('download'))?.endsWith('.png'));
  const posterHref = await dialog.locator('[data-test="join-code-poster"]').getAttribute('href');
  assert.match(posterHref, new RegExp(`/api/v1/stores/${storeId}/join-poster\\.pdf$`));
  const poster = await api.get(posterHref);
  assert.equal(poster.status, 200);
  assert.equal(poster.headers.get('content-type'), 'application/pdf');
  assert.ok(poster.text.startsWith('%PDF'));
  await dialog.locator('[data-test="join-code-close"]').click();

  // A customer's phone (its own browser context) opens the link and asks for a code.
  const phone = await newPage(browser, 390, 844);
  await phone.goto(joinUrl);
  await phone.locator('#join').waitFor();
  await phone.locator('#phone').fill(PHONE);
  await phone.locator('#send').click();
  await phone.locator('#join [data-err="code"] .ok').waitFor();

  // The admin reads the code from the message log page: the newest sign-in code to that phone.
  await admin.goto(`${server.base}/system/messages`);
  const row = admin.locator('[data-test="message-row"]', { hasText: MASKED }).filter({ has: admin.locator('[data-test="message-purpose"][data-purpose="otp"]') }).first();
  await row.waitFor();
  const body = (await row.locator('[data-test="message-body"]').innerText()).trim();
  const code = /\b(\d{6})\b/.exec(body)?.[1];
  assert.ok(code, `a 6-digit code in "${body}"`);

  // The phone enters it with a name, accepts the privacy notice and joins: the card shows.
  await phone.locator('#code').fill(code);
  await phone.locator('#name').fill(NAME);
  await phone.locator('#agree').check();
  await phone.locator('#join button[type="submit"]').click();
  const pointsBefore = await cardPoints(phone);
  assert.match(await phone.locator('.member').innerText(), new RegExp(NAME));
  await phone.waitForFunction(() => /^MC\d+-\d+-\S+$/.test(document.querySelector('#member-code')?.textContent.trim() ?? ''));
  const memberCode = (await phone.locator('#member-code').innerText()).trim();
  await phone.waitForFunction(() => {
    const img = document.querySelector('#member-qr');
    return img && img.complete && img.naturalWidth > 0;
  });
  const found = (await api.get(`/api/v1/members?q=${PHONE}`)).body.items;
  assert.equal(found.length, 1);
  const member = found[0];
  assert.equal(member.name, NAME);
  assert.equal(member.home_store_id, storeId);
  assert.equal(member.source, 'online');

  // A cashier (desktop) types the member code into the till's member search: the member is picked.
  const till = await newPage(browser);
  await signIn(till, server.base, 'cashier_sh', DEMO_PASSWORD);
  await till.goto(`${server.base}/sales/checkout`);
  await till.locator('[data-test="checkout-store-name"]').waitFor();
  await field(till, 'checkout-member-search').fill(memberCode);
  await field(till, 'checkout-member-search').press('Enter');
  await till.locator(`[data-test="checkout-member-selected"][data-id="${member.id}"]`).waitFor();
  assert.equal(await text(till, 'checkout-member-name'), NAME);
  await waitText(till, 'checkout-member-points', String(pointsBefore));

  // Sells one item and takes the payment.
  const scan = field(till, 'checkout-scan');
  await scan.fill(PRODUCT.sku);
  await scan.press('Enter');
  await till.waitForFunction(() => document.querySelectorAll('[data-test="checkout-line"]').length === 1);
  await till.waitForFunction(() => !document.querySelector('[data-test="checkout-submit"]')?.disabled);
  await till.locator('[data-test="checkout-submit"]').click();
  await till.locator('[data-test="receipt"]').waitFor();
  const sales = (await api.get(`/api/v1/sales?member_id=${member.id}`)).body.items;
  assert.equal(sales.length, 1);
  const sale = (await api.get(`/api/v1/sales/${sales[0].id}`)).body;
  assert.ok(sale.points_earned > 0, `the sale earns points (${sale.points_earned})`);
  assert.equal(await text(till, 'receipt-points-earned'), `+${sale.points_earned}`);
  await till.context().close();

  // Back on the phone: the card shows the new balance.
  await phone.reload();
  await phone.waitForFunction((want) => document.querySelector('#points')?.textContent.trim() === String(want), pointsBefore + sale.points_earned);
  assert.equal(await cardPoints(phone), pointsBefore + sale.points_earned);

  // The member asks for deletion on /m/privacy and accepts the confirm dialog.
  await phone.locator('[data-go="/m/privacy"]').click();
  await phone.locator('#deletion').waitFor();
  await phone.locator('#reason').fill('不再需要会员');
  const asked = new Promise((resolve) => {
    phone.once('dialog', async (d) => {
      resolve(d.message());
      await d.accept();
    });
  });
  await phone.locator('#deletion button[type="submit"]').click();
  assert.match(await asked, /注销/);
  await phone.locator('#deletion .ok').waitFor();

  // The admin sees it pending and approves it (confirming that it cannot be undone).
  await admin.goto(`${server.base}/members/deletion-requests`);
  const request = admin.locator('[data-test="deletion-row"]', { hasText: NAME }).first();
  await request.waitFor();
  const requestId = await request.getAttribute('data-id');
  assert.match(await request.innerText(), /不再需要会员/);
  await admin.locator(`[data-test="deletion-approve-${requestId}"]`).click();
  const confirm = admin.locator('.sc-confirm');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /不可撤销/);
  await confirm.locator('.el-message-box__btns .el-button--danger').click();
  await admin.locator(`[data-test="deletion-row"][data-id="${requestId}"]`).waitFor({ state: 'detached' });
  // Decided requests show who decided and when.
  await admin.locator('[data-test="deletion-tab-approved"]').click();
  const decided = admin.locator(`[data-test="deletion-row"][data-id="${requestId}"]`);
  await decided.waitFor();
  assert.match(await decided.locator('[data-test="deletion-decision"]').innerText(), /总部管理员/);
  const anonymized = (await api.get(`/api/v1/members/${member.id}`)).body;
  assert.equal(anonymized.status, 'anonymized');

  // The member's session has ended: the card page asks them to sign in.
  await phone.goto(`${server.base}/m/`);
  await phone.locator('#signin').waitFor();
  assert.equal(await phone.locator('#points').count(), 0);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling at 390 px (page is ${width} px wide)`);
  await phone.context().close();
  await admin.context().close();
});

test('a guide’s personal join code from the staff list; the message log on a phone', async () => {
  const guide = (await api.get('/api/v1/staff?q=guide_sh')).body.items.find((s) => s.username === 'guide_sh');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/system/staff`);
  await page.locator(`[data-test="staff-actions-${guide.id}"]`).click();
  await page.locator(`[data-test="staff-join-code-${guide.id}"]`).click();
  const dialog = page.locator('[data-test="join-code-dialog"]');
  await dialog.waitFor();
  await page.waitForFunction(() => /\/m\/join\/./.test(document.querySelector('input[data-test="join-code-url"], [data-test="join-code-url"] input')?.value ?? ''));
  const url = await field(page, 'join-code-url').inputValue();
  assert.match(await text(page, 'join-code-title'), new RegExp(guide.name));
  assert.match(await dialog.locator('[data-test="join-code-poster"]').getAttribute('href'), new RegExp(`/api/v1/staff/${guide.id}/join-poster\\.pdf$`));
  await page.context().close();

  // The link names the guide on the join page.
  const phone = await newPage(browser, 390, 844);
  await phone.goto(url);
  await phone.locator('#join').waitFor();
  assert.match(await phone.locator('#join').innerText(), new RegExp(`专属导购：${guide.name}`));
  await phone.context().close();

  // The message log fits a phone: cards, not a wide table.
  const small = await newPage(browser, 390, 844);
  await signIn(small, server.base, 'admin', DEMO_PASSWORD);
  await small.goto(`${server.base}/system/messages`);
  await small.locator('[data-test="message-cards"] [data-test="message-row"]').first().waitFor();
  const width = await small.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling at 390 px (page is ${width} px wide)`);
  await small.context().close();
});
