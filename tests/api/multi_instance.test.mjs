// Two storecrm instances on one PostgreSQL database act as one system.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';

const PG = process.env.STORECRM_TEST_PG;
let a;
let b;

if (PG) {
  before(async () => {
    a = await new TestServer().start();
    // The second instance: same database and key, its own process and port.
    b = Object.assign(new TestServer(), { dir: a.dir, db: a.db, keyFile: a.keyFile, backend: a.backend });
    await b.launch();
  });
  // A client of instance B carrying `client`'s session (cookie and CSRF token).
  const sameSessionOnB = (client) => Object.assign(b.client(), { cookie: client.cookie, csrf: client.csrf });

  after(async () => {
    await b?.stopProcess();
    await a?.stop();
  });

  test('a session made on one instance works on the other, and signing out ends it on both', async () => {
    const onA = await a.signIn('admin');
    const onB = sameSessionOnB(onA);
    assert.equal((await onB.get('/api/v1/me')).body.user.username, 'admin');
    const store = await onB.post('/api/v1/stores', { code: 'MI', name: '多实例店', type: 'direct' });
    assert.equal(store.status, 201);
    assert.equal((await onA.get(`/api/v1/stores/${store.body.id}`)).body.name, '多实例店');
    assert.equal((await onB.del('/api/v1/session')).status, 204);
    assert.equal((await onA.get('/api/v1/me')).status, 401);
  });

  test('concurrent edits of one member through both instances never lose an update', async () => {
    const admin = await a.signIn('admin');
    const viaB = sameSessionOnB(admin);
    const store = (await admin.post('/api/v1/stores', { code: 'ED', name: '编辑店', type: 'direct' })).body.id;
    const m = (await admin.post('/api/v1/members', { phone: '13700009999', name: '并发', home_store_id: store })).body;
    let version = m.version;
    for (let round = 0; round < 10; round++) {
      const [ra, rb] = await Promise.all([
        admin.put(`/api/v1/members/${m.id}`, { version, notes: `A${round}` }),
        viaB.put(`/api/v1/members/${m.id}`, { version, notes: `B${round}` }),
      ]);
      const statuses = [ra.status, rb.status].sort();
      assert.deepEqual(statuses, [200, 409], `round ${round}: one edit wins, the other is told`);
      const winner = ra.status === 200 ? ra : rb;
      const loser = ra.status === 200 ? rb : ra;
      assert.equal(loser.body.error.code, 'version_conflict');
      const now = (await admin.get(`/api/v1/members/${m.id}`)).body;
      assert.equal(now.notes, winner.body.notes, 'the stored value is the acknowledged one');
      assert.equal(now.version, version + 1);
      version = now.version;
    }
    const history = (await admin.get(`/api/v1/members/${m.id}/history?limit=100`)).body.items.filter((h) => h.field === 'notes');
    assert.equal(history.length, 10, 'one history entry per acknowledged edit');
  });

  test('registrations on both instances at once get distinct member numbers', async () => {
    const admin = await a.signIn('admin');
    const viaB = sameSessionOnB(admin);
    const store = (await admin.post('/api/v1/stores', { code: 'RG', name: '注册店', type: 'direct' })).body.id;
    const requests = Array.from({ length: 30 }, (_, i) =>
      (i % 2 ? viaB : admin).post('/api/v1/members', { phone: `1360000${String(i).padStart(4, '0')}`, home_store_id: store }));
    const results = await Promise.all(requests);
    assert.ok(results.every((r) => r.status === 201), JSON.stringify(results.filter((r) => r.status !== 201).map((r) => r.body)));
    const numbers = new Set(results.map((r) => r.body.member_no));
    assert.equal(numbers.size, 30);
    assert.equal((await admin.get(`/api/v1/members?store_id=${store}`)).body.total, 30);
  });
  // A POS whose first attempt is still inside its transaction (e.g. the instance died mid-commit)
  // retries on the other instance with the same Idempotency-Key. The retry cannot see the first
  // attempt yet and runs into its receipt number; once the first attempt commits, the retry must
  // answer with the stored first answer, and the sale exists once.
  test('a retry racing its own unfinished first attempt on the other instance gets the first answer', async () => {
    const admin = await a.signIn('admin');
    const viaB = sameSessionOnB(admin);
    const store = (await admin.post('/api/v1/stores', { code: 'RT', name: '重试店', type: 'direct' })).body.id;
    assert.equal((await admin.post('/api/v1/products', { sku: 'RT-1', name: '重试品', price: 1000 })).status, 201);
    const body = { store_id: store, terminal: 'POS1', receipt_no: 'RT-0001', lines: [{ sku: 'RT-1', quantity: 1 }],
      payments: [{ method: 'cash', amount: 1000 }] };
    const key = { headers: { 'Idempotency-Key': 'retry-race-1' } };
    const waiting = () => Number(a.sql("SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"));
    const until = async (what, n) => {
      for (let i = 0; i < 100 && waiting() < n; i++) await new Promise((res) => setTimeout(res, 50));
      assert.ok(waiting() >= n, `${what} should be waiting on a lock`);
    };
    // Writers to the stock table wait behind this lock, so the first attempt stops mid-transaction.
    const lock = await a.holdTransaction('LOCK TABLE stock IN SHARE MODE;');
    const first = admin.post('/api/v1/sales', body, key);
    await until('the first attempt', 1);
    const retry = viaB.post('/api/v1/sales', body, key);
    await until('the retry', 2);
    await lock.release();
    const answers = await Promise.all([first, retry]);
    assert.deepEqual(answers.map((r) => r.status), [201, 201], answers.map((r) => r.text).join('\n'));
    assert.deepEqual(answers.map((r) => r.headers.get('idempotent-replayed') === 'true').sort(), [false, true]);
    assert.deepEqual(answers[1].body, answers[0].body);
    assert.equal(a.sql("SELECT COUNT(*) FROM sales WHERE receipt_no = 'RT-0001'"), '1');
  });
}
