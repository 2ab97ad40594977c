/**
 * Benchmark: search, filters, sorts and a segment on IndexedDB in real headless Chromium (the
 * Debian `chromium` binary; nothing is downloaded), disk-backed profile, one organization of
 * 100,000 customers. Same cases and columns as `bench/search.ts`; the baseline is a scan in the
 * same page (every customer read with chunked `getAll`, tested, sorted). Each page's ids are
 * checked against the scan's before timing. Shared host: read the ratios.
 *
 * Run: node --conditions=@donutauto/source --import tsx bench/search-idb.ts [rows=100000]
 */
import { fileURLToPath } from 'node:url';
import { bundleBrowserEntry, openChromiumPage } from './indexeddb-chromium';
import type { SearchMeasurement } from './search-idb-page';

const rows = Number(process.argv[2] ?? 100_000);

interface PageApi {
  prepareSearchBench(rows: number): Promise<number>;
  measureSearchCase(index: number): Promise<SearchMeasurement>;
  searchCaseCount(): number;
}

const script = await bundleBrowserEntry(fileURLToPath(new URL('./search-idb-page.ts', import.meta.url)));
const session = await openChromiumPage(script, 'prepareSearchBench');
const ms = (t: number | null) => (t === null ? '-' : t < 10 ? t.toFixed(2) : t.toFixed(0)).padStart(8);
const ratio = (r: number | null) => (r === null ? '-' : `${r.toFixed(1)}×`).padStart(8);
try {
  const loadMs = await session.page.evaluate(
    (n) => (globalThis as unknown as PageApi).prepareSearchBench(n),
    rows,
  );
  console.log(
    `indexeddb search benchmark: Chromium ${session.version}, ${rows.toLocaleString('en-US')} customers loaded with insertMany in ${(loadMs / 1000).toFixed(1)} s`,
  );
  console.log(
    `\n${'case'.padEnd(40)}${'matches'.padStart(9)}${'page1'.padStart(8)}${'scan'.padStart(8)}${'scan÷'.padStart(8)}${'deep'.padStart(8)}${'ms'.padStart(8)}${'÷page1'.padStart(8)}${'count'.padStart(8)}${'scan'.padStart(8)}${'scan÷'.padStart(8)}`,
  );
  console.log(
    '  (times in ms, pages: median of 9 runs, page 1 and the deep page alternating; scans and counts: median of 3; "deep" is the page after row 200,000 or the middle match)',
  );
  const total = await session.page.evaluate(() => (globalThis as unknown as PageApi).searchCaseCount());
  for (let i = 0; i < total; i++) {
    const m = await session.page.evaluate(
      (index) => (globalThis as unknown as PageApi).measureSearchCase(index),
      i,
    );
    console.log(
      `${m.label.padEnd(40)}${String(m.matches).padStart(9)}${ms(m.first)}${ms(m.scanFirst)}${ratio(m.scanFirst / m.first)}${(m.deepPage === null ? '-' : `p${m.deepPage}`).padStart(8)}${ms(m.deep)}${ratio(m.deep === null ? null : m.deep / m.first)}${ms(m.count)}${ms(m.scanCount)}${ratio(m.scanCount / m.count)}`,
    );
  }
} finally {
  await session.close();
}
