/**
 * Benchmark (real PostgreSQL server): the original app's one INSERT per row against the adapter's
 * set-based import, and page time at depth with OFFSET against the adapter's keyset cursor.
 *  (c) one INSERT per row, all fired together over a pool of 12 (100,000 rows by default);
 *  (b) `client.importCsv` of the same rows (the ratio b/c is the speed-up);
 *  then pages of 50 at depth 0 / 10,000 / 500,000 of a table loaded with raw COPY.
 * Run: node --conditions=@donutauto/source --import tsx bench/postgres-paging.ts [rows=1000000] [row-by-row rows=100000]
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { pipeline } from 'node:stream/promises';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient } from '@donutauto/core';
import { encodeCursor } from '@donutauto/core/adapter';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../packages/adapter-postgres/src/row-codec';
import { sqlNames } from '../packages/adapter-postgres/src/sql/sql-names';
import { copySql } from '../packages/adapter-postgres/src/sql/statements';
import { COPY_COLUMNS, cleanCustomer, columnValues, csvText } from './postgres-data';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.argv[2] ?? 1_000_000);
const rowByRowRows = Math.min(Number(process.argv[3] ?? 100_000), rows);
const org = 'bench-org';
const pool = new pg.Pool({ connectionString: url, max: 12 });

async function freshAdapter(schema: string) {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  const adapter = createPostgresAdapter({ db: pool, schema, copyFrom, notify: false });
  await adapter.migrate();
  return adapter;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

const perSecond = (n: number, ms: number) => Math.round((n / ms) * 1000);
const middle = (times: readonly number[]) => [...times].sort((x, y) => x - y)[Math.floor(times.length / 2)]!;

async function rowByRow(): Promise<void> {
  const rowAdapter = await freshAdapter('bench_pg_rowwise');
  const placeholders = Array.from(
    { length: columnValues(cleanCustomer(0, org, 0)).length },
    (_, i) => `$${i + 1}`,
  ).join(', ');
  const insert = `INSERT INTO ${rowAdapter.tables.customers} (${COPY_COLUMNS}) VALUES (${placeholders})`;
  const base = Date.UTC(2026, 0, 1);
  const { ms: rowMs } = await timed(() =>
    Promise.all(
      Array.from({ length: rowByRowRows }, (_, i) =>
        pool.query(insert, columnValues(cleanCustomer(i, org, base + i))),
      ),
    ),
  );
  const importAdapter = await freshAdapter('bench_pg_rowwise');
  const client = createCustomerClient({ adapter: importAdapter, organizationId: org });
  const { ms: importMs } = await timed(() => client.importCsv(csvText(0, rowByRowRows)));
  console.log(
    `(c) one INSERT per row over a pool of 12: ${rowByRowRows} rows in ${rowMs.toFixed(0)} ms = ${perSecond(rowByRowRows, rowMs)} rows/s`,
  );
  console.log(
    `(b) client.importCsv of the same rows: ${importMs.toFixed(0)} ms = ${perSecond(rowByRowRows, importMs)} rows/s`,
  );
  console.log(`ratio b/c (speed, importCsv vs row-by-row; target ≥ 10): ${(rowMs / importMs).toFixed(2)}`);
}

async function paging(): Promise<void> {
  const adapter = await freshAdapter('bench_pg_paging');
  const base = Date.UTC(2026, 0, 1);
  const chunks: string[] = [];
  for (let start = 0; start < rows; start += 10_000) {
    const customers = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++)
      customers.push(cleanCustomer(i, org, base + i));
    chunks.push(copyText(customers));
  }
  const connection = await pool.connect();
  try {
    await pipeline(chunks.values(), connection.query(copyFrom(copySql(sqlNames('bench_pg_paging', '')))));
  } finally {
    connection.release();
  }
  // Depths are measured in turn within each run (after 3 warm-up runs), so drift on the machine hits
  // them alike; medians of 25 runs.
  const query = { numItems: 50, filter: {}, sort: 'newest' as const };
  const table = adapter.tables.customers;
  await pool.query(`VACUUM ANALYZE ${table}`);
  const depths = [0, 10_000, 500_000].filter((d) => d < rows);
  const cursors: (string | null)[] = [];
  for (const depth of depths) {
    if (depth === 0) {
      cursors.push(null);
      continue;
    }
    const { rows: at } = await pool.query(
      `SELECT created_at, id FROM ${table} WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ${depth - 1}`,
      [org],
    );
    cursors.push(encodeCursor(org, query, [Number(at[0].created_at), at[0].id]));
  }
  // Keyset pages first, then OFFSET pages: run between them, the OFFSET scan of 500,000 rows would
  // evict the deep keyset page's buffers every time while page 1, re-read by every scan, stays cached.
  const pass = async (page: (i: number) => Promise<unknown>) => {
    const times = depths.map(() => [] as number[]);
    for (let run = -3; run < 25; run++) {
      for (let i = 0; i < depths.length; i++) {
        const { ms } = await timed(() => page(i));
        if (run >= 0) times[i]!.push(ms);
      }
    }
    return times;
  };
  const keysetTimes = await pass((i) => adapter.list(org, { ...query, cursor: cursors[i]! }));
  const offsetTimes = await pass((i) =>
    pool.query(
      `SELECT * FROM ${table} WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET ${depths[i]}`,
      [org],
    ),
  );
  const results = depths.map((depth, i) => ({
    depth,
    offset: middle(offsetTimes[i]!),
    keyset: middle(keysetTimes[i]!),
  }));
  for (const r of results) {
    console.log(
      `page of 50 at depth ${r.depth}: OFFSET ${r.offset.toFixed(2)} ms, keyset ${r.keyset.toFixed(2)} ms`,
    );
  }
  const first = results[0]!;
  for (const r of results.slice(1)) {
    console.log(
      `depth ${r.depth} vs page 1: keyset ${(r.keyset / first.keyset).toFixed(2)}× (target ≤ 1.2), OFFSET ${(r.offset / first.offset).toFixed(2)}×`,
    );
  }
}

try {
  console.log(`PostgreSQL paging benchmark: ${rows} rows (row-by-row: ${rowByRowRows})`);
  await rowByRow();
  await paging();
} finally {
  for (const schema of ['bench_pg_rowwise', 'bench_pg_paging'])
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
