// Browser tests of 精准营销 over the demo chain: a segment built in the rule builder counts what
// the API counts for the same rules (amounts typed in yuan reach the API in fen) and its detail
// page lists the API's members with their value groups; a bad condition shows the server's
// message beside it; a stale save shows the server's version conflict; tagging a segment gives
// exactly its members the tag; an automatic tag built with the same builder tags what the API
// counts; deleting a segment a campaign uses shows the server's reason; a store manager's builder
// switches to the server's English labels and counts their store only; and the editor, detail
// and list pages fit a 390 px phone.
// Debian's Chromium driven by Playwright against a real storecrm over a demo database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';
import { launchBrowser, newPage, signIn, waitText, text, field, exportFile } from '../support/browser.mjs';

const DEMO_PASSWORD = 'Demo@2026';
let server;
let browser;
let api;

const count = (n) => n.toLocaleString('en-US');

// The Chinese names staff see for the value codes (RFM classes are the analysis pages' names).
const RFM_ZH = {
  champions: '重要价值客户', loyal: '忠诚客户', potential_loyalist: '潜力客户', new: '新客户', promising: '有潜力新客',
  need_attention: '需关注客户', about_to_sleep: '即将流失', at_risk: '重要挽留客户', cant_lose: '不能失去的客户',
  hibernating: '沉睡客户', lost: '流失客户', none: '无分类',
};
const LIFECYCLE_ZH = { prospect: '潜在客户', new: '新客', growing: '成长期', mature: '成熟期', declining: '衰退期', dormant: '沉睡', lost: '流失' };
const VALUE_GROUP_ZH = {
  core: '核心客户', new_potential: '高潜新客', dormant_high_value: '沉睡高价值', potential: '潜力客户', dormant: '沉睡客户',
  regular: '一般客户', prospect: '潜在客户',
};
// ¥12.34 as the web app shows amounts (integer fen).
const money = (fen) => `${fen < 0 ? '-' : ''}¥${Math.floor(Math.abs(fen) / 100).toLocaleString('en-US')}.${String(Math.abs(fen) % 100).padStart(2, '0')}`;

async function call(method, url, body, want = 200) {
  const r = await api.request(method, url, body);
  assert.equal(r.status, want, `${method} ${url}: ${r.text}`);
  return r.body;
}
const get = (url) => call('GET', url);

// Every item of a paged list route.
async function all(url) {
  const out = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const page = await get(`${url}${url.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    out.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return out;
}

// A new tag in the first tag group.
async function newTag(name) {
  const groups = await get('/api/v1/tag-groups');
  const items = groups.items ?? groups;
  return call('POST', '/api/v1/tags', { group_id: items[0].id, name, color: '#409EFF' }, 201);
}

// The rule builder's condition at a place ("r.0", "r.1.0" …).
const cond = (page, path) => page.locator(`[data-test="rule-condition"][data-path="${path}"]`);

// Picks an option of an Element Plus select (the option list is teleported to <body>).
async function pick(page, select, optionTestId) {
  await select.click();
  await page.locator(`[data-test="${optionTestId}"]:visible`).click();
}

async function setField(page, path, name) {
  await pick(page, cond(page, path).locator('[data-test="rule-field"]'), `rule-field-option-${name}`);
}

async function setOp(page, path, op) {
  await pick(page, cond(page, path).locator('[data-test="rule-op"]'), `rule-op-option-${op}`);
}

async function setValues(page, path, values) {
  const select = cond(page, path).locator('[data-test="rule-value"]');
  for (const v of values) await pick(page, select, `rule-value-option-${v}`);
  await page.keyboard.press('Escape');
}

async function typeNumber(page, path, testId, value) {
  const input = cond(page, path).locator(`[data-test="${testId}"] input`);
  await input.fill(String(value));
  await input.blur();
}

// Waits until the live count has answered and shows `n` matching of `of`.
async function waitCount(page, n, of) {
  await page.waitForFunction(
    ([want, wantOf]) => {
      const box = document.querySelector('[data-test="rule-count"]');
      if (!box || box.getAttribute('data-state') !== 'ok') return false;
      const value = box.querySelector('[data-test="rule-count-value"]')?.textContent.trim();
      const ofText = box.querySelector('[data-test="rule-count-of-text"]')?.textContent ?? '';
      return value === want && ofText.includes(wantOf);
    },
    [count(n), count(of)],
  );
}

// The bodies of the page's POST /segments/count, in order.
function recordCounts(page) {
  const bodies = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/segments/count') bodies.push(JSON.parse(r.postData()));
  });
  return bodies;
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what}: no sideways scrolling (${overflow}px)`);
}

