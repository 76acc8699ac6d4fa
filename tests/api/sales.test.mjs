// Sales, refunds and the loyalty engine over HTTP: checkout with tier discount, coupon and
// points; POS retries with Idempotency-Key; races on one member's points and one coupon;
// refunds by line and whole; referral rewards; points expiry; products and CSV import.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TestServer, fieldError } from '../support/server.mjs';

let server;
let admin;
let storeA;
let storeB;
let pos;
const products = {};
let silver;
let couponTmpl;

let phoneSeq = 13600000000;
const nextPhone = () => String(++phoneSeq);

async function member(extra = {}) {
  const r = await admin.post('/api/v1/members', { phone: nextPhone(), name: '顾客', home_store_id: storeA, ...extra });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function givePoints(memberId, points) {
  const r = await admin.post(`/api/v1/members/${memberId}/points/adjustments`, { points, reason: '测试赠送' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.balance;
}

async function issue(memberId, tmpl = couponTmpl) {
  const r = await admin.post(`/api/v1/coupon-templates/${tmpl}/issue`, { member_ids: [memberId] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const coupons = (await admin.get(`/api/v1/members/${memberId}/coupons?status=issued`)).body.items;
  return coupons.find((c) => c.id === r.body.items[0].coupon_id).code;
}

function sell(client, body, key = randomUUID()) {
  return client.post('/api/v1/sales', { store_id: storeA, terminal: 'T1', ...body }, { headers: { 'Idempotency-Key': key } });
}

async function ledgerSum(memberId) {
  let sum = 0;
  let cursor = null;
  let balance;
  do {
    const r = await admin.get(`/api/v1/members/${memberId}/points?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    balance = r.body.balance;
    for (const e of r.body.items) sum += e.delta;
    cursor = r.body.next_cursor;
  } while (cursor);
  return { sum, balance };
}

before(async () => {
  server = await new TestServer({ args: ['--job-interval', '1'] }).start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  storeA = (await admin.post('/api/v1/stores', { code: 'A', name: '甲店', type: 'direct', region: '华东', address: '南京东路1号' })).body.id;
  storeB = (await admin.post('/api/v1/stores', { code: 'B', name: '乙店', type: 'direct', region: '华南' })).body.id;
  const clothes = (await admin.post('/api/v1/product-categories', { name: '服装' })).body;
  const tops = (await admin.post('/api/v1/product-categories', { name: '上衣', parent_id: clothes.id, points_multiplier_pct: 200 })).body;
  const food = (await admin.post('/api/v1/product-categories', { name: '食品' })).body;
  for (const [sku, name, price, category, barcode] of [
    ['TEE-01', '纯棉T恤', 9900, tops.id, '6901234567890'],
    ['JEANS-01', '牛仔裤', 29900, clothes.id, undefined],
    ['TEA-01', '龙井茶', 5000, food.id, undefined],
  ]) {
    const r = await admin.post('/api/v1/products', { sku, name, price, category_id: category, ...(barcode ? { barcode } : {}) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    products[sku] = r.body;
  }
  silver = (await admin.post('/api/v1/tiers', { code: 'silver', name: '银卡', rank: 1, qualify_by: 'spend', window_days: 365, threshold: 50000, discount_pct: 5, points_multiplier_pct: 150 })).body;
  assert.ok(silver.id);
  const gold = await admin.post('/api/v1/tiers', { code: 'gold', name: '金卡', rank: 2, threshold: 500000, discount_pct: 10, points_multiplier_pct: 200 });
  assert.equal(gold.status, 201, JSON.stringify(gold.body));
  couponTmpl = (await admin.post('/api/v1/coupon-templates', { name: '满200减30', kind: 'amount_off', amount_off: 3000, min_spend: 20000, valid_days: 30 })).body.id;
  assert.ok(couponTmpl);
  const token = await admin.post('/api/v1/api-tokens', { name: 'POS A', store_id: storeA, permissions: ['members.read', 'sales.create', 'sales.read', 'sales.refund', 'products.read'] });
  assert.equal(token.status, 201, JSON.stringify(token.body));
  pos = server.client({ token: token.body.token, lang: 'en' });
});
after(() => server.stop());

test('a checkout applies coupon and points, earns points, moves stock, then upgrades the tier', async () => {
  const m = await member();
  await givePoints(m.id, 5000);
  const code = await issue(m.id);
  const basket = [{ sku: 'TEE-01', quantity: 2 }, { sku: 'JEANS-01', quantity: 1 }];  // 198.00 + 299.00
  const quote = await admin.post('/api/v1/sales/quote', { store_id: storeA, member_id: m.id, lines: basket, coupon_codes: [code] });
  assert.equal(quote.status, 200, JSON.stringify(quote.body));
  assert.equal(quote.body.subtotal, 49700);
  assert.equal(quote.body.coupon_discount, 3000);
  assert.equal(quote.body.points_balance, 5000);
  assert.equal(quote.body.max_redeemable_points, 5000, 'the cap (50% of 467.00) is above the balance');
  assert.ok(quote.body.available_coupons.some((c) => c.code === code));
  const stockBefore = (await admin.get(`/api/v1/stock?store_id=${storeA}&q=TEE-01`)).body.items[0]?.quantity ?? 0;

  const r = await sell(admin, {
    member_id: m.id, lines: basket, coupon_codes: [code], points_redeemed: 2000,
    payments: [{ method: 'wechat_pay', amount: 40000 }, { method: 'cash', amount: 4700 }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const sale = r.body;
  assert.equal(sale.subtotal, 49700);
  assert.equal(sale.tier_discount, 0);
  assert.equal(sale.coupon_discount, 3000);
  assert.equal(sale.points_value, 2000);
  assert.equal(sale.total, 44700);
  assert.deepEqual(sale.payments.map((p) => [p.method, p.amount]), [['wechat_pay', 40000], ['cash', 4700], ['points', 2000]]);
  assert.deepEqual(sale.coupon_codes, [code]);
  assert.equal(sale.lines.reduce((s, l) => s + l.amount, 0), sale.total);
  const [tee, jeans] = sale.lines;
  assert.equal(sale.points_earned, Math.floor(tee.amount * 2 / 100) + Math.floor(jeans.amount / 100), 'tops earn double');
  assert.match(sale.receipt_no, /^\d{6}$/);
  assert.equal(sale.member.points_balance, 5000 - 2000 + sale.points_earned);
  assert.equal(sale.member.phone, m.phone.slice(0, 3) + '****' + m.phone.slice(7), 'the receipt shows the phone masked');
  assert.equal(sale.member.tier, null, '447.00 does not reach silver (500.00)');
  assert.deepEqual((await admin.get(`/api/v1/sales/${sale.id}`)).body, sale, 'the checkout answers what GET shows');
  const stockAfter = (await admin.get(`/api/v1/stock?store_id=${storeA}&q=TEE-01`)).body.items[0].quantity;
  assert.equal(stockAfter, stockBefore - 2);

  const coupons = (await admin.get(`/api/v1/members/${m.id}/coupons`)).body.items;
  assert.equal(coupons.find((c) => c.code === code).status, 'used');
  const again = await sell(admin, { member_id: m.id, lines: basket, coupon_codes: [code], payments: [{ method: 'cash', amount: 46700 }] });
  assert.equal(again.status, 400);
  assert.match(fieldError(again, 'coupon_codes'), /is used, expired or void/);

  // A second sale crosses 500.00 in the window: silver at once, recorded with its reason.
  const second = await sell(admin, { member_id: m.id, lines: [{ sku: 'TEA-01', quantity: 2 }], payments: [{ method: 'cash', amount: 10000 }] });
  assert.equal(second.status, 201, JSON.stringify(second.body));
  assert.equal(second.body.member.tier.code, 'silver');
  const tier = (await admin.get(`/api/v1/members/${m.id}/tier`)).body;
  assert.equal(tier.current.code, 'silver');
  assert.equal(tier.next.code, 'gold');
  assert.equal(tier.value, 54700);
  assert.equal(tier.remaining, 500000 - 54700);
  assert.equal(tier.history[0].reason, 'upgrade');
  assert.equal(tier.history[0].source_type, 'sale');
  assert.equal(tier.history[0].source_id, second.body.id);
  // Now silver: 5% off and 1.5 × points.
  const third = await sell(admin, { member_id: m.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 4750 }] });
  assert.equal(third.status, 201, JSON.stringify(third.body));
  assert.equal(third.body.tier_discount, 250);
  assert.equal(third.body.points_earned, Math.floor(4750 * 1.5 / 100));
  const { sum, balance } = await ledgerSum(m.id);
  assert.equal(sum, balance, 'the balance equals the ledger sum');
  const list = (await admin.get(`/api/v1/members?q=${m.phone}`)).body.items[0];
  assert.equal(list.total_spend, 44700 + 10000 + 4750);
  assert.equal(list.purchase_count, 3);
});

test('a POS retry with the same Idempotency-Key returns the first response byte for byte', async () => {
  const m = await member();
  const body = { member_id: m.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'alipay', amount: 5000 }] };
  const key = randomUUID();
  const first = await sell(pos, body, key);
  assert.equal(first.status, 201, first.text);
  assert.deepEqual((await pos.get(`/api/v1/sales/${first.body.id}`)).body, first.body);
  const retry = await sell(pos, body, key);
  assert.equal(retry.status, 201);
  assert.equal(retry.text, first.text);
  assert.equal(retry.headers.get('idempotent-replayed'), 'true');
  const changed = await sell(pos, { ...body, lines: [{ sku: 'TEA-01', quantity: 2 }], payments: [{ method: 'alipay', amount: 10000 }] }, key);
  assert.equal(changed.status, 422);
  assert.equal(changed.body.error.code, 'unprocessable');
  assert.match(changed.body.error.message, /Idempotency-Key was used for a different request/);
  const missing = await pos.post('/api/v1/sales', { store_id: storeA, terminal: 'T1', ...body });
  assert.equal(missing.status, 400);
  assert.match(fieldError(missing, 'Idempotency-Key'), /required/);
  const zh = server.client({ token: pos.token, lang: 'zh-CN' });
  const missingZh = await zh.post('/api/v1/sales', { store_id: storeA, terminal: 'T1', ...body });
  assert.equal(fieldError(missingZh, 'Idempotency-Key'), '缺少 Idempotency-Key 请求头');
  const sales = (await admin.get(`/api/v1/sales?member_id=${m.id}`)).body;
  assert.equal(sales.total, 1);
});

test('twenty parallel retries of one POS request make exactly one sale', async () => {
  const m = await member();
  const key = randomUUID();
  const body = { member_id: m.id, lines: [{ sku: 'JEANS-01', quantity: 1 }], payments: [{ method: 'bank_card', amount: 29900 }] };
  const results = await Promise.all(Array.from({ length: 20 }, () => sell(pos, body, key)));
  const created = results.filter((r) => r.status === 201);
  assert.ok(created.length >= 1, results.map((r) => r.status).join(','));
  for (const r of results) assert.ok(r.status === 201 || r.status === 409, `${r.status} ${r.text}`);
  for (const r of created) assert.equal(r.text, created[0].text, 'every success carries the same sale');
  for (const r of results.filter((x) => x.status === 409)) assert.equal(r.body.error.code, 'conflict');
  const sales = (await admin.get(`/api/v1/sales?member_id=${m.id}`)).body;
  assert.equal(sales.total, 1);
  const after = await sell(pos, body, key);
  assert.equal(after.text, created[0].text, 'once done, a retry replays');
});

test('32 parallel checkouts racing for one member\'s points and one coupon never overspend', async () => {
  const m = await member();
  await givePoints(m.id, 3000);
  const code = await issue(m.id);
  const attempt = (i) => sell(pos, {
    member_id: m.id, lines: [{ sku: 'JEANS-01', quantity: 1 }], coupon_codes: i % 2 ? [code] : [],
    points_redeemed: 1000, payments: [{ method: 'cash', amount: i % 2 ? 29900 - 3000 - 1000 : 29900 - 1000 }],
  });
  const results = await Promise.all(Array.from({ length: 32 }, (_, i) => attempt(i)));
  const ok = results.filter((r) => r.status === 201);
  for (const r of results) assert.ok([201, 400, 409, 503].includes(r.status), `${r.status} ${r.text}`);
  const withCoupon = ok.filter((r) => r.body.coupon_codes.length === 1);
  assert.ok(withCoupon.length <= 1, 'the coupon is used at most once');
  const { sum, balance } = await ledgerSum(m.id);
  assert.ok(balance >= 0);
  assert.equal(sum, balance);
  const redeemed = ok.reduce((s, r) => s + r.body.points_redeemed, 0);
  assert.ok(redeemed <= 3000 + ok.reduce((s, r) => s + r.body.points_earned, 0));
  const coupons = (await admin.get(`/api/v1/members/${m.id}/coupons`)).body.items;
  assert.equal(coupons[0].status, withCoupon.length ? 'used' : 'issued');
});

test('refunds by line and whole reverse points, restore spent points, stock and the coupon', async () => {
  const m = await member();
  await givePoints(m.id, 1000);
  const code = await issue(m.id);
  const r = await sell(admin, {
    member_id: m.id, lines: [{ sku: 'JEANS-01', quantity: 1 }, { sku: 'TEA-01', quantity: 2 }], coupon_codes: [code],
    points_redeemed: 1000, payments: [{ method: 'cash', amount: 39900 - 3000 - 1000 }],
  });
  assert.equal(r.status, 201, r.text);
  const sale = r.body;
  const balanceAfterSale = sale.member.points_balance;
  assert.equal(balanceAfterSale, sale.points_earned);
  const tea = sale.lines[1];
  const partial = await admin.post(`/api/v1/sales/${sale.id}/refunds`, { lines: [{ line_no: 2, quantity: 1 }], reason: '不想要了' });
  assert.equal(partial.status, 201, partial.text);
  assert.equal(partial.body.refund.amount, Math.floor(tea.amount / 2));
  assert.equal(partial.body.refund.points_restored, Math.floor(tea.points_used / 2));
  assert.equal(partial.body.refund.points_reversed, Math.floor(tea.points_earned / 2));
  assert.equal(partial.body.sale.status, 'partially_refunded');
  assert.equal(partial.body.sale.member.points_balance,
    balanceAfterSale + partial.body.refund.points_restored - partial.body.refund.points_reversed);
  assert.equal((await admin.get(`/api/v1/members/${m.id}/coupons`)).body.items[0].status, 'used', 'a partial refund keeps the coupon used');

  const tooMany = await admin.post(`/api/v1/sales/${sale.id}/refunds`, { lines: [{ line_no: 2, quantity: 2 }] });
  assert.equal(tooMany.status, 400);
  assert.match(fieldError(tooMany, 'lines[0].quantity'), /At most 1/);

  const rest = await admin.post(`/api/v1/sales/${sale.id}/refunds`, { reason: '整单退' });
  assert.equal(rest.status, 201, rest.text);
  assert.equal(rest.body.sale.status, 'refunded');
  assert.equal(partial.body.refund.amount + rest.body.refund.amount, sale.total, 'the refunds add up to what was paid');
  assert.equal(rest.body.sale.member.points_balance, 1000, 'every spent point is back and every earned point is gone');
  assert.equal((await admin.get(`/api/v1/members/${m.id}/coupons`)).body.items[0].status, 'issued', 'a whole refund gives the coupon back');
  const nothing = await admin.post(`/api/v1/sales/${sale.id}/refunds`, {});
  assert.equal(nothing.status, 400);
  assert.equal(fieldError(nothing, 'lines'), 'Nothing left to refund');
  const { sum, balance } = await ledgerSum(m.id);
  assert.equal(sum, balance);
  const history = (await admin.get(`/api/v1/members/${m.id}/sales`)).body;
  assert.equal(history.items[0].id, sale.id);
  assert.equal(history.items[0].refunds.length, 2);
  const movements = (await admin.get(`/api/v1/stock/movements?store_id=${storeA}&product_id=${products['JEANS-01'].id}`)).body.items;
  assert.equal(movements[0].reason, 'refund');
  assert.equal(movements[0].quantity, 1);
});

test('a refund takes back points the member already spent from the money refunded', async () => {
  const m = await member();
  const r = await sell(admin, { member_id: m.id, lines: [{ sku: 'JEANS-01', quantity: 1 }], payments: [{ method: 'cash', amount: 29900 }] });
  assert.equal(r.status, 201);
  const earned = r.body.points_earned;
  assert.equal(earned, 299);
  // Spend the earned points elsewhere, then return the jeans.
  const spend = await admin.post(`/api/v1/members/${m.id}/points/adjustments`, { points: -200, reason: '兑换礼品' });
  assert.equal(spend.status, 201, spend.text);
  const refund = await admin.post(`/api/v1/sales/${r.body.id}/refunds`, {});
  assert.equal(refund.status, 201, refund.text);
  assert.equal(refund.body.refund.points_reversed, 99);
  assert.equal(refund.body.refund.points_shortfall_value, 200, '200 points at 100 per yuan = 2.00');
  assert.equal(refund.body.refund.amount, 29900 - 200);
  assert.equal(refund.body.sale.member.points_balance, 0);
});

test('the referrer is rewarded at the referee\'s first sale and loses it when that sale is refunded', async () => {
  const referrer = await member({ name: '推荐人' });
  const referee = await member({ name: '新朋友', referrer_id: referrer.id });
  const first = await sell(admin, { member_id: referee.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal(first.status, 201, first.text);
  let points = (await admin.get(`/api/v1/members/${referrer.id}/points`)).body;
  assert.equal(points.balance, 500);
  assert.equal(points.items[0].kind, 'referral');
  const second = await sell(admin, { member_id: referee.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal(second.status, 201);
  assert.equal((await admin.get(`/api/v1/members/${referrer.id}/points`)).body.balance, 500, 'only the first sale counts');
  assert.equal((await admin.post(`/api/v1/sales/${first.body.id}/refunds`, {})).status, 201);
  points = (await admin.get(`/api/v1/members/${referrer.id}/points`)).body;
  assert.equal(points.balance, 0);
  assert.equal(points.items[0].delta, -500);
  const self = await member({ name: '自己' });
  const selfRef = await admin.put(`/api/v1/members/${self.id}`, { referrer_id: self.id, version: self.version });
  assert.ok([200, 400].includes(selfRef.status));
  await sell(admin, { member_id: self.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal((await admin.get(`/api/v1/members/${self.id}/points`)).body.items.filter((e) => e.kind === 'referral').length, 0);
});

test('points expire by lot at the end of the next year in store time, once', async () => {
  const m = await member();
  // An offline sale synced late: sold 2 years ago, so its points are already past their end.
  const old = new Date(Date.now() - 2 * 366 * 86400 * 1000).toISOString().slice(0, 19) + 'Z';
  const r = await sell(pos, { member_id: m.id, sold_at: old, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal(r.status, 201, r.text);
  await givePoints(m.id, 70);
  let points;
  for (let i = 0; i < 40; i++) {
    await new Promise((res) => setTimeout(res, 250));
    points = (await admin.get(`/api/v1/members/${m.id}/points`)).body;
    if (points.items.some((e) => e.kind === 'expire')) break;
  }
  await new Promise((res) => setTimeout(res, 2500));  // let the job run again
  points = (await admin.get(`/api/v1/members/${m.id}/points`)).body;
  const expired = points.items.filter((e) => e.kind === 'expire');
  assert.equal(expired.length, 1, 'one expiry entry for the one lot, however often the job runs');
  assert.equal(expired[0].delta, -50);
  assert.equal(points.balance, 70);
  const { sum, balance } = await ledgerSum(m.id);
  assert.equal(sum, balance);
});

test('bad sales are refused with field messages and write nothing', async () => {
  const m = await member();
  const before = (await admin.get('/api/v1/sales')).body.total;
  const cases = [
    [{ lines: [] }, 'lines', 'Add at least one item'],
    [{ lines: [{ sku: 'NOPE', quantity: 1 }], payments: [] }, 'lines[0].sku', 'The referenced record does not exist'],
    [{ lines: [{ sku: 'TEA-01', quantity: 0 }], payments: [] }, 'lines[0].quantity', 'Must be between 1 and 100000'],
    [{ lines: [{ sku: 'TEA-01', quantity: '1' }], payments: [] }, 'lines[0].quantity', 'Must be an integer'],
    [{ lines: [{ sku: 'TEA-01', quantity: 1, colour: 'red' }], payments: [] }, 'lines[0].colour', 'Unknown field'],
    [{ lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 4000 }] }, 'payments', 'Payments add up to 40.00 but 50.00 is due'],
    [{ lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'points', amount: 5000 }] }, 'payments[0].method', 'Send points as cash offset in points_redeemed'],
    [{ lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }], points_redeemed: 10 }, 'member_id', 'Coupons and points need a member'],
    [{ member_id: m.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 4990 }], points_redeemed: 10 }, 'points_redeemed', 'Not enough points (balance 0)'],
    [{ member_id: m.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }], coupon_codes: ['GUESSED'] }, 'coupon_codes', 'Coupon GUESSED does not exist or is not this member\'s'],
    [{ lines: [{ sku: 'TEA-01', quantity: 1, discount: 6000 }], payments: [{ method: 'cash', amount: 0 }] }, 'lines[0].discount', 'The discount cannot exceed the line amount'],
    [{ store_id: storeA, terminal: '<x>', lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] }, 'terminal', 'Must not contain any of'],
    [{ sold_at: 'yesterday', lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] }, 'sold_at', 'Time must be'],
    [{ lines: [{ quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] }, 'lines[0].sku', 'Required'],
    [{ lines: [{ sku: 'TEA-01', barcode: '6901234567890', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] }, 'lines[0].barcode', 'Send either sku or barcode, not both'],
  ];
  for (const [body, field, message] of cases) {
    const r = await sell(admin, body);
    assert.equal(r.status, 400, `${JSON.stringify(body)} → ${r.status} ${r.text}`);
    assert.ok((fieldError(r, field) || '').startsWith(message), `${field}: ${r.text}`);
  }
  const big = await sell(admin, { lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }], receipt_no: '000001' });
  assert.equal(big.status, 409, big.text);
  assert.equal(fieldError(big, 'receipt_no'), 'This receipt number already exists for the terminal');
  assert.equal((await admin.get('/api/v1/sales')).body.total, before);
});

test('a till may send what its scanner read as barcode, or as sku', async () => {
  for (const line of [{ barcode: '6901234567890', quantity: 1 }, { sku: '6901234567890', quantity: 1 }]) {
    const scanned = await sell(admin, { store_id: storeA, lines: [line], payments: [{ method: 'cash', amount: 9900 }] });
    assert.equal(scanned.status, 201, scanned.text);
    assert.equal(scanned.body.lines[0].sku, 'TEE-01');
    assert.equal(scanned.body.lines[0].product_id, products['TEE-01'].id);
  }
});

test('sales keep to permissions and store scope', async () => {
  const analyst = await server.staffWithRole(admin, 'analyst_s', 'analyst', []);
  const denied = await analyst.post('/api/v1/sales', { store_id: storeA, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] }, { headers: { 'Idempotency-Key': randomUUID() } });
  assert.equal(denied.status, 403);
  const cashierB = await server.staffWithRole(admin, 'cashier_b', 'cashier', [storeB]);
  const mB = (await admin.post('/api/v1/members', { phone: nextPhone(), home_store_id: storeB })).body;
  const inA = await sell(cashierB, { store_id: storeA, member_id: mB.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal(inA.status, 400);
  assert.equal(fieldError(inA, 'store_id'), 'You cannot use this store');
  const mA = await member();
  const saleA = await sell(admin, { member_id: mA.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal((await cashierB.get(`/api/v1/sales/${saleA.body.id}`)).status, 404);
  assert.equal((await cashierB.get('/api/v1/sales')).body.items.every((s) => s.store_id === storeB), true);
  const otherMember = await sell(cashierB, { store_id: storeB, member_id: mA.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal(fieldError(otherMember, 'member_id'), 'The referenced record does not exist');
  const own = await sell(cashierB, { store_id: storeB, member_id: mB.id, lines: [{ sku: 'TEA-01', quantity: 1 }], payments: [{ method: 'cash', amount: 5000 }] });
  assert.equal(own.status, 201, own.text);
  assert.equal((await cashierB.post(`/api/v1/sales/${own.body.id}/refunds`, {})).status, 403, 'a cashier cannot refund');
});

test('products: create, search, lookup by barcode, edit with version, CSV import all or nothing', async () => {
  const dup = await admin.post('/api/v1/products', { sku: 'TEA-01', name: '重复', price: 100 });
  assert.equal(dup.status, 409);
  assert.equal(fieldError(dup, 'sku'), 'This SKU is already in use');
  const bad = await admin.post('/api/v1/products', { sku: 'X 1', name: '', price: -1 });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'sku'));
  assert.ok(fieldError(bad, 'price'));
  const found = await admin.get('/api/v1/products?q=' + encodeURIComponent('t恤'));
  assert.equal(found.body.items[0].sku, 'TEE-01');
  const scanned = await pos.get('/api/v1/products/lookup?code=6901234567890');
  assert.equal(scanned.body.sku, 'TEE-01');
  const p = products['TEA-01'];
  const edited = await admin.put(`/api/v1/products/${p.id}`, { price: 5200, version: p.version });
  assert.equal(edited.status, 200);
  assert.equal(edited.body.price, 5200);
  const stale = await admin.put(`/api/v1/products/${p.id}`, { price: 5300, version: p.version });
  assert.equal(stale.status, 409);
  await admin.put(`/api/v1/products/${p.id}`, { price: 5000, version: edited.body.version });

  const total = (await admin.get('/api/v1/products')).body.total;
  const broken = await admin.request('POST', '/api/v1/products/import', undefined, {
    raw: 'sku,name,price_yuan,category\r\nCSV-1,帆布包,39.90,服装\r\nCSV-2,水杯,abc,\r\nCSV-3,围巾,10,无此分类\r\n',
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(broken.status, 400, broken.text);
  assert.equal(fieldError(broken, 'rows[3].price'), 'Must be a number');
  assert.equal(fieldError(broken, 'rows[4].category'), 'The referenced record does not exist');
  assert.equal((await admin.get('/api/v1/products')).body.total, total, 'nothing was written');
  const good = await admin.request('POST', '/api/v1/products/import', undefined, {
    raw: '\uFEFFsku,name,price_yuan,category\r\nCSV-1,帆布包,39.90,服装\r\nTEA-01,龙井茶,50.00,食品\r\n',
    headers: { 'Content-Type': 'text/csv' },
  });
  assert.equal(good.status, 200, good.text);
  assert.deepEqual([good.body.created, good.body.updated], [1, 1]);
  const bag = (await admin.get('/api/v1/products/lookup?code=CSV-1')).body;
  assert.equal(bag.price, 3990);
});

test('stock: adjust with a low-stock threshold, transfer between stores, ledger', async () => {
  const p = products['JEANS-01'];
  const adj = await admin.post('/api/v1/stock/adjustments', { store_id: storeB, product_id: p.id, quantity: 10, low_threshold: 3, note: '到货' });
  assert.equal(adj.status, 200, adj.text);
  assert.equal(adj.body.quantity, 10);
  const moved = await admin.post('/api/v1/stock/transfers', { from_store_id: storeB, to_store_id: storeA, product_id: p.id, quantity: 8 });
  assert.equal(moved.status, 201, moved.text);
  const low = (await admin.get(`/api/v1/stock?store_id=${storeB}&low=1`)).body.items;
  // The tea sold in B earlier without stock on record shows as below zero: the shelf was right.
  assert.deepEqual(low.map((s) => [s.sku, s.quantity]), [['JEANS-01', 2], ['TEA-01', -1]]);
  const same = await admin.post('/api/v1/stock/transfers', { from_store_id: storeB, to_store_id: storeB, product_id: p.id, quantity: 1 });
  assert.equal(fieldError(same, 'to_store_id'), 'Choose two different stores');
  const ledger = (await admin.get(`/api/v1/stock/movements?store_id=${storeB}&product_id=${p.id}`)).body.items;
  assert.deepEqual(ledger.map((m) => [m.reason, m.quantity]), [['transfer_out', -8], ['adjustment', 10]]);
});

test('the receipt layout: chain default, a store\'s own, in scope only', async () => {
  const chain = await admin.get('/api/v1/receipt-template');
  assert.equal(chain.status, 200);
  assert.equal(chain.body.header, '欢迎光临');
  const own = await admin.put(`/api/v1/receipt-template?store_id=${storeA}`, { header: '甲店欢迎您', footer: '七天无理由退换', show_points: false });
  assert.equal(own.status, 200, own.text);
  assert.deepEqual([own.body.store_id, own.body.header, own.body.show_points, own.body.show_member], [storeA, '甲店欢迎您', false, true]);
  assert.equal((await pos.get(`/api/v1/receipt-template?store_id=${storeA}`)).body.footer, '七天无理由退换');
  assert.equal((await admin.get(`/api/v1/receipt-template?store_id=${storeB}`)).body.header, '欢迎光临', 'B falls back to the chain');
  assert.equal((await pos.get(`/api/v1/receipt-template?store_id=${storeB}`)).status, 400, 'a token of A cannot read B');
  const bad = await admin.put('/api/v1/receipt-template', { header: '<b>', show_member: 'yes' });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'header'));
  assert.equal(fieldError(bad, 'show_member'), 'Must be true or false');
});
