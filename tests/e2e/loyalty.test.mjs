// Browser test of loyalty at the counter: on a member's 360° page the staff member checks the
// member in, redeems a partner voucher (its code shows) and a gift from the points mall, cancels
// the gift, and the page agrees with the API on the points; the member QR is on the page and a
// scanner reading it finds the member at the till. The points-mall admin imports voucher codes,
// the receipt layout's header prints on a reprinted receipt, a new member registers with a
// referral code, coupons go to a filtered member list, and the tier and points-rule forms save
// their coupons and double-points days.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, field, signIn, text, waitText } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
const PHONE = '13955558642';
const CHECKIN_POINTS = 5;
const CODES = ['E2E-CAFE-001', 'E2E-CAFE-002'];
let server;
let browser;
let api;
let member;
let goods;
let voucher;
let template;

before(async () => {
  server = await new TestServer({ demo: true }).start();
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'zh-CN' });
  const settings = await api.put('/api/v1/loyalty/settings', { checkin_points: CHECKIN_POINTS });
  assert.equal(settings.status, 200, settings.text);
  const g = await api.post('/api/v1/gifts', { name: '测试保温杯', kind: 'goods', points: 200, stock: 5 });
  assert.equal(g.status, 201, g.text);
  goods = g.body;
  const v = await api.post('/api/v1/gifts', { name: '测试咖啡券', kind: 'voucher', partner: '街角咖啡', points: 300 });
  assert.equal(v.status, 201, v.text);
  const loaded = await api.post(`/api/v1/gifts/${v.body.id}/voucher-codes`, { codes: CODES });
  assert.equal(loaded.status, 201, loaded.text);
  assert.equal(loaded.body.added, 2);
  voucher = loaded.body.gift;
  const m = await api.post('/api/v1/members', { phone: PHONE, name: '兑换测试', home_store_id: 1 });
  assert.equal(m.status, 201, m.text);
  member = m.body;
  const points = await api.post(`/api/v1/members/${member.id}/points/adjustments`, { points: 1000, reason: '测试赠送' });
  assert.equal(points.status, 201, points.text);
  const tmpl = await api.post('/api/v1/coupon-templates', { name: 'E2E满50减5', kind: 'amount_off', amount_off: 500, min_spend: 5000, valid_days: 30 });
  assert.equal(tmpl.status, 201, tmpl.text);
  template = tmpl.body;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});






const balance = async () => (await api.get(`/api/v1/members/${member.id}/points`)).body.balance;

async function openMember(page) {
  await page.goto(`${server.base}/members/${member.id}`);
  await page.locator('[data-test="member-detail-name"]').waitFor();
}

async function redeem(page, gift) {
  await page.locator('[data-test="member-redeem"]').click();
  const dialog = page.locator('[data-test="redeem-dialog"]');
  await dialog.locator(`[data-test="redeem-gift-option"][data-id="${gift.id}"]`).click();
  await dialog.locator('[data-test="redeem-submit"]').click();
  await dialog.locator('[data-test="redeem-result"]').waitFor();
  return dialog;
}

