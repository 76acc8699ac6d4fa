// Browser tests of the operations pages over the demo chain: a staff member turns on two-factor
// sign-in (两步验证) on 个人中心, signs out and back in with a code this test computes from the
// secret the page shows (RFC 6238 over node:crypto), then with a recovery code (恢复码); a staff
// admin resets it; 备份 takes a backup now that then heads the list; 导入 checks a members CSV with
// one bad row (shown with its row, field and the server's reason, nothing written), then the fixed
// file imports for real and shows the count; 隐私合规 shows the retention preview the API counts;
// the audit log's chain verifies; a role that requires two-factor sign-in must enrol before any
// other page opens and cannot turn it off; the new pages fit a 390 px phone; the audit log names
// every action in words and the roles and staff pages are cards on a phone; and a list exports
// as a file through a progress dialog (the sales list as CSV, filtered as shown; the members list
// still downloads; an export over the minute's limit shows the server's message).
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, field, signIn } from '../support/browser.mjs';
import { csvCells } from '../support/csv.mjs';

const DEMO_PASSWORD = 'Demo@2026';
const STAFF_PASSWORD = 'Counter#2026';
let server;
let browser;
let api;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- RFC 6238 (SHA-1, 6 digits, 30 s) ----
function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const i = alphabet.indexOf(c);
    if (i < 0) throw new Error(`not base32: ${c}`);
    value = ((value << 5) | i) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const bin = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}

// A code is good once (the server remembers the last step it accepted): each use takes a step
// not used before, and not one about to end.
const lastStep = new Map();
async function freshCode(secret) {
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / 30000);
    if (step > (lastStep.get(secret) ?? -1) && (step + 1) * 30000 - now > 3000) {
      lastStep.set(secret, step);
      return totp(secret, step);
    }
    await sleep(Math.min(30000, (step + 1) * 30000 - now + 200));
  }
}

// `want`: the status, or a list of acceptable ones.
async function call(client, method, url, body, want = 200) {
  const r = await client.request(method, url, body);
  assert.ok([want].flat().includes(r.status), `${method} ${url}: ${r.status} ${r.text}`);
  return r.body;
}

// Signs in through the page; when the server asks for the second step, types `code()` into it.
async function signInWithCode(page, username, password, code) {
  await page.goto(`${server.base}/login`);
  await field(page, 'login-username').fill(username);
  await field(page, 'login-password').fill(password);
  await page.locator('[data-test="login-submit"]').click();
  await field(page, 'login-totp-code').waitFor();
  await field(page, 'login-totp-code').fill(await code());
  await page.locator('[data-test="login-submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

async function signOut(page) {
  await page.locator('[data-test="user-menu"]').click();
  await page.locator('[data-test="user-menu-logout"]').click();
  await page.waitForURL(/\/login/);
}

async function confirmBox(page) {
  await page.locator('.sc-confirm .el-message-box__btns .el-button--primary, .sc-confirm .el-message-box__btns .el-button--danger').click();
}

const csvLine = (cells) => cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

let opsRole;
async function opsStaff(username) {
  return server.staffWithRole(api, username, opsRole, []);
}

before(async () => {
  server = await new TestServer({ demo: true }).start();
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'en' });
  // `init` requires two-factor sign-in of hq_admin, the demo of nobody: enrol the admin if asked.
  const me = await call(api, 'GET', '/api/v1/me');
  if (me.must_enrol_totp) {
    const setup = await call(api, 'POST', '/api/v1/me/totp/setup', undefined, [200, 201]);
    await call(api, 'POST', '/api/v1/me/totp/enable', { code: await freshCode(setup.secret) }, [200, 201]);
  }
  // Staff of a role made here (not one that requires two-factor sign-in) with the new permissions.
  opsRole = 'ops_e2e';
  await call(api, 'POST', '/api/v1/roles', {
    code: opsRole, name: '运维', all_stores: true,
    permissions: ['backups.manage', 'imports.run', 'members.create', 'members.read', 'privacy.manage', 'audit.read', 'staff.manage', 'stores.read'],
  }, 201);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the TOTP of this test matches RFC 6238', () => {
  // Appendix B, SHA-1 seed "12345678901234567890", T = 59 s → 94287082 (8 digits).
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 1), '287082');
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', Math.floor(1111111109 / 30)), '081804');
});

