// Browser test of the till: a cashier (the demo admin) sells to a member with a coupon and
// points, prints the receipt, sees it on the member's 360° page, then refunds one item.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, field, signIn, text, waitText } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
const PHONE = '13955557391';
const PRODUCTS = [
  { sku: 'E2E-TEE', name: '测试T恤', price: 9900 },
  { sku: 'E2E-CAP', name: '测试帽子', price: 5900 },
  { sku: 'E2E-MUG', name: '测试马克杯', price: 3550 },
];
let server;
let browser;
let api;
let member;
let couponCode;

// ¥12.34 as the web app shows amounts (integer fen).
const money = (fen) => `${fen < 0 ? '-' : ''}¥${Math.floor(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

before(async () => {
  server = await new TestServer({ demo: true }).start();
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'zh-CN' });
  for (const p of PRODUCTS) {
    const r = await api.post('/api/v1/products', p);
    assert.equal(r.status, 201, r.text);
  }
  const tmpl = await api.post('/api/v1/coupon-templates', { name: '满100减10', kind: 'amount_off', amount_off: 1000, min_spend: 10000, valid_days: 30 });
  assert.equal(tmpl.status, 201, tmpl.text);
  const m = await api.post('/api/v1/members', { phone: PHONE, name: '收银测试', home_store_id: 1 });
  assert.equal(m.status, 201, m.text);
  member = m.body;
  const points = await api.post(`/api/v1/members/${member.id}/points/adjustments`, { points: 500, reason: '测试赠送' });
  assert.equal(points.status, 201, points.text);
  const issued = await api.post(`/api/v1/coupon-templates/${tmpl.body.id}/issue`, { member_ids: [member.id] });
  assert.equal(issued.status, 201, issued.text);
  const coupons = (await api.get(`/api/v1/members/${member.id}/coupons?status=issued`)).body.items;
  couponCode = coupons.find((c) => c.id === issued.body.items[0].coupon_id).code;
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});






async function pointsOnMemberPage(page) {
  await page.goto(`${server.base}/members/${member.id}`);
  await page.locator('[data-test="member-tab-points"]').click();
  const balance = page.locator('[data-test="member-points-balance"]');
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-test="member-points-balance"]')?.textContent.trim() ?? ''));
  return Number((await balance.innerText()).trim());
}

test('checkout with member, coupon and points; receipt; member 360; refund one line', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/sales/checkout`);
  await page.locator('[data-test="checkout-page"]').waitFor();

  // Find the member by the last four digits and pick them from the results.
  await field(page, 'checkout-member-search').fill(PHONE.slice(-4));
  await field(page, 'checkout-member-search').press('Enter');
  await page.locator(`[data-test="checkout-member-option"][data-id="${member.id}"]`).click();
  await page.locator('[data-test="checkout-member-selected"]').waitFor();
  assert.equal(await text(page, 'checkout-member-name'), '收银测试');
  assert.equal(await text(page, 'checkout-member-phone'), `${PHONE.slice(0, 3)}****${PHONE.slice(-4)}`);
  await waitText(page, 'checkout-member-points', '500');

  // A keyboard-wedge scanner types each code and Enter; the focus stays in the scan box.
  const scan = field(page, 'checkout-scan');
  for (const p of PRODUCTS) {
    await scan.pressSequentially(p.sku, { delay: 5 });
    await scan.press('Enter');
  }
  await page.waitForFunction((n) => document.querySelectorAll('[data-test="checkout-line"]').length === n, PRODUCTS.length);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-test')), 'checkout-scan');
  const subtotal = PRODUCTS.reduce((s, p) => s + p.price, 0);
  await waitText(page, 'checkout-subtotal', money(subtotal));

  // The coupon from the live quote, then 300 points.
  await page.locator(`[data-test="coupon-option-${couponCode}"]`).click();
  await waitText(page, 'checkout-coupon-discount', `-${money(1000)}`);
  await field(page, 'checkout-points').fill('300');
  await field(page, 'checkout-points').press('Tab');
  await waitText(page, 'checkout-points-value', `-${money(300)}`);
  const due = subtotal - 1000 - 300;
  await waitText(page, 'checkout-total', money(due));

  // Split payment: ¥50 in cash, the rest by WeChat Pay.
  await field(page, 'payment-amount-0').fill('50');
  await field(page, 'payment-amount-0').press('Tab');
  await page.locator('[data-test="payment-add"]').click();
  await waitText(page, 'payment-remaining', `待收 ${money(0)}`);
  await page.waitForFunction(() => !document.querySelector('[data-test="checkout-submit"]')?.disabled);
  await page.locator('[data-test="checkout-submit"]').click();
  await page.locator('[data-test="receipt"]').waitFor();

  // The receipt agrees with the sale as the API has it.
  const list = (await api.get(`/api/v1/sales?member_id=${member.id}`)).body;
  assert.equal(list.total, 1);
  const sale = (await api.get(`/api/v1/sales/${list.items[0].id}`)).body;
  assert.equal(sale.subtotal, subtotal);
  assert.equal(sale.coupon_discount, 1000);
  assert.equal(sale.points_redeemed, 300);
  assert.equal(sale.total, due);
  assert.deepEqual(sale.payments.map((p) => [p.method, p.amount]), [['cash', 5000], ['wechat_pay', due - 5000], ['points', 300]]);
  assert.equal(sale.member.points_balance, 500 - 300 + sale.points_earned);
  assert.equal(await text(page, 'receipt-no'), sale.receipt_no);
  assert.equal(await text(page, 'receipt-subtotal'), money(sale.subtotal));
  assert.equal(await text(page, 'receipt-coupon-discount'), `-${money(sale.coupon_discount)}`);
  assert.equal(await text(page, 'receipt-points-value'), `-${money(sale.points_value)}`);
  assert.equal(await text(page, 'receipt-total'), money(sale.total));
  assert.equal(await text(page, 'receipt-payment-cash'), money(5000));
  assert.equal(await text(page, 'receipt-payment-wechat_pay'), money(due - 5000));
  assert.equal(await text(page, 'receipt-points-earned'), `+${sale.points_earned}`);
  assert.equal(await text(page, 'receipt-points-balance'), String(sale.member.points_balance));
  assert.equal(await text(page, 'receipt-member-no'), member.member_no);
  assert.equal(await text(page, 'receipt-member-phone'), `${PHONE.slice(0, 3)}****${PHONE.slice(-4)}`);

  // Print: the button calls window.print; on paper only the 80 mm receipt shows.
  await page.evaluate(() => {
    window.__printed = 0;
    window.print = () => { window.__printed += 1; };
  });
  await page.locator('[data-test="receipt-print"]').click();
  assert.equal(await page.evaluate(() => window.__printed), 1);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-test="receipt"]').isVisible(), true);
  assert.equal(await page.locator('[data-test="side-menu"]').isVisible(), false);
  assert.equal(await page.locator('[data-test="receipt-print"]').isVisible(), false);
  const box = await page.locator('[data-test="receipt"]').boundingBox();
  assert.ok(Math.abs(box.width - (80 / 25.4) * 96) < 2, `the receipt is 80 mm wide (${box.width} px)`);
  await page.emulateMedia({ media: 'screen' });

  // Member 360: the purchase, the new balance and the coupon marked used.
  assert.equal(await pointsOnMemberPage(page), sale.member.points_balance);
  await page.locator('[data-test="member-tab-purchases"]').click();
  await page.locator(`[data-test="member-purchase"][data-id="${sale.id}"]`).waitFor();
  await page.locator('[data-test="member-tab-coupons"]').click();
  await page.locator(`[data-test="member-coupon"][data-code="${couponCode}"][data-status="used"]`).waitFor();

  // Refund the first line from the sale page; the detail refreshes.
  await page.goto(`${server.base}/sales/${sale.id}`);
  await page.locator('[data-test="sale-refund"]').click();
  await page.locator('[data-test="refund-mode-lines"]').click();
  await field(page, 'refund-qty-1').fill('1');
  await field(page, 'refund-qty-1').press('Tab');
  await field(page, 'refund-reason').fill('尺码不合适');
  await page.locator('[data-test="refund-submit"]').click();
  await page.locator('[data-test="sale-refund-row"]').waitFor();
  await waitText(page, 'sale-status', '部分退货');
  await page.locator('[data-test="sale-line-refunded-1"]').waitFor();

  const refunded = (await api.get(`/api/v1/sales/${sale.id}`)).body;
  assert.equal(refunded.status, 'partially_refunded');
  assert.equal(refunded.refunds.length, 1);
  const r = refunded.refunds[0];
  const expected = sale.member.points_balance + r.points_restored - r.points_reversed;
  const balance = (await api.get(`/api/v1/members/${member.id}/points`)).body.balance;
  assert.equal(balance, expected);
  assert.equal(await pointsOnMemberPage(page), balance);
  await page.context().close();
});