test('the points-mall admin imports a partner\'s voucher codes', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/loyalty/gifts`);
  await page.locator(`[data-test="gift-row"][data-id="${voucher.id}"]`).waitFor();
  await page.locator(`[data-test="gift-codes-${voucher.id}"]`).click();
  // One repeat of a loaded code and a blank line: only the new code is added.
  await field(page, 'voucher-codes-input').fill(`${CODES[1]}\n\nE2E-CAFE-003\n`);
  await waitText(page, 'voucher-codes-count', '共 2 个券码（已去除空行和重复）');
  await page.locator('[data-test="voucher-codes-submit"]').click();
  await page.locator('[data-test="voucher-codes-dialog"]').waitFor({ state: 'hidden' });
  const row = page.locator(`[data-test="gift-row"][data-id="${voucher.id}"] [data-test="gift-stock"]`);
  await page.waitForFunction((id) => document.querySelector(`[data-test="gift-row"][data-id="${id}"] [data-test="gift-stock"]`)?.textContent.trim() === '3', voucher.id);
  assert.equal((await row.innerText()).trim(), '3');
  const stored = (await api.get('/api/v1/gifts')).body.items.find((g) => g.id === voucher.id);
  assert.equal(stored.stock, 3);
  await page.context().close();
});

test('check in, redeem a voucher and a gift, cancel the gift; points agree with the API; member QR', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await openMember(page);
  const start = await balance();

  // 签到: the points are shown; a second one the same day shows the server's message.
  await page.locator('[data-test="member-checkin"]').click();
  await page.locator('[data-test="member-checkin-result"][data-status="done"]').waitFor();
  assert.match(await text(page, 'member-checkin-result'), new RegExp(`获得 ${CHECKIN_POINTS} 积分`));
  assert.equal(await balance(), start + CHECKIN_POINTS);
  await page.locator('[data-test="member-checkin"]').click();
  await page.locator('[data-test="member-checkin-result"][data-status="refused"]').waitFor();
  assert.ok((await text(page, 'member-checkin-result')).length > 0, 'the server says the member already checked in');
  assert.equal(await balance(), start + CHECKIN_POINTS);

  // The partner voucher: its code is handed out.
  let dialog = await redeem(page, voucher);
  await dialog.locator('[data-test="redeem-voucher-code"]').waitFor();
  assert.equal((await dialog.locator('[data-test="redeem-voucher-code"]').innerText()).trim(), CODES[0]);
  await dialog.locator('[data-test="redeem-close"]').click();
  await dialog.waitFor({ state: 'hidden' });

  // The goods gift, then cancelled from 兑换记录: stock and points come back.
  dialog = await redeem(page, goods);
  assert.equal((await dialog.locator('[data-test="redeem-result-points"]').innerText()).trim(), '200');
  assert.equal(await dialog.locator('[data-test="redeem-voucher-code"]').count(), 0);
  await dialog.locator('[data-test="redeem-close"]').click();
  await dialog.waitFor({ state: 'hidden' });
  const history = (await api.get(`/api/v1/members/${member.id}/redemptions`)).body.items;
  assert.equal(history.length, 2);
  const gift = history.find((r) => r.gift_id === goods.id);
  const coffee = history.find((r) => r.gift_id === voucher.id);
  assert.deepEqual(coffee.voucher_codes, [CODES[0]]);
  assert.equal(await balance(), start + CHECKIN_POINTS - 300 - 200);

  await page.locator('[data-test="member-tab-redemptions"]').click();
  await page.locator(`[data-test="member-redemption"][data-id="${gift.id}"][data-status="redeemed"]`).waitFor();
  await page.locator(`[data-test="member-redemption"][data-id="${coffee.id}"] [data-test="member-redemption-code"]`, { hasText: CODES[0] }).waitFor();
  assert.equal(await page.locator(`[data-test="member-redemption-cancel-${coffee.id}"]`).count(), 0, 'a handed-out voucher cannot be cancelled');
  await page.locator(`[data-test="member-redemption-cancel-${gift.id}"]`).click();
  await page.locator('.sc-confirm .el-message-box__btns .el-button--danger').click();
  await page.locator(`[data-test="member-redemption"][data-id="${gift.id}"][data-status="cancelled"]`).waitFor();
  const gifts = (await api.get('/api/v1/gifts')).body.items;
  assert.equal(gifts.find((g) => g.id === goods.id).stock, 5);
  assert.equal(gifts.find((g) => g.id === voucher.id).stock, 2);

  // The page's figures equal the API's balance.
  const expected = start + CHECKIN_POINTS - 300;
  assert.equal(await balance(), expected);
  await waitText(page, 'member-stat-points', String(expected));
  await page.locator('[data-test="member-tab-points"]').click();
  await waitText(page, 'member-points-balance', String(expected));
  await page.reload();
  await waitText(page, 'member-stat-points', String(expected));

  // The member QR holds the member number; the referral card the referral code.
  const qr = page.locator('img[data-test="member-qr"]');
  await qr.waitFor();
  assert.equal(await qr.getAttribute('data-value'), member.member_no);
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR image is drawn');
  assert.equal(await text(page, 'member-referral-code'), member.referral_code);
  assert.equal(await page.locator('img[data-test="member-referral-qr"]').getAttribute('data-value'), member.referral_code);
  await page.context().close();
});

test('a scanner reading the member QR finds the member at the till', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/sales/checkout`);
  await page.locator('[data-test="checkout-page"]').waitFor();
  // A keyboard-wedge scanner types the QR's text and Enter at once.
  await field(page, 'checkout-member-search').pressSequentially(member.member_no, { delay: 2 });
  await field(page, 'checkout-member-search').press('Enter');
  await page.locator(`[data-test="checkout-member-selected"][data-id="${member.id}"]`).waitFor();
  assert.equal(await text(page, 'checkout-member-name'), '兑换测试');
  await page.context().close();
});

