// Members: registration, validation, edits with history and conflicts, search, merge,
// archive, anonymise, tags, custom fields and export — as a till and a back office use them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer, fieldError } from '../support/server.mjs';

let server;
let admin;
let storeA;
let storeB;

before(async () => {
  server = await new TestServer().start();
  admin = await server.signIn('admin', undefined, { lang: 'en' });
  storeA = (await admin.post('/api/v1/stores', { code: 'A', name: '甲店', type: 'direct', region: '华东' })).body.id;
  storeB = (await admin.post('/api/v1/stores', { code: 'B', name: '乙店', type: 'franchise', region: '华南' })).body.id;
});
after(() => server.stop());

let phoneSeq = 13700000000;
const nextPhone = () => String(++phoneSeq);

async function register(body) {
  const r = await admin.post('/api/v1/members', { home_store_id: storeA, phone: nextPhone(), ...body });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function search(q, extra = '') {
  const r = await admin.get(`/api/v1/members?q=${encodeURIComponent(q)}${extra}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

test('registration validates every field and writes nothing on failure', async () => {
  const before = (await admin.get('/api/v1/members?status=all')).body.total;
  const bad = await admin.post('/api/v1/members', {
    phone: '12345', email: 'not-an-email', birthday: '2023-02-30', gender: 'x', home_store_id: storeA,
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'validation_failed');
  assert.match(fieldError(bad, 'phone'), /Invalid phone number/);
  assert.equal(fieldError(bad, 'email'), 'Invalid email address');
  assert.equal(fieldError(bad, 'birthday'), 'Date must be YYYY-MM-DD');
  assert.match(fieldError(bad, 'gender'), /Invalid value/);
  const future = await admin.post('/api/v1/members', { phone: nextPhone(), birthday: '2099-01-01', home_store_id: storeA });
  assert.equal(fieldError(future, 'birthday'), 'The date cannot be in the future');
  const missing = await admin.post('/api/v1/members', { name: '无手机' });
  assert.equal(fieldError(missing, 'phone'), 'Required');
  assert.equal((await admin.get('/api/v1/members?status=all')).body.total, before);
});

test('phones are normalised and unique in any spelling', async () => {
  const m = await register({ name: '张三', phone: '+86 139 1111 2222' });
  assert.equal(m.phone, '13911112222');
  assert.match(m.member_no, /^M\d{8}$/);
  const dup = await admin.post('/api/v1/members', { phone: '139-1111-2222', home_store_id: storeA });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'conflict');
  assert.equal(fieldError(dup, 'phone'), 'A member with this phone number already exists');
  const e164 = await register({ phone: '+44 7911 123456' });
  assert.equal(e164.phone, '+447911123456');
});

test('an edit needs the current version; a stale one is told who changed it', async () => {
  const m = await register({ name: '李四', email: 'lisi@example.com', consents: { sms: true } });
  assert.equal(m.consents.sms.granted, true);
  assert.equal(m.consents.email.granted, false);
  const first = await admin.put(`/api/v1/members/${m.id}`, { version: m.version, name: '李四光', category: 'vip' });
  assert.equal(first.status, 200);
  assert.equal(first.body.name, '李四光');
  assert.equal(first.body.version, m.version + 1);
  const stale = await admin.put(`/api/v1/members/${m.id}`, { version: m.version, name: '李肆' });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'version_conflict');
  assert.equal(stale.body.error.changed_by.name, 'admin');
  assert.equal(stale.body.error.current.name, '李四光');
  const noVersion = await admin.put(`/api/v1/members/${m.id}`, { name: 'x' });
  assert.equal(fieldError(noVersion, 'version'), 'Required');
  const history = await admin.get(`/api/v1/members/${m.id}/history`);
  const nameChange = history.body.items.find((h) => h.field === 'name' && h.new === '李四光');
  assert.equal(nameChange.old, '李四');
  assert.equal(nameChange.actor.name, 'admin');
  assert.ok(history.body.items.find((h) => h.field === 'category' && h.new === 'vip'));
});

test('search by phone, last four, name, pinyin, initials, traditional script, email and number', async () => {
  const zs = await register({ name: '张三丰', phone: '13812345678', email: 'zsf@wudang.cn' });
  await register({ name: '張無忌' });
  const ids = (body) => body.items.map((m) => m.id);
  for (const q of ['13812345678', '+86 138 1234 5678', '5678', '张三', '三丰', '張三豐', 'zhangsan', 'zhang san', 'sanfeng', 'zsf', 'zs', 'zsf@wudang.cn', zs.member_no]) {
    assert.ok(ids(await search(q)).includes(zs.id), `"${q}" finds 张三丰`);
  }
  const wuji = await search('张无忌');
  assert.equal(wuji.total, 1);
  assert.equal(wuji.items[0].name, '張無忌');
  assert.equal((await search('13812345679')).total, 0);
  assert.equal((await search('nobody@nowhere.cn')).total, 0);
});

test('filters combine and every sortable column sorts', async () => {
  const tagGroup = (await admin.post('/api/v1/tag-groups', { name: '测试组' })).body.id;
  const t1 = (await admin.post('/api/v1/tags', { group_id: tagGroup, name: '甲', color: '#112233' })).body.id;
  const t2 = (await admin.post('/api/v1/tags', { group_id: tagGroup, name: '乙' })).body.id;
  const a = await register({ name: '筛选甲', gender: 'female', birthday: '1990-03-05', category: 'vip', tags: [t1, t2], consents: { sms: true } });
  const b = await register({ name: '筛选乙', gender: 'male', birthday: '2000-03-09', tags: [t1], home_store_id: storeB });
  const q = (s) => admin.get(`/api/v1/members?q=${encodeURIComponent('筛选')}&${s}`).then((r) => r.body);
  assert.deepEqual((await q(`tags=${t1},${t2}&tags_mode=all`)).items.map((m) => m.id), [a.id]);
  assert.equal((await q(`tags=${t1},${t2}&tags_mode=any`)).total, 2);
  assert.deepEqual((await q('gender=male')).items.map((m) => m.id), [b.id]);
  assert.deepEqual((await q('category=vip')).items.map((m) => m.id), [a.id]);
  assert.deepEqual((await q(`store_id=${storeB}`)).items.map((m) => m.id), [b.id]);
  assert.deepEqual((await q('consent=sms')).items.map((m) => m.id), [a.id]);
  assert.equal((await q('birthday_month=3')).total, 2);
  const year = new Date().getUTCFullYear();
  assert.deepEqual((await q(`age_min=${year - 1995}`)).items.map((m) => m.id), [a.id]);
  assert.equal((await q('created_from=2000-01-01')).total, 2);
  assert.equal((await q('created_to=2000-01-01')).total, 0);
  const badFilter = await admin.get('/api/v1/members?gender=robot&birthday_month=13&sort=phone');
  assert.equal(badFilter.status, 400);
  assert.ok(fieldError(badFilter, 'gender') && fieldError(badFilter, 'birthday_month') && fieldError(badFilter, 'sort'));

  const all = (await admin.get('/api/v1/members?limit=200')).body.items;
  for (const col of ['name', 'member_no', 'created_at', 'updated_at', 'category', 'gender', 'home_store_id']) {
    for (const dir of ['', '-']) {
      const items = (await admin.get(`/api/v1/members?limit=200&sort=${dir}${col}`)).body.items;
      assert.equal(items.length, all.length);
      const key = col === 'name' ? null : col;
      if (key) {
        const values = items.map((m) => m[key]);
        const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        if (dir) sorted.reverse();
        assert.deepEqual(values, sorted, `sort=${dir}${col}`);
      }
    }
  }
});

test('cursor paging walks every member once with a stable total', async () => {
  for (let i = 0; i < 7; i++) await register({ name: `分页${i}` });
  const seen = new Set();
  let cursor = '';
  let total;
  let pages = 0;
  do {
    const r = await admin.get(`/api/v1/members?limit=3&sort=member_no${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    total ??= r.body.total;
    assert.equal(r.body.total, total);
    for (const m of r.body.items) {
      assert.ok(!seen.has(m.id), 'no member twice');
      seen.add(m.id);
    }
    cursor = r.body.next_cursor;
    pages++;
  } while (cursor);
  assert.equal(seen.size, total);
  assert.equal(pages, Math.ceil(total / 3));
  assert.equal((await admin.get('/api/v1/members?cursor=bogus')).status, 400);
});

test('duplicates are suggested with a reason and merged field by field', async () => {
  const group = (await admin.post('/api/v1/tag-groups', { name: '合并组' })).body.id;
  const tag = (await admin.post('/api/v1/tags', { group_id: group, name: '老客' })).body.id;
  const a = await register({ name: '王合并', birthday: '1985-07-01', email: 'a@merge.cn', notes: '甲的备注' });
  const b = await register({ name: '王合并', birthday: '1985-07-01', company: '乙公司', tags: [tag], notes: '乙的备注' });
  const dups = await admin.get(`/api/v1/members/duplicates?member_id=${a.id}`);
  const pair = dups.body.items.find((p) => [p.a.id, p.b.id].includes(b.id));
  assert.deepEqual(pair.reasons, ['name_birthday']);
  const merged = await admin.post(`/api/v1/members/${a.id}/merge`, { other_id: b.id, version: a.version, fields: { phone: 'other' } });
  assert.equal(merged.status, 200, JSON.stringify(merged.body));
  assert.equal(merged.body.id, a.id);
  assert.equal(merged.body.phone, b.phone, 'chosen value survives');
  assert.equal(merged.body.email, 'a@merge.cn', 'survivor keeps its own');
  assert.equal(merged.body.company, '乙公司', 'gaps filled from the other');
  assert.ok(merged.body.tags.some((t) => t.id === tag), 'tags move over');
  assert.equal(merged.body.notes, '甲的备注\n乙的备注');
  const old = await admin.get(`/api/v1/members/${b.id}`);
  assert.equal(old.body.id, a.id, 'the merged id resolves to the survivor');
  assert.equal(old.body.merged_from, b.id);
  assert.ok((await search(b.phone)).items.every((m) => m.id === a.id));
  const audit = await admin.get(`/api/v1/audit?action=member.merge&entity_id=${a.id}`);
  assert.equal(audit.body.total, 1);
  assert.equal(audit.body.items[0].detail.merged_id, b.id);
  const self = await admin.post(`/api/v1/members/${a.id}/merge`, { other_id: a.id });
  assert.equal(fieldError(self, 'other_id'), 'Cannot merge a member with itself');
});

test('archive, restore and anonymise', async () => {
  const m = await register({ name: '赵匿名', email: 'zhao@anon.cn', address: '北京市朝阳区', birthday: '1970-01-02' });
  const archived = await admin.post(`/api/v1/members/${m.id}/archive`, {});
  assert.equal(archived.body.status, 'archived');
  assert.equal((await search('赵匿名')).total, 0, 'archived members leave the active list');
  assert.equal((await search('赵匿名', '&status=archived')).total, 1);
  assert.equal((await admin.post(`/api/v1/members/${m.id}/restore`, {})).body.status, 'active');
  const unconfirmed = await admin.post(`/api/v1/members/${m.id}/anonymize`, { confirm: false });
  assert.equal(unconfirmed.status, 400);
  const anon = await admin.post(`/api/v1/members/${m.id}/anonymize`, { confirm: true });
  assert.equal(anon.status, 200);
  assert.equal(anon.body.status, 'anonymized');
  assert.equal(anon.body.name, '');
  assert.equal(anon.body.phone, null);
  assert.equal(anon.body.email, null);
  assert.equal(anon.body.member_no, m.member_no, 'the id and number stay for aggregates');
  assert.equal((await search(m.phone, '&status=all')).total, 0);
  const history = await admin.get(`/api/v1/members/${m.id}/history`);
  assert.ok(history.body.items.every((h) => !JSON.stringify(h).includes('zhao@anon.cn')));
});

test('custom fields are defined, validated, stored and filtered', async () => {
  const def = await admin.post('/api/v1/custom-fields', { key: 'size', label: '尺码', type: 'single', options: ['S', 'M', 'L'] });
  assert.equal(def.status, 201);
  await admin.post('/api/v1/custom-fields', { key: 'baby_months', label: '宝宝月龄', type: 'number' });
  const bad = await admin.post('/api/v1/members', { phone: nextPhone(), home_store_id: storeA, custom_fields: { size: 'XXL', baby_months: 'ten', nope: 1 } });
  assert.equal(bad.status, 400);
  assert.match(fieldError(bad, 'custom_fields.size'), /Invalid value/);
  assert.equal(fieldError(bad, 'custom_fields.baby_months'), 'Must be a number');
  assert.equal(fieldError(bad, 'custom_fields.nope'), 'Undefined custom field');
  const m = await register({ name: '尺码M', custom_fields: { size: 'M', baby_months: 10 } });
  assert.deepEqual(m.custom_fields, { size: 'M', baby_months: 10 });
  const found = await admin.get('/api/v1/members?cf.size=M');
  assert.deepEqual(found.body.items.map((x) => x.id), [m.id]);
  assert.equal((await admin.get('/api/v1/members?cf.size=L')).body.total, 0);
});

test('bulk tagging by ids and by filter', async () => {
  const group = (await admin.post('/api/v1/tag-groups', { name: '批量组' })).body.id;
  const tag = (await admin.post('/api/v1/tags', { group_id: group, name: '批量' })).body.id;
  const a = await register({ name: '批量甲' });
  const b = await register({ name: '批量乙', category: 'wholesale' });
  const byIds = await admin.post('/api/v1/members/bulk-tags', { member_ids: [a.id], add: [tag] });
  assert.equal(byIds.body.affected, 1);
  const byFilter = await admin.post('/api/v1/members/bulk-tags', { filter: { q: '批量', category: 'wholesale' }, add: [tag] });
  assert.equal(byFilter.body.affected, 1);
  assert.equal((await admin.get(`/api/v1/members?tags=${tag}`)).body.total, 2);
  const tags = (await admin.get(`/api/v1/tags?group_id=${group}`)).body.items;
  assert.equal(tags[0].member_count, 2);
  // A filter may carry a list as JSON (the web app's tag picker does): it reads as "1,2".
  const byList = await admin.post('/api/v1/members/bulk-tags', { filter: { tags: [tag], q: '批量' }, remove: [tag] });
  assert.equal(byList.status, 200, byList.text);
  assert.equal(byList.body.affected, 2);
  assert.equal((await admin.get(`/api/v1/members?tags=${tag}`)).body.total, 0);
  const unknownFilter = await admin.post('/api/v1/members/bulk-tags', { filter: { colour: 'red' }, add: [tag] });
  assert.equal(unknownFilter.status, 400);
});

test('CSV export is audited and has a BOM and a header', async () => {
  await register({ name: '导出用户', phone: '13866667777' });
  const r = await admin.get(`/api/v1/members/export.csv?q=${encodeURIComponent('导出用户')}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /text\/csv/);
  assert.ok(r.text.startsWith('\uFEFF'));
  const lines = r.text.slice(1).trim().split('\r\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /"member_no","name","phone"/);
  assert.match(lines[1], /"导出用户","13866667777"/);
  const audit = await admin.get('/api/v1/audit?action=member.export');
  assert.equal(audit.body.items[0].detail.count, 1);
});