before(async () => {
  // Windowed counts read the analysis columns, which leave out receipts of the last 2 s; the
  // demo's were written just now, so the test clock moves past that.
  server = await new TestServer({ demo: true, args: ['--test-clock'] }).start();
  const advanced = await server.client().post('/api/v1/test/clock', { advance_seconds: 5 });
  assert.ok(advanced.status < 300, advanced.text);
  api = await server.signIn('admin', DEMO_PASSWORD, { lang: 'zh-CN' });
  // The value groups (RFM class, lifecycle, value group) are the nightly job's; run it now.
  const values = await api.post('/api/v1/jobs/marketing.values/run');
  assert.equal(values.status, 200, values.text);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a segment built in the browser counts, saves and lists what the API has for the same rules', async () => {
  // Women who spent at least ¥300 in the last 365 days (the field's default window).
  const fields = (await get('/api/v1/segments/fields')).fields;
  const spend = fields.find((f) => f.name === 'spend');
  assert.equal(spend.windowed, true);
  const rules = { match: 'all', rules: [{ field: 'gender', op: 'in', value: ['female'] }, { field: 'spend', op: 'gte', value: 30000, days: spend.default_days }] };
  const expected = await call('POST', '/api/v1/segments/count', { rules });
  assert.ok(expected.count > 0 && expected.count < expected.of, `the demo has some, not all, such members (${expected.count} of ${expected.of})`);
  const women = await call('POST', '/api/v1/segments/count', { rules: { match: 'all', rules: [rules.rules[0]] } });

  const page = await newPage(browser);
  const sent = recordCounts(page);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-SegmentList"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/segments');
  await page.locator('[data-test="segment-new"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/segments/new');

  // The field labels are the server's, in the user's language.
  await cond(page, 'r.0').locator('[data-test="rule-field"]').click();
  assert.equal((await page.locator('[data-test="rule-field-option-spend"]:visible').innerText()).trim(), spend.label);
  await page.keyboard.press('Escape');

  await setField(page, 'r.0', 'gender');
  await setValues(page, 'r.0', ['female']);
  await waitCount(page, women.count, women.of);

  await page.locator('[data-test="rule-add-condition"][data-path="r"]').click();
  await setField(page, 'r.1', 'spend');
  // The window starts at the field's default; the amount is typed in yuan.
  assert.equal(await cond(page, 'r.1').locator('[data-test="rule-days"] input').inputValue(), String(spend.default_days));
  await typeNumber(page, 'r.1', 'rule-num', 300);
  await waitCount(page, expected.count, expected.of);
  assert.deepEqual(sent.at(-1).rules, rules, 'the page counted exactly these rules (¥300 sent as 30000 fen)');
  assert.match(await text(page, 'rule-count-elapsed'), /^[\d.]+ ms$/);

  await field(page, 'segment-name-input').fill('女性高消费');
  await field(page, 'segment-description-input').fill('近一年消费满 300 元的女性会员');
  await page.locator('[data-test="segment-save"]').click();
  await page.waitForURL((u) => /^\/marketing\/segments\/\d+$/.test(u.pathname));
  const id = Number(new URL(page.url()).pathname.split('/').pop());

  const saved = await get(`/api/v1/segments/${id}`);
  assert.deepEqual(saved.rules, rules);
  assert.equal(saved.name, '女性高消费');
  const members = await get(`/api/v1/segments/${id}/members?limit=50`);
  await waitText(page, 'segment-title', '女性高消费');
  await waitText(page, 'segment-live-count', count(saved.live_count));
  await waitText(page, 'segment-members-total', `共 ${count(members.total)} 条`);
  assert.equal(members.total, saved.live_count);
  const rows = page.locator('[data-test="segment-member"]');
  await page.waitForFunction((n) => document.querySelectorAll('[data-test="segment-member"]').length === n, Math.min(50, members.total));
  assert.deepEqual(
    (await page.locator('[data-test="segment-member-no"]').allInnerTexts()).map((s) => s.trim()),
    members.items.map((m) => m.member_no),
  );
  const column = async (id) => (await page.locator(`[data-test="${id}"]`).allInnerTexts()).map((s) => s.trim());
  assert.deepEqual(await column('segment-member-spend'), members.items.map((m) => money(m.total_spend)));
  assert.deepEqual(await column('segment-member-rfm'), members.items.map((m) => RFM_ZH[m.rfm_class]));
  assert.deepEqual(await column('segment-member-lifecycle'), members.items.map((m) => LIFECYCLE_ZH[m.lifecycle]));
  assert.deepEqual(await column('segment-member-value-group'), members.items.map((m) => VALUE_GROUP_ZH[m.value_group]));
  assert.ok(members.items.some((m) => m.rfm_class !== 'none'), 'the values job scored these buyers');
  // The name opens the member's 360° page.
  const firstLink = rows.first().locator('[data-test="segment-member-link"]');
  assert.equal(await firstLink.getAttribute('href'), `/members/${members.items[0].id}`);
  // The export buttons download the API's file.
  const csv = await exportFile(page, 'segment-export-csv');
  assert.equal(csv.href, `/api/v1/segments/${id}/export?format=csv`);
  assert.equal(csv.text.trim().split('\n').length, members.total + 1, 'the CSV has a row a member');

  // The list shows it with the saved count.
  await page.locator('[data-test="menu-SegmentList"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/segments');
  const row = page.locator(`[data-test="segment-row"][data-id="${id}"]`);
  await row.waitFor();
  assert.equal((await row.locator('[data-test="segment-count"]').innerText()).trim(), count(saved.member_count));
  await page.context().close();
});