test('the receipt layout\'s header prints on a reprinted receipt', async () => {
  const product = await api.post('/api/v1/products', { sku: 'E2E-RCPT', name: '小票测试品', price: 1200 });
  assert.equal(product.status, 201, product.text);
  const sold = await api.post('/api/v1/sales', {
    store_id: 1, member_id: member.id, lines: [{ sku: 'E2E-RCPT', quantity: 1 }], payments: [{ method: 'cash', amount: 1200 }],
  }, { headers: { 'Idempotency-Key': `e2e-receipt-${member.id}` } });
  assert.equal(sold.status, 201, sold.text);
  const header = 'E2E 欢迎光临本店';

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/sales/receipt-template`);
  await page.locator('[data-test="receipt-template-page"]').waitFor();
  await page.locator('[data-test="receipt-template-store"]').click();
  await page.locator('[data-test="receipt-template-store-1"]').click();
  await page.locator('[data-test="receipt-template-inherited"]').waitFor();
  await field(page, 'receipt-template-header').fill(header);
  await page.locator('[data-test="receipt-template-show-points"]').click();
  await page.locator('[data-test="receipt-template-save"]').click();
  await page.locator('[data-test="receipt-template-inherited"]').waitFor({ state: 'detached' });
  const own = (await api.get('/api/v1/receipt-template?store_id=1')).body;
  assert.equal(own.store_id, 1);
  assert.equal(own.header, header);
  assert.equal(own.show_points, false);
  assert.equal(own.show_member, true);
  assert.notEqual((await api.get('/api/v1/receipt-template')).body.header, header, 'the chain default is unchanged');

  await page.goto(`${server.base}/sales/${sold.body.id}`);
  await page.locator('[data-test="sale-reprint"]').click();
  const receipt = page.locator('[data-test="receipt-dialog"] [data-test="receipt"][data-layout-ready="true"]');
  await receipt.waitFor();
  assert.equal((await receipt.locator('[data-test="receipt-header"]').innerText()).trim(), header);
  assert.equal((await receipt.locator('[data-test="receipt-member-no"]').innerText()).trim(), member.member_no);
  assert.equal(await receipt.locator('[data-test="receipt-points-earned"]').count(), 0, 'points are off for this store');
  await page.context().close();
});

test('the member page and the points mall fit a phone', async () => {
  const page = await newPage(browser, 390, 844);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await openMember(page);
  await page.locator('img[data-test="member-qr"]').waitFor();
  let width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling on the member page (page is ${width} px wide)`);
  await page.locator('[data-test="member-redeem"]').click();
  await page.locator(`[data-test="redeem-gift-option"][data-id="${goods.id}"]`).waitFor();
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling with the redeem dialog (page is ${width} px wide)`);
  await page.goto(`${server.base}/loyalty/gifts`);
  await page.locator(`[data-test="gift-row"][data-id="${goods.id}"]`).waitFor();
  width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling on the points mall (page is ${width} px wide)`);
  await page.context().close();
});

test('a new member registers with the referrer\'s referral code', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'manager_sh', DEMO_PASSWORD);
  await page.goto(`${server.base}/members/new`);
  await field(page, 'member-form-phone').fill('13955558643');
  await field(page, 'member-form-name').fill('被推荐人');
  await field(page, 'member-form-referral-code').fill('NOSUCHCODE');
  await page.locator('[data-test="member-form-submit"]').click();
  await page.locator('[data-test="field-error-referral_code"]').waitFor();
  // A scanner reading the referral QR types the code and Enter: Enter does not submit the form.
  await field(page, 'member-form-referral-code').fill('');
  await field(page, 'member-form-referral-code').pressSequentially(member.referral_code.toLowerCase(), { delay: 2 });
  await field(page, 'member-form-referral-code').press('Enter');
  assert.match(new URL(page.url()).pathname, /\/members\/new$/);
  await page.locator('[data-test="member-form-submit"]').click();
  await page.waitForURL(/\/members\/\d+$/);
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  assert.equal((await api.get(`/api/v1/members/${id}`)).body.referrer_id, member.id);
  await page.context().close();
});

