/**
 * Benchmark (real PostgreSQL server): a full `client.importCsv` of a CSV file streamed from disk,
 * against raw `COPY FROM STDIN` of the same rows, clean and with 25% bad rows.
 *  copy-clean   raw COPY of the clean file's customers, COPY text built before timing (the baseline)
 *  import-clean `client.importCsv(createReadStream(file))` → Postgres adapter with `copyFrom`
 *  copy-bad     raw COPY of the customers the bad file holds (its 75% good rows)
 *  import-bad   `client.importCsv` of the file whose every fourth row is refused
 * Each scenario runs in its own child process (its peak RSS is its own, and one run's garbage never
 * slows another), into a fresh schema after a CHECKPOINT; scenarios interleave for several rounds
 * and the best time of each is used (the machine may be shared), with the worst peak RSS.
 * Run: node --conditions=@donutauto/source --import tsx bench/postgres-import.ts [rows=1000000] [rounds=3]
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), BENCH_BATCH, BENCH_CONCURRENCY.
 */
import { createReadStream, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient } from '@donutauto/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyText } from '../packages/adapter-postgres/src/row-codec';
import { sqlNames } from '../packages/adapter-postgres/src/sql/sql-names';
import { copySql } from '../packages/adapter-postgres/src/sql/statements';
import { bundleForNode, runChild } from './child-process';
import { cleanCustomer, isBadRow, writeCsvFile } from './postgres-data';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// The SDK's defaults (batches of 500, 2 at a time) unless the environment says otherwise.
const batchSize = process.env.BENCH_BATCH ? Number(process.env.BENCH_BATCH) : undefined;
const concurrency = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const org = 'bench-org';

const SCENARIOS = ['copy-clean', 'import-clean', 'copy-bad', 'import-bad'] as const;
type Scenario = (typeof SCENARIOS)[number];

interface Measurement {
  readonly scenario: Scenario;
  readonly ms: number;
  readonly peakRssMb: number;
  readonly written: number;
  readonly detail: string;
  /** CPU time (user + system) of the child process during the timed part, ms. */
  readonly cpuMs: number;
}

/** A fresh, migrated schema; dropped and made again before every run. */
async function freshSchema(pool: pg.Pool, schema: string) {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  const adapter = createPostgresAdapter({ db: pool, schema, copyFrom, notify: false });
  await adapter.migrate();
  // Flush dirty buffers and WAL, so every timed load starts from the same state (superuser only).
  await pool.query('CHECKPOINT').catch(() => undefined);
  return adapter;
}

/** COPY text of the customers a file of `rows` rows holds, in 10,000-row chunks. */
function copyChunks(rows: number, bad: boolean): string[] {
  const base = Date.UTC(2026, 0, 1);
  const chunks: string[] = [];
  for (let start = 0; start < rows; start += 10_000) {
    const customers = [];
    for (let i = start; i < Math.min(rows, start + 10_000); i++)
      if (!bad || !isBadRow(i)) customers.push(cleanCustomer(i, org, base + i));
    chunks.push(copyText(customers));
  }
  return chunks;
}

