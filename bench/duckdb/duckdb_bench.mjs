// DuckDB beside the analytics bench: loads the receipts and lines that bench_analytics wrote
// beside its SQLite file into an in-memory DuckDB (2 threads, as the machine has), builds the
// same one-table `lines` SQLite has, and runs the same SQL (FILE.queries.tsv, written by
// bench_analytics) best of 3, printed as bench_analytics prints its rows. Figures only.
//
//   node duckdb_bench.mjs SQLITE-FILE              (reads SQLITE-FILE.sales.csv, .lines.csv, .queries.tsv)
//   node duckdb_bench.mjs SALES.csv LINES.csv QUERIES.tsv
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
if (args.length !== 1 && args.length !== 3) {
  console.error('usage: node duckdb_bench.mjs SQLITE-FILE | SALES.csv LINES.csv QUERIES.tsv');
  process.exit(2);
}
const [salesCsv, linesCsv, queriesTsv] =
  args.length === 1 ? ['.sales.csv', '.lines.csv', '.queries.tsv'].map((suffix) => args[0] + suffix) : args;
const threads = Number(process.env.DUCKDB_THREADS || 2);

// label<TAB>rows<TAB>sql, one query a line.
const queries = readFileSync(queriesTsv, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [label, rows, ...sql] = line.split('\t');
    return { label, rows, sql: sql.join('\t') };
  });

const quote = (path) => `'${path.replaceAll("'", "''")}'`;
const seconds = (since) => Number(process.hrtime.bigint() - since) / 1e9;
// bench_analytics' row format: "%-34s %8.3f %10s   (...)".
const row = (label, value, note) => `${label.padEnd(34)} ${value.toFixed(3).padStart(8)} ${''.padStart(10)}   (${note})`;

const instance = await DuckDBInstance.create(':memory:');
const db = await instance.connect();
await db.run(`SET threads = ${threads}`);
const version = (await db.runAndReadAll('SELECT version()')).getRows()[0][0];

// Types that hold the generated values (day: days since 1970, store: 1..50).
const t0 = process.hrtime.bigint();
await db.run(
  `CREATE TABLE sales AS SELECT * FROM read_csv(${quote(salesCsv)}, header = true, columns = ` +
    `{'receipt': 'INTEGER', 'member': 'INTEGER', 'day': 'USMALLINT', 'store': 'USMALLINT', 'refund': 'UTINYINT'})`,
);
await db.run(
  `CREATE TABLE sale_lines AS SELECT * FROM read_csv(${quote(linesCsv)}, header = true, columns = ` +
    `{'receipt': 'INTEGER', 'product': 'INTEGER', 'amount': 'INTEGER'})`,
);
const csvSeconds = seconds(t0);
const t1 = process.hrtime.bigint();
// The table SQLite has, receipt order kept.
await db.run(
  'CREATE TABLE lines AS SELECT l.receipt, s.member, s.day, s.store, l.product, l.amount, s.refund ' +
    'FROM sale_lines l JOIN sales s USING (receipt) ORDER BY l.receipt',
);
const joinSeconds = seconds(t1);
const counts = (await db.runAndReadAll('SELECT (SELECT COUNT(*) FROM sales), (SELECT COUNT(*) FROM lines)')).getRows()[0];
console.log(
  `duckdb ${version}: loaded ${counts[0]} receipts, ${counts[1]} lines in ${(csvSeconds + joinSeconds).toFixed(1)} s ` +
    `(CSV ${csvSeconds.toFixed(1)} s, one table ${joinSeconds.toFixed(1)} s; ${threads} threads, in memory)`,
);
await db.run('DROP TABLE sale_lines');

for (const q of queries) {
  let best = Infinity;
  let rows = 0;
  for (let run = 0; run < 3; ++run) {
    const t = process.hrtime.bigint();
    const result = await db.run(q.sql); // materialized inside DuckDB; no values are read into JavaScript
    best = Math.min(best, seconds(t));
    rows = result.rowCount;
  }
  console.log(row(`duckdb ${q.label}`, best, `${rows} ${q.rows}; same SQL, best of 3`));
}
db.closeSync();
