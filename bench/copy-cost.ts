/**
 * Benchmark (real PostgreSQL server): what each part of the customers schema costs a bulk load.
 * For every variant it builds a fresh schema with the adapter's migrations, takes one part away
 * (an index, a column) or changes one setting, CHECKPOINTs, then times raw `COPY FROM STDIN` of
 * `rows` generated customers in one statement (`copy`), or `client.importCsv` of the same rows as a
 * CSV file through `copyFrom` with the default batches (`import`). Besides wall time it reads the
 * server backends' CPU time from /proc (the server's own work, steadier than wall time on a shared
 * machine; the database must run on this host) and the WAL the load wrote. Variants interleave
 * over rounds, each round in a rotated order; the table shows the best wall time, the median, the
 * least server CPU and the ratio of each to the `today` baseline measured in the same run.
 *
 * Run: node --conditions=@donutauto/source --import tsx bench/copy-cost.ts [rows=200000] [rounds=3] [copy|import] [variant,…]
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test). Uses and drops the schema `copy_cost`.
 */
import { createReadStream, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient } from '@donutauto/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../packages/adapter-postgres/src/row-codec';
import { type SqlNames, sqlNames } from '../packages/adapter-postgres/src/sql/sql-names';
import { copySql } from '../packages/adapter-postgres/src/sql/statements';
import { cleanCustomer, writeCsvFile } from './postgres-data';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const rows = Number(process.argv[2] ?? 200_000);
const rounds = Number(process.argv[3] ?? 3);
const mode = process.argv[4] === 'import' ? 'import' : 'copy';
const only = process.argv[5]?.split(',');
const org = 'bench-org';
const schema = 'copy_cost';
const names = sqlNames(schema, '');
const APP = 'donutauto_copy_cost';

const index = (n: SqlNames, suffix: string) => `"${schema}"."${n.customersName}_${suffix}"`;
const drop = (n: SqlNames, suffix: string) => `DROP INDEX ${index(n, suffix)}`;
const GIN = ['words_trgm_idx', 'pref_keys_idx', 'tag_keys_idx'];
const SORT = ['org_updated_idx', 'org_last_name_idx', 'org_first_name_idx', 'org_birthday_idx'];

interface Variant {
  /** Statements run after `migrate()`. */
  readonly alter?: (n: SqlNames) => string[];
  /** Statements run on the loading connection before the load (reset afterwards). */
  readonly session?: readonly string[];
  /** Build the schema of the 2026-12-07 05:10 runs instead of migrating (COPY only). */
  readonly old?: true;
}

const VARIANTS: Record<string, Variant> = {
  today: {},
  '-words_trgm': { alter: (n) => [drop(n, 'words_trgm_idx')] },
  // The schema before migration 8: the phone's own trigram index, which a digits search no longer uses.
  '+phone_trgm': {
    alter: (n) => [
      `CREATE INDEX "${n.customersName}_phone_trgm_idx" ON ${n.customers} USING gin (organization_id, phone gin_trgm_ops)`,
    ],
  },
  '-pref_gin': { alter: (n) => [drop(n, 'pref_keys_idx')] },
  '-tag_gin': { alter: (n) => [drop(n, 'tag_keys_idx')] },
  '-all_gin': { alter: (n) => GIN.map((s) => drop(n, s)) },
  '-updated_idx': { alter: (n) => [drop(n, 'org_updated_idx')] },
  '-last_name_idx': { alter: (n) => [drop(n, 'org_last_name_idx')] },
  '-first_name_idx': { alter: (n) => [drop(n, 'org_first_name_idx')] },
  '-birthday_idx': { alter: (n) => [drop(n, 'org_birthday_idx')] },
  '-change_idx': { alter: (n) => [`DROP INDEX "${schema}".${n.changeIndex}`] },
  '-change_xid': { alter: (n) => [`ALTER TABLE ${n.customers} DROP COLUMN change_xid`] },
  '-keyset_idx': { alter: (n) => [`DROP INDEX "${schema}".${n.keysetIndex}`] },
  // Today's columns with only the indexes of the 05:10 schema: primary key, email key, keyset.
  'old indexes': {
    alter: (n) => [...[...GIN, ...SORT].map((s) => drop(n, s)), `DROP INDEX "${schema}".${n.changeIndex}`],
  },
  '05:10 schema': { old: true },
  // The two time indexes ascending (a backward scan serves newest first).
  'asc time idx': {
    alter: (n) => [
      `DROP INDEX "${schema}".${n.keysetIndex}`,
      drop(n, 'org_updated_idx'),
      `CREATE INDEX ${n.keysetIndex} ON ${n.customers} (organization_id, created_at, id)`,
      `CREATE INDEX ${index(n, 'org_updated_idx')} ON ${n.customers} (organization_id, updated_at, id)`,
    ],
  },
  'gin fastupdate off': {
    alter: (n) => GIN.map((s) => `ALTER INDEX ${index(n, s)} SET (fastupdate = off)`),
  },
  'gin pending 64MB': {
    alter: (n) => GIN.map((s) => `ALTER INDEX ${index(n, s)} SET (gin_pending_list_limit = 65536)`),
  },
  'gin pending+work_mem 64MB': {
    alter: (n) => GIN.map((s) => `ALTER INDEX ${index(n, s)} SET (gin_pending_list_limit = 65536)`),
    session: ['SET work_mem = 65536'],
  },
};