test('coupons go to every member matching the list\'s filters after a confirmation', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/members`);
  await field(page, 'member-search').fill(PHONE);
  await page.locator('[data-test="member-search-submit"]').click();
  await waitText(page, 'member-total', '共 1 条');
  await page.locator('[data-test="member-bulk-coupon"]').click();
  const dialog = page.locator('[data-test="bulk-coupon-dialog"]');
  assert.match(await dialog.locator('[data-test="bulk-coupon-count"]').innerText(), / 1 位会员/);
  await dialog.locator('[data-test="bulk-coupon-template"]').click();
  await page.locator(`[data-test="bulk-coupon-template-option-${template.id}"]`).click();
  await dialog.locator('[data-test="bulk-coupon-submit"]').click();
  const confirm = page.locator('.sc-confirm');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /1 位会员/);
  await confirm.locator('.el-message-box__btns .el-button--primary').click();
  await dialog.locator('[data-test="bulk-coupon-issued"]').waitFor();
  assert.match(await dialog.locator('[data-test="bulk-coupon-issued"]').innerText(), /1 位会员/);
  const coupons = (await api.get(`/api/v1/members/${member.id}/coupons`)).body.items;
  assert.deepEqual(coupons.map((c) => [c.template.name, c.issue_reason]), [['E2E满50减5', 'manual']]);
  await page.context().close();
});

test('the tier form keeps its coupons; the points rules keep double-points days and the referral coupon', async () => {
  const tier = (await api.get('/api/v1/tiers')).body.items[0];
  assert.equal((await api.put('/api/v1/loyalty/settings', { promo_dates: '2030-05-01,2030-05-02' })).status, 200);
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);

  await page.goto(`${server.base}/loyalty/tiers`);
  await page.locator(`[data-test="tier-edit-${tier.id}"]`).click();
  const dialog = page.locator('[data-test="tier-dialog"]');
  await dialog.locator('[data-test="tier-form-birthday-coupon"]').click();
  await page.locator(`[data-test="tier-form-birthday-coupon-option-${template.id}"]`).click();
  await dialog.locator('[data-test="tier-form-upgrade-coupon"]').click();
  await page.locator(`[data-test="tier-form-upgrade-coupon-option-${template.id}"]`).click();
  await dialog.locator('[data-test="tier-form-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  let stored = (await api.get('/api/v1/tiers')).body.items.find((x) => x.id === tier.id);
  assert.equal(stored.birthday_coupon_template_id, template.id);
  assert.equal(stored.upgrade_coupon_template_id, template.id);
  // Cleared again: the select sends null.
  await page.reload();
  await page.locator(`[data-test="tier-edit-${tier.id}"]`).click();
  await dialog.locator('[data-test="tier-form-upgrade-coupon"] .el-select__wrapper').hover();
  await dialog.locator('[data-test="tier-form-upgrade-coupon"] .el-select__clear').click();
  await dialog.locator('[data-test="tier-form-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });
  stored = (await api.get('/api/v1/tiers')).body.items.find((x) => x.id === tier.id);
  assert.equal(stored.birthday_coupon_template_id, template.id);
  assert.equal(stored.upgrade_coupon_template_id, null);

  await page.goto(`${server.base}/loyalty/settings`);
  await page.locator('[data-test="settings-promo-date-2030-05-02"]').waitFor();
  await page.locator('[data-test="settings-promo-date-2030-05-01"] .el-tag__close').click();
  await field(page, 'settings-promo-pct').fill('300');
  await field(page, 'settings-promo-pct').press('Tab');
  await page.locator('[data-test="settings-referral-coupon"]').click();
  await page.locator(`[data-test="settings-referral-coupon-option-${template.id}"]`).click();
  await page.locator('[data-test="settings-save"]').click();
  let settings;
  for (let i = 0; i < 40; i++) {
    settings = (await api.get('/api/v1/loyalty/settings')).body;
    if (settings.promo_multiplier_pct === 300) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(settings.promo_dates, '2030-05-02');
  assert.equal(settings.promo_multiplier_pct, 300);
  assert.equal(settings.referral_coupon_template_id, template.id);
  await api.put('/api/v1/loyalty/settings', { promo_dates: '', referral_coupon_template_id: 0, promo_multiplier_pct: 200 });
  await page.context().close();
});
