// Starts a real `storecrm serve` on a fresh SQLite file and a free loopback port, and gives
// tests HTTP clients: a staff client with a cookie jar and CSRF token, and a bearer client.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const BIN = process.env.STORECRM_BIN || path.resolve('build/storecrm');
// Set by scripts/with-postgres.sh: the suite then runs every server on PostgreSQL.
const PG = process.env.STORECRM_TEST_PG;
export const BACKEND = PG ? 'postgres' : 'sqlite';
export const ADMIN_PASSWORD = 'Store@2026';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export class TestServer {
  // backend: 'sqlite' forces SQLite even in the PostgreSQL pass (a copy test needs both).
  // parentDir: where the server's temporary directory (SQLite file, key) is made (default: the
  // system's temporary directory; the full-disk test uses a small tmpfs).
  constructor({ demo = false, demoMembers = 300, demoSalesMonths = 3, args = [], env = {}, backend = BACKEND, parentDir } = {}) {
    this.demo = demo;
    this.parentDir = parentDir;
    this.demoMembers = demoMembers;
    this.demoSalesMonths = demoSalesMonths;
    this.requestedBackend = backend;
    this.args = args;
    this.env = env;
  }

  async start() {
    this.dir = mkdtempSync(path.join(this.parentDir || tmpdir(), 'storecrm-test-'));
    this.keyFile = path.join(this.dir, 'storecrm.key');
    this.backend = this.requestedBackend;
    if (this.backend === 'postgres') {
      // A fresh database per server, in the run's throwaway cluster.
      const name = `t_${path.basename(this.dir).replace(/[^a-zA-Z0-9]/g, '').toLowerCase()}`;
      execFileSync('psql', [PG, '-qc', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
      this.db = PG.replace(/\/[^/]*$/, `/${name}`);
    } else {
      this.db = path.join(this.dir, 'test.db');
    }
    if (this.demo) {
      this.cli('demo', '--members', String(this.demoMembers), '--sales-months', String(this.demoSalesMonths));
    } else {
      // Tests sign the admin in by password; two-factor sign-in has tests of its own.
      this.cli('init', '--admin-user', 'admin', '--admin-password', ADMIN_PASSWORD, '--totp-roles', 'none');
    }
    await this.launch();
    return this;
  }

  async launch(extraEnv = {}) {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    this.log = '';
    // STORECRM_WEB_ROOT serves a freshly built web/dist without re-embedding it in the binary.
    const webRoot = process.env.STORECRM_WEB_ROOT ? ['--web-root', process.env.STORECRM_WEB_ROOT] : [];
    // Backups and the erasure journal stay in the test's own folder (on PostgreSQL they would
    // default to ./data, shared by every server of the run).
    this.backupDir = path.join(this.dir, 'backups');
    this.erasureJournal = path.join(this.dir, 'erasures.jsonl');
    const opsFiles = ['--backup-dir', this.backupDir, '--erasure-journal', this.erasureJournal];
    this.proc = spawn(BIN, ['serve', '--db', this.db, '--key-file', this.keyFile, '--port', String(this.port), '--address', '127.0.0.1', ...opsFiles, ...webRoot, ...this.args], {
      env: { ...process.env, ...this.env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc.stdout.on('data', (d) => (this.log += d));
    this.proc.stderr.on('data', (d) => (this.log += d));
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.base}/healthz`);
        if (r.ok) return;
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${this.log}`);
  }

  async stopProcess() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
  }

  // kill -9, then wait until the process has exited (not for any HTTP answer).
  async kill9() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
  }

  // Runs one SQL statement on the server's database with the sqlite3 / psql CLI (for invariant
  // checks the API does not expose); rows are lines, columns separated by `|`. On SQLite it waits
  // up to 5 s for a running server's write lock (its jobs write every few hundred ms) rather than
  // failing at once with "database is locked".
  sql(statement) {
    const out = this.backend === 'postgres'
      ? execFileSync('psql', [this.db, '-At', '-F', '|', '-v', 'ON_ERROR_STOP=1', '-c', statement], { stdio: 'pipe' })
      : execFileSync('sqlite3', ['-cmd', '.timeout 5000', '-separator', '|', this.db, statement], { stdio: 'pipe' });
    return out.toString().trim();
  }

  // Opens a transaction on the server's database from the sqlite3 / psql CLI, runs `statement`
  // in it (e.g. a lock) and resolves once the CLI says it holds it — a fixed wait can lose that
  // race on a busy machine. `release()` rolls back and waits for the CLI to exit.
  async holdTransaction(statement = '') {
    const postgres = this.backend === 'postgres';
    const cli = spawn(postgres ? 'psql' : 'sqlite3', [this.db], { stdio: ['pipe', 'pipe', 'ignore'] });
    const held = new Promise((res) => {
      let out = '';
      cli.stdout.on('data', (d) => { out += d; if (out.includes('transaction-held')) res(); });
    });
    const begin = postgres ? 'BEGIN;' : 'BEGIN IMMEDIATE;';
    cli.stdin.write(`${begin} ${statement}\n${postgres ? '\\echo' : '.print'} transaction-held\n`);
    await held;
    return {
      release: async () => {
        const exited = new Promise((res) => cli.once('exit', res));
        cli.stdin.write(postgres ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
        await exited;
      },
    };
  }

  async stop() {
    await this.stopProcess();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  cli(...args) {
    return execFileSync(BIN, [...args, '--db', this.db, '--key-file', this.keyFile], { stdio: 'pipe' }).toString();
  }

  client(opts) {
    return new Client(this.base, opts);
  }

  // A staff member with a built-in role and store scope, created by `admin`, signed in with
  // the initial password already changed (so every route is open to them).
  async staffWithRole(admin, username, roleCode, storeIds) {
    const roles = (await admin.get('/api/v1/roles')).body.items;
    const role = roles.find((r) => r.code === roleCode).id;
    const r = await admin.post('/api/v1/staff', { username, name: username, role_id: role, store_ids: storeIds, password: 'Initial#2026' });
    if (r.status !== 201) throw new Error(`staff ${username}: ${r.status} ${r.text}`);
    const c = await this.signIn(username, 'Initial#2026', { lang: 'en' });
    const changed = await c.put('/api/v1/me/password', { current_password: 'Initial#2026', new_password: 'Counter#2026' });
    if (changed.status !== 204) throw new Error(`password change ${username}: ${changed.status}`);
    return c;
  }

  async signIn(username, password = ADMIN_PASSWORD, opts = {}) {
    const c = this.client(opts);
    const r = await c.signIn(username, password);
    if (r.status !== 200) throw new Error(`sign-in ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    return c;
  }
}

export class Client {
  constructor(base, { lang, token } = {}) {
    this.base = base;
    this.lang = lang;
    this.token = token;
    this.cookie = '';
    this.csrf = '';
  }

  async request(method, url, body, { headers = {}, raw } = {}) {
    const h = { ...headers };
    if (this.lang) h['Accept-Language'] = this.lang;
    if (this.token) h.Authorization = `Bearer ${this.token}`;
    if (this.cookie) h.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['X-CSRF-Token'] = this.csrf;
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      h['Content-Type'] = 'application/json';
    }
    let res;
    try {
      res = await fetch(this.base + url, { method, headers: h, body: payload });
    } catch (e) {
      // A kept-alive connection the server closed while the test was busy elsewhere (a long
      // import) fails once; like a browser, retry a GET on a fresh connection.
      if (method !== 'GET') throw e;
      res = await fetch(this.base + url, { method, headers: h, body: payload });
    }
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0];
      this.cookie = pair.endsWith('=') ? '' : pair;
    }
    // ignoreBOM keeps a byte-order mark visible to tests (CSV exports start with one); `bytes`
    // is the body as sent (Excel files).
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    let json;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, body: json, text, bytes };
  }

  get(url, o) { return this.request('GET', url, undefined, o); }
  post(url, body, o) { return this.request('POST', url, body, o); }
  put(url, body, o) { return this.request('PUT', url, body, o); }
  del(url, o) { return this.request('DELETE', url, undefined, o); }

  async signIn(username, password) {
    const r = await this.post('/api/v1/session', { username, password });
    if (r.status === 200) this.csrf = r.body.csrf_token;
    return r;
  }
}

// The message of the field error on `field`, or undefined.
export function fieldError(res, field) {
  return res.body?.error?.fields?.find((f) => f.field === field)?.message;
}