let twofa; // { id, secret, recovery }

test('turn on two-factor sign-in, sign out, and sign in with a code, then with a recovery code', async () => {
  const client = await server.staffWithRole(api, 'twofa', 'store_manager', [1]);
  const id = (await call(client, 'GET', '/api/v1/me')).user.id;
  const page = await newPage(browser);
  await signIn(page, server.base, 'twofa', STAFF_PASSWORD);
  await page.goto(`${server.base}/profile`);
  const card = page.locator('[data-test="profile-totp"]');
  await card.locator('[data-test="profile-totp-status"][data-enabled="false"]').waitFor();
  assert.match(await card.innerText(), /两步验证/);
  await page.locator('[data-test="profile-totp-setup"]').click();
  await page.locator('[data-test="totp-setup-start"]').click();
  // The server's QR code as an image, and the secret for typing in by hand.
  const qr = page.locator('img[data-test="totp-qr"]');
  await qr.waitFor();
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
  assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth > 0), 'the QR code image renders');
  const secret = await page.locator('[data-test="totp-secret"]').getAttribute('data-secret');
  assert.match(secret, /^[A-Z2-7]+=*$/);
  assert.equal((await page.locator('[data-test="totp-secret"]').innerText()).replace(/\s+/g, ''), secret);

  // A wrong code first: the server's message under the field.
  await field(page, 'totp-enable-code').fill(String((Number(totp(secret, Math.floor(Date.now() / 30000))) + 500000) % 1000000).padStart(6, '0'));
  await page.locator('[data-test="totp-enable-submit"]').click();
  await page.locator('[data-test="field-error-code"]').waitFor();
  assert.equal((await call(client, 'GET', '/api/v1/me')).totp_enabled, false);

  await field(page, 'totp-enable-code').fill(await freshCode(secret));
  await page.locator('[data-test="totp-enable-submit"]').click();
  await page.locator('[data-test="totp-recovery-codes"]').waitFor();
  const recovery = (await page.locator('[data-test="totp-recovery-code"]').allInnerTexts()).map((s) => s.trim());
  assert.equal(recovery.length, 10);
  for (const c of recovery) assert.match(c, /^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);
  assert.match(await page.locator('[data-test="totp-recovery-warning"]').innerText(), /恢复码只显示这一次/);
  assert.equal(await page.locator('[data-test="totp-recovery-done"]').isDisabled(), true, 'done only once the codes are saved');
  await page.locator('[data-test="totp-recovery-saved"]').click();
  await page.locator('[data-test="totp-recovery-done"]').click();
  await page.locator('[data-test="profile-totp-dialog"]').waitFor({ state: 'hidden' });
  await card.locator('[data-test="profile-totp-status"][data-enabled="true"]').waitFor();
  assert.equal((await call(client, 'GET', '/api/v1/me')).totp_enabled, true);

  // Signing in now asks for the code; a wrong one is refused under the field.
  await signOut(page);
  await field(page, 'login-username').fill('twofa');
  await field(page, 'login-password').fill(STAFF_PASSWORD);
  await page.locator('[data-test="login-submit"]').click();
  await field(page, 'login-totp-code').waitFor();
  assert.ok(await page.locator('[data-test="login-totp-prompt"]').isVisible());
  const right = totp(secret, Math.floor(Date.now() / 30000));
  await field(page, 'login-totp-code').fill(right === '000000' ? '111111' : '000000');
  await page.locator('[data-test="login-submit"]').click();
  await page.locator('[data-test="field-error-totp_code"]').waitFor();
  assert.ok(page.url().includes('/login'));
  await field(page, 'login-totp-code').fill(await freshCode(secret));
  await page.locator('[data-test="login-submit"]').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));

  // A recovery code works in the same field, once.
  await signOut(page);
  await signInWithCode(page, 'twofa', STAFF_PASSWORD, async () => recovery[0]);
  const again = await client.request('POST', '/api/v1/session', { username: 'twofa', password: STAFF_PASSWORD, totp_code: recovery[0] });
  assert.equal(again.status, 401, 'a recovery code is good once');
  await page.context().close();
  twofa = { id, secret, recovery };
});

