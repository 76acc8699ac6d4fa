// Loyalty beyond the till: behaviour points (registration, completed profile, daily check-in),
// birthday-month gifts, coupons issued to a filtered member list, and the points mall with
// goods and partner vouchers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, fieldError } from '../support/server.mjs';

let server;
let admin;
let store;
let phoneSeq = 13500000000;
const nextPhone = () => String(++phoneSeq);

async function member(extra = {}) {
  const r = await admin.post('/api/v1/members', { phone: nextPhone(), name: '会员', home_store_id: store, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
const balance = async (id) => (await admin.get(`/api/v1/members/${id}/points`)).body.balance;

before(async () => {
  server = await new TestServer({ args: ['--job-interval', '1'] }).start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  store = (await admin.post('/api/v1/stores', { code: 'L1', name: '积分店', type: 'direct', timezone: 'Asia/Shanghai' })).body.id;
  const settings = await admin.put('/api/v1/loyalty/settings', { registration_points: 100, profile_points: 50, checkin_points: 5 });
  assert.equal(settings.status, 200, settings.text);
  assert.equal(settings.body.checkin_points, 5);
  const bad = await admin.put('/api/v1/loyalty/settings', { redeem_cap_pct: 120, expiry: 'sometimes' });
  assert.equal(bad.status, 400);
  assert.ok(fieldError(bad, 'redeem_cap_pct'));
  assert.ok(fieldError(bad, 'expiry'));
});
after(() => server.stop());

test('registering earns points once, completing the profile earns more, once', async () => {
  const m = await member();
  assert.equal(await balance(m.id), 100);
  const full = await admin.put(`/api/v1/members/${m.id}`, {
    gender: 'female', birthday: '1990-03-04', email: 'full@example.com', address: '上海市静安区', version: m.version,
  });
  assert.equal(full.status, 200, full.text);
  assert.equal(await balance(m.id), 150);
  const again = await admin.put(`/api/v1/members/${m.id}`, { address: '上海市徐汇区', version: full.body.version });
  assert.equal(again.status, 200);
  assert.equal(await balance(m.id), 150, 'the profile bonus is paid once');
});

test('a daily check-in counts once per day', async () => {
  const m = await member();
  const first = await admin.post(`/api/v1/members/${m.id}/checkins`, {});
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.points, 5);
  const twice = await admin.post(`/api/v1/members/${m.id}/checkins`, {});
  assert.equal(twice.status, 409);
  assert.equal(fieldError(twice, 'member_id'), 'Already checked in today');
  const racing = await Promise.all([1, 2, 3].map(async () => admin.post(`/api/v1/members/${(await member()).id}/checkins`, {})));
  assert.ok(racing.every((r) => r.status === 201));
});

test('birthday-month members of a tier get its points and coupon once a year', async () => {
  const tmpl = (await admin.post('/api/v1/coupon-templates', { name: '生日券', kind: 'amount_off', amount_off: 2000, valid_days: 30 })).body;
  const tier = await admin.post('/api/v1/tiers', { code: 'bday', name: '生日卡', rank: 5, threshold: 0, birthday_points: 300, birthday_coupon_template_id: tmpl.id });
  assert.equal(tier.status, 201, tier.text);
  const month = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(5, 7);
  const other = String((Number(month) % 12) + 1).padStart(2, '0');
  const born = await member({ birthday: `1988-${month}-01` });
  const notYet = await member({ birthday: `1988-${other}-01` });
  // A first sale puts both in the tier (threshold 0).
  const product = (await admin.post('/api/v1/products', { sku: 'BDAY-1', name: '蛋糕', price: 100 })).body;
  for (const m of [born, notYet]) {
    const r = await admin.post('/api/v1/sales', { store_id: store, member_id: m.id, lines: [{ sku: product.sku, quantity: 1 }], payments: [{ method: 'cash', amount: 100 }] }, { headers: { 'Idempotency-Key': `bday-${m.id}` } });
    assert.equal(r.status, 201, r.text);
  }
  let coupons;
  for (let i = 0; i < 40; i++) {
    await new Promise((res) => setTimeout(res, 250));
    coupons = (await admin.get(`/api/v1/members/${born.id}/coupons`)).body.items;
    if (coupons.length) break;
  }
  assert.equal(coupons.length, 1);
  assert.equal(coupons[0].issue_reason, 'birthday');
  await new Promise((res) => setTimeout(res, 2200));  // the job runs again
  assert.equal((await admin.get(`/api/v1/members/${born.id}/coupons`)).body.items.length, 1, 'once a year');
  const points = (await admin.get(`/api/v1/members/${born.id}/points`)).body.items.filter((e) => e.reason === 'behaviour.birthday');
  assert.equal(points.length, 1);
  assert.equal(points[0].delta, 300);
  assert.equal((await admin.get(`/api/v1/members/${notYet.id}/coupons`)).body.items.length, 0);
});

test('coupons go to a filtered member list, all or none', async () => {
  const tag = (await admin.get('/api/v1/tags')).body.items[0];
  const tagged = [await member({ tags: [tag.id] }), await member({ tags: [tag.id] })];
  await member();
  const tmpl = (await admin.post('/api/v1/coupon-templates', { name: '标签券', kind: 'percent_off', percent_off: 10, max_discount: 1000, valid_days: 7, per_member_limit: 1 })).body;
  const r = await admin.post(`/api/v1/coupon-templates/${tmpl.id}/issue`, { filter: { tags: String(tag.id), store_id: String(store) } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.issued, 2);
  assert.deepEqual(r.body.items.map((i) => i.member_id).sort(), tagged.map((m) => m.id).sort());
  const again = await admin.post(`/api/v1/coupon-templates/${tmpl.id}/issue`, { filter: { tags: String(tag.id), store_id: String(store) } });
  assert.equal(again.status, 400);
  assert.match(fieldError(again, 'member_ids[0]'), /already holds the limit of 1/);
  const unknown = await admin.post(`/api/v1/coupon-templates/${tmpl.id}/issue`, { filter: { colour: 'red' } });
  assert.equal(fieldError(unknown, 'filter.colour'), 'Unknown field');
  assert.equal((await admin.get(`/api/v1/members/${tagged[0].id}/coupons`)).body.items.length, 1);
});

test('the points mall: goods with stock, partner vouchers with codes, cancel gives points back', async () => {
  const m = await member();
  await admin.post(`/api/v1/members/${m.id}/points/adjustments`, { points: 900, reason: '测试' });
  assert.equal(await balance(m.id), 1000);
  const mug = await admin.post('/api/v1/gifts', { name: '保温杯', kind: 'goods', points: 300, cash: 1000, stock: 2 });
  assert.equal(mug.status, 201, mug.text);
  const noCash = await admin.post(`/api/v1/members/${m.id}/redemptions`, { gift_id: mug.body.id });
  assert.equal(fieldError(noCash, 'cash_method'), 'Required');
  const got = await admin.post(`/api/v1/members/${m.id}/redemptions`, { gift_id: mug.body.id, quantity: 2, cash_method: 'wechat_pay' });
  assert.equal(got.status, 201, got.text);
  assert.equal(got.body.points, 600);
  assert.equal(got.body.cash, 2000);
  assert.equal(got.body.points_balance, 400);
  const empty = await admin.post(`/api/v1/members/${m.id}/redemptions`, { gift_id: mug.body.id, cash_method: 'cash' });
  assert.equal(empty.status, 400);
  assert.equal(fieldError(empty, 'quantity'), 'Not enough in stock (0 left)');
  const cancelled = await admin.post(`/api/v1/redemptions/${got.body.id}/cancel`, {});
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.body.status, 'cancelled');
  assert.equal(await balance(m.id), 1000);
  assert.equal((await admin.get('/api/v1/gifts')).body.items.find((g) => g.id === mug.body.id).stock, 2);
  assert.equal((await admin.post(`/api/v1/redemptions/${got.body.id}/cancel`, {})).status, 409);

  const voucher = (await admin.post('/api/v1/gifts', { name: '咖啡兑换券', kind: 'voucher', partner: '街角咖啡', points: 800 })).body;
  const loaded = await admin.post(`/api/v1/gifts/${voucher.id}/voucher-codes`, { codes: ['CAFE-001', 'CAFE-002', 'CAFE-001'] });
  assert.equal(loaded.status, 201, loaded.text);
  assert.equal(loaded.body.added, 2);
  assert.equal(loaded.body.gift.stock, 2);
  const coffee = await admin.post(`/api/v1/members/${m.id}/redemptions`, { gift_id: voucher.id });
  assert.equal(coffee.status, 201, coffee.text);
  assert.deepEqual(coffee.body.voucher_codes, ['CAFE-001']);
  const poor = await admin.post(`/api/v1/members/${m.id}/redemptions`, { gift_id: voucher.id });
  assert.equal(poor.status, 400);
  assert.equal(fieldError(poor, 'gift_id'), 'Not enough points (balance 200)');
  const refused = await admin.post(`/api/v1/redemptions/${coffee.body.id}/cancel`, {});
  assert.equal(fieldError(refused, 'status'), 'A voucher code already handed out cannot be cancelled');
  const history = (await admin.get(`/api/v1/members/${m.id}/redemptions`)).body.items;
  assert.equal(history.length, 2);
  const ledger = (await admin.get(`/api/v1/members/${m.id}/points?limit=200`)).body;
  assert.equal(ledger.items.reduce((s, e) => s + e.delta, 0), ledger.balance);
});

test('rules issue coupons: on reaching a tier, for a referral; double-points days double the points', async () => {
  const welcome = (await admin.post('/api/v1/coupon-templates', { name: '升级礼券', kind: 'amount_off', amount_off: 500, valid_days: 30 })).body;
  const thanks = (await admin.post('/api/v1/coupon-templates', { name: '推荐感谢券', kind: 'amount_off', amount_off: 1000, valid_days: 30 })).body;
  const tier = await admin.post('/api/v1/tiers', { code: 'vip9', name: '会员九', rank: 9, threshold: 100000, upgrade_coupon_template_id: welcome.id });
  assert.equal(tier.status, 201, tier.text);
  assert.equal(tier.body.upgrade_coupon_template_id, welcome.id);
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  const set = await admin.put('/api/v1/loyalty/settings', { referral_coupon_template_id: thanks.id, promo_dates: `2020-01-01, ${today}`, promo_multiplier_pct: 300 });
  assert.equal(set.status, 200, set.text);
  assert.equal(set.body.promo_dates, `2020-01-01,${today}`);
  assert.equal(fieldError(await admin.put('/api/v1/loyalty/settings', { promo_dates: '2026-13-01' }), 'promo_dates'), 'Date must be YYYY-MM-DD');

  const referrer = await member();
  const bad = await admin.post('/api/v1/members', { phone: nextPhone(), home_store_id: store, referral_code: 'NOSUCHCODE' });
  assert.equal(fieldError(bad, 'referral_code'), 'The referenced record does not exist');
  const referee = await member({ referral_code: referrer.referral_code });
  assert.equal(referee.referrer_id, referrer.id, 'the referral code names the referrer');
  const big = (await admin.post('/api/v1/products', { sku: 'BIG-1', name: '大件', price: 120000 })).body;
  const sale = await admin.post('/api/v1/sales', { store_id: store, member_id: referee.id, lines: [{ sku: big.sku, quantity: 1 }], payments: [{ method: 'cash', amount: 120000 }] }, { headers: { 'Idempotency-Key': `rules-${referee.id}` } });
  assert.equal(sale.status, 201, sale.text);
  assert.equal(sale.body.points_earned, 1200 * 3, 'a double-points day at 300%');
  assert.equal(sale.body.member.tier.code, 'vip9');
  const refereeCoupons = (await admin.get(`/api/v1/members/${referee.id}/coupons`)).body.items;
  assert.deepEqual(refereeCoupons.map((c) => [c.template.name, c.issue_reason]), [['升级礼券', 'tier']]);
  const referrerCoupons = (await admin.get(`/api/v1/members/${referrer.id}/coupons`)).body.items;
  assert.deepEqual(referrerCoupons.map((c) => [c.template.name, c.issue_reason, c.status]), [['推荐感谢券', 'referral', 'issued']]);
  assert.equal((await admin.post(`/api/v1/sales/${sale.body.id}/refunds`, {})).status, 201);
  assert.equal((await admin.get(`/api/v1/members/${referrer.id}/coupons`)).body.items[0].status, 'voided', 'the reward coupon goes with the refunded first sale');
  await admin.put('/api/v1/loyalty/settings', { referral_coupon_template_id: 0, promo_dates: '' });
});

test('the tier review moves a member below their tier down after the grace period, with the reason', async () => {
  const tier = await admin.post('/api/v1/tiers', { code: 'review', name: '复核卡', rank: 20, threshold: 500000, grace_days: 0 });
  assert.equal(tier.status, 201, tier.text);
  const m = await member();
  const product = (await admin.post('/api/v1/products', { sku: 'REVIEW-1', name: '高价品', price: 600000 })).body;
  const sale = await admin.post('/api/v1/sales', { store_id: store, member_id: m.id, lines: [{ sku: product.sku, quantity: 1 }], payments: [{ method: 'bank_card', amount: 600000 }] }, { headers: { 'Idempotency-Key': `review-${m.id}` } });
  assert.equal(sale.status, 201, sale.text);
  assert.equal(sale.body.member.tier.code, 'review');
  assert.equal((await admin.post(`/api/v1/sales/${sale.body.id}/refunds`, {})).status, 201);
  // Refunds do not downgrade at once; the review (every second in this test server) does.
  let view;
  for (let i = 0; i < 40; i++) {
    await new Promise((res) => setTimeout(res, 250));
    view = (await admin.get(`/api/v1/members/${m.id}/tier`)).body;
    if (view.history[0]?.reason === 'downgrade') break;
  }
  assert.equal(view.history[0].reason, 'downgrade');
  assert.equal(view.history[0].from_tier_name, '复核卡');
  assert.notEqual(view.current?.code, 'review');
  assert.equal(view.history[1].reason, 'upgrade');
});

test('admin edits: categories refuse cycles, tiers and templates need the current version, coupons void once', async () => {
  const top = (await admin.post('/api/v1/product-categories', { name: '顶级' })).body;
  const child = (await admin.post('/api/v1/product-categories', { name: '子类', parent_id: top.id })).body;
  const cycle = await admin.put(`/api/v1/product-categories/${top.id}`, { parent_id: child.id, version: top.version });
  assert.equal(cycle.status, 400);
  assert.equal(fieldError(cycle, 'parent_id'), 'A category cannot move under itself');
  const renamed = await admin.put(`/api/v1/product-categories/${child.id}`, { name: '子类二', points_multiplier_pct: 150, version: child.version });
  assert.equal(renamed.status, 200, renamed.text);
  assert.deepEqual([renamed.body.name, renamed.body.points_multiplier_pct, renamed.body.parent_id], ['子类二', 150, top.id]);

  const tier = (await admin.post('/api/v1/tiers', { code: 'edit', name: '编辑卡', rank: 30, threshold: 1000 })).body;
  const edited = await admin.put(`/api/v1/tiers/${tier.id}`, { discount_pct: 7, version: tier.version });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.discount_pct, 7);
  const stale = await admin.put(`/api/v1/tiers/${tier.id}`, { discount_pct: 9, version: tier.version });
  assert.equal(stale.status, 409);
  const clash = await admin.put(`/api/v1/tiers/${tier.id}`, { rank: 9, version: edited.body.version });
  assert.equal(fieldError(clash, 'rank'), 'Another tier has this rank');

  const tmpl = (await admin.post('/api/v1/coupon-templates', { name: '编辑券', kind: 'amount_off', amount_off: 100, valid_days: 5 })).body;
  const noAmount = await admin.post('/api/v1/coupon-templates', { name: '无额', kind: 'amount_off', valid_days: 5 });
  assert.equal(fieldError(noAmount, 'amount_off'), 'Required');
  const noValidity = await admin.post('/api/v1/coupon-templates', { name: '无期', kind: 'amount_off', amount_off: 100 });
  assert.match(fieldError(noValidity, 'valid_days'), /validity/);
  const off = await admin.put(`/api/v1/coupon-templates/${tmpl.id}`, { status: 'inactive', version: tmpl.version });
  assert.equal(off.status, 200, off.text);
  const m = await member();
  const refused = await admin.post(`/api/v1/coupon-templates/${tmpl.id}/issue`, { member_ids: [m.id] });
  assert.equal(refused.status, 400);
  assert.equal(fieldError(refused, 'member_ids[0]') ?? fieldError(refused, 'template_id'), 'This coupon template is inactive');
  const on = await admin.put(`/api/v1/coupon-templates/${tmpl.id}`, { status: 'active', version: off.body.version });
  const issued = await admin.post(`/api/v1/coupon-templates/${tmpl.id}/issue`, { member_ids: [m.id] });
  assert.equal(issued.status, 201, issued.text);
  const couponId = issued.body.items[0].coupon_id;
  assert.equal((await admin.post(`/api/v1/coupons/${couponId}/void`, {})).body.status, 'voided');
  const again = await admin.post(`/api/v1/coupons/${couponId}/void`, {});
  assert.equal(again.status, 409);
  assert.equal((await admin.get(`/api/v1/members/${m.id}/coupons`)).body.items[0].status, 'voided');
  assert.equal(on.status, 200);

  const gift = (await admin.post('/api/v1/gifts', { name: '帆布袋', kind: 'goods', points: 100, stock: 1 })).body;
  const restocked = await admin.put(`/api/v1/gifts/${gift.id}`, { stock: 10, version: gift.version });
  assert.equal(restocked.body.stock, 10);
  assert.equal((await admin.put(`/api/v1/gifts/${gift.id}`, { stock: 11, version: gift.version })).status, 409);
});