test('a bad condition shows the server\'s message beside it, and the save is refused with it', async () => {
  // Spend between ¥500 and ¥100 inside an "any" sub-group: the server names rules.rules[1].rules[0].value.
  const bad = {
    match: 'all',
    rules: [
      { field: 'gender', op: 'in', value: ['male'] },
      { match: 'any', rules: [{ field: 'spend', op: 'between', value: [50000, 10000], days: 365 }] },
    ],
  };
  const refused = await api.post('/api/v1/segments/count', { rules: bad });
  assert.equal(refused.status, 400);
  const problem = refused.body.error.fields.find((f) => f.field === 'rules.rules[1].rules[0].value');
  assert.ok(problem, refused.text);

  const page = await newPage(browser);
  const sent = recordCounts(page);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/segments/new`);
  await setField(page, 'r.0', 'gender');
  await setValues(page, 'r.0', ['male']);
  await page.locator('[data-test="rule-add-group"][data-path="r"]').click();
  // A new group starts with one blank condition.
  await setField(page, 'r.1.0', 'spend');
  await setOp(page, 'r.1.0', 'between');
  await typeNumber(page, 'r.1.0', 'rule-min', 500);
  await typeNumber(page, 'r.1.0', 'rule-max', 100);

  const error = cond(page, 'r.1.0').locator('[data-test="rule-error"]');
  await error.waitFor();
  assert.equal((await error.innerText()).trim(), problem.message);
  assert.equal(await error.getAttribute('data-part'), 'value');
  await page.locator('[data-test="rule-count-invalid"]').waitFor();
  assert.deepEqual(sent.at(-1).rules, bad);
  // Nothing else is blamed.
  assert.equal(await page.locator('[data-test="rule-error"]').count(), 1);

  const before = (await get('/api/v1/segments')).total;
  await field(page, 'segment-name-input').fill('区间写反了');
  await page.locator('[data-test="segment-save"]').click();
  await page.waitForTimeout(500);
  assert.equal(new URL(page.url()).pathname, '/marketing/segments/new');
  assert.equal((await error.innerText()).trim(), problem.message);
  assert.equal((await get('/api/v1/segments')).total, before, 'nothing was saved');

  // Putting the range the right way round clears it and counts.
  const good = { match: 'all', rules: [bad.rules[0], { match: 'any', rules: [{ field: 'spend', op: 'between', value: [10000, 50000], days: 365 }] }] };
  const expected = await call('POST', '/api/v1/segments/count', { rules: good });
  await typeNumber(page, 'r.1.0', 'rule-min', 100);
  await typeNumber(page, 'r.1.0', 'rule-max', 500);
  await waitCount(page, expected.count, expected.of);
  assert.equal(await page.locator('[data-test="rule-error"]').count(), 0);
  await page.context().close();
});

test('a save over someone else\'s change shows the server\'s version conflict', async () => {
  const rules = { match: 'all', rules: [{ field: 'gender', op: 'in', value: ['female'] }] };
  const seg = await call('POST', '/api/v1/segments', { name: '会员冲突测试', description: '', rules }, 201);
  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/segments/${seg.id}/edit`);
  await cond(page, 'r.0').waitFor();
  assert.equal(await field(page, 'segment-name-input').inputValue(), '会员冲突测试');
  // Someone else saves meanwhile; the message a stale save gets is the API's.
  await call('PUT', `/api/v1/segments/${seg.id}`, { description: '别人改过', version: seg.version });
  const stale = await api.put(`/api/v1/segments/${seg.id}`, { description: 'x', version: seg.version });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'version_conflict');
  await field(page, 'segment-description-input').fill('我的修改');
  await page.locator('[data-test="segment-save"]').click();
  const alert = page.locator('[data-test="segment-conflict"]');
  await alert.waitFor();
  assert.ok((await alert.innerText()).includes(stale.body.error.message), await alert.innerText());
  assert.equal((await get(`/api/v1/segments/${seg.id}`)).description, '别人改过');
  await page.context().close();
});