test('the checkout page fits a tablet and a phone without horizontal scrolling', async () => {
  for (const [width, height] of [[1024, 768], [390, 844]]) {
    const page = await newPage(browser, width, height);
    await signIn(page, server.base, 'admin', DEMO_PASSWORD);
    await page.goto(`${server.base}/sales/checkout`);
    await page.locator('[data-test="checkout-page"]').waitFor();
    await field(page, 'checkout-member-search').fill(PHONE.slice(-4));
    await field(page, 'checkout-member-search').press('Enter');
    await page.locator(`[data-test="checkout-member-option"][data-id="${member.id}"]`).click();
    for (const p of PRODUCTS) {
      await field(page, 'checkout-scan').fill(p.sku);
      await field(page, 'checkout-scan').press('Enter');
    }
    await page.waitForFunction((n) => document.querySelectorAll('[data-test="checkout-line"]').length === n, PRODUCTS.length);
    await waitText(page, 'checkout-subtotal', money(PRODUCTS.reduce((s, p) => s + p.price, 0)));
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(scrollWidth <= width, `no horizontal scrolling at ${width} px (page is ${scrollWidth} px wide)`);
    await page.context().close();
  }
});

test('a cashier on a phone sells to a walk-in customer', async () => {
  const page = await newPage(browser, 390, 844);
  await signIn(page, server.base, 'cashier_sh', DEMO_PASSWORD);
  await page.goto(`${server.base}/sales/checkout`);
  await page.locator('[data-test="checkout-store-name"]').waitFor();
  await field(page, 'checkout-scan').fill('NO-SUCH-CODE');
  await field(page, 'checkout-scan').press('Enter');
  await page.locator('[data-test="field-error-scan"]').waitFor();
  await field(page, 'checkout-scan').fill(PRODUCTS[2].sku);
  await field(page, 'checkout-scan').press('Enter');
  await field(page, 'checkout-scan').fill(PRODUCTS[2].sku);
  await field(page, 'checkout-scan').press('Enter');
  await waitText(page, 'checkout-total', money(PRODUCTS[2].price * 2));
  await page.waitForFunction(() => !document.querySelector('[data-test="checkout-submit"]')?.disabled);
  await page.locator('[data-test="checkout-submit"]').click();
  await page.locator('[data-test="receipt"]').waitFor();
  const receiptNo = await text(page, 'receipt-no');
  assert.equal(await page.locator('[data-test="receipt-member-no"]').count(), 0);
  // Receipt numbers run per terminal; the web till is terminal WEB.
  const found = (await api.get(`/api/v1/sales?q=${receiptNo}&store_id=1`)).body.items.filter((s) => s.terminal === 'WEB');
  assert.equal(found.length, 1);
  assert.equal(found[0].member_id, null);
  assert.equal(found[0].total, PRODUCTS[2].price * 2);
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scrollWidth <= 390, `no horizontal scrolling on the receipt (page is ${scrollWidth} px wide)`);
  await page.context().close();
});

