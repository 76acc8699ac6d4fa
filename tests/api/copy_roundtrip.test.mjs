// storecrm copy: demo data on SQLite -> PostgreSQL -> SQLite again is identical, and the
// PostgreSQL copy serves the same answers with the same key.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { TestServer, BIN } from '../support/server.mjs';

const PG = process.env.STORECRM_TEST_PG;

const TABLES = ['stores', 'roles', 'staff', 'staff_stores', 'sessions', 'api_tokens', 'audit_log', 'sequences', 'tag_groups',
  'tags', 'custom_field_defs', 'members', 'member_search_keys', 'member_tags', 'member_consents', 'member_history'];

function dumpSqlite(db) {
  // Column order may differ after a round trip; quote mode prints blobs as X'..' so bytes compare.
  return TABLES.map((t) => {
    const cols = JSON.parse(execFileSync('sqlite3', ['-json', db, `SELECT name FROM pragma_table_info('${t}') ORDER BY name`]).toString())
      .map((c) => c.name).join(', ');
    return execFileSync('sqlite3', ['-cmd', '.mode quote', db, `SELECT ${cols} FROM ${t} ORDER BY ${cols}`], { maxBuffer: 64 << 20 }).toString();
  });
}

if (PG) {
  let source;
  let served;
  after(async () => {
    await served?.stopProcess();
    await source?.stop();
  });

  test('demo data survives SQLite -> PostgreSQL -> SQLite unchanged', async () => {
    source = await new TestServer({ demo: true, backend: 'sqlite' }).start();
    // Activity beyond the demo: edits with history, consents, a merge, audit entries, a token.
    const admin = await source.signIn('admin', 'Demo@2026');
    const m = (await admin.post('/api/v1/members', { phone: '13912340000', name: '往返', email: 'rt@example.com', home_store_id: 1, consents: { email: true } })).body;
    await admin.put(`/api/v1/members/${m.id}`, { version: m.version, notes: '第一行\n第二行', birthday: '1990-01-31' });
    const dup = (await admin.post('/api/v1/members', { phone: '13912340001', name: '往返', home_store_id: 1 })).body;
    await admin.post(`/api/v1/members/${m.id}/merge`, { other_id: dup.id });
    await admin.post('/api/v1/api-tokens', { name: 'pos', store_id: 1, permissions: ['members.read'] });
    await source.stopProcess();

    const name = `roundtrip_${process.pid}`;
    execFileSync('psql', [PG, '-qc', `CREATE DATABASE ${name}`]);
    const pgUrl = PG.replace(/\/[^/]*$/, `/${name}`);
    const there = execFileSync(BIN, ['copy', '--from', source.db, '--to', pgUrl], { stdio: 'pipe' }).toString();
    assert.match(there, /Copied and verified/);
    assert.match(there, /members\s+31\d rows/);
    // Every table holding data is copied: all but the per-database migration and scheduler state.
    const all = JSON.parse(execFileSync('sqlite3', ['-json', source.db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"]).toString())
      .map((t) => t.name).filter((t) => !['schema_migrations', 'jobs', 'job_runs'].includes(t));
    const copied = new Set([...there.matchAll(/^ {2}(\w+)\s+\d+ rows/gm)].map((m) => m[1]));
    assert.deepEqual(all.filter((t) => !copied.has(t)), [], 'tables the copy leaves behind');
    const back = path.join(source.dir, 'back.db');
    execFileSync(BIN, ['copy', '--from', pgUrl, '--to', back], { stdio: 'pipe' });
    const a = dumpSqlite(source.db);
    const b = dumpSqlite(back);
    for (let i = 0; i < TABLES.length; i++) assert.equal(b[i], a[i], `table ${TABLES[i]} is identical`);
    assert.ok(a[TABLES.indexOf('member_history')].length > 100);

    // A non-empty target is refused and left alone.
    assert.throws(() => execFileSync(BIN, ['copy', '--from', source.db, '--to', pgUrl], { stdio: 'pipe' }), /already holds data/);

    // The PostgreSQL copy serves the same members with the same key.
    served = Object.assign(new TestServer(), { dir: source.dir, db: pgUrl, keyFile: source.keyFile, backend: 'postgres' });
    await served.launch();
    const viaPg = await served.signIn('admin', 'Demo@2026');
    const found = await viaPg.get('/api/v1/members?q=13912340000');
    assert.equal(found.body.total, 1);
    assert.equal(found.body.items[0].email, 'rt@example.com');
    assert.equal((await viaPg.get(`/api/v1/members/${dup.id}`)).body.id, m.id, 'the merge link survives');
    const fresh = await viaPg.post('/api/v1/members', { phone: '13912340002', home_store_id: 1 });
    assert.equal(fresh.status, 201, 'new ids continue after the copied ones');
  });
}