test('a staff admin resets a person’s two-factor sign-in after a confirmation', async () => {
  assert.ok(twofa, 'needs the previous test');
  await opsStaff('ops_admin');
  const page = await newPage(browser);
  await signIn(page, server.base, 'ops_admin', STAFF_PASSWORD);
  await page.goto(`${server.base}/system/staff`);
  await page.locator(`[data-test="staff-actions-${twofa.id}"]`).click();
  await page.locator(`[data-test="staff-reset-totp-${twofa.id}"]`).click();
  await confirmBox(page);
  await page.locator('.el-message--success').first().waitFor();
  // Without two-factor sign-in the password alone signs in again.
  const c = server.client({ lang: 'en' });
  const r = await c.signIn('twofa', STAFF_PASSWORD);
  assert.equal(r.status, 200, r.text);
  assert.equal((await call(c, 'GET', '/api/v1/me')).totp_enabled, false);
  await page.context().close();
});

test('back up now: the new backup heads the list, verified, with its size', async () => {
  const ops = await opsStaff('ops_backup');
  const page = await newPage(browser);
  await signIn(page, server.base, 'ops_backup', STAFF_PASSWORD);
  await page.goto(`${server.base}/system/backups`);
  await page.locator('[data-test="backup-settings"]').waitFor();
  const before = (await call(ops, 'GET', '/api/v1/system/backups')).items;
  if (!before.length) await page.locator('[data-test="backups-empty"]').waitFor();
  else await page.locator('[data-test="backup-row"]').first().waitFor();

  await page.locator('[data-test="backup-run"]').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-test="backup-row"]').length === n, before.length + 1, { timeout: 60000 });
  const after = await call(ops, 'GET', '/api/v1/system/backups');
  const newest = after.items[0];
  assert.ok(!before.some((b) => b.name === newest.name), 'a new file');
  const first = page.locator('[data-test="backup-row"]').first();
  assert.equal((await first.locator('[data-test="backup-name"]').innerText()).trim(), newest.name);
  assert.match((await first.locator('[data-test="backup-size"]').innerText()).trim(), /^\d+(\.\d)? (B|KB|MB|GB)$/);
  if (newest.verified) assert.equal((await first.locator('[data-test="backup-verified"]').innerText()).trim(), '已校验');
  await page.locator('[data-test="backup-last-run"][data-ok="true"]').waitFor();

  // The retention rule is saved.
  await field(page, 'backup-daily').fill('10');
  await field(page, 'backup-daily').blur();
  await page.locator('[data-test="backup-settings-save"]').click();
  await page.locator('.el-message--success').first().waitFor();
  assert.equal((await call(ops, 'GET', '/api/v1/system/backups')).settings.retention.daily, 10);
  await page.context().close();
});