test('tagging a segment gives exactly its members the tag', async () => {
  const rules = { match: 'all', rules: [{ field: 'gender', op: 'in', value: ['female'] }, { field: 'spend', op: 'gte', value: 50000, days: 365 }] };
  const seg = await call('POST', '/api/v1/segments', { name: '打标签测试', description: '', rules }, 201);
  const tag = await newTag('高消费女性');
  const segMembers = await all(`/api/v1/segments/${seg.id}/members`);
  assert.ok(segMembers.length > 0, 'the segment has members');

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/segments/${seg.id}`);
  await waitText(page, 'segment-live-count', count(segMembers.length));
  await page.locator('[data-test="segment-tag"]').click();
  await pick(page, page.locator('[data-test="segment-tag-select"]'), `segment-tag-option-${tag.id}`);
  await page.locator('[data-test="segment-tag-submit"]').click();
  await page.locator('[data-test="segment-tag-result"]').waitFor();

  // The members now carrying the tag are the segment's members, and the page said how many got it.
  const tagged = await all(`/api/v1/members?tags=${tag.id}`);
  assert.deepEqual(tagged.map((m) => m.id).sort((a, b) => a - b), segMembers.map((m) => m.id).sort((a, b) => a - b));
  await waitText(page, 'segment-tag-result', `已为 ${tagged.length} 位会员新增标签（分群共 ${segMembers.length} 位）`);
  // A rule on the tag finds them all.
  const byTag = await call('POST', '/api/v1/segments/count', { rules: { match: 'all', rules: [{ field: 'tag', op: 'in', value: [tag.id] }] } });
  assert.equal(byTag.count, segMembers.length);

  // Again: everyone has it already, so nobody is added.
  await page.locator('[data-test="segment-tag-submit"]').click();
  await waitText(page, 'segment-tag-result', `已为 0 位会员新增标签（分群共 ${segMembers.length} 位）`);
  await page.context().close();
});

test('an automatic tag built with the rule builder tags the members the API counts', async () => {
  const tag = await newTag('男性会员');
  const rules = { match: 'all', rules: [{ field: 'gender', op: 'in', value: ['male'] }] };
  const expected = await call('POST', '/api/v1/segments/count', { rules });
  assert.ok(expected.count > 0);

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.locator('[data-test="menu-TagRuleList"]').click();
  await page.waitForURL((u) => u.pathname === '/marketing/tag-rules');
  await page.locator('[data-test="tag-rule-new"]').click();
  const dialog = page.locator('[data-test="tag-rule-dialog"]');
  await pick(page, dialog.locator('[data-test="tag-rule-tag"]'), `tag-rule-tag-option-${tag.id}`);
  await setField(page, 'r.0', 'gender');
  await setValues(page, 'r.0', ['male']);
  await waitCount(page, expected.count, expected.of);
  await page.locator('[data-test="tag-rule-submit"]').click();
  await dialog.waitFor({ state: 'hidden' });

  const rule = (await get('/api/v1/tag-rules')).items.find((r) => r.tag.id === tag.id);
  assert.ok(rule, 'the rule was saved');
  assert.deepEqual(rule.rules, rules);
  assert.equal(rule.enabled, true);
  const row = page.locator(`[data-test="tag-rule-row"][data-id="${rule.id}"]`);
  await row.waitFor();
  await page.locator(`[data-test="tag-rule-run-${rule.id}"]`).click();
  const tagged = async () => (await all(`/api/v1/members?tags=${tag.id}`)).length;
  await row.locator('[data-test="tag-rule-run-result"]').waitFor();
  const n = await tagged();
  assert.equal(n, expected.count, 'the rule tagged the members the API counts');
  assert.equal((await row.locator('[data-test="tag-rule-run-result"]').innerText()).trim(), `新增 ${n} · 移除 0`);
  await waitText(page, 'tag-rule-members', count((await get('/api/v1/tag-rules')).items.find((r) => r.id === rule.id).last_members));
  await page.context().close();
});

test('deleting a segment a campaign uses shows the server\'s reason; an unused one goes', async () => {
  const rules = { match: 'all', rules: [{ field: 'gender', op: 'in', value: ['unknown'] }] };
  const used = await call('POST', '/api/v1/segments', { name: '活动在用的分群', description: '', rules }, 201);
  const unused = await call('POST', '/api/v1/segments', { name: '没人用的分群', description: '', rules }, 201);
  await call('POST', '/api/v1/campaigns', { name: '分群删除测试', channel: 'sms', template: '您好 {name}', segment_id: used.id, schedule: 'now' }, 201);

  const page = await newPage(browser);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/segments`);
  await page.locator(`[data-test="segment-delete-${used.id}"]`).click();
  await page.locator('.sc-confirm .el-message-box__btns .el-button--danger').click();
  await page.locator('[data-test="segment-delete-error"]').waitFor();
  // The reason is the API's own (asked after the browser, so the browser's attempt came first).
  const refused = await api.del(`/api/v1/segments/${used.id}`);
  assert.equal(refused.status, 409);
  const reason = refused.body.error.fields.map((f) => f.message).join('; ');
  assert.ok(reason, refused.text);
  assert.equal(await text(page, 'segment-delete-error-text'), `活动在用的分群: ${reason}`);
  assert.equal((await api.get(`/api/v1/segments/${used.id}`)).status, 200, 'still there');

  await page.locator(`[data-test="segment-delete-${unused.id}"]`).click();
  await page.locator('.sc-confirm .el-message-box__btns .el-button--danger').click();
  await page.locator(`[data-test="segment-row"][data-id="${unused.id}"]`).waitFor({ state: 'detached' });
  assert.equal((await api.get(`/api/v1/segments/${unused.id}`)).status, 404);
  await page.context().close();
});

