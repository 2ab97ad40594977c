/**
 * Benchmark: CSV import of a generated 1,000,000-row file (rows as argv[2]).
 *  (a) raw papaparse streaming parse (the baseline), (b) parseCustomerCsv's streaming path:
 *  parse + map + validate + plan into a discard sink, (c) full `client.importCsv` into the memory
 *  adapter. Each phase runs in its own child process so its peak RSS is its own.
 * Run: node --conditions=@donutauto/source --import tsx bench/import.ts [rows]
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCustomerClient, createMemoryAdapter, planImport, streamCustomerCsv } from '@donutauto/core';
import Papa from 'papaparse';
import { writeFixture } from './import-fixture';

interface PhaseResult {
  readonly phase: string;
  readonly rows: number;
  readonly ms: number;
  readonly peakRssMb: number;
  readonly detail: string;
}

async function rawPapaparse(file: string): Promise<Omit<PhaseResult, 'ms' | 'peakRssMb' | 'phase'>> {
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(createReadStream(file, { encoding: 'utf8' }) as unknown as File, {
      chunk: (results: Papa.ParseResult<string[]>) => {
        rows += results.data.length;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    });
  });
  return { rows: rows - 1, detail: 'papaparse chunk mode over fs.createReadStream' };
}

async function planOnly(file: string): Promise<Omit<PhaseResult, 'ms' | 'peakRssMb' | 'phase'>> {
  const stream = streamCustomerCsv(createReadStream(file));
  const seen = new Map<string, number>();
  let rows = 0;
  let inserts = 0;
  let issues = 0;
  for await (const batch of stream) {
    rows += batch.length;
    const plan = planImport({ rows: batch, seenEmails: seen, existing: [] });
    for (const [email, row] of plan.newEmails) seen.set(email, row);
    for (const action of plan.actions) if (action.kind === 'insert') inserts++;
    issues += plan.issues.length;
  }
  return { rows, detail: `${inserts} planned inserts, ${issues} issues` };
}

async function fullImport(file: string): Promise<Omit<PhaseResult, 'ms' | 'peakRssMb' | 'phase'>> {
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
  const result = await PHASES[phase](file);
  const ms = performance.now() - start;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ phase, ...result, ms, peakRssMb }));
} else {
  const rows = Number(process.argv[2] ?? 1_000_000);
  const file = join(tmpdir(), `donutauto-import-bench-${process.pid}.csv`);
  const bytes = await writeFixture(file, rows);
  const run = (phase: Phase): PhaseResult =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          '--conditions=@donutauto/source',
          '--import',
          'tsx',
          fileURLToPath(import.meta.url),
          '--phase',
          phase,
          file,
        ],
        { encoding: 'utf8', maxBuffer: 1 << 20 },
      ),
    ) as PhaseResult;
  try {
    const results = (['raw', 'plan', 'full'] as const).map(run);
    const base = results[0]!;
    const rate = (r: PhaseResult) => r.rows / (r.ms / 1000);
    console.log(
      `import: ${rows.toLocaleString('en-US')} rows, ${(statSync(file).size / 2 ** 20).toFixed(1)} MiB (${bytes.toLocaleString('en-US')} bytes), one child process per phase`,
    );
    const labels = {
      raw: '(a) raw papaparse streaming parse      ',
      plan: '(b) parse+map+validate+plan → discard  ',
      full: '(c) importCsv → memory adapter         ',
    };
    for (const r of results) {
      console.log(
        `  ${labels[r.phase as Phase]} ${(r.ms / 1000).toFixed(2)} s  ${Math.round(rate(r)).toLocaleString('en-US').padStart(9)} rows/s  ` +
          `ratio ${(rate(r) / rate(base)).toFixed(2)}× of (a)  peak RSS ${r.peakRssMb.toFixed(0)} MB  (${r.detail})`,
      );
    }
    console.log('  targets: (b) ≥ 0.50× (a); peak RSS ≤ 256 MB on the streaming path (b)');
  } finally {
    rmSync(file, { force: true });
  }
}
