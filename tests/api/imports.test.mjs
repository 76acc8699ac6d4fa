// File imports as a back office runs them: a spreadsheet of members checked row by row (every
// bad cell named by row and column, nothing written), corrected and imported for real; a GBK
// CSV from Chinese Excel; the products template downloaded as .xlsx and uploaded again.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TestServer } from '../support/server.mjs';

let server;
let admin;

before(async () => {
  server = await new TestServer().start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  await admin.post('/api/v1/stores', { code: 'IMP', name: '导入店', type: 'direct', region: '华东' });
  await admin.post('/api/v1/stores', { code: 'IMP2', name: '二店', type: 'direct', region: '华东' });
});
after(() => server.stop());

async function upload(kind, bytes, { dryRun = true, fileName = 'members.csv', type = 'text/csv' } = {}) {
  const r = await admin.request('POST', `/api/v1/imports?kind=${kind}&dry_run=${dryRun}&file_name=${encodeURIComponent(fileName)}`, undefined, {
    raw: bytes, headers: { 'Content-Type': type },
  });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.body.status, 'queued');
  for (let i = 0; i < 200; i++) {
    const got = await admin.get(`/api/v1/imports/${r.body.id}`);
    if (got.body.status === 'done' || got.body.status === 'failed') return got.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('import did not finish');
}

const memberCount = async () => (await admin.get('/api/v1/members?status=all')).body.total;

test('a members file with bad rows reports each bad cell by row and column and writes nothing', async () => {
  const before = await memberCount();
  const csv = [
    '手机号,姓名,门店,性别,生日,短信营销',
    '13900000001,王一,IMP,男,1990-01-02,是',
    '13900000002,王二,导入店,女,33000,否',
    '12345,王三,IMP,男,,',
    '13900000001,王四,NOPE,x,2099-01-01,maybe',
  ].join('\n');
  const result = await upload('members', csv, { dryRun: false });
  assert.equal(result.status, 'failed');
  assert.equal(result.written_rows, 0);
  assert.equal(result.total_rows, 4);
  assert.equal(result.processed_rows, 4);
  const byCell = Object.fromEntries(result.errors.map((e) => [`${e.row}.${e.field}`, e.reason]));
  assert.equal(byCell['4.phone'], 'Invalid phone number (11-digit mainland mobile or +country E.164)');
  assert.equal(byCell['5.store'], 'The referenced record does not exist');
  assert.ok(byCell['5.gender'], JSON.stringify(result.errors));
  assert.ok(byCell['5.birthday']);
  assert.ok(byCell['5.sms_opt_in']);
  assert.equal(result.error_count, 2);  // rows 4 and 5
  assert.equal(await memberCount(), before);
});

test('a clean dry run writes nothing; the real import registers every row with its consents', async () => {
  const before = await memberCount();
  const csv = [
    'phone,name,store,gender,birthday,sms_opt_in',
    '13900000011,李一,IMP,male,1990-01-02,yes',
    '13900000012,李二,IMP2,female,33000,no',
  ].join('\r\n');
  const dry = await upload('members', csv);
  assert.equal(dry.status, 'done', JSON.stringify(dry));
  assert.equal(dry.dry_run, true);
  assert.equal(dry.error_count, 0);
  assert.equal(await memberCount(), before);
  const real = await upload('members', csv, { dryRun: false });
  assert.equal(real.status, 'done');
  assert.equal(real.written_rows, 2);
  assert.equal(await memberCount(), before + 2);
  const found = (await admin.get('/api/v1/members?q=13900000012')).body.items[0];
  const full = (await admin.get(`/api/v1/members/${found.id}`)).body;
  assert.equal(full.name, '李二');
  assert.equal(full.birthday, '1990-05-07');  // Excel serial 33000 (days since 1899-12-30)
  assert.equal(full.source, 'import');
  // A second upload of the same file: every phone is taken now, so nothing is added twice.
  const again = await upload('members', csv, { dryRun: false });
  assert.equal(again.status, 'failed');
  assert.deepEqual(again.errors.map((e) => `${e.row}.${e.field}`), ['2.phone', '3.phone']);
  assert.equal(await memberCount(), before + 2);
  const list = await admin.get('/api/v1/imports');
  assert.ok(list.body.total >= 4);
  assert.equal(list.body.items[0].id, again.id);
  assert.equal(list.body.items[0].created_by.name, 'admin');
});