test('a store manager switches the builder to English and counts only their own store', async () => {
  const store = (await get('/api/v1/stores?limit=200')).items[0];
  const manager = await server.staffWithRole(api, 'seg_manager', 'store_manager', [store.id]);
  const enFields = (await manager.get('/api/v1/segments/fields')).body.fields;
  const rules = { match: 'all', rules: [{ field: 'gender', op: 'in', value: ['female'] }] };
  const mine = await manager.post('/api/v1/segments/count', { rules });
  assert.equal(mine.status, 200, mine.text);
  const everywhere = await call('POST', '/api/v1/segments/count', { rules });
  assert.ok(mine.body.of < everywhere.of, 'the manager sees one store of several');

  const page = await newPage(browser);
  await signIn(page, server.base, 'seg_manager', 'Counter#2026');
  await page.goto(`${server.base}/marketing/segments/new`);
  await cond(page, 'r.0').waitFor();
  await page.locator('[data-test="lang-switch"]').click();
  await page.locator('.el-dropdown-menu__item', { hasText: 'English' }).click();
  await waitText(page, 'rule-match-all', 'All of');
  // The field names are the server's English ones once the language has changed.
  const spend = enFields.find((f) => f.name === 'spend');
  await page.waitForFunction(
    ([want]) => [...document.querySelectorAll('[data-test="rule-field-option-spend"]')].some((e) => e.textContent.trim() === want),
    [spend.label],
  );
  await setField(page, 'r.0', 'gender');
  await setValues(page, 'r.0', ['female']);
  await waitCount(page, mine.body.count, mine.body.of);
  assert.equal(await text(page, 'rule-count-of-text'), `${count(mine.body.of)} members`);
  await page.context().close();
});

