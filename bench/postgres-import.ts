/**
 * Benchmark (real PostgreSQL server): importing customers and paging deep into them.
 *  (a) raw `COPY FROM STDIN` of pre-cleaned rows — the baseline;
 *  (b) the SDK's full `client.importCsv` of the same rows as a CSV file (parse, map, validate,
 *      dedupe, plan, set-based writes through the Postgres adapter);
 *  (c) the original app's approach: one INSERT per row, all fired together over a pool (100,000 rows);
 *  then page time at depth 0 / 10,000 / 500,000 with OFFSET vs the adapter's keyset cursor.
 * (a) and (b) run interleaved for several rounds (each into a fresh schema, after a CHECKPOINT so
 * neither inherits the other's WAL backlog); the ratios use the best round of each, medians shown too.
 * Run: node --conditions=@donutauto/source --import tsx bench/postgres-import.ts [rows] [rounds]
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_BATCH, BENCH_CONCURRENCY.
 */
import { pipeline } from 'node:stream/promises';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient, createMemoryAdapter } from '@donutauto/core';
import { encodeCursor } from '@donutauto/core/adapter';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../packages/adapter-postgres/src/row-codec';
import { sqlNames } from '../packages/adapter-postgres/src/sql/sql-names';
import { copySql } from '../packages/adapter-postgres/src/sql/statements';
import { COPY_COLUMNS, cleanCustomer, columnValues, csvText } from './postgres-data';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.argv[2] ?? 1_000_000);
const rounds = Number(process.argv[3] ?? 3);
const rowByRowRows = Math.min(100_000, rows);
const batchSize = Number(process.env.BENCH_BATCH ?? 2_000);
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

/** COPY text of every row, in 10,000-row chunks, made before any timing. */
function copyChunks(): string[] {
  const base = Date.UTC(2026, 0, 1);
  const chunks: string[] = [];
  for (let start = 0; start < rows; start += 10_000) {
    const customers = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++)
      customers.push(cleanCustomer(i, org, base + i));
    chunks.push(copyText(customers));
  }
  return chunks;
}

/** Flushes dirty buffers and WAL, so the next timed load starts from the same state (superuser only). */
async function checkpoint(): Promise<void> {
  await pool.query('CHECKPOINT').catch(() => undefined);
}

/** Raw COPY into `schema`'s customers table, with the adapter's own COPY statement (same columns as `copyText`). */
async function rawCopy(schema: string, chunks: readonly string[]): Promise<number> {
  const client = await pool.connect();
  try {
    await checkpoint();
    const { ms } = await timed(() =>
      pipeline(chunks.values(), client.query(copyFrom(copySql(sqlNames(schema, ''))))),
    );
    return ms;
  } finally {
    client.release();
  }
}

async function importRound(schema: string, csv: string): Promise<number> {
  const adapter = await freshAdapter(schema);
  const client = createCustomerClient({ adapter, organizationId: org });
  await checkpoint();
  const { ms, value: report } = await timed(() => client.importCsv(csv, { batchSize, concurrency }));
  if (report.addedCount !== rows || report.errorCount !== 0) {
    throw new Error(`importCsv added ${report.addedCount} of ${rows} rows (${report.errorCount} errors)`);
  }
  return ms;
}

const best = (times: readonly number[]) => Math.min(...times);
const middle = (times: readonly number[]) => [...times].sort((x, y) => x - y)[Math.floor(times.length / 2)]!;

async function memoryReference(): Promise<void> {
  const memoryClient = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: org });
  const { ms } = await timed(() => memoryClient.importCsv(csvText(0, rows), { batchSize, concurrency }));
  console.log(
    `(ref) client.importCsv into the memory adapter: ${ms.toFixed(0)} ms = ${perSecond(rows, ms)} rows/s`,
  );
}

/** Runs (a) and (b) `rounds` times, interleaved; the last COPY table stays for the paging test. */
async function loadRounds() {
  const chunks = copyChunks();
  const csv = csvText(0, rows);
  const copyTimes: number[] = [];
  const importTimes: number[] = [];
  let copyAdapter = await freshAdapter('bench_pg_copy');
  for (let round = 0; round < rounds; round++) {
    if (round > 0) copyAdapter = await freshAdapter('bench_pg_copy');
    copyTimes.push(await rawCopy('bench_pg_copy', chunks));
    importTimes.push(await importRound('bench_pg_import', csv));
    console.log(
      `  round ${round + 1}: (a) ${copyTimes[round]!.toFixed(0)} ms, (b) ${importTimes[round]!.toFixed(0)} ms`,
    );
  }
  return { copyTimes, importTimes, copyAdapter };
}

async function main() {
  console.log(
    `PostgreSQL import benchmark: ${rows} rows (row-by-row: ${rowByRowRows}), batchSize ${batchSize}, concurrency ${concurrency}`,
  );
  console.log((await pool.query('SELECT version()')).rows[0].version);

  // The loaded data (≈250 MB of text) is made and dropped inside loadRounds, before anything else is timed.
  const { copyTimes, importTimes, copyAdapter } = await loadRounds();
  const a = perSecond(rows, best(copyTimes));
  const b = perSecond(rows, best(importTimes));
  console.log(
    `(a) raw COPY FROM STDIN, pre-cleaned rows: ${rows} rows, best ${best(copyTimes).toFixed(0)} ms = ${a} rows/s ` +
      `(median ${perSecond(rows, middle(copyTimes))} rows/s)`,
  );
  console.log(
    `(b) client.importCsv (CSV text → Postgres adapter): ${rows} added, best ${best(importTimes).toFixed(0)} ms = ${b} rows/s ` +
      `(median ${perSecond(rows, middle(importTimes))} rows/s)`,
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
  console.log(
    `ratio b/a (time per row, importCsv vs raw COPY; target ≤ 1.5): ${(a / b).toFixed(2)} best, ` +
      `${(middle(importTimes) / middle(copyTimes)).toFixed(2)} median`,
  );
  console.log(`ratio b/c (speed, importCsv vs row-by-row; target ≥ 10): ${(b / c).toFixed(2)}`);

  // Paging at depth on the COPY table (rows in one organization). Depths are measured in turn within
  // each run (after 3 warm-up runs), so drift on the machine hits them alike; medians of 25 runs.
  const query = { numItems: 50, filter: {}, sort: 'newest' as const };
  const table = copyAdapter.tables.customers;
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
  // Keyset pages first, then OFFSET pages, each pass with the depths in turn: run between them, the
  // OFFSET scan of 500,000 rows would evict the deep keyset page's buffers every time (measured: ~1.8×
  // its own time) while page 1, re-read by every scan, stays cached.
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
  const keysetTimes = await pass((i) => copyAdapter.list(org, { ...query, cursor: cursors[i]! }));
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

  // Reference, not a target: the same importCsv into the in-memory adapter shows what the JavaScript
  // side (parse, map, validate, dedupe, plan) costs on its own on this machine. It runs last, in its
  // own scope: the million customers it keeps would otherwise sit in the heap during the other phases.
  await memoryReference();

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