test('a CSV saved by Chinese Excel (GBK) reads the same as UTF-8', async () => {
  const utf8 = '手机号,姓名,门店\n13900000021,赵六,IMP\n';
  const gbk = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: utf8 });
  const r = await upload('members', gbk, { dryRun: false });
  assert.equal(r.status, 'done', JSON.stringify(r));
  const found = (await admin.get('/api/v1/members?q=13900000021')).body.items[0];
  assert.equal(found.name, '赵六');
});

test('the products template comes as .xlsx and imports as it is', async () => {
  const template = await admin.get('/api/v1/imports/template?kind=products&format=xlsx');
  assert.equal(template.status, 200);
  assert.match(template.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(template.text, 'latin1');
  const raw = await fetch(server.base + '/api/v1/imports/template?kind=products&format=xlsx', { headers: { Cookie: admin.cookie } });
  const xlsx = Buffer.from(await raw.arrayBuffer());
  assert.equal(xlsx.subarray(0, 2).toString(), 'PK');
  assert.ok(bytes.length > 0);
  const r = await upload('products', xlsx, { dryRun: false, fileName: 'products.xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  assert.equal(r.status, 'done', JSON.stringify(r));
  assert.equal(r.written_rows, 1);
  const product = (await admin.get('/api/v1/products/lookup?code=SKU001')).body;
  assert.equal(product.name, '经典白T恤');
  assert.equal(product.price, 9900);
  assert.equal(product.barcode, '6901234567890');
});

test('imports need imports.run and the kind\'s own permission; a broken file is refused at once', async () => {
  const cashier = await server.staffWithRole(admin, 'imp_cashier', 'cashier', [1]);
  const denied = await cashier.request('POST', '/api/v1/imports?kind=members', undefined, { raw: 'phone\n1', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(denied.status, 403);
  const kind = await admin.request('POST', '/api/v1/imports?kind=coupons', undefined, { raw: 'a\nb', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(kind.status, 400);
  assert.equal(kind.body.error.fields[0].field, 'kind');
  const headerOnly = await admin.request('POST', '/api/v1/imports?kind=members', undefined, { raw: 'phone\n', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(headerOnly.status, 400);
  assert.equal(headerOnly.body.error.fields[0].message, 'The file has a header but no rows');
  const notXlsx = await admin.request('POST', '/api/v1/imports?kind=members', undefined, { raw: Buffer.from('PK\x03\x04garbage'), headers: { 'Content-Type': 'text/csv' } });
  assert.equal(notXlsx.status, 400);
  assert.equal(notXlsx.body.error.fields[0].field, 'file');
  const noPhone = await upload('members', 'name\n张三\n', { dryRun: true });
  assert.equal(noPhone.status, 'failed');
  assert.deepEqual(noPhone.errors.map((e) => [e.row, e.field]), [[0, 'file']]);
  assert.match(noPhone.errors[0].reason, /phone/);
});

test('sales from another system: lines make receipts, go through the till\'s path, and import once', async () => {
  const p = await admin.post('/api/v1/products', { sku: 'IMPSKU', name: '导入商品', price: 1000 });
  assert.equal(p.status, 201, p.text);
  const store = (await admin.get('/api/v1/stores')).body.items.find((s) => s.code === 'IMP').id;
  await admin.post('/api/v1/stock/adjustments', { store_id: store, product_id: p.body.id, quantity: 100, low_threshold: 0, note: '期初' });
  const member = (await admin.get('/api/v1/members?q=13900000011')).body.items[0];

  const bad = [
    '门店,单号,时间,会员手机号,商品编码,数量,单价,支付方式',
    'IMP,B001,2026-11-03 25:00,,IMPSKU,1,,现金',
    'IMP,B002,2026-11-03 10:00,13999999999,IMPSKU,0,abc,刷脸',
    'IMP,B003,2026-11-03 10:00,,NO-SUCH-SKU,1,,现金',
    'IMP,B004,2026-11-03 10:00,,IMPSKU,1,,现金',
    'IMP,B004,2026-11-03 11:00,,IMPSKU,1,,现金',
  ].join('\n');
  const refused = await upload('sales', bad, { dryRun: false, fileName: 'sales.csv' });
  assert.equal(refused.status, 'failed');
  const cells = refused.errors.map((e) => `${e.row}.${e.field}`);
  for (const expected of ['2.sold_at', '3.member_phone', '3.quantity', '3.unit_price_yuan', '3.payment', '4.sku', '6.receipt_no']) {
    assert.ok(cells.includes(expected), `${expected} in ${cells}`);
  }
  assert.equal((await admin.get(`/api/v1/members/${member.id}/sales`)).body.total, 0);

  const good = [
    '门店,单号,时间,会员手机号,商品编码,数量,单价,支付方式',
    'IMP,A001,2026-11-03 14:05,13900000011,IMPSKU,2,10.00,微信',
    'IMP,A001,2026-11-03 14:05,13900000011,SKU001,1,,微信',
    '导入店,A002,2026-11-03 15:00,,IMPSKU,1,,现金',
  ].join('\n');
  const done = await upload('sales', good, { dryRun: false, fileName: 'sales.csv' });
  assert.equal(done.status, 'done', JSON.stringify(done.errors));
  assert.equal(done.written_rows, 3);
  const sales = (await admin.get(`/api/v1/members/${member.id}/sales`)).body.items;
  assert.equal(sales.length, 1);
  assert.equal(sales[0].receipt_no, 'A001');
  assert.equal(sales[0].sold_at, '2026-11-03T06:05:00Z');  // 14:05 in Asia/Shanghai
  assert.equal(sales[0].total, 2 * 1000 + 9900);
  assert.equal(sales[0].payments[0].method, 'wechat_pay');
  const stock = (await admin.get(`/api/v1/stock?store_id=${store}&product_id=${p.body.id}`)).body;
  assert.equal(JSON.stringify(stock).includes('"quantity":97'), true, JSON.stringify(stock).slice(0, 300));

  const again = await upload('sales', good, { dryRun: false, fileName: 'sales.csv' });
  assert.equal(again.status, 'failed');
  assert.deepEqual([...new Set(again.errors.map((e) => `${e.row}.${e.field}`))].sort(), ['2.receipt_no', '4.receipt_no']);
  assert.equal((await admin.get(`/api/v1/members/${member.id}/sales`)).body.total, 1);
});

test('a sales history in the Online Retail layout imports from the page, skipping and listing bad rows, once', async () => {
  const csv = [
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
    '536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom',
    '536365,71053,WHITE METAL LANTERN,6,2010-12-01 08:26:00,3.39,17850,United Kingdom',
    '536366,22633,HAND WARMER UNION JACK,0,2010-12-01 08:28:00,1.85,17850,United Kingdom',
    '536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047,United Kingdom',
    'C536379,71053,WHITE METAL LANTERN,-1,2010-12-01 09:41:00,3.39,17850,United Kingdom',
  ].join('\n');
  const dry = await admin.request('POST', '/api/v1/imports?kind=history&dry_run=true', undefined, { raw: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(dry.status, 400);
  assert.equal(dry.body.error.fields[0].field, 'dry_run');
  const first = await upload('history', csv, { dryRun: false, fileName: 'online_retail.csv' });
  assert.equal(first.status, 'done', JSON.stringify(first));
  assert.deepEqual(first.errors.map((e) => [e.row, e.field]), [[4, 'Quantity']]);
  assert.equal(first.error_count, 1);
  assert.equal(first.written_rows, 4);
  assert.match(first.message, /invoices 2\/2, cancellations 1\/1/);
  const store = (await admin.get('/api/v1/stores')).body.items.find((s) => s.code === 'HISTORY');
  assert.ok(store, 'the history store was made');
  const sales = (await admin.get(`/api/v1/sales?store_id=${store.id}`)).body;
  assert.equal(sales.total, 2);
  const again = await upload('history', csv, { dryRun: false, fileName: 'online_retail.csv' });
  assert.equal(again.status, 'done');
  assert.match(again.message, /invoices 0\/2, cancellations 0\/1/);
  assert.equal((await admin.get(`/api/v1/sales?store_id=${store.id}`)).body.total, 2);
});