test('the segment editor, detail and list fit a 390 px phone', async () => {
  const page = await newPage(browser, 390, 844);
  await signIn(page, server.base, 'admin', DEMO_PASSWORD);
  await page.goto(`${server.base}/marketing/segments/new`);
  await setField(page, 'r.0', 'store');
  const stores = (await get('/api/v1/stores?limit=200')).items;
  await setValues(page, 'r.0', stores.map((s) => s.id));
  await page.locator('[data-test="rule-add-group"][data-path="r"]').click();
  await setField(page, 'r.1.0', 'total_spend');
  await setOp(page, 'r.1.0', 'between');
  await typeNumber(page, 'r.1.0', 'rule-min', 100);
  await typeNumber(page, 'r.1.0', 'rule-max', 100000);
  // Three levels deep, with a windowed field at the bottom.
  await page.locator('[data-test="rule-add-group"][data-path="r.1"]').click();
  await setField(page, 'r.1.1.0', 'bought_category');
  const rules = {
    match: 'all',
    rules: [
      { field: 'store', op: 'in', value: stores.map((s) => s.id) },
      { match: 'any', rules: [{ field: 'total_spend', op: 'between', value: [10000, 10000000] }] },
    ],
  };
  const expected = await call('POST', '/api/v1/segments/count', { rules });
  await waitCount(page, expected.count, expected.of);
  await page.locator('[data-test="rule-count-incomplete"]').waitFor();
  await noSidewaysScroll(page, 'segment editor');

  await field(page, 'segment-name-input').fill('手机上建的分群');
  await page.locator('[data-test="segment-save"]').click();
  // The unfinished category condition is marked, and nothing is saved until it is done or gone.
  await cond(page, 'r.1.1.0').locator('[data-test="rule-incomplete"]').waitFor();
  assert.equal(new URL(page.url()).pathname, '/marketing/segments/new');
  await cond(page, 'r.1.1.0').locator('[data-test="rule-remove"]').click();
  await page.locator('[data-test="segment-save"]').click();
  await page.waitForURL((u) => /^\/marketing\/segments\/\d+$/.test(u.pathname));
  const id = Number(new URL(page.url()).pathname.split('/').pop());
  const saved = await get(`/api/v1/segments/${id}`);
  assert.deepEqual(saved.rules.rules[1], { match: 'any', rules: [{ field: 'total_spend', op: 'between', value: [10000, 10000000] }] });
  await waitText(page, 'segment-live-count', count(saved.live_count));
  await page.locator('[data-test="segment-member"]').first().waitFor();
  await noSidewaysScroll(page, 'segment detail');

  await page.goto(`${server.base}/marketing/segments`);
  await page.locator(`[data-test="segment-row"][data-id="${id}"]`).waitFor();
  await noSidewaysScroll(page, 'segment list');
  await page.context().close();
});
