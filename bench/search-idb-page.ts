/**
 * Browser side of `bench/search-idb.ts`, bundled with esbuild and run in headless Chromium: loads
 * the benchmark organization into `createIndexedDbAdapter`, then times each search case through
 * the adapter against a scan baseline in the same page: every customer of the organization read
 * (`getAll` in chunks, the fastest whole-store read IndexedDB has), tested with core's predicate,
 * sorted, and cut — what a store without these indexes must do.
 */
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import {
  type Customer,
  type CustomerFilter,
  createCustomerClient,
  type StorageAdapter,
} from '@donutauto/core';
import {
  type CustomerSort,
  comparePositions,
  compileFilter,
  encodeCursor,
  isDescending,
  type NormalizedFilter,
  normalizeFilter,
  sortPosition,
} from '@donutauto/core/adapter';
import { openDB } from 'idb';
import {
  alternating,
  BENCH_TODAY,
  GLAZED_BIRTHDAYS,
  median,
  searchCases,
  searchCustomer,
} from './search-data';

const ORG = 'bench-org';
const PAGE = 20;
const DEEP_ROW = 200_000;
const NOW = Date.parse(`${BENCH_TODAY}T12:00:00Z`);
const name = `search-bench-${Date.now()}`;
let adapter: StorageAdapter;
let rows = 0;

/** One measured case, in ms (medians). */
export interface SearchMeasurement {
  /** The case. */
  readonly label: string;
  /** Customers the filter selects. */
  readonly matches: number;
  /** First page through the adapter. */
  readonly first: number;
  /** First page by the scan. */
  readonly scanFirst: number;
  /** The deep page's number, or `null` when there are too few matches. */
  readonly deepPage: number | null;
  /** The deep page through the adapter. */
  readonly deep: number | null;
  /** `count` through the adapter. */
  readonly count: number;
  /** The count by the scan. */
  readonly scanCount: number;
}

/**
 * Loads `count` customers, 1,000 per `insertMany`.
 * @returns The load time in ms.
 */
export async function prepareSearchBench(count: number): Promise<number> {
  rows = count;
  adapter = createIndexedDbAdapter({ name, broadcastChannel: false });
  const start = performance.now();
  for (let i = 0; i < count; i += 1_000) {
    const batch: Customer[] = [];
    for (let j = i; j < Math.min(count, i + 1_000); j++) batch.push(searchCustomer(j, ORG));
    await adapter.insertMany(ORG, batch);
  }
  return performance.now() - start;
}

/** The scan baseline: every customer read, tested, sorted; the whole ordered match list. */
async function scan(filter: NormalizedFilter, sort: CustomerSort): Promise<Customer[]> {
  const db = await openDB(name);
  const matches = compileFilter(filter);
  const found: Customer[] = [];
  let range = IDBKeyRange.bound([ORG], [ORG, []]);
  for (;;) {
    const chunk = (await db.getAll('customers', range, 5_000)) as Customer[];
    for (const c of chunk) if (matches(c)) found.push(c);
    const last = chunk[chunk.length - 1];
    if (chunk.length < 5_000 || !last) break;
    range = IDBKeyRange.bound([ORG, last.id], [ORG, []], true);
  }
  db.close();
  const direction = isDescending(sort) ? -1 : 1;
  return found
    .map((customer) => ({ customer, key: sortPosition(sort, customer) }))
    .sort((a, b) => comparePositions(a.key, b.key) * direction)
    .map((e) => e.customer);
}

async function measure(
  label: string,
  filter: NormalizedFilter,
  sort: CustomerSort,
  page = () => adapter.list(ORG, { numItems: PAGE, cursor: null, filter, sort }),
  count = () => adapter.count(ORG, filter),
): Promise<SearchMeasurement> {
  const all = await scan(filter, sort);
  if (
    (await page()).page.map((c) => c.id).join() !==
    all
      .slice(0, PAGE)
      .map((c) => c.id)
      .join()
  ) {
    throw new Error(`${label}: first pages differ`);
  }
  if ((await count()) !== all.length) throw new Error(`${label}: counts differ`);
  const scanFirst = await median(3, async () => (await scan(filter, sort)).slice(0, PAGE));
  const countMs = await median(3, count);
  const scanCount = await median(3, async () => (await scan(filter, sort)).length);
  const depth = Math.min(DEEP_ROW, Math.floor(all.length / 2));
  const ids = (list: readonly { id: string }[]) => list.map((c) => c.id).join();
  let deep: number | null = null;
  let first: number;
  if (depth >= PAGE) {
    const cursor = encodeCursor(ORG, { filter, sort }, sortPosition(sort, all[depth - 1]!));
    const deepPage = () => adapter.list(ORG, { numItems: PAGE, cursor, filter, sort });
    if (ids((await deepPage()).page) !== ids(all.slice(depth, depth + PAGE))) {
      throw new Error(`${label}: deep pages differ`);
    }
    [first, deep] = (await alternating(9, [page, deepPage])) as [number, number];
  } else {
    first = await median(9, page);
  }
  return {
    label,
    matches: all.length,
    first,
    scanFirst,
    deepPage: depth >= PAGE ? Math.floor(depth / PAGE) + 1 : null,
    deep,
    count: countMs,
    scanCount,
  };
}

/** Measures case `index` of `searchCases(rows)`, or the segment when `index` is past the end. */
export async function measureSearchCase(index: number): Promise<SearchMeasurement> {
  const cases = searchCases(rows);
  const c = cases[index];
  if (c) return measure(c.label, normalizeFilter(c.filter, { now: NOW }), c.sort);
  const client = createCustomerClient({ adapter, organizationId: ORG, now: () => NOW });
  const segment = await client.createSegment({
    name: 'Glazed birthdays',
    filter: GLAZED_BIRTHDAYS as CustomerFilter,
  });
  const target = { segmentId: segment.id };
  try {
    return await measure(
      'segment glazed AND birthday ≤ 14 days',
      await client.resolveFilter(target),
      'newest',
      () => client.list({ numItems: PAGE, filter: target }),
      () => client.count(target),
    );
  } finally {
    await client.deleteSegment(segment.id);
  }
}

/** How many cases there are (the segment included). */
export function searchCaseCount(): number {
  return searchCases(rows).length + 1;
}

Object.assign(globalThis, { prepareSearchBench, measureSearchCase, searchCaseCount });
