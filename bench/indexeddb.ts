/**
 * Benchmark: importing customers into IndexedDB in real headless Chromium (the Debian `chromium`
 * binary at /usr/bin/chromium or $CHROMIUM_PATH; nothing is downloaded), on a disk-backed profile.
 *
 * Prints rows/s for (a) raw `idb` puts of the same customer objects, one transaction per 1,000,
 * (b) `client.importCsv` → `createIndexedDbAdapter`, and (c) raw `idb` puts with one transaction per
 * row, then the ratios: b/a' (time, against raw batched puts into the adapter's schema; target
 * ≤ 1.2), b/a and b÷c (rows/s).
 * Also: (a') the same raw puts of the adapter's records into the adapter's schema (what the indexes
 * cost), (c') `client.add` per row, where (b) goes (CPU-only import, email look-ups), and first
 * pages for an indexed tag and for preferences (not indexed since schema 3: they walk `byCreated`).
 * Variants run interleaved for several rounds, each on a fresh database deleted afterwards; the best
 * time of each is used (the machine may be shared), and every round is printed.
 *
 * Run: node --conditions=@donutauto/source --import tsx bench/indexeddb.ts [sizes=10000,100000] [per-row rows=10000] [rounds=3]
 */
import { fileURLToPath } from 'node:url';
import { bundleBrowserEntry, openChromiumPage } from './indexeddb-chromium';
import type { IndexedDbMeasurement, IndexedDbVariant } from './indexeddb-page';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const perRowLimit = Number(process.argv[3] ?? 10_000);
const rounds = Number(process.argv[4] ?? 3);
const variants: IndexedDbVariant[] = ['a', 'b', "a'", 'c', "c'", 'cpu', 'lookup'];
const labels: Record<IndexedDbVariant, string> = {
  a: '(a)  raw idb put, 1 tx / 1,000 rows, plain store',
  "a'": "(a') raw idb put, 1 tx / 1,000 rows, adapter schema",
  b: '(b)  client.importCsv → IndexedDB adapter',
  c: '(c)  raw idb put, 1 tx / row',
  "c'": "(c') client.add, 1 adapter tx / row",
  cpu: '     client.importCsv → memory adapter (CPU only)',
  lookup: '     adapter.getByEmails, 1,000 emails per call',
};

interface PageApi {
  prepareIndexedDbBench(rows: number): Promise<number>;
  measureIndexedDbVariant(variant: IndexedDbVariant, perRowLimit: number): Promise<IndexedDbMeasurement>;
}

const script = await bundleBrowserEntry(fileURLToPath(new URL('./indexeddb-page.ts', import.meta.url)));
const session = await openChromiumPage(script, 'prepareIndexedDbBench');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
try {
  console.log(
    `indexeddb: Chromium ${session.version}, best of ${rounds} interleaved rounds, fresh database per variant`,
  );
  for (const size of sizes) {
    const bytes = await session.page.evaluate(
      (n) => (globalThis as unknown as PageApi).prepareIndexedDbBench(n),
      size,
    );
    const times = new Map<IndexedDbVariant, number[]>(variants.map((v) => [v, []]));
    const rowsOf = new Map<IndexedDbVariant, number>();
    const splits: string[] = [];
    const pages = new Map<string, number[]>();
    for (let round = 0; round < rounds; round++) {
      for (const variant of variants) {
        const m = await session.page.evaluate(
          ([v, limit]) => (globalThis as unknown as PageApi).measureIndexedDbVariant(v, limit),
          [variant, perRowLimit] as const,
        );
        times.get(variant)?.push(m.ms);
        for (const [label, ms] of Object.entries(m.pages ?? {}))
          pages.set(label, [...(pages.get(label) ?? []), ms]);
        if (m.split)
          splits.push(
            `${m.split.lookupMs.toFixed(0)} ms in getByEmails, ${m.split.insertMs.toFixed(0)} ms in insertMany`,
          );
        rowsOf.set(variant, m.rows);
      }
    }
    const best = (v: IndexedDbVariant) => Math.min(...(times.get(v) ?? [Number.NaN]));
    const rate = (v: IndexedDbVariant) => (rowsOf.get(v) ?? 0) / (best(v) / 1000);
    console.log(`\n${fmt(size)} customers (CSV ${(bytes / 1e6).toFixed(1)} MB)`);
    for (const v of variants) {
      const all = (times.get(v) ?? []).map((t) => t.toFixed(0)).join(' / ');
      console.log(
        `  ${labels[v].padEnd(52)} ${fmt(rowsOf.get(v) ?? 0).padStart(7)} rows  best ${best(v).toFixed(0).padStart(6)} ms  ${fmt(rate(v)).padStart(7)} rows/s   (rounds: ${all} ms)`,
      );
    }
    for (const [label, all] of pages) {
      console.log(
        `  ${label.padEnd(52)} best ${Math.min(...all)
          .toFixed(1)
          .padStart(8)} ms   (rounds: ${all.map((t) => t.toFixed(1)).join(' / ')} ms)`,
      );
    }
    console.log(`  (b) per round: ${splits.join(' / ')} (batches overlap)`);
    console.log(`  b time / a' time  : ${(best('b') / best("a'")).toFixed(2)}×   (target ≤ 1.2)`);
    console.log(`  b time / a time   : ${(best('b') / best('a')).toFixed(2)}×`);
    console.log(`  b rate / c rate   : ${(rate('b') / rate('c')).toFixed(1)}×`);
    console.log(`  b rate / c' rate  : ${(rate('b') / rate("c'")).toFixed(1)}×`);
    console.log(`  a rate / c rate   : ${(rate('a') / rate('c')).toFixed(1)}×   (the ceiling for b / c)`);
  }
} finally {
  await session.close();
}