test('cash tendered shows the change; F9 checks out and the change is shown again', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/sales/checkout`);
  await page.locator('[data-test="checkout-page"]').waitFor();
  await field(page, 'checkout-scan').fill(PRODUCTS[2].sku);
  await field(page, 'checkout-scan').press('Enter');
  await waitText(page, 'checkout-total', money(PRODUCTS[2].price));
  assert.equal(await text(page, 'checkout-submit-shortcut'), 'F9');

  // Too little cash blocks the sale; ¥50 gives ¥14.50 back.
  await field(page, 'payment-tendered-0').fill('20');
  await field(page, 'payment-tendered-0').press('Tab');
  await page.locator('[data-test="field-error-tendered-0"]').waitFor();
  assert.equal(await page.locator('[data-test="checkout-submit"]').isDisabled(), true);
  await page.locator('[data-test="payment-tendered-quick-0-5000"]').click();
  await waitText(page, 'payment-change-0', money(5000 - PRODUCTS[2].price));
  assert.equal(await page.locator('[data-test="field-error-tendered-0"]').count(), 0);

  // F9 from the scan box pays.
  await field(page, 'checkout-scan').focus();
  await page.keyboard.press('F9');
  await page.locator('[data-test="receipt"]').waitFor();
  await waitText(page, 'checkout-change-amount', money(5000 - PRODUCTS[2].price));
  const receiptNo = await text(page, 'receipt-no');
  const found = (await api.get(`/api/v1/sales?q=${receiptNo}`)).body.items.filter((s) => s.terminal === 'WEB' && s.total === PRODUCTS[2].price);
  assert.equal(found.length, 1);

  // Ctrl+Enter, typed while still in an amount field, pays the next sale.
  await page.locator('[data-test="checkout-new"]').click();
  await field(page, 'checkout-scan').fill(PRODUCTS[1].sku);
  await field(page, 'checkout-scan').press('Enter');
  await waitText(page, 'checkout-total', money(PRODUCTS[1].price));
  await page.waitForFunction(() => !document.querySelector('[data-test="checkout-submit"]')?.disabled);
  await field(page, 'payment-tendered-0').fill('100');
  await field(page, 'payment-tendered-0').press('Control+Enter');
  await page.locator('[data-test="receipt"]').waitFor();
  await waitText(page, 'checkout-change-amount', money(10000 - PRODUCTS[1].price));
  await page.context().close();
});
