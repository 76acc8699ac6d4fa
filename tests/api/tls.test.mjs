// HTTPS served by storecrm itself (--tls-cert/--tls-key): a client that trusts the certificate
// signs in over TLS and is told to stay on HTTPS; plain HTTP to the same port gets nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN, ADMIN_PASSWORD } from '../support/server.mjs';

let dir;
let proc;
let port;
let ca;

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port: p } = s.address(); s.close(() => resolve(p)); });
});

function https(method, url, body) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: url, method, ca, headers: body ? { 'Content-Type': 'application/json' } : {} }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text }));
    });
    req.on('error', reject);
    if (body) req.write(JSON.stringify(body));
    req.end();
  });
}

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'storecrm-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'pipe' });
  ca = readFileSync(path.join(dir, 'cert.pem'));
  const db = path.join(dir, 'tls.db');  // SQLite in both passes: the test is about the transport
  execFileSync(BIN, ['init', '--db', db, '--admin-user', 'admin', '--admin-password', ADMIN_PASSWORD, '--totp-roles', 'none'], { stdio: 'pipe' });
  port = await freePort();
  proc = spawn(BIN, ['serve', '--db', db, '--port', String(port), '--address', '127.0.0.1', '--tls-cert', path.join(dir, 'cert.pem'),
    '--tls-key', path.join(dir, 'key.pem'), '--backup-dir', path.join(dir, 'backups'), '--erasure-journal', path.join(dir, 'erasures')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await https('GET', '/healthz')).status === 200) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the HTTPS server did not start');
});

after(() => {
  proc?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('sign-in over HTTPS sets a Secure cookie and HSTS; plain HTTP on the port gets no answer', async () => {
  const r = await https('POST', '/api/v1/session', { username: 'admin', password: ADMIN_PASSWORD });
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers['set-cookie'][0], /; Secure/);
  assert.equal(r.headers['strict-transport-security'], 'max-age=31536000');
  assert.equal(JSON.parse(r.text).user.username, 'admin');
  await assert.rejects(fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(3000) }));
});

test('a server given a certificate without its key refuses to start', () => {
  assert.throws(() => execFileSync(BIN, ['serve', '--db', path.join(dir, 'x.db'), '--port', '0', '--tls-cert', path.join(dir, 'cert.pem')], { stdio: 'pipe', timeout: 10000 }),
    (e) => /--tls-cert and --tls-key go together/.test(String(e.stderr)));
});
