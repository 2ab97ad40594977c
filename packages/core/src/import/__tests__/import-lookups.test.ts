import {
  createCustomerClient,
  createMemoryAdapter,
  type DuplicatePolicy,
  executeImport,
  type StorageAdapter,
} from '@donutauto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/**
 * A memory adapter that counts `getByEmails` calls and the emails they asked for, and the
 * `insertMany` calls that were refused.
 */
function countingAdapter() {
  const inner = createMemoryAdapter();
  const lookups: number[] = [];
  const refused: number[] = [];
  const adapter: StorageAdapter = {
    ...inner,
    getByEmails: (org, emails) => {
      lookups.push(emails.length);
      return inner.getByEmails(org, emails);
    },
    insertMany: (org, customers) =>
      inner.insertMany(org, customers).catch((error: unknown) => {
        refused.push(customers.length);
        throw error;
      }),
  };
  return { adapter, inner, lookups, refused };
}

const csvOf = (emails: readonly string[]) =>
  `firstName,lastName,email\n${emails.map((e, i) => `F${i},L,${e}`).join('\n')}\n`;
const range = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `u${from + i}@example.com`);

async function seed(adapter: StorageAdapter, emails: readonly string[]) {
  if (emails.length === 0) return;
  const client = createCustomerClient({ adapter, organizationId: 'org' });
  await client.bulkAddCustomers(emails.map((email) => ({ firstName: 'Stored', lastName: 'S', email })));
}

describe('stored-customer lookups during an import', () => {
  it('looks each batch’s emails up once before writing it when the organization has customers', async () => {
    const { adapter, inner, lookups, refused } = countingAdapter();
    await seed(inner, ['someone@example.com']);
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    const report = await client.importCsv(csvOf(range(0, 2000)), { batchSize: 500 });
    expect(report.addedCount).toBe(2000);
    expect(lookups).toEqual([500, 500, 500, 500]);
    expect(refused).toEqual([]);
  });

  it('makes none into an organization that had no customers: nothing can be stored but by a race', async () => {
    for (const options of [{}, { onDuplicate: 'update' as const }, { dryRun: true }]) {
      const { adapter, lookups, refused } = countingAdapter();
      const client = createCustomerClient({ adapter, organizationId: 'org' });
      const report = await client.importCsv(csvOf(range(0, 1200)), { batchSize: 500, ...options });
      expect(report.addedCount).toBe(1200);
      expect(lookups).toEqual([]);
      expect(refused).toEqual([]);
    }
  });

  it('looks up from the first lost race on when another writer adds customers meanwhile', async () => {
    const { adapter, inner, lookups, refused } = countingAdapter();
    const rows = range(0, 2000).map((email, i) => ({
      row: i + 2,
      input: { firstName: 'F', lastName: 'L', email },
    }));
    // Another writer stores u700 once the first batch is written.
    const batches = (async function* () {
      yield rows.slice(0, 500);
      await seed(inner, ['u700@example.com']);
      for (let start = 500; start < 2000; start += 500) yield rows.slice(start, start + 500);
    })();
    let id = 0;
    const report = await executeImport({
      adapter,
      organizationId: 'org',
      batches,
      concurrency: 1,
      generateId: () => `id-${id++}`,
    });
    expect(report).toMatchObject({ addedCount: 1999, skippedCount: 1, errorCount: 0 });
    expect(report.issues.map((i) => [i.row, i.code])).toEqual([[702, 'duplicate_existing']]);
    // Batch 2 was refused once and planned again with a lookup; batches 3 and 4 looked up first.
    expect(refused).toEqual([500]);
    expect(lookups).toEqual([500, 500, 500]);
    expect(await inner.count('org', {})).toBe(2000);
  });

  it.each(['update', 'merge'] as const)('looks up every batch first with the %s policy', async (policy) => {
    const { adapter, inner, lookups } = countingAdapter();
    await seed(inner, ['someone@example.com']);
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    await client.importCsv(csvOf(range(0, 1200)), { batchSize: 500, onDuplicate: policy });
    expect(lookups).toEqual([500, 500, 200]);
  });

  it('looks up every batch in a dry run', async () => {
    const { adapter, inner, lookups } = countingAdapter();
    await seed(inner, ['someone@example.com']);
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    const report = await client.importCsv(csvOf(range(0, 1200)), { batchSize: 500, dryRun: true });
    expect(report.addedCount).toBe(1200);
    expect(lookups).toEqual([500, 500, 200]);
  });

  it('ends with the same store and report whatever was stored before (property)', async () => {
    const emailIndex = fc.integer({ min: 0, max: 59 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(emailIndex, { minLength: 1, maxLength: 120 }),
        fc.uniqueArray(emailIndex, { maxLength: 30 }),
        fc.constantFrom<DuplicatePolicy>('skip', 'update', 'merge'),
        fc.integer({ min: 1, max: 4 }),
        async (file, stored, policy, concurrency) => {
          const fileEmails = file.map((i) => `u${i}@example.com`);
          const storedEmails = stored.map((i) => `u${i}@example.com`);
          const { adapter, inner, lookups, refused } = countingAdapter();
          await seed(inner, storedEmails);
          const client = createCustomerClient({ adapter, organizationId: 'org' });
          const report = await client.importCsv(csvOf(fileEmails), {
            batchSize: 7,
            concurrency,
            onDuplicate: policy,
          });
          const unique = [...new Set(fileEmails)];
          const existing = new Set(storedEmails);
          const fresh = unique.filter((e) => !existing.has(e));
          const again = unique.filter((e) => existing.has(e));
          expect(report.addedCount).toBe(fresh.length);
          expect(report.errorCount).toBe(0);
          // A stored email the file repeats is updated with `update` (the names differ); `merge` has
          // no empty stored field to fill and `skip` leaves it, so both skip it.
          expect(report.updatedCount).toBe(policy === 'update' ? again.length : 0);
          expect(report.addedCount + report.updatedCount + report.skippedCount).toBe(fileEmails.length);
          const inFile = report.issues.filter((i) => i.code === 'duplicate_in_file');
          expect(inFile).toHaveLength(fileEmails.length - unique.length);
          // With `skip`, each stored email the file repeats is reported once, at its first row.
          const existingIssues = report.issues.filter((i) => i.code === 'duplicate_existing');
          expect(existingIssues.map((i) => i.value).sort()).toEqual(
            policy === 'skip' ? [...again].sort() : [],
          );
          expect(await client.count()).toBe(new Set([...storedEmails, ...fileEmails]).size);
          // One lookup per batch when customers were stored (none otherwise), and no write refused:
          // nothing else writes meanwhile.
          expect(lookups).toHaveLength(storedEmails.length > 0 ? Math.ceil(fileEmails.length / 7) : 0);
          expect(refused).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
