// Both dialects' migrations describe the same tables, columns, nullability, keys, unique
// column sets and foreign keys (runs in the PostgreSQL pass, where both engines are at hand).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BIN } from '../support/server.mjs';

const PG = process.env.STORECRM_TEST_PG;
const dir = mkdtempSync(path.join(tmpdir(), 'storecrm-schema-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sqlite(db, sql) {
  const out = execFileSync('sqlite3', ['-json', db, sql]).toString().trim();
  return out ? JSON.parse(out) : [];
}
function psql(url, sql) {
  return execFileSync('psql', [url, '-At', '-F', '\t', '-c', sql]).toString().trim().split('\n').filter(Boolean).map((l) => l.split('\t'));
}

function describeSqlite(db) {
  const schema = {};
  for (const { name } of sqlite(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
    const columns = sqlite(db, `PRAGMA table_info(${name})`);
    const unique = [];
    for (const idx of sqlite(db, `PRAGMA index_list(${name})`)) {
      if (!idx.unique) continue;
      unique.push(sqlite(db, `PRAGMA index_info(${idx.name})`).map((c) => c.name).join(','));
    }
    const pk = columns.filter((c) => c.pk).sort((a, b) => a.pk - b.pk).map((c) => c.name).join(',');
    if (pk && !unique.includes(pk)) unique.push(pk);
    schema[name] = {
      columns: columns.map((c) => `${c.name}${c.notnull || c.pk ? ' not null' : ''}`).sort(),
      pk,
      unique: unique.sort(),
      fks: sqlite(db, `PRAGMA foreign_key_list(${name})`).map((f) => `${f.from}->${f.table}.${f.to}`).sort(),
    };
  }
  return schema;
}

function describePostgres(url) {
  const schema = {};
  const tables = psql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1").map((r) => r[0]);
  for (const name of tables) {
    const columns = psql(url, `SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '${name}'`)
      .map(([c, nullable]) => `${c}${nullable === 'NO' ? ' not null' : ''}`).sort();
    const keyColumns = (kind) => psql(url, `SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM pg_index i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = '${name}'::regclass AND ${kind} GROUP BY i.indexrelid`).map((r) => r[0]);
    schema[name] = {
      columns,
      pk: keyColumns('i.indisprimary')[0] ?? '',
      unique: keyColumns('i.indisunique').sort(),
      fks: psql(url, `SELECT a.attname || '->' || c.confrelid::regclass || '.' || af.attname FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          JOIN pg_attribute af ON af.attrelid = c.confrelid AND af.attnum = c.confkey[1]
          WHERE c.contype = 'f' AND c.conrelid = '${name}'::regclass`).map((r) => r[0]).sort(),
    };
  }
  return schema;
}

if (PG) {
  test('the SQLite and PostgreSQL schemas are the same', () => {
    const db = path.join(dir, 'schema.db');
    execFileSync(BIN, ['migrate', '--db', db, '--key-file', path.join(dir, 'k')], { stdio: 'pipe' });
    const name = `schema_${process.pid}`;
    execFileSync('psql', [PG, '-qc', `CREATE DATABASE ${name}`]);
    const url = PG.replace(/\/[^/]*$/, `/${name}`);
    execFileSync(BIN, ['migrate', '--db', url, '--key-file', path.join(dir, 'k')], { stdio: 'pipe' });
    const lite = describeSqlite(db);
    const pg = describePostgres(url);
    assert.deepEqual(Object.keys(pg).sort(), Object.keys(lite).sort());
    assert.ok(Object.keys(lite).length >= 15);
    for (const table of Object.keys(lite)) assert.deepEqual(pg[table], lite[table], table);
  });
}