/**
 * The customers table of the 2026-12-07 05:10 import runs (import branch at 905c12b: migrations 1,
 * 4 and 5): no derived search columns, consent or change feed; primary key, email key and the
 * created-at keyset index only.
 */
const oldTable = (n: SqlNames) => [
  `CREATE SCHEMA "${schema}"`,
  `CREATE TABLE ${n.customers} (
    organization_id text NOT NULL, id text COLLATE "C" NOT NULL, first_name text NOT NULL,
    last_name text NOT NULL, email text NOT NULL, phone text, dob text,
    preferences text[] NOT NULL DEFAULT '{}', instagram_handle text, tiktok_handle text,
    twitter_handle text, gender text, location text, notes text, tags text[] NOT NULL DEFAULT '{}',
    custom_fields jsonb NOT NULL DEFAULT '{}', created_at bigint NOT NULL, updated_at bigint NOT NULL,
    version integer NOT NULL DEFAULT 1, email_key text NOT NULL,
    CONSTRAINT ${n.primaryKey} PRIMARY KEY (organization_id, id))`,
  `CREATE UNIQUE INDEX ${n.emailIndex} ON ${n.customers} (organization_id, email_key)`,
  `CREATE INDEX ${n.keysetIndex} ON ${n.customers} (organization_id, created_at DESC, id DESC)`,
];
const oldCopySql = (n: SqlNames) =>
  `COPY ${n.customers} (organization_id, id, first_name, last_name, email, phone, dob, preferences,
    instagram_handle, tiktok_handle, twitter_handle, gender, location, notes, tags, custom_fields,
    created_at, updated_at, version, email_key) FROM STDIN`;

/** Today's COPY text in the old table's columns: without consent (16) and the derived columns after email_key (21…). */
function oldCopyText(chunk: string): string {
  return chunk
    .split('\n')
    .map((line) => {
      if (line === '') return line;
      const values = line.split('\t');
      return [...values.slice(0, 16), ...values.slice(17, 21)].join('\t');
    })
    .join('\n');
}

const selected = Object.keys(VARIANTS).filter(
  (v) => (!only || only.includes(v)) && !(mode === 'import' && VARIANTS[v]!.old),
);

