// Helpers shared by the marketing API tests: a free port, an SMTP server on loopback (Debian's
// python3-aiosmtpd, with or without AUTH), the mails it kept, and a kit of calls bound to a
// test file's admin / marketer / approver / store (filled in by the file's `before`).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer as netServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// Waits (≤ 5 s) until something listens on the loopback port.
async function waitForListener(port) {
  for (let i = 0; i < 50; i++) {
    const up = await new Promise((r) => {
      const s = netServer().once('error', () => r(true)).once('listening', () => s.close(() => r(false)));
      s.listen(port, '127.0.0.1');
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port}`);
}

// aiosmtpd's Mailbox handler into `mailDir` (made, with tmp/ new/ cur/, when the path is new).
export async function startMaildirSmtp(mailDir) {
  const port = await freePort();
  const proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', mailDir],
    { stdio: 'ignore' });
  await waitForListener(port);
  return { port, proc, stop: () => proc.kill() };
}

// An SMTP server that requires AUTH (PLAIN / LOGIN, offered without TLS) and accepts only
// `user` / `password`. Every AUTH attempt and every mail it accepted is appended to `logFile`
// as a JSON line: {event:"auth", mechanism, login, ok} or {event:"mail", authenticated,
// mail_from, rcpt_tos, content}.
export async function startAuthSmtp({ user, password, logFile }) {
  const port = await freePort();
  const proc = spawn('/usr/bin/python3', ['-W', 'ignore', path.join(HERE, 'smtp_auth_server.py'), String(port), user, password, logFile],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  proc.stderr.on('data', (d) => (err += d));
  await new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d) => {
      out += d;
      if (out.includes('ready')) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`SMTP server exited (${code}): ${err}`)));
    setTimeout(() => reject(new Error(`SMTP server did not start: ${err}`)), 10000);
  });
  const events = () => {
    let text = '';
    try { text = readFileSync(logFile, 'utf8'); } catch { return []; }
    return text.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  };
  return { port, proc, events, stop: () => proc.kill() };
}

// The text of a base64 MIME body (our mails are text/plain, base64).
export function decodeBase64Body(body) {
  return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
}

// One raw RFC 5322 message → {to, subject (RFC 2047 decoded), messageId, unsubscribe, body}.
export function parseMail(raw) {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const header = (name) => new RegExp(`^${name}: (.*)$`, 'mi').exec(head)?.[1]?.trim();
  const subject = header('Subject') || '';
  return {
    to: header('To'),
    subject: subject.replace(/=\?UTF-8\?B\?([^?]*)\?=/g, (_, b) => Buffer.from(b, 'base64').toString('utf8')),
    messageId: header('Message-ID'),
    unsubscribe: header('List-Unsubscribe'),
    body: decodeBase64Body(rest.join('\n')),
  };
}

// The mails aiosmtpd's Mailbox handler wrote into `mailDir`.
export function readMaildir(mailDir) {
  const out = [];
  for (const sub of ['new', 'cur']) {
    let files = [];
    try { files = readdirSync(path.join(mailDir, sub)); } catch { continue; }
    for (const f of files) out.push(parseMail(readFileSync(path.join(mailDir, sub, f), 'utf8')));
  }
  return out;
}

// Calls a marketing test makes over and over. `ctx` is read at call time, so a file can make
// the kit at load and fill ctx.admin, ctx.marketer, ctx.approver and ctx.store in `before`.
// ctx.sku (default MK-01) is the product `sell` rings up.
export function marketingKit(ctx) {
  let phoneSeq = ctx.firstPhone || 13900000000;
  const kit = {
    nextPhone: () => String(++phoneSeq),

    // On PostgreSQL a smaller id may commit after a larger one, so readers that follow ids (the
    // analytics columns, the audience index, the after-sales and webhook jobs) take rows only
    // once they are a few seconds old. Moving the test clock past that lets them see what was
    // just written.
    async settle() {
      const r = await ctx.admin.post('/api/v1/test/clock', { advance_seconds: 6 });
      assert.equal(r.status, 200, r.text);
    },

    async advance(seconds) {
      const r = await ctx.admin.post('/api/v1/test/clock', { advance_seconds: seconds });
      assert.equal(r.status, 200, r.text);
      return r.body.now;
    },

    async runJob(name) {
      const r = await ctx.admin.post(`/api/v1/jobs/${name}/run`, {});
      assert.equal(r.status, 200, r.text);
      assert.equal(r.body.status, 'ok', r.text);
    },

    async member(extra = {}) {
      const r = await ctx.admin.post('/api/v1/members', { phone: kit.nextPhone(), name: '会员', home_store_id: ctx.store, ...extra });
      assert.equal(r.status, 201, r.text);
      return r.body;
    },

    async sell(memberId, price = 5000, store = ctx.store) {
      const r = await ctx.admin.post('/api/v1/sales', {
        store_id: store, terminal: 'T1', member_id: memberId, lines: [{ sku: ctx.sku || 'MK-01', quantity: 1, unit_price: price }],
        payments: [{ method: 'cash', amount: price }],
      }, { headers: { 'Idempotency-Key': randomUUID() } });
      assert.equal(r.status, 201, r.text);
      return r.body;
    },

    async settings(changes) {
      const current = await ctx.admin.get('/api/v1/marketing/settings');
      const r = await ctx.admin.put('/api/v1/marketing/settings', { ...changes, version: current.body.version });
      assert.equal(r.status, 200, r.text);
      return r.body;
    },

    // Creates, submits (and if needed approves) a campaign; returns it.
    async launch(body, approver = ctx.approver) {
      const c = await ctx.marketer.post('/api/v1/campaigns', body);
      assert.equal(c.status, 201, c.text);
      const s = await ctx.marketer.post(`/api/v1/campaigns/${c.body.id}/submit`, {});
      assert.equal(s.status, 200, s.text);
      if (s.body.status === 'pending_approval') {
        assert.ok(approver, 'needs an approver');
        const a = await approver.post(`/api/v1/campaigns/${c.body.id}/approve`, {});
        assert.equal(a.status, 200, a.text);
      }
      return c.body;
    },
  };
  return kit;
}