test('a members CSV with one bad row shows the row, field and reason and writes nothing; the fixed file imports', async () => {
  const ops = await opsStaff('ops_import');
  const template = await ops.get('/api/v1/imports/template?kind=members');
  assert.equal(template.status, 200, template.text);
  const lines = template.text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim());
  const header = csvCells(lines[0]);
  const example = lines[1] ? csvCells(lines[1]) : header.map(() => '');
  const col = (...names) => header.findIndex((h) => names.includes(h.trim().toLowerCase()) || names.includes(h.trim()));
  const phoneCol = col('phone', '手机号');
  const nameCol = col('name', '姓名');
  assert.ok(phoneCol >= 0 && nameCol >= 0, `template header: ${lines[0]}`);
  const storeCol = col('store', '门店', 'store_code', 'home_store');
  const storeCode = (await call(ops, 'GET', '/api/v1/stores?status=active')).items[0].code;
  const blank = new Set(['member_no', '会员号', 'email', '邮箱', 'wechat_id', '微信号', 'referrer_id', 'referral_code']);
  const base = String(Date.now()).slice(-7);
  const phones = [`1391${base}`, `1392${base}`, `1393${base}`];
  const names = ['导入甲', '导入乙', '导入丙'];
  const file = (badPhone) => {
    const rows = phones.map((p, i) => {
      const cells = example.map((v, c) => (blank.has(header[c].trim()) ? '' : v));
      cells[phoneCol] = i === 1 && badPhone ? badPhone : p;
      cells[nameCol] = names[i];
      if (storeCol >= 0) cells[storeCol] = storeCode;
      return csvLine(cells);
    });
    return Buffer.from(`${[csvLine(header), ...rows].join('\r\n')}\r\n`, 'utf8');
  };

  const page = await newPage(browser);
  await signIn(page, server.base, 'ops_import', STAFF_PASSWORD);
  await page.goto(`${server.base}/system/imports`);
  // The template link downloads the server's template for the chosen kind.
  const href = await page.locator('[data-test="import-template"]').getAttribute('href');
  assert.match(href, /\/api\/v1\/imports\/template\?kind=members&format=csv$/);
  const fromLink = await page.request.get(`${server.base}${href}`);
  assert.equal(fromLink.status(), 200);
  assert.equal((await fromLink.text()).replace(/^\uFEFF/, '').split(/\r?\n/)[0], lines[0]);
  const xlsx = await page.request.get(`${server.base}${await page.locator('[data-test="import-template-xlsx"]').getAttribute('href')}`);
  assert.equal(xlsx.status(), 200);
  assert.match(xlsx.headers()['content-type'], /spreadsheetml/);

  await page.locator('[data-test="import-kind-members"]').click();
  assert.match(await page.locator('[data-test="import-dry-run"]').getAttribute('class'), /is-checked/, 'check only by default');
  await page.locator('input[data-test="import-file"]').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: file('12345') });
  await page.locator('[data-test="import-file-name"]', { hasText: 'members.csv' }).waitFor();
  await page.locator('[data-test="import-start"]').click();
  // Finished (a check with bad rows may end as done or failed: nothing is written either way).
  const done = page.locator('[data-test="import-job"][data-status="done"], [data-test="import-job"][data-status="failed"]');
  await done.waitFor({ timeout: 60000 });
  const jobId = Number(await done.getAttribute('data-id'));
  const job = await call(ops, 'GET', `/api/v1/imports/${jobId}`);
  assert.equal(job.dry_run, true);
  assert.equal(job.error_count, 1, JSON.stringify(job.errors));
  assert.equal(job.errors[0].row, 3, 'the header is row 1');
  assert.ok(['phone', header[phoneCol].trim()].includes(job.errors[0].field), `field ${job.errors[0].field}`);
  assert.equal(await done.locator('[data-test="import-progress"]').getAttribute('data-percent'), '100');
  const bad = page.locator('[data-test="import-error"]');
  assert.equal(await bad.count(), 1);
  assert.equal((await bad.locator('[data-test="import-error-row"]').innerText()).trim(), '3');
  assert.equal((await bad.locator('[data-test="import-error-field"]').innerText()).trim(), job.errors[0].field);
  assert.equal((await bad.locator('[data-test="import-error-reason"]').innerText()).trim(), job.errors[0].reason);
  assert.equal((await page.locator('[data-test="import-error-count"]').innerText()).trim(), '1');
  assert.equal(await page.locator('[data-test="import-run-real"]').count(), 0, 'no real import after a dirty check');
  for (const p of phones) assert.equal((await call(ops, 'GET', `/api/v1/members?q=${p}`)).total, 0, `nothing written (${p})`);

  // The fixed file: clean check, then "import for real" uploads the same file.
  await page.locator('input[data-test="import-file"]').setInputFiles({ name: 'members-fixed.csv', mimeType: 'text/csv', buffer: file(null) });
  await page.locator('[data-test="import-start"]').click();
  const clean = page.locator(`[data-test="import-job"]:not([data-id="${jobId}"])[data-status="done"]`);
  await clean.waitFor({ timeout: 60000 });
  const cleanId = await clean.getAttribute('data-id');
  await page.locator('[data-test="import-clean"]').waitFor();
  assert.equal((await page.locator('[data-test="import-error-count"]').innerText()).trim(), '0');
  await page.locator('[data-test="import-run-real"]').click();
  await confirmBox(page);
  const real = page.locator(`[data-test="import-job"][data-status="done"]:not([data-id="${jobId}"]):not([data-id="${cleanId}"])`);
  await real.waitFor({ timeout: 60000 });
  await page.locator('[data-test="import-done"]').waitFor();
  assert.equal((await page.locator('[data-test="import-written-rows"]').innerText()).trim(), '3');
  assert.match(await page.locator('[data-test="import-done"]').innerText(), /3/);
  const realJob = await call(ops, 'GET', `/api/v1/imports/${await real.getAttribute('data-id')}`);
  assert.equal(realJob.dry_run, false);
  assert.equal(realJob.written_rows, 3);
  for (const [i, p] of phones.entries()) {
    const found = (await call(ops, 'GET', `/api/v1/members?q=${p}`)).items;
    assert.equal(found.length, 1, `imported ${p}`);
    assert.equal(found[0].name, names[i]);
  }
  // All three runs are in the history.
  await page.waitForFunction(() => document.querySelectorAll('[data-test="import-history-row"]').length >= 3);
  await page.context().close();
});