/** CPU time (user + system) of a process in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// Connections stay open for the whole run, so the CPU of every backend is read before and after.
const pool = new pg.Pool({ connectionString: url, max: 4, idleTimeoutMillis: 0, application_name: APP });

async function one<T>(sql: string, params?: unknown[]): Promise<T> {
  return (await pool.query(sql, params)).rows[0] as T;
}

async function backendsCpu(): Promise<number> {
  const { rows: found } = await pool.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE application_name = $1',
    [APP],
  );
  return found.reduce((sum, r) => sum + cpuMs(r.pid), 0);
}

async function fresh(variant: Variant): Promise<void> {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  if (variant.old) for (const statement of oldTable(names)) await pool.query(statement);
  else await createPostgresAdapter({ db: pool, schema, notify: false }).migrate();
  for (const statement of variant.alter?.(names) ?? []) await pool.query(statement);
  // Flush dirty buffers and WAL, so every timed load starts from the same state (superuser only).
  await pool.query('CHECKPOINT');
}

interface Run {
  readonly ms: number;
  readonly serverCpuMs: number;
  readonly walMb: number;
  readonly checkpoints: number;
}

interface Data {
  readonly chunks: readonly string[];
  readonly oldChunks: readonly string[];
  readonly file: string;
}

async function load(variant: Variant, data: Data): Promise<void> {
  const client = await pool.connect();
  try {
    for (const statement of variant.session ?? []) await client.query(statement);
    if (mode === 'copy') {
      const sql = variant.old ? oldCopySql(names) : copySql(names);
      await pipeline((variant.old ? data.oldChunks : data.chunks).values(), client.query(copyFrom(sql)));
      return;
    }
    // The import's own connections come from the pool; a session setting applies to this one only.
    const adapter = createPostgresAdapter({ db: pool, schema, copyFrom, notify: false });
    const report = await createCustomerClient({ adapter, organizationId: org }).importCsv(
      createReadStream(data.file),
    );
    if (report.addedCount !== rows) throw new Error(`importCsv added ${report.addedCount} of ${rows}`);
  } finally {
    await client.query('RESET ALL');
    client.release();
  }
}

async function runOnce(variant: Variant, data: Data): Promise<Run> {
  await fresh(variant);
  const held = await Promise.all([pool.connect(), pool.connect(), pool.connect(), pool.connect()]);
  for (const client of held) client.release();
  const { lsn } = await one<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const checkpointsSql = 'SELECT (checkpoints_req + checkpoints_timed)::int AS n FROM pg_stat_bgwriter';
  const before = (await one<{ n: number }>(checkpointsSql)).n;
  const cpu = await backendsCpu();
  const start = performance.now();
  await load(variant, data);
  const ms = performance.now() - start;
  const serverCpuMs = (await backendsCpu()) - cpu;
  const wal = await one<{ bytes: string }>(
    'SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn) AS bytes',
    [lsn],
  );
  const checkpoints = (await one<{ n: number }>(checkpointsSql)).n - before;
  return { ms, serverCpuMs, walMb: Number(wal.bytes) / 1e6, checkpoints };
}

async function sizes(): Promise<string> {
  const { rows: found } = await pool.query<{ name: string; mb: string }>(
    `SELECT c.relname AS name, round(pg_relation_size(c.oid) / 1e6, 1)::text AS mb FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'i') AND c.relname LIKE 'customers%' ORDER BY 1`,
    [schema],
  );
  return found.map((r) => `${r.name.replace('customers_', '')} ${r.mb}`).join(', ');
}

const file = join(tmpdir(), `donutauto-copy-cost-${process.pid}.csv`);
try {
  const chunks: string[] = [];
  if (mode === 'copy') {
    const base = Date.UTC(2026, 0, 1);
    for (let start = 0; start < rows; start += 10_000) {
      const batch = [];
      for (let i = start; i < Math.min(rows, start + 10_000); i++)
        batch.push(cleanCustomer(i, org, base + i));
      chunks.push(copyText(batch));
    }
  } else {
    await writeCsvFile(file, rows, false);
  }
  const oldChunks = selected.some((v) => VARIANTS[v]!.old) ? chunks.map(oldCopyText) : [];
  const data: Data = { chunks, oldChunks, file };
  console.log((await one<{ version: string }>('SELECT version()')).version);
  console.log(
    `copy-cost: ${rows.toLocaleString('en-US')} rows, ${mode === 'copy' ? 'raw COPY' : 'importCsv'}, ${rounds} rounds, load average ${loadAverage()}`,
  );
  const all = new Map<string, Run[]>(selected.map((v) => [v, []]));
  for (let round = 0; round < rounds; round++) {
    const order = selected.map((_, i) => selected[(i + round) % selected.length]!);
    for (const name of order) {
      const run = await runOnce(VARIANTS[name]!, data);
      all.get(name)!.push(run);
      console.log(
        `  round ${round + 1} ${name.padEnd(26)} ${(run.ms / 1000).toFixed(2)} s, server CPU ${(run.serverCpuMs / 1000).toFixed(2)} s, WAL ${run.walMb.toFixed(0)} MB, ${run.checkpoints} checkpoints, load ${loadAverage()}`,
      );
      if (round === 0) console.log(`    sizes (MB): ${await sizes()}`);
    }
  }
  const summary = [...all].map(([name, runs]) => {
    const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
    return {
      name,
      best: ms[0]!,
      median: ms[Math.floor(ms.length / 2)]!,
      cpu: Math.min(...runs.map((r) => r.serverCpuMs)),
      wal: Math.min(...runs.map((r) => r.walMb)),
    };
  });
  const baseline = summary.find((s) => s.name === 'today');
  const ratio = (value: number, of?: number) => (of ? `${(value / of).toFixed(2)}×` : '-');
  console.log(
    `${'variant'.padEnd(26)} ${'best s'.padStart(7)} ${'÷today'.padStart(7)} ${'median s'.padStart(9)} ${'server CPU s'.padStart(13)} ${'÷today'.padStart(7)} ${'WAL MB'.padStart(7)}`,
  );
  for (const s of summary) {
    console.log(
      `${s.name.padEnd(26)} ${(s.best / 1000).toFixed(2).padStart(7)} ${ratio(s.best, baseline?.best).padStart(7)} ${(s.median / 1000).toFixed(2).padStart(9)} ${(s.cpu / 1000).toFixed(2).padStart(13)} ${ratio(s.cpu, baseline?.cpu).padStart(7)} ${s.wal.toFixed(0).padStart(7)}`,
    );
  }
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
  await pool.end();
  rmSync(file, { force: true });
}
