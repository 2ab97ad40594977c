/**
 * Benchmark (real PostgreSQL server): importing customers and paging deep into them.
 *  (a) raw `COPY FROM STDIN` of pre-cleaned rows — the baseline;
 *  (b) the SDK's full `client.importCsv` of the same rows as a CSV file (parse, map, validate,
 *      dedupe, plan, set-based writes through the Postgres adapter);
 *  (c) the original app's approach: one INSERT per row, all fired together over a pool (100,000 rows);
 *  then page time at depth 0 / 10,000 / 500,000 with OFFSET vs the adapter's keyset cursor.
 * Run: node --conditions=@donutauto/source --import tsx bench/postgres-import.ts [rows]
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_BATCH, BENCH_CONCURRENCY.
 */
import { pipeline } from 'node:stream/promises';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient, createMemoryAdapter, encodeCursor } from '@donutauto/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_COLUMNS, cleanCustomer, columnValues, copyLine, csvText } from './postgres-data';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.argv[2] ?? 1_000_000);
const rowByRowRows = Math.min(100_000, rows);
const batchSize = Number(process.env.BENCH_BATCH ?? 5_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);
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

async function rawCopy(table: string): Promise<number> {
  const base = Date.UTC(2026, 0, 1);
  const chunks: string[] = [];
  for (let start = 0; start < rows; start += 10_000) {
    let text = '';
    for (let i = start; i < Math.min(rows, start + 10_000); i++)
      text += copyLine(cleanCustomer(i, org, base + i));
    chunks.push(text);
  }
  const client = await pool.connect();
  try {
    const { ms } = await timed(() =>
      pipeline(chunks.values(), client.query(copyFrom(`COPY ${table} (${COPY_COLUMNS}) FROM STDIN`))),
    );
    return ms;
  } finally {
    client.release();
  }
}

async function median(fn: () => Promise<unknown>, runs = 21): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up: plan cache, buffers
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn)).ms);
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

async function memoryReference(): Promise<void> {
  const memoryClient = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: org });
  const { ms } = await timed(() => memoryClient.importCsv(csvText(0, rows), { batchSize, concurrency }));
  console.log(`(ref) client.importCsv into the memory adapter: ${ms.toFixed(0)} ms = ${perSecond(rows, ms)} rows/s`);
}

async function main() {
  console.log(
    `PostgreSQL import benchmark: ${rows} rows (row-by-row: ${rowByRowRows}), batchSize ${batchSize}, concurrency ${concurrency}`,
  );
  console.log((await pool.query('SELECT version()')).rows[0].version);

  const copyAdapter = await freshAdapter('bench_pg_copy');
  const copyMs = await rawCopy(copyAdapter.tables.customers);
  const a = perSecond(rows, copyMs);
  console.log(
    `(a) raw COPY FROM STDIN, pre-cleaned rows: ${rows} rows in ${copyMs.toFixed(0)} ms = ${a} rows/s`,
  );

  const importAdapter = await freshAdapter('bench_pg_import');
  const csv = csvText(0, rows);
  const client = createCustomerClient({ adapter: importAdapter, organizationId: org });
  const { ms: importMs, value: report } = await timed(() =>
    client.importCsv(csv, { batchSize, concurrency }),
  );
  const b = perSecond(rows, importMs);
  console.log(
    `(b) client.importCsv (CSV text → Postgres adapter): ${report.addedCount} added, ${report.errorCount} errors, ` +
      `${importMs.toFixed(0)} ms = ${b} rows/s`,
  );

  const rowAdapter = await freshAdapter('bench_pg_rowwise');
  const placeholders = Array.from(
    { length: columnValues(cleanCustomer(0, org, 0)).length },
    (_, i) => `$${i + 1}`,
  ).join(', ');
  const insert = `INSERT INTO ${rowAdapter.tables.customers} (${COPY_COLUMNS}) VALUES (${placeholders})`;
  const base = Date.UTC(2026, 0, 1);
  const { ms: rowMs } = await timed(() =>
    Promise.all(
      Array.from({ length: rowByRowRows }, (_, i) => {
        const c = cleanCustomer(i, org, base + i);
        return pool.query(insert, columnValues(c));
      }),
    ),
  );
  const c = perSecond(rowByRowRows, rowMs);
  console.log(
    `(c) one INSERT per row over a pool of 12: ${rowByRowRows} rows in ${rowMs.toFixed(0)} ms = ${c} rows/s`,
  );
  console.log(`ratio b/a (time per row, importCsv vs raw COPY; target ≤ 1.5): ${(a / b).toFixed(2)}`);
  console.log(`ratio b/c (speed, importCsv vs row-by-row; target ≥ 10): ${(b / c).toFixed(2)}`);

  // Reference, not a target: the same importCsv into the in-memory adapter shows what the JavaScript
  // side (parse, map, validate, dedupe, plan) costs on its own on this machine. It runs last, in its
  // own scope: the million customers it keeps would otherwise sit in the heap during (b) and (c).
  await memoryReference();

  // Paging at depth on the COPY table (rows in one organization).
  const query = { numItems: 50, filter: {}, sort: 'newest' as const };
  const table = copyAdapter.tables.customers;
  await pool.query(`ANALYZE ${table}`);
  const depths = [0, 10_000, 500_000].filter((d) => d < rows);
  const results: { depth: number; offset: number; keyset: number }[] = [];
  for (const depth of depths) {
    const offset = await median(() =>
      pool.query(
        `SELECT * FROM ${table} WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET ${depth}`,
        [org],
      ),
    );
    let cursor: string | null = null;
    if (depth > 0) {
      const { rows: at } = await pool.query(
        `SELECT created_at, id FROM ${table} WHERE organization_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1 OFFSET ${depth - 1}`,
        [org],
      );
      cursor = encodeCursor(org, query, [Number(at[0].created_at), at[0].id]);
    }
    const keyset = await median(() => copyAdapter.list(org, { ...query, cursor }));
    results.push({ depth, offset, keyset });
    console.log(
      `page of 50 at depth ${depth}: OFFSET ${offset.toFixed(2)} ms, keyset ${keyset.toFixed(2)} ms`,
    );
  }
  const first = results[0]!;
  for (const r of results.slice(1)) {
    console.log(
      `depth ${r.depth} vs page 1: keyset ${(r.keyset / first.keyset).toFixed(2)}× (target ≤ 1.2), OFFSET ${(r.offset / first.offset).toFixed(2)}×`,
    );
  }

  for (const schema of ['bench_pg_copy', 'bench_pg_import', 'bench_pg_rowwise']) {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
  await pool.end();
}

main().catch(async (error: unknown) => {
  console.error(error);
  await pool.end();
  process.exit(1);
});
