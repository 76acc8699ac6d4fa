// Scheduled jobs run exactly once per slot across two instances sharing one database.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { TestServer } from '../support/server.mjs';

let a;
let b;
after(async () => {
  await b?.stopProcess();
  await a?.stop();
});

function runs(server) {
  const sql = 'SELECT job, slot, instance FROM job_runs ORDER BY job, slot';
  const lines = server.backend === 'postgres'
    ? execFileSync('psql', [server.db, '-At', '-F', '|', '-c', sql]).toString()
    : execFileSync('sqlite3', ['-separator', '|', server.db, sql]).toString();
  return lines.trim().split('\n').filter(Boolean).map((l) => {
    const [job, slot, instance] = l.split('|');
    return { job, slot: Number(slot), instance };
  });
}

test('two instances polling the same jobs every 200 ms run each slot once', async () => {
  a = await new TestServer({ args: ['--job-interval', '1'] }).start();
  b = Object.assign(new TestServer({ args: ['--job-interval', '1'] }), { dir: a.dir, db: a.db, keyFile: a.keyFile, backend: a.backend });
  await b.launch();
  await new Promise((r) => setTimeout(r, 5500));
  await b.stopProcess();
  await a.stopProcess();
  const all = runs(a);
  for (const job of ['sessions.purge', 'statistics.refresh']) {
    const mine = all.filter((r) => r.job === job);
    assert.ok(mine.length >= 3, `${job} ran ${mine.length} times in 5.5 s at a 1 s interval`);
    const slots = new Set(mine.map((r) => r.slot));
    assert.equal(slots.size, mine.length, `${job}: no slot ran twice`);
  }
  const instances = new Set(all.map((r) => r.instance));
  assert.ok(instances.size >= 1);
});
