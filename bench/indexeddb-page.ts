/**
 * Browser side of `bench/indexeddb.ts`, bundled with esbuild and run in headless Chromium.
 * `prepareIndexedDbBench(rows)` builds the CSV and the customers it yields; then each
 * `measureIndexedDbVariant(variant)` call writes them into a fresh database, times it, and deletes
 * the database again (so one variant's data never slows the next one down):
 *  a      raw `idb` puts of the customers, one transaction per 1,000 rows, plain store (the baseline)
 *  a'     raw `idb` puts of the records as the adapter stores them, into the adapter's schema
 *  b      `client.importCsv` of the CSV into `createIndexedDbAdapter`
 *  c      raw `idb` puts, one transaction per row (first `perRowLimit` rows)
 *  c'     `client.add` per row, one adapter transaction each (first `perRowLimit` rows)
 *  cpu    `client.importCsv` into the memory adapter: parsing, validation, planning only
 *  lookup `adapter.getByEmails` of all emails, 1,000 per call, against the stored customers; then
 *         the first page of 20 for an indexed tag and for unindexed preferences, and a count
 */
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import {
  type Customer,
  type CustomerFilter,
  type CustomerInput,
  createCustomerClient,
  createMemoryAdapter,
  normalizeEmail,
  type StorageAdapter,
} from '@donutauto/core';
import { normalizeFilter } from '@donutauto/core/adapter';
import { deleteDB, openDB } from 'idb';
import { fixtureDob } from './fixture-dob';

/** The variants `measureIndexedDbVariant` knows. */
export type IndexedDbVariant = 'a' | "a'" | 'b' | 'c' | "c'" | 'cpu' | 'lookup';

/** One measurement. */
export interface IndexedDbMeasurement {
  /** Wall time in ms. */
  readonly ms: number;
  /** Rows written or looked up. */
  readonly rows: number;
  /** For (b): ms spent inside `getByEmails` and inside `insertMany` (batches overlap, so these may sum to more than `ms`). */
  readonly split?: { readonly lookupMs: number; readonly insertMs: number };
  /** For `lookup`: ms of listings on the same database (schema 3 indexes tags, not preferences). */
  readonly pages?: Readonly<Record<string, number>>;
}

/** Times the first page of 20, newest-first, for filters the schema indexes or not, and a count. */
async function timePages(adapter: StorageAdapter): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const page = (filter: CustomerFilter) =>
    adapter.list(ORG, { numItems: 20, cursor: null, filter: normalizeFilter(filter), sort: 'newest' });
  const cases: [string, () => Promise<unknown>][] = [
    ['page tag vip (indexed, 1 in 10)', () => page({ tags: { all: ['vip'] } })],
    ['page preference vegan (walk, 1 in 3)', () => page({ preferences: { all: ['vegan'] } })],
    ['page preference nobody has (walk, whole org)', () => page({ preferences: { all: ['matcha'] } })],
    [
      'count preference vegan (walk, whole org)',
      () => adapter.count(ORG, normalizeFilter({ preferences: { all: ['vegan'] } })),
    ],
  ];
  for (const [label, run] of cases) {
    const t = performance.now();
    await run();
    out[label] = performance.now() - t;
  }
  return out;
}

/** The adapter with the time spent in its import calls summed up. */
function timed(adapter: StorageAdapter) {
  const split = { lookupMs: 0, insertMs: 0 };
  const wrapped: StorageAdapter = {
    ...adapter,
    async getByEmails(org, emails) {
      const t = performance.now();
      try {
        return await adapter.getByEmails(org, emails);
      } finally {
        split.lookupMs += performance.now() - t;
      }
    },
    async insertMany(org, rows) {
      const t = performance.now();
      try {
        return await adapter.insertMany(org, rows);
      } finally {
        split.insertMs += performance.now() - t;
      }
    },
  };
  return { wrapped, split };
}

const ORG = 'bench-org';
const PREFS = ['glazed', 'chocolate', 'vegan', 'coffee', 'sprinkles', 'gluten-free'];
let text = '';
let customers: Customer[] = [];
let records: unknown[] = [];
let counter = 0;