test('the privacy page shows the retention rule and the members it would anonymise', async () => {
  const ops = await opsStaff('ops_privacy');
  await call(ops, 'PUT', '/api/v1/privacy/retention', { enabled: false, inactive_years: 1 }, 204);
  const preview = await call(ops, 'GET', '/api/v1/privacy/retention/preview?limit=20');
  const page = await newPage(browser);
  await signIn(page, server.base, 'ops_privacy', STAFF_PASSWORD);
  await page.goto(`${server.base}/system/privacy`);
  const count = page.locator('[data-test="privacy-preview-count"]');
  await count.waitFor();
  assert.equal(await count.getAttribute('data-count'), String(preview.total));
  if (preview.total) {
    assert.match(await count.innerText(), new RegExp(`${preview.total}`));
    await page.locator('[data-test="privacy-preview-row"]').first().waitFor();
    assert.equal(await page.locator('[data-test="privacy-preview-row"]').count(), preview.items.length);
    assert.equal((await page.locator('[data-test="privacy-preview-name"]').first().innerText()).trim(), preview.items[0].name);
  } else {
    await page.locator('[data-test="privacy-preview-empty"]').waitFor();
  }
  // Another number of years, not saved yet, recounts the preview as the server counts it.
  assert.equal(await field(page, 'privacy-years').inputValue(), '1');
  const tried = await call(ops, 'GET', '/api/v1/privacy/retention/preview?limit=20&inactive_years=2');
  await field(page, 'privacy-years').fill('2');
  await field(page, 'privacy-years').blur();
  await page.locator('[data-test="privacy-preview-years"][data-years="2"]').waitFor();
  await page.waitForFunction((n) => document.querySelector('[data-test="privacy-preview-count"]')?.getAttribute('data-count') === n, String(tried.total));
  assert.equal((await call(ops, 'GET', '/api/v1/privacy/retention')).inactive_years, 1, 'not saved by trying');

  // Turn the rule on with another number of years.
  await page.locator('[data-test="privacy-enabled"]').click();
  await field(page, 'privacy-years').fill('5');
  await field(page, 'privacy-years').blur();
  await page.locator('[data-test="privacy-save"]').click();
  await page.locator('.el-message--success').first().waitFor();
  const rule = await call(ops, 'GET', '/api/v1/privacy/retention');
  assert.equal(rule.enabled, true);
  assert.equal(rule.inactive_years, 5);
  await call(ops, 'PUT', '/api/v1/privacy/retention', { enabled: false, inactive_years: 5 }, 204);
  await page.context().close();
});

test('the audit log verifies its hash chain', async () => {
  const ops = await opsStaff('ops_audit');
  const page = await newPage(browser);
  await signIn(page, server.base, 'ops_audit', STAFF_PASSWORD);
  await page.goto(`${server.base}/system/audit`);
  await page.locator('[data-test="audit-verify"]').click();
  const result = page.locator('[data-test="audit-verify-result"]');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-ok'), 'true', await result.innerText());
  const api2 = await call(ops, 'GET', '/api/v1/audit/verify');
  assert.equal(api2.ok, true);
  assert.equal(api2.first_broken_id, null);
  assert.match(await result.locator('[data-test="audit-verify-checked"]').innerText(), /\d+/);
  await page.context().close();
});

