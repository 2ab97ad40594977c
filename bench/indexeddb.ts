/**
 * Benchmark: importing customers into IndexedDB in real headless Chromium (the Debian `chromium`
 * binary at /usr/bin/chromium or $CHROMIUM_PATH; nothing is downloaded).
 *
 * Prints rows/s for (a) raw `idb` puts of the same customer objects, one transaction per 1,000
 * (the baseline), (b) `client.importCsv` → `createIndexedDbAdapter`, and (c) raw `idb` puts with one
 * transaction per row, then the ratios b/a (time; target ≤ 2) and b÷c (throughput; target ≥ 10).
 * The profile lives on disk in a temporary directory, as on a real tablet.
 *
 * Run: node --conditions=@donutauto/source --import tsx bench/indexeddb.ts [sizes, default 10000,100000] [per-row limit, default 10000]
 */
import { fileURLToPath } from 'node:url';
import { bundleBrowserEntry, openChromiumPage } from './indexeddb-chromium';
import type { IndexedDbBenchResult } from './indexeddb-page';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const perRowLimit = Number(process.argv[3] ?? 10_000);

const script = await bundleBrowserEntry(fileURLToPath(new URL('./indexeddb-page.ts', import.meta.url)));
const session = await openChromiumPage(script);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  console.log(`indexeddb: Chromium ${session.version}, one fresh database per variant`);
  for (const rows of sizes) {
    const r = await session.page.evaluate(
      ([n, limit]) =>
        (
          globalThis as unknown as {
            runIndexedDbBench: (a: number, b: number) => Promise<IndexedDbBenchResult>;
          }
        ).runIndexedDbBench(n, limit),
      [rows, perRowLimit] as const,
    );
    if (r.imported !== rows) throw new Error(`importCsv added ${r.imported} of ${rows} rows`);
    const a = r.rows / (r.rawBatchedMs / 1000);
    const b = r.rows / (r.importMs / 1000);
    const c = r.perRowRows / (r.perRowMs / 1000);
    console.log(`\n${fmt(rows)} customers (CSV ${(r.csvBytes / 1e6).toFixed(1)} MB)`);
    console.log(`  (a) raw idb put, 1 tx / 1,000 rows : ${r.rawBatchedMs.toFixed(0)} ms  ${fmt(a)} rows/s`);
    console.log(
      `  (a') raw idb put, adapter schema   : ${r.rawIndexedMs.toFixed(0)} ms  ${fmt(r.rows / (r.rawIndexedMs / 1000))} rows/s`,
    );
    console.log(`  (b) client.importCsv → adapter    : ${r.importMs.toFixed(0)} ms  ${fmt(b)} rows/s`);
    console.log(
      `  (c) raw idb put, 1 tx / row        : ${r.perRowMs.toFixed(0)} ms for ${fmt(r.perRowRows)} rows  ${fmt(c)} rows/s`,
    );
    console.log(
      `  (c') client.add, 1 tx / row       : ${r.clientAddMs.toFixed(0)} ms for ${fmt(r.clientAddRows)} rows  ${fmt(r.clientAddRows / (r.clientAddMs / 1000))} rows/s`,
    );
    console.log('  where (b) goes:');
    console.log(`    importCsv → memory adapter (parse, validate, plan) : ${r.memoryImportMs.toFixed(0)} ms`);
    console.log(
      `    adapter.insertMany, 1,000 per tx (5 indexes)      : ${r.adapterBatchedMs.toFixed(0)} ms`,
    );
    console.log(`    adapter.getByEmails, 1,000 per call                 : ${r.lookupMs.toFixed(0)} ms`);
    console.log(`  b time / a time  : ${(r.importMs / r.rawBatchedMs).toFixed(2)}×  (target ≤ 2)`);
    console.log(`  b time / a' time : ${(r.importMs / r.rawIndexedMs).toFixed(2)}×`);
    console.log(`  b rate / c rate  : ${(b / c).toFixed(1)}×  (target ≥ 10)`);
    console.log(`  b rate / c' rate : ${(b / (r.clientAddRows / (r.clientAddMs / 1000))).toFixed(1)}×`);
  }
} finally {
  await session.close();
}