function csv(rows: number): string {
  const lines = [
    'firstName,lastName,email,phone,dob,preferences,instagramHandle,tiktokHandle,twitterHandle,gender,location,notes,tags',
  ];
  for (let i = 0; i < rows; i++) {
    const dob = fixtureDob(i);
    lines.push(
      [
        `First${i}`,
        `Last${i % 997}`,
        `customer${i}@example.com`,
        `+1555${String(i).padStart(7, '0')}`,
        dob,
        `"${PREFS[i % 6]}, ${PREFS[(i + 1) % 6]}"`,
        i % 4 === 0 ? `fan${i}` : '',
        '',
        '',
        '',
        i % 2 === 0 ? 'Downtown' : 'Harbour',
        i % 7 === 0 ? '"Allergic to nuts, prefers oat milk"' : '',
        i % 10 === 0 ? 'vip' : '',
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function freshName(label: string): string {
  counter++;
  return `${label}-${counter}-${Date.now()}`;
}

/**
 * Builds the CSV of `rows` customers and the exact customers and records an import of it stores.
 * @returns The CSV size in bytes.
 */
export async function prepareIndexedDbBench(rows: number): Promise<number> {
  text = csv(rows);
  const name = freshName('prepare');
  const adapter = createIndexedDbAdapter({ name, broadcastChannel: false });
  const report = await createCustomerClient({ adapter, organizationId: ORG }).importCsv(text, {
    batchSize: 1000,
  });
  if (report.addedCount !== rows) throw new Error(`import added ${report.addedCount} of ${rows}`);
  customers = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await adapter.list(ORG, { numItems: 1000, cursor, filter: {}, sort: 'oldest' });
    customers.push(...page.page);
    if (page.isDone) break;
    cursor = page.continueCursor;
  }
  await adapter.close?.();
  const db = await openDB(name);
  records = await db.getAll('customers');
  db.close();
  await deleteDB(name);
  return text.length;
}

async function putBatched(name: string, values: readonly unknown[]): Promise<void> {
  const db = await openDB(name);
  for (let i = 0; i < values.length; i += 1000) {
    const tx = db.transaction('customers', 'readwrite');
    for (const value of values.slice(i, i + 1000)) void tx.store.put(value);
    await tx.done;
  }
  db.close();
}

async function plainStore(name: string): Promise<void> {
  const db = await openDB(name, 1, {
    upgrade(d) {
      d.createObjectStore('customers', { keyPath: ['organizationId', 'id'] });
    },
  });
  db.close();
}

async function adapterSchema(name: string): Promise<void> {
  const adapter = createIndexedDbAdapter({ name, broadcastChannel: false });
  await adapter.count(ORG, {});
  await adapter.close?.();
}

function toInput(c: Customer): CustomerInput {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    dob: c.dob,
    preferences: c.preferences,
    instagramHandle: c.instagramHandle,
    location: c.location,
    notes: c.notes,
    tags: c.tags,
  };
}

/**
 * Times one variant on a fresh database (created untimed, deleted afterwards).
 * @param variant - Which write path, see the file comment.
 * @param perRowLimit - Rows for the one-transaction-per-row variants.
 * @returns Time and rows.
 */
export async function measureIndexedDbVariant(
  variant: IndexedDbVariant,
  perRowLimit: number,
): Promise<IndexedDbMeasurement> {
  const name = freshName(variant === "a'" ? 'a2' : variant === "c'" ? 'c2' : variant);
  let rows = customers.length;
  let start = 0;
  let ms = 0;
  if (variant === 'a' || variant === 'c') {
    await plainStore(name);
    if (variant === 'a') {
      start = performance.now();
      await putBatched(name, customers);
    } else {
      const subset = customers.slice(0, perRowLimit);
      rows = subset.length;
      const db = await openDB(name);
      start = performance.now();
      for (const c of subset) {
        const tx = db.transaction('customers', 'readwrite');
        void tx.store.put(c);
        await tx.done;
      }
      db.close();
    }
    ms = performance.now() - start;
  } else if (variant === "a'") {
    await adapterSchema(name);
    start = performance.now();
    await putBatched(name, records);
    ms = performance.now() - start;
  } else if (variant === 'b' || variant === "c'") {
    const adapter = createIndexedDbAdapter({ name, broadcastChannel: false });
    await adapter.count(ORG, {});
    const { wrapped, split } = timed(adapter);
    const client = createCustomerClient({ adapter: wrapped, organizationId: ORG });
    if (variant === 'b') {
      start = performance.now();
      const report = await client.importCsv(text, { batchSize: 1000 });
      ms = performance.now() - start;
      if (report.addedCount !== rows) throw new Error(`import added ${report.addedCount} of ${rows}`);
      await adapter.close?.();
      await deleteDB(name);
      return { ms, rows, split };
    } else {
      const inputs = customers.slice(0, perRowLimit).map(toInput);
      rows = inputs.length;
      start = performance.now();
      for (const input of inputs) await client.add(input);
      ms = performance.now() - start;
    }
    await adapter.close?.();
  } else if (variant === 'cpu') {
    start = performance.now();
    await createCustomerClient({ adapter: createMemoryAdapter(), organizationId: ORG }).importCsv(text, {
      batchSize: 1000,
    });
    return { ms: performance.now() - start, rows };
  } else {
    await adapterSchema(name);
    await putBatched(name, records);
    const adapter = createIndexedDbAdapter({ name, broadcastChannel: false });
    start = performance.now();
    for (let i = 0; i < customers.length; i += 1000) {
      const found = await adapter.getByEmails(
        ORG,
        customers.slice(i, i + 1000).map((c) => normalizeEmail(c.email)),
      );
      if (found.length !== Math.min(1000, customers.length - i)) throw new Error('lookup missed customers');
    }
    ms = performance.now() - start;
    const pages = await timePages(adapter);
    await adapter.close?.();
    await deleteDB(name);
    return { ms, rows, pages };
  }
  await deleteDB(name);
  return { ms, rows };
}

Object.assign(globalThis, { prepareIndexedDbBench, measureIndexedDbVariant });