test('a role that requires two-factor sign-in enrols before anything else and cannot turn it off', async () => {
  // The demo requires it of no role; the security setting names the roles that must (roles.manage).
  const saved = await call(api, 'GET', '/api/v1/security/settings');
  await call(api, 'POST', '/api/v1/roles', { code: 'ops_strict', name: '严格', all_stores: true, permissions: ['audit.read'] }, 201);
  await call(api, 'PUT', '/api/v1/security/settings', { totp_required_roles: [...saved.totp_required_roles, 'ops_strict'] }, 204);
  try {
    const client = await server.staffWithRole(api, 'strict', 'ops_strict', []);
    assert.equal((await call(client, 'GET', '/api/v1/me')).must_enrol_totp, true);
    const page = await newPage(browser);
    await signIn(page, server.base, 'strict', STAFF_PASSWORD);
    await page.waitForURL(/\/enrol-two-factor/);
    // Nothing else opens until it is done.
    await page.goto(`${server.base}/system/audit`);
    await page.waitForURL(/\/enrol-two-factor/);
    await page.locator('[data-test="totp-setup-start"]').click();
    const secret = await page.locator('[data-test="totp-secret"]').getAttribute('data-secret');
    await field(page, 'totp-enable-code').fill(await freshCode(secret));
    await page.locator('[data-test="totp-enable-submit"]').click();
    assert.equal((await page.locator('[data-test="totp-recovery-code"]').allInnerTexts()).length, 10);
    await page.locator('[data-test="totp-recovery-saved"]').click();
    await page.locator('[data-test="totp-recovery-done"]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/enrol-two-factor'));
    await page.goto(`${server.base}/system/audit`);
    await page.locator('[data-test="audit-page"]').waitFor();
    // Turning it off is refused by the server; its message replaces the button.
    await page.goto(`${server.base}/profile`);
    await page.locator('[data-test="profile-totp-status"][data-enabled="true"]').waitFor();
    await page.locator('[data-test="profile-totp-disable"]').click();
    await field(page, 'profile-totp-disable-password').fill(STAFF_PASSWORD);
    await page.locator('[data-test="profile-totp-disable-submit"]').click();
    await page.locator('[data-test="profile-totp-required"]').waitFor();
    assert.equal(await page.locator('[data-test="profile-totp-disable"]').count(), 0);
    assert.equal((await call(client, 'GET', '/api/v1/me')).totp_enabled, true);
    await page.context().close();
  } finally {
    await call(api, 'PUT', '/api/v1/security/settings', { totp_required_roles: saved.totp_required_roles }, 204);
  }
});

test('the operations pages fit a 390 px phone', async () => {
  await opsStaff('ops_phone');
  const page = await newPage(browser, 390, 844);
  await signIn(page, server.base, 'ops_phone', STAFF_PASSWORD);
  for (const [path, ready] of [
    ['/system/backups', 'backup-settings'],
    ['/system/imports', 'import-history'],
    ['/system/privacy', 'privacy-preview'],
    ['/system/audit', 'audit-verify'],
    ['/profile', 'profile-totp'],
  ]) {
    await page.goto(`${server.base}${path}`);
    await page.locator(`[data-test="${ready}"]`).waitFor();
    await page.waitForLoadState('networkidle');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling on ${path} (page is ${width} px wide)`);
  }
  // The set-up dialog with its QR code fits too.
  await page.locator('[data-test="profile-totp-setup"]').click();
  await page.locator('[data-test="totp-setup-start"]').click();
  await page.locator('[data-test="totp-qr"]').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling with the two-factor set-up (page is ${width} px wide)`);
  await page.context().close();
});

