/**
 * Benchmark (real PostgreSQL server): search, filters, sorts and a segment on one organization of
 * 1,000,000 customers. For every filter kind it times, in the same run on the same rows:
 *  - the first page (20 rows) through the adapter, and the same statement with index and bitmap
 *    scans switched off (`SET enable_indexscan/bitmapscan/indexonlyscan = off`: a sequential scan),
 *  - a deep page: the page after row 200,000 (page 10,001 of 20), or after the middle row when the
 *    filter matches fewer, reached with a keyset cursor,
 *  - the count, indexed and scanned,
 * and prints the ratios: first page scan ÷ indexed (target ≥ 10) and deep ÷ first (target ≤ 1.2),
 * the latter also from the server's own execution time (EXPLAIN ANALYZE), free of client noise.
 * Each time is the median of several runs; the host may be shared, so read ratios, not absolutes.
 *
 * Run: node --conditions=@donutauto/source --import tsx bench/search.ts [rows=1000000]
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); BENCH_REUSE=1 reuses an
 * already loaded schema `bench_search`; BENCH_KEEP=1 keeps it afterwards.
 */
import { pipeline } from 'node:stream/promises';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import {
  type CustomerFilter,
  type CustomerSort,
  createCustomerClient,
  type StorageAdapter,
} from '@donutauto/core';
import {
  encodeCursor,
  type NormalizedFilter,
  normalizeFilter,
  type SortPosition,
  sortPosition,
} from '@donutauto/core/adapter';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type CustomerRow, copyText, rowToCustomer } from '../packages/adapter-postgres/src/row-codec';
import { filterSql, SqlParams } from '../packages/adapter-postgres/src/sql/filter-sql';
import { listSql } from '../packages/adapter-postgres/src/sql/list-sql';
import { sqlNames } from '../packages/adapter-postgres/src/sql/sql-names';
import { copySql } from '../packages/adapter-postgres/src/sql/statements';
import {
  alternating,
  BENCH_TODAY,
  GLAZED_BIRTHDAYS,
  median,
  searchCases,
  searchCustomer,
} from './search-data';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.argv[2] ?? 1_000_000);
const schema = 'bench_search';
const org = 'bench-org';
const names = sqlNames(schema, '');
const pool = new pg.Pool({ connectionString: url, max: 4 });
const now = Date.parse(`${BENCH_TODAY}T12:00:00Z`);
const PAGE = 20;
const DEEP_ROW = 200_000;

async function* copyChunks() {
  for (let start = 0; start < rows; start += 10_000) {
    const batch = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++) batch.push(searchCustomer(i, org));
    yield copyText(batch);
  }
}

/** Loads the organization: COPY with the B-tree indexes in place, the GIN indexes built afterwards. */
async function load(): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  const adapter = createPostgresAdapter({ db: pool, schema, notify: false });
  const first = await adapter.migrate();
  for (const index of await searchIndexes()) await pool.query(`DROP INDEX "${schema}"."${index}"`);
  let start = performance.now();
  const client = await pool.connect();
  try {
    await pipeline(copyChunks(), client.query(copyFrom(copySql(names))));
  } finally {
    client.release();
  }
  console.log(
    `loaded ${rows.toLocaleString('en-US')} customers with COPY in ${((performance.now() - start) / 1000).toFixed(1)} s`,
  );
  start = performance.now();
  const again = await adapter.migrate();
  console.log(
    `search indexes: missing at first migrate ${JSON.stringify(first.missingIndexes)}, built after the load in ${((performance.now() - start) / 1000).toFixed(1)} s, missing now ${JSON.stringify(again.missingIndexes)}`,
  );
  await pool.query(`VACUUM ANALYZE ${names.customers}`);
}

async function searchIndexes(): Promise<string[]> {
  const { rows: found } = await pool.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%USING gin%'",
    [schema],
  );
  return found.map((r) => r.indexname);
}

/** The cursor after row `depth` (0-based) of a listing, found with OFFSET (the bench only). */
async function positionAt(
  filter: NormalizedFilter,
  sort: CustomerSort,
  depth: number,
): Promise<SortPosition> {
  const params = new SqlParams([org]);
  const statement = `${listSql(names, sort, filterSql(filter, params), undefined, params, 1)} OFFSET ${depth}`;
  const { rows: found } = await pool.query<CustomerRow>(statement, params.values);
  const row = found[0];
  if (!row) throw new Error(`no row at depth ${depth}`);
  return sortPosition(sort, rowToCustomer(row));
}

/**
 * The server's own execution time of the page statement the adapter runs (EXPLAIN ANALYZE): what
 * the database does for page 1 and for a deep page, without the client, the network or the
 * scheduling of a shared host.
 */