/** Runs one scenario in this (child) process. */
async function runScenario(scenario: Scenario, file: string, rows: number): Promise<Measurement> {
  const pool = new pg.Pool({ connectionString: url, max: (concurrency ?? 2) + 2 });
  const schema = `bench_import_${scenario.replace('-', '_')}`;
  const bad = scenario.endsWith('bad');
  try {
    const adapter = await freshSchema(pool, schema);
    if (scenario.startsWith('copy')) {
      const chunks = copyChunks(rows, bad);
      const client = await pool.connect();
      try {
        const cpu = process.cpuUsage();
        const start = performance.now();
        await pipeline(chunks.values(), client.query(copyFrom(copySql(sqlNames(schema, '')))));
        const ms = performance.now() - start;
        const written = chunks.reduce((n, chunk) => n + chunk.split('\n').length - 1, 0);
        return measured(scenario, ms, written, 'COPY FROM STDIN, text prepared before timing', cpu);
      } finally {
        client.release();
      }
    }
    const client = createCustomerClient({ adapter, organizationId: org });
    let issues = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    const report = await client.importCsv(createReadStream(file), {
      ...(batchSize === undefined ? {} : { batchSize }),
      ...(concurrency === undefined ? {} : { concurrency }),
      onIssue: () => {
        issues++;
      },
    });
    const ms = performance.now() - start;
    const expected = bad ? rows - Math.floor((rows + 1) / 4) : rows;
    if (report.addedCount !== expected) {
      throw new Error(
        `importCsv added ${report.addedCount} of ${expected} rows (${report.errorCount} errors)`,
      );
    }
    return measured(
      scenario,
      ms,
      report.addedCount,
      `${report.addedCount} added, ${report.errorCount} errors, ${issues} issues streamed, ${report.issues.length} kept`,
      cpu,
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pool.end();
  }
}

function measured(
  scenario: Scenario,
  ms: number,
  written: number,
  detail: string,
  cpuStart: NodeJS.CpuUsage,
): Measurement {
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return { scenario, ms, written, detail, cpuMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

if (process.argv[2] === '--scenario') {
  const [scenario, file, rows] = process.argv.slice(3) as [Scenario, string, string];
  process.stdout.write(JSON.stringify(await runScenario(scenario, file, Number(rows))));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const rounds = Number(process.argv[3] ?? 3);
  const files = { clean: join(tmpdir(), `donutauto-pg-clean-${process.pid}.csv`), bad: '' };
  files.bad = files.clean.replace('clean', 'bad');
  const sizes = {
    clean: await writeCsvFile(files.clean, rows, false),
    bad: await writeCsvFile(files.bad, rows, true),
  };
  const bundle = await bundleForNode(fileURLToPath(import.meta.url));
  const run = (scenario: Scenario) =>
    runChild<Measurement>(bundle, [
      '--scenario',
      scenario,
      scenario.endsWith('bad') ? files.bad : files.clean,
      String(rows),
    ]);
  try {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    console.log((await pool.query('SELECT version()')).rows[0].version);
    await pool.end();
    console.log(
      `postgres-import: ${rows.toLocaleString('en-US')} rows, clean file ${(sizes.clean / 1e6).toFixed(1)} MB, ` +
        `bad file ${(sizes.bad / 1e6).toFixed(1)} MB; batchSize ${batchSize ?? '500 (default)'}, concurrency ${concurrency ?? '2 (default)'}; ` +
        `one child process per run, best of ${rounds} interleaved rounds, worst peak RSS`,
    );
    const all: Measurement[] = [];
    for (let round = 0; round < rounds; round++) {
      const line: string[] = [];
      for (const scenario of SCENARIOS) {
        const m = run(scenario);
        all.push(m);
        line.push(
          `${scenario} ${m.ms.toFixed(0)} ms (CPU ${m.cpuMs.toFixed(0)}) / ${m.peakRssMb.toFixed(0)} MB`,
        );
      }
      console.log(`  round ${round + 1}: ${line.join(', ')}`);
    }
    const best = (s: Scenario) => all.filter((m) => m.scenario === s).reduce((a, b) => (b.ms < a.ms ? b : a));
    const minCpu = (s: Scenario) => Math.min(...all.filter((m) => m.scenario === s).map((m) => m.cpuMs));
    const peak = (s: Scenario) => Math.max(...all.filter((m) => m.scenario === s).map((m) => m.peakRssMb));
    for (const s of SCENARIOS) {
      const m = best(s);
      console.log(
        `  ${s.padEnd(13)} ${(m.ms / 1000).toFixed(2)} s  ${Math.round(m.written / (m.ms / 1000))
          .toLocaleString('en-US')
          .padStart(
            9,
          )} rows/s  Node CPU ${(minCpu(s) / 1000).toFixed(2)} s  peak RSS ${peak(s).toFixed(0)} MB  (${m.detail})`,
      );
    }
    const ratio = (kind: 'clean' | 'bad') => best(`import-${kind}`).ms / best(`copy-${kind}`).ms;
    console.log(`  ratio import/COPY, clean     : ${ratio('clean').toFixed(2)}×  (target ≤ 1.20)`);
    console.log(
      `  ratio import/COPY, 25% bad   : ${ratio('bad').toFixed(2)}×  (no target: a quarter of the rows are refused, not written)`,
    );
    console.log(`  peak RSS import, clean       : ${peak('import-clean').toFixed(0)} MB  (target ≤ 256)`);
    console.log(`  peak RSS import, 25% bad     : ${peak('import-bad').toFixed(0)} MB  (target ≤ 256)`);
  } finally {
    rmSync(files.clean, { force: true });
    rmSync(files.bad, { force: true });
  }
}
