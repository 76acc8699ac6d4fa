// A campaign to every member of a demo chain survives kill -9 twice — once while it
// enqueues, once while the outbox sends — and ends with exact counts: every member recorded
// once, one message per queued recipient, every message at the gateway, none delivered twice
// (a message sent just before a crash may be offered again under the same Idempotency-Key,
// which the gateway drops). STORECRM_CAMPAIGN_MEMBERS sets the size (make test: 4,000; the
// issue's 100,000 by `make reliability`).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { TestServer } from '../support/server.mjs';

const MEMBERS = Number(process.env.STORECRM_CAMPAIGN_MEMBERS || 4000);
let server;
let gateway;
const delivered = new Map();  // Idempotency-Key → times offered

const sql = (statement) => server.sql(statement);

before(async () => {
  gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const key = req.headers['idempotency-key'];
      delivered.set(key, (delivered.get(key) || 0) + 1);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise((r) => gateway.listen(0, '127.0.0.1', r));
  server = await new TestServer({ demo: true, demoMembers: MEMBERS, demoSalesMonths: 0,
    args: ['--test-clock', '--idle-timeout', '864000', '--session-lifetime', '864000'] }).start();
});

after(async () => {
  await server?.stop();
  await new Promise((r) => gateway?.close(r));
});

async function signIn() {
  return server.signIn('admin', 'Demo@2026', { lang: 'en' });
}

// Starts a job run and kills the server (SIGKILL) once `progress()` reaches `enough` (or after
// ten seconds), so the crash lands well inside the work rather than at its first step.
async function killDuring(admin, job, progress, enough) {
  const exited = new Promise((r) => server.proc.once('exit', r));
  const run = admin.post(`/api/v1/jobs/${job}/run`, {}).catch(() => null);
  const until = Date.now() + 10000;
  while (Date.now() < until && progress() < enough) await new Promise((r) => setTimeout(r, 5));
  const seen = progress();
  server.proc.kill('SIGKILL');
  await exited;
  // The answer never comes from a killed server; don't wait on the socket.
  await Promise.race([run, new Promise((r) => setTimeout(r, 2000))]);
  return seen;
}

test(`a campaign to ${MEMBERS} members loses and repeats nothing across two kill -9s`, async (t) => {
  let admin = await signIn();
  const settings = (await admin.get('/api/v1/marketing/settings')).body;
  const put = await admin.put('/api/v1/marketing/settings', {
    version: settings.version, weekly_cap: 0, quiet_start: '00:00', quiet_end: '00:00', approval_threshold: 100000000,
    sms_mode: 'http', sms_url: `http://127.0.0.1:${gateway.address().port}/sms`, sms_secret: 'crash-test', sms_per_minute: 100000,
  });
  assert.equal(put.status, 200, put.text);
  const c = await admin.post('/api/v1/campaigns', { name: '全员短信', channel: 'sms', template: '{name}，会员日快乐', schedule: 'now',
    control_pct: 10, rules: { rules: [] } });
  assert.equal(c.status, 201, c.text);
  const submitted = await admin.post(`/api/v1/campaigns/${c.body.id}/submit`, {});
  assert.equal(submitted.body.status, 'scheduled', submitted.text);
  const audience = submitted.body.audience_estimate;
  // Everyone but children (never in campaigns); members without SMS consent are recorded and skipped.
  assert.ok(audience > MEMBERS * 0.9, `a real audience: ${audience}`);

  // Crash 1: while recipients are being written.
  const recorded = () => Number(sql(`SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ${c.body.id}`));
  const atCrash = await killDuring(admin, 'campaigns.dispatch', recorded, Math.floor(audience / 10));
  await server.launch();
  admin = await signIn();
  const afterCrash = recorded();
  // The crash came in the middle: some batches committed, not all.
  assert.ok(afterCrash > 0 && afterCrash < audience, `${afterCrash} of ${audience} recorded before the crash (seen ${atCrash})`);
  const resumed = await admin.post('/api/v1/jobs/campaigns.dispatch/run', {});
  assert.equal(resumed.status, 200, resumed.text);

  const results = (await admin.get(`/api/v1/campaigns/${c.body.id}/results`)).body;
  const r = results.recipients;
  assert.equal(r.queued + r.control + r.no_consent + r.capped + r.no_address + r.minor, audience, 'every member once');
  assert.equal(Number(sql(`SELECT COUNT(*) FROM messages WHERE campaign_id = ${c.body.id}`)), r.queued, 'one message per queued recipient');
  assert.equal(Number(sql(`SELECT COUNT(DISTINCT member_id) FROM messages WHERE campaign_id = ${c.body.id}`)), r.queued);

  // Crash 2: while the outbox sends.
  const sent = () => delivered.size;
  await killDuring(admin, 'messages.deliver', sent, Math.floor(r.queued / 5));
  await server.launch();
  admin = await signIn();
  const deliveredAtCrash = delivered.size;
  const sentAtCrash = Number(sql(`SELECT COUNT(*) FROM messages WHERE campaign_id = ${c.body.id} AND status = 'sent'`));
  assert.ok(sentAtCrash < r.queued, `the outbox was cut off mid-way: ${sentAtCrash} of ${r.queued} recorded as sent`);
  // Messages the dead instance had leased wait out their 2-minute lease, then go again.
  await admin.post('/api/v1/test/clock', { advance_seconds: 130 });
  for (let i = 0; i < 20 && delivered.size < r.queued; i++) {
    const run = await admin.post('/api/v1/jobs/messages.deliver/run', {});
    assert.equal(run.status, 200, run.text);
  }
  const final = (await admin.get(`/api/v1/campaigns/${c.body.id}/results`)).body;
  assert.equal(final.messages.sent, r.queued, JSON.stringify(final.messages));
  assert.equal(final.messages.queued + final.messages.sending + final.messages.failed, 0, JSON.stringify(final.messages));
  const keys = [...delivered.keys()].filter((k) => k.startsWith('msg-'));
  const ids = new Set(sql(`SELECT id FROM messages WHERE campaign_id = ${c.body.id}`).split('\n').map((id) => `msg-${id}`));
  assert.equal(keys.length, ids.size, 'every message reached the gateway');
  assert.ok(keys.every((k) => ids.has(k)), 'the gateway got a message the database does not hold');
  const offeredTwice = [...delivered.values()].filter((n) => n > 1).length;
  // At most the batch in flight at the crash is offered again, under its own key.
  assert.ok(offeredTwice <= 100, `${offeredTwice} offered twice`);
  t.diagnostic(`${server.backend}: audience ${audience}; crash 1 after ${afterCrash} recipients recorded; ` +
    `${r.queued} queued, ${r.control} control, ${r.no_consent} without consent; crash 2 after ${sentAtCrash} ` +
    `recorded sent (${deliveredAtCrash} at the gateway); all ${final.messages.sent} sent, ` +
    `${offeredTwice} offered twice (dropped by key)`);
});