test('the audit log names every action in words, and the roles page fits a phone as cards', async () => {
  // An entry about named settings rather than a numbered object.
  const security = await call(api, 'GET', '/api/v1/security/settings');
  await call(api, 'PUT', '/api/v1/security/settings', { totp_required_roles: security.totp_required_roles }, 204);
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/system/audit`);
  await page.locator('[data-test="audit-row"]').first().waitFor();
  const entries = (await call(api, 'GET', '/api/v1/audit?limit=50')).items;
  const actions = await page.locator('[data-test="audit-row"] [data-test="audit-action"]').evaluateAll((spans) => spans.map((s) => [s.title, s.textContent.trim()]));
  assert.ok(actions.length >= Math.min(entries.length, 20), `rows on screen: ${actions.length}`);
  for (const [code, shown] of actions) assert.ok(shown !== code && !/^[a-z_]+\.[a-z_]+$/.test(shown), `${code} is shown as "${shown}"`);
  const subjects = await page.locator('[data-test="audit-row"] [data-test="audit-subject"]').allInnerTexts();
  for (const subject of subjects) assert.ok(!/#\D/.test(subject), `"${subject}" names its object by a code`);
  assert.ok(subjects.includes('系统设置 · 安全'), subjects.join(' | '));
  await page.context().close();

  const phone = await newPage(browser, 390, 844);
  await signIn(phone, server.base, 'admin', DEMO_PASSWORD);
  await phone.goto(`${server.base}/system/roles`);
  await phone.locator('[data-test="role-cards"] [data-test="role-row"]').first().waitFor();
  const roles = (await call(api, 'GET', '/api/v1/roles')).items;
  assert.equal(await phone.locator('[data-test="role-cards"] [data-test="role-row"]').count(), roles.length);
  const cashier = roles.find((r) => r.code === 'cashier');
  assert.equal((await phone.locator(`[data-test="role-row"][data-id="${cashier.id}"] [data-test="role-name"]`).innerText()).trim(), '收银员');
  await phone.locator(`[data-test="role-perms-toggle-${cashier.id}"]`).click();
  assert.equal(await phone.locator(`[data-test="role-perms-${cashier.id}"] .el-tag`).count(), cashier.permissions.length);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling on /system/roles (page is ${width} px wide)`);
  await phone.context().close();
});

