// Scheduled jobs run exactly once per slot across two instances sharing one database.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../support/server.mjs';

let a;
let b;
after(async () => {
  await b?.stopProcess();
  await a?.stop();
});

const sql = (server, statement) => server.sql(statement);

function runs(server) {
  const lines = sql(server, 'SELECT job, slot, instance FROM job_runs ORDER BY job, slot');
  return lines.trim().split('\n').filter(Boolean).map((l) => {
    const [job, slot, instance] = l.split('|');
    return { job, slot: Number(slot), instance };
  });
}

test('two instances polling the same jobs every 200 ms run each slot once', async () => {
  a = await new TestServer({ args: ['--job-interval', '1'] }).start();
  b = Object.assign(new TestServer({ args: ['--job-interval', '1'] }), { dir: a.dir, db: a.db, keyFile: a.keyFile, backend: a.backend });
  await b.launch();
  // A week-old Idempotency-Key goes; a fresh one stays.
  const now = Math.floor(Date.now() / 1000);
  sql(a, `INSERT INTO idempotency_keys (owner, key, request_hash, status_code, response_body, created_at) VALUES ('t', 'old', 'h', 201, '{}', ${now - 8 * 86400}), ('t', 'new', 'h', 201, '{}', ${now})`);
  await new Promise((r) => setTimeout(r, 5500));
  await b.stopProcess();
  await a.stopProcess();
  const all = runs(a);
  assert.equal(sql(a, "SELECT key FROM idempotency_keys WHERE owner = 't' ORDER BY key").trim(), 'new');
  for (const job of ['sessions.purge', 'idempotency.purge', 'statistics.refresh']) {
    const mine = all.filter((r) => r.job === job);
    assert.ok(mine.length >= 3, `${job} ran ${mine.length} times in 5.5 s at a 1 s interval`);
    const slots = new Set(mine.map((r) => r.slot));
    assert.equal(slots.size, mine.length, `${job}: no slot ran twice`);
  }
  const instances = new Set(all.map((r) => r.instance));
  assert.ok(instances.size >= 1);
});