async function serverMs(filter: NormalizedFilter, sort: CustomerSort, after: SortPosition | undefined) {
  const params = new SqlParams([org]);
  const statement = listSql(names, sort, filterSql(filter, params), after, params, PAGE + 1);
  const { rows: plan } = await pool.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${statement}`, params.values);
  const report = (plan[0] as Record<string, unknown>)['QUERY PLAN'] as { 'Execution Time': number }[];
  return report[0]!['Execution Time'];
}

/** Median server-side times of functions that each return one, run in turn. */
async function serverTimes(runs: number, fns: readonly (() => Promise<number>)[]): Promise<number[]> {
  const times = fns.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) for (const [i, fn] of fns.entries()) times[i]!.push(await fn());
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(runs / 2)]!);
}

const ms = (t: number) => (Number.isNaN(t) ? '-' : t < 10 ? t.toFixed(2) : t.toFixed(0)).padStart(8);
const ratio = (r: number) => (Number.isNaN(r) ? '-' : `${r.toFixed(1)}×`).padStart(8);

async function measure(
  label: string,
  filter: NormalizedFilter,
  sort: CustomerSort,
  indexed: StorageAdapter,
  scanned: StorageAdapter,
  firstPage?: () => Promise<{ page: { id: string }[] }>,
  count?: () => Promise<number>,
) {
  const query = { numItems: PAGE, cursor: null, filter, sort };
  const page = firstPage ?? (() => indexed.list(org, query));
  const [mine, theirs] = [await page(), await scanned.list(org, query)];
  if (mine.page.map((c) => c.id).join() !== theirs.page.map((c) => c.id).join()) {
    throw new Error(`${label}: the indexed and scanned first pages differ`);
  }
  const scanFirst = await median(3, () => scanned.list(org, query));
  const matches = await (count ?? (() => indexed.count(org, filter)))();
  const countMs = await median(3, count ?? (() => indexed.count(org, filter)));
  const scanCount = await median(3, () => scanned.count(org, filter));
  const depth = Math.min(DEEP_ROW, Math.floor(matches / 2));
  let first: number;
  let deep = Number.NaN;
  let server = [Number.NaN, Number.NaN];
  if (depth >= PAGE) {
    const position = await positionAt(filter, sort, depth - 1);
    const cursor = encodeCursor(org, { filter, sort }, position);
    [first, deep] = (await alternating(31, [page, () => indexed.list(org, { ...query, cursor })])) as [
      number,
      number,
    ];
    server = await serverTimes(31, [
      () => serverMs(filter, sort, undefined),
      () => serverMs(filter, sort, position),
    ]);
  } else {
    first = await median(31, page);
  }
  const pageNo = depth >= PAGE ? `p${Math.floor(depth / PAGE) + 1}` : '-';
  console.log(
    `${label.padEnd(36)}${String(matches).padStart(9)}${ms(first)}${ms(scanFirst)}${ratio(scanFirst / first)}${pageNo.padStart(8)}${ms(deep)}${ratio(deep / first)}${ms(server[0]!)}${ms(server[1]!)}${ratio(server[1]! / server[0]!)}${ms(countMs)}${ms(scanCount)}${ratio(scanCount / countMs)}`,
  );
}

async function main() {
  const version = (await pool.query('SELECT version()')).rows[0].version as string;
  console.log(`search benchmark: ${rows.toLocaleString('en-US')} customers in one organization; ${version}`);
  const loaded = process.env.BENCH_REUSE
    ? Number(
        (await pool.query(`SELECT count(*) AS n FROM ${names.customers}`).catch(() => ({ rows: [{ n: 0 }] })))
          .rows[0].n,
      )
    : 0;
  if (loaded !== rows) await load();
  console.log(`GIN indexes: ${(await searchIndexes()).join(', ')}`);

  const indexed = createPostgresAdapter({ db: pool, schema, notify: false });
  const scanConnection = new pg.Client({ connectionString: url });
  await scanConnection.connect();
  await scanConnection.query(
    'SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = off',
  );
  const scanned = createPostgresAdapter({ db: scanConnection, schema, notify: false });

  console.log(
    `\n${'case'.padEnd(36)}${'matches'.padStart(9)}${'page1'.padStart(8)}${'scan'.padStart(8)}${'scan÷'.padStart(8)}${'deep'.padStart(8)}${'ms'.padStart(8)}${'÷page1'.padStart(8)}${'srv p1'.padStart(8)}${'srv dp'.padStart(8)}${'÷'.padStart(8)}${'count'.padStart(8)}${'scan'.padStart(8)}${'scan÷'.padStart(8)}`,
  );
  console.log(
    "  (ms; pages: median of 31 runs, page 1 and the deep page alternating; srv = the statement's server-side execution time (EXPLAIN ANALYZE), median of 31; scans, counts: median of 3; deep = the page after row 200,000, or after the middle match)",
  );
  for (const c of searchCases(rows)) {
    await measure(c.label, normalizeFilter(c.filter, { now }), c.sort, indexed, scanned);
  }

  // The segment, used through the client as an app would: create it, list and count its members.
  const client = createCustomerClient({ adapter: indexed, organizationId: org, now: () => now });
  const segment = await client.createSegment({
    name: 'Glazed birthdays',
    filter: GLAZED_BIRTHDAYS as CustomerFilter,
  });
  const target = { segmentId: segment.id };
  await measure(
    'segment glazed AND birthday ≤ 14 days',
    await client.resolveFilter(target),
    'newest',
    indexed,
    scanned,
    () => client.list({ numItems: PAGE, filter: target }),
    () => client.count(target),
  );
  await client.deleteSegment(segment.id);

  await scanConnection.end();
  if (!process.env.BENCH_KEEP) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}

await main();
