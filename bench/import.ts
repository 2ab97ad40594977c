/**
 * Benchmark: CSV import of a generated 1,000,000-row file (rows as argv[2]).
 *  (a) raw papaparse streaming parse (the baseline), (b) parseCustomerCsv's streaming path:
 *  parse + map + validate + plan into a discard sink, (c) full `client.importCsv` into the memory
 *  adapter. Each phase runs in its own child process (bundled, plain node) so its peak RSS is its own.
 * Run: node --conditions=@donutauto/source --import tsx bench/import.ts [rows] [rounds]
 */
import { createReadStream, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCustomerClient, createMemoryAdapter } from '@donutauto/core';
import { bundleForNode, runChild } from './child-process';
import { writeFixture } from './import-fixture';

/** The slice of papaparse's API the baseline uses (bench has no @types/papaparse). */
interface PapaChunkApi {
  parse(
    input: NodeJS.ReadableStream,
    config: {
      chunk: (results: { data: unknown[] }) => void;
      complete: () => void;
      error: (error: Error) => void;
    },
  ): void;
}
const Papa = createRequire(import.meta.url)('papaparse') as PapaChunkApi;

interface PhaseResult {
  readonly phase: string;
  readonly rows: number;
  readonly ms: number;
  /** User + system CPU time of the phase: steadier than wall time on a shared machine. */
  readonly cpuMs: number;
  readonly peakRssMb: number;
  readonly detail: string;
}

async function rawPapaparse(
  file: string,
): Promise<Omit<PhaseResult, 'ms' | 'cpuMs' | 'peakRssMb' | 'phase'>> {
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(file, { encoding: 'utf8' }), {
      chunk: (results) => {
        rows += results.data.length;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return { rows: rows - 1, detail: 'papaparse chunk mode over fs.createReadStream' };
}

async function planOnly(file: string): Promise<Omit<PhaseResult, 'ms' | 'cpuMs' | 'peakRssMb' | 'phase'>> {
  // The SDK's own path with a discard sink: a dry run parses, maps, validates and plans every
  // batch (looking stored emails up in an empty adapter) and writes nothing.
  const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'bench' });
  const report = await client.importCsv(createReadStream(file), { dryRun: true });
  const rows = report.addedCount + report.updatedCount + report.skippedCount + report.errorCount;
  return { rows, detail: `dry run: ${report.addedCount} planned inserts, ${report.issues.length} issues` };
}

async function fullImport(file: string): Promise<Omit<PhaseResult, 'ms' | 'cpuMs' | 'peakRssMb' | 'phase'>> {
  const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'bench' });
  const report = await client.importCsv(createReadStream(file));
  const rows = report.addedCount + report.updatedCount + report.skippedCount + report.errorCount;
  return {
    rows,
    detail: `${report.addedCount} added, ${report.skippedCount} skipped, ${report.errorCount} errors`,
  };
}

const PHASES = { raw: rawPapaparse, plan: planOnly, full: fullImport } as const;
type Phase = keyof typeof PHASES;

if (process.argv[2] === '--phase') {
  const phase = process.argv[3] as Phase;
  const file = process.argv[4]!;
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = await PHASES[phase](file);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ phase, ...result, ms, cpuMs, peakRssMb }));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const rounds = Number(process.argv[3] ?? 3);
  const file = join(tmpdir(), `donutauto-import-bench-${process.pid}.csv`);
  const bytes = await writeFixture(file, rows);
  const bundle = await bundleForNode(fileURLToPath(import.meta.url));
  const run = (phase: Phase) => runChild<PhaseResult>(bundle, ['--phase', phase, file]);
  try {
    // Phases interleaved, best time of `rounds` (the machine may be shared), worst peak RSS.
    const runs: PhaseResult[] = [];
    for (let round = 0; round < rounds; round++)
      for (const phase of ['raw', 'plan', 'full'] as const) runs.push(run(phase));
    const results = (['raw', 'plan', 'full'] as const).map((phase) => {
      const mine = runs.filter((r) => r.phase === phase);
      const best = mine.reduce((a, b) => (b.ms < a.ms ? b : a));
      const bestCpu = Math.min(...mine.map((r) => r.cpuMs));
      return { ...best, cpuMs: bestCpu, peakRssMb: Math.max(...mine.map((r) => r.peakRssMb)) };
    });
    const base = results[0]!;
    const rate = (r: PhaseResult) => r.rows / (r.ms / 1000);
    const cpuRate = (r: PhaseResult) => r.rows / (r.cpuMs / 1000);
    console.log(
      `import: ${rows.toLocaleString('en-US')} rows, ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB (${bytes.toLocaleString('en-US')} bytes), ` +
        `one child process per phase run, best of ${rounds} interleaved rounds, worst peak RSS`,
    );
    const labels = {
      raw: '(a) raw papaparse streaming parse      ',
      plan: '(b) parse+map+validate+plan → discard  ',
      full: '(c) importCsv → memory adapter         ',
    };
    for (const r of results) {
      console.log(
        `  ${labels[r.phase as Phase]} ${(r.ms / 1000).toFixed(2)} s  ${Math.round(rate(r)).toLocaleString('en-US').padStart(9)} rows/s  ` +
          `ratio ${(rate(r) / rate(base)).toFixed(2)}× of (a)  | CPU ${(r.cpuMs / 1000).toFixed(2)} s ` +
          `${Math.round(cpuRate(r)).toLocaleString('en-US').padStart(9)} rows/CPU-s  ratio ${(cpuRate(r) / cpuRate(base)).toFixed(2)}×  ` +
          `| peak RSS ${r.peakRssMb.toFixed(0)} MB  (${r.detail})`,
      );
    }
    console.log(
      '  (no target here: the import targets are end to end, in bench/postgres-import.ts and bench/indexeddb.ts)',
    );
  } finally {
    rmSync(file, { force: true });
  }
}