test("the staff page is cards on a phone, with each account's state and its actions", async () => {
  const phone = await newPage(browser, 390, 844);
  await signIn(phone, server.base, 'admin', DEMO_PASSWORD);
  await phone.goto(`${server.base}/system/staff`);
  await phone.locator('[data-test="staff-cards"] [data-test="staff-row"]').first().waitFor();
  const first = (await call(api, 'GET', '/api/v1/staff?limit=50'));
  assert.equal(await phone.locator('[data-test="staff-cards"] [data-test="staff-row"]').count(), first.items.length);
  const cashier = first.items.find((s) => s.role_code === 'cashier' && s.status === 'active');
  const card = phone.locator(`[data-test="staff-row"][data-id="${cashier.id}"]`);
  const text = await card.innerText();
  assert.ok(text.includes(cashier.username) && text.includes('收银员'), text);
  const width = await phone.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling on /system/staff (page is ${width} px wide)`);
  // The card's menu is the table's: editing opens the account's form.
  await phone.locator(`[data-test="staff-actions-${cashier.id}"]`).click();
  await phone.locator(`[data-test="staff-edit-${cashier.id}"]`).click();
  assert.equal(await phone.locator('[data-test="staff-form-name"]').inputValue(), cashier.name);
  await phone.context().close();
});

test('a sales history CSV imports in one pass from the page, listing the row it skipped', async () => {
  const csv = [
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
    '581001,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2011-12-01 08:26:00,2.55,17850,United Kingdom',
    '581002,22633,HAND WARMER UNION JACK,0,2011-12-01 08:28:00,1.85,17850,United Kingdom',
  ].join('\n');
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/system/imports`);
  await page.locator('[data-test="import-kind-history"]').click();
  await page.locator('[data-test="import-history-hint"]').waitFor();
  assert.equal(await page.locator('[data-test="import-dry-run"]').count(), 0, 'a history import has no check-only run');
  await page.locator('input[data-test="import-file"]').setInputFiles({ name: 'history.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.locator('[data-test="import-start"]').click();
  const done = page.locator('[data-test="import-job"][data-status="done"]');
  await done.waitFor({ timeout: 60000 });
  const job = await call(api, 'GET', `/api/v1/imports/${await done.getAttribute('data-id')}`);
  assert.equal(job.kind, 'history');
  assert.equal(job.written_rows, 1);
  const bad = page.locator('[data-test="import-error"]');
  assert.equal(await bad.count(), 1);
  assert.equal((await bad.locator('[data-test="import-error-row"]').innerText()).trim(), '3');
  assert.equal((await bad.locator('[data-test="import-error-field"]').innerText()).trim(), 'Quantity');
  await page.context().close();
});

test('a list exports through a progress dialog: the sales list as CSV as filtered; members still download; a refused export shows why', async () => {
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/sales`);
  await page.locator('[data-test="sale-row"]').first().waitFor();
  // Only completed sales: the export takes the filters of the list on screen.
  await page.locator('[data-test="sales-filter-status"]').click();
  await page.locator('.el-select-dropdown__item:visible', { hasText: '已完成' }).click();
  const listed = await call(api, 'GET', '/api/v1/sales?status=completed&limit=1');
  await page.waitForFunction((want) => document.querySelector('[data-test="sales-total"]')?.textContent.trim() === want, `共 ${listed.total} 条`);

  // The server's answer is held back so the dialog's first phase can be seen.
  let release;
  const held = new Promise((resolve) => (release = resolve));
  const isExport = (url) => url.pathname === '/api/v1/sales' && url.searchParams.get('format') === 'csv';
  await page.route(isExport, async (route) => {
    await held;
    await route.continue();
  });
  await page.locator('[data-test="sales-export"]').click();
  await page.locator('[data-test="sales-export-csv"]').click();
  const dialog = page.locator('[data-test="export-progress"]');
  await dialog.waitFor();
  assert.equal(await dialog.getAttribute('data-phase'), 'preparing');
  assert.equal((await dialog.locator('[data-test="export-progress-status"]').innerText()).trim(), '正在生成文件…');
  const [download, response] = await Promise.all([
    page.waitForEvent('download'),
    page.waitForResponse((r) => isExport(new URL(r.url()))),
    release(),
  ]);
  assert.equal(new URL(response.url()).searchParams.get('status'), 'completed');
  assert.equal(new URL(response.url()).searchParams.get('cursor'), null);
  assert.match(download.suggestedFilename(), /^sales-.*\.csv$/);
  const lines = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  const header = csvCells(lines[0]);
  for (const column of ['receipt_no', 'sold_at', 'store_name', 'total', 'status']) assert.ok(header.includes(column), `column ${column} in ${lines[0]}`);
  assert.equal(lines.length - 1, listed.total, 'a row for every sale the list counts');
  assert.ok(lines.slice(1).every((l) => csvCells(l)[header.indexOf('status')] === 'completed'), 'only completed sales');
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('.el-message--success', { hasText: download.suggestedFilename() }).waitFor();
  await page.unroute(isExport);
  // The export is audited with its row count.
  const audit = await call(api, 'GET', '/api/v1/audit?action=list.export&entity=sales');
  assert.ok(audit.items.some((e) => e.detail?.rows === listed.total), JSON.stringify(audit.items[0]));

  // The members list's export still downloads every member.
  const members = await call(api, 'GET', '/api/v1/members?limit=1');
  await page.goto(`${server.base}/members`);
  await page.waitForFunction((want) => document.querySelector('[data-test="member-total"]')?.textContent.trim() === want, `共 ${members.total} 条`);
  const [memberFile] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="member-export"]').click()]);
  assert.match(memberFile.suggestedFilename(), /^members-.*\.csv$/);
  const memberLines = (await readFile(await memberFile.path(), 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
  assert.equal(csvCells(memberLines[0])[0], '会员号');
  assert.equal(memberLines.length - 1, members.total);
  // A refused export shows the server's message and saves nothing: the same user spends the
  // rest of the minute's thirty exports through the API first, so the refusal is the server's own.
  for (let i = 0; i < 31; i++) {
    const r = await api.request('GET', '/api/v1/stores?format=csv');
    if (r.status === 429) break;
    assert.equal(r.status, 200, r.text);
  }
  await page.goto(`${server.base}/system/audit`);
  await page.locator('[data-test="audit-row"]').first().waitFor();
  let saved = false;
  page.on('download', () => (saved = true));
  await page.locator('[data-test="audit-export"]').click();
  await page.locator('[data-test="audit-export-xlsx"]').click();
  await page.locator('.el-message--error', { hasText: '尝试过于频繁，请稍后再试' }).waitFor();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(saved, false);
  await page.context().close();
});
