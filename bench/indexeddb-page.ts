/**
 * Browser side of `bench/indexeddb.ts`, bundled with esbuild and run in headless Chromium.
 * For one size it measures, each into its own fresh database:
 *  (b) `client.importCsv` of a CSV string into the IndexedDB adapter,
 *  (a) raw `idb` puts of the very customers (b) stored, one transaction per 1,000,
 *  (a') the same raw puts of the records as the adapter stores them, into the adapter's schema,
 *  (c) raw `idb` puts of the same customers, one transaction per row,
 *  (c') `client.add` per row (one adapter transaction each),
 * plus where (b)'s time goes (CPU-only import into the memory adapter, batched adapter writes,
 * email look-ups).
 */
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import {
  type Customer,
  type CustomerInput,
  createCustomerClient,
  createMemoryAdapter,
  normalizeEmail,
} from '@donutauto/core';
import { openDB } from 'idb';

/** Timings of one size, in milliseconds, with the rows each variant stored. */
export interface IndexedDbBenchResult {
  readonly rows: number;
  readonly csvBytes: number;
  readonly importMs: number;
  readonly imported: number;
  readonly rawBatchedMs: number;
  readonly perRowMs: number;
  readonly perRowRows: number;
  readonly rawIndexedMs: number;
  readonly memoryImportMs: number;
  readonly adapterBatchedMs: number;
  readonly lookupMs: number;
  readonly clientAddMs: number;
  readonly clientAddRows: number;
}

const PREFS = ['glazed', 'chocolate', 'vegan', 'coffee', 'sprinkles', 'gluten-free'];

function csv(rows: number): string {
  const lines = [
    'firstName,lastName,email,phone,dob,preferences,instagramHandle,tiktokHandle,twitterHandle,gender,location,notes,tags',
  ];
  for (let i = 0; i < rows; i++) {
    const dob =
      i % 5 === 0
        ? `--0${1 + (i % 9)}-1${i % 10}`
        : i % 5 === 1
          ? `19${50 + (i % 50)}-0${1 + (i % 9)}-2${i % 8}`
          : '';
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

async function readAll(name: string, org: string): Promise<Customer[]> {
  const adapter = createIndexedDbAdapter({ name, broadcastChannel: false });
  const out: Customer[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await adapter.list(org, { numItems: 1000, cursor, filter: {}, sort: 'oldest' });
    out.push(...page.page);
    if (page.isDone) break;
    cursor = page.continueCursor;
  }
  await adapter.close?.();
  return out;
}

async function rawStore(name: string) {
  return openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('customers', { keyPath: ['organizationId', 'id'] });
    },
  });
}

/**
 * Runs the three variants for one size.
 * @param rows - Customers to import.
 * @param perRowLimit - At most this many rows for the one-transaction-per-row variant (it is slow).
 * @returns The timings.
 */
export async function runIndexedDbBench(rows: number, perRowLimit: number): Promise<IndexedDbBenchResult> {
  const org = 'bench-org';
  const text = csv(rows);
  const run = `${rows}-${Date.now()}`;

  const adapter = createIndexedDbAdapter({ name: `import-${run}`, broadcastChannel: false });
  const client = createCustomerClient({ adapter, organizationId: org });
  let start = performance.now();
  const report = await client.importCsv(text, { batchSize: 1000 });
  const importMs = performance.now() - start;
  await adapter.close?.();

  const customers = await readAll(`import-${run}`, org);

  const batched = await rawStore(`raw-${run}`);
  start = performance.now();
  for (let i = 0; i < customers.length; i += 1000) {
    const tx = batched.transaction('customers', 'readwrite');
    for (const c of customers.slice(i, i + 1000)) void tx.store.put(c);
    await tx.done;
  }
  const rawBatchedMs = performance.now() - start;
  batched.close();

  // (a') the same raw puts, but of the records as the adapter stores them (with derived index keys)
  // into a database with the adapter's schema: what the indexes alone cost.
  const stored = await openDB(`import-${run}`);
  const records: unknown[] = await stored.getAll('customers');
  stored.close();
  const schemaOnly = createIndexedDbAdapter({ name: `indexed-${run}`, broadcastChannel: false });
  await schemaOnly.count(org, {});
  await schemaOnly.close?.();
  const indexed = await openDB(`indexed-${run}`);
  start = performance.now();
  for (let i = 0; i < records.length; i += 1000) {
    const tx = indexed.transaction('customers', 'readwrite');
    for (const record of records.slice(i, i + 1000)) void tx.store.put(record);
    await tx.done;
  }
  const rawIndexedMs = performance.now() - start;
  indexed.close();

  const single = await rawStore(`row-${run}`);
  const perRow = customers.slice(0, perRowLimit);
  start = performance.now();
  for (const c of perRow) {
    const tx = single.transaction('customers', 'readwrite');
    void tx.store.put(c);
    await tx.done;
  }
  const perRowMs = performance.now() - start;
  single.close();

  // Where (b)'s time goes: the same import into the memory adapter (parse, validate, plan: CPU only),
  // the adapter's own batched writes of the same customers, and the planner's email look-ups.
  start = performance.now();
  await createCustomerClient({ adapter: createMemoryAdapter(), organizationId: org }).importCsv(text, {
    batchSize: 1000,
  });
  const memoryImportMs = performance.now() - start;

  const direct = createIndexedDbAdapter({ name: `direct-${run}`, broadcastChannel: false });
  start = performance.now();
  for (let i = 0; i < customers.length; i += 1000) await direct.insertMany(org, customers.slice(i, i + 1000));
  const adapterBatchedMs = performance.now() - start;
  start = performance.now();
  for (let i = 0; i < customers.length; i += 1000) {
    await direct.getByEmails(
      org,
      customers.slice(i, i + 1000).map((c) => normalizeEmail(c.email)),
    );
  }
  const lookupMs = performance.now() - start;
  await direct.close?.();

  // The app-level alternative to an import: one `client.add` (one adapter transaction) per row.
  const perAdd = createIndexedDbAdapter({ name: `add-${run}`, broadcastChannel: false });
  const addClient = createCustomerClient({ adapter: perAdd, organizationId: org });
  const inputs: CustomerInput[] = customers.slice(0, perRowLimit).map((c) => ({
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    dob: c.dob,
    preferences: c.preferences,
    location: c.location,
    notes: c.notes,
    tags: c.tags,
    instagramHandle: c.instagramHandle,
  }));
  start = performance.now();
  for (const input of inputs) await addClient.add(input);
  const clientAddMs = performance.now() - start;
  await perAdd.close?.();

  return {
    rawIndexedMs,
    memoryImportMs,
    adapterBatchedMs,
    lookupMs,
    clientAddMs,
    clientAddRows: inputs.length,
    rows,
    csvBytes: text.length,
    importMs,
    imported: report.addedCount,
    rawBatchedMs,
    perRowMs,
    perRowRows: perRow.length,
  };
}

Object.assign(globalThis, { runIndexedDbBench });
