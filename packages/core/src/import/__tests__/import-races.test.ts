import {
  type Customer,
  createCustomerClient,
  createMemoryAdapter,
  executeImport,
  isCustomerError,
  type PlannerRow,
  type StorageAdapter,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const csvOf = (from: number, to: number) =>
  `firstName,lastName,email\n${Array.from({ length: to - from }, (_, i) => `F,L,u${from + i}@example.com`).join('\n')}\n`;

async function emailsIn(adapter: StorageAdapter, org: string): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await adapter.list(org, { numItems: 1000, cursor, filter: {}, sort: 'oldest' });
    out.push(...page.page.map((c) => c.email));
    if (page.isDone) return out;
    cursor = page.continueCursor;
  }
}

/**
 * A memory adapter with a concurrent writer: before each of the first `races` `insertMany` calls,
 * another client inserts (for real) the email of the next row of the batch being written.
 */
function racedAdapter(races: number) {
  const inner = createMemoryAdapter();
  let raced = 0;
  let insertCalls = 0;
  const adapter: StorageAdapter = {
    ...inner,
    async insertMany(org: string, customers: readonly Customer[]) {
      insertCalls++;
      const victim = customers[raced % customers.length];
      if (raced < races && victim) {
        raced++;
        await inner.insertMany(org, [{ ...victim, id: `other-${raced}`, firstName: 'Other' }]);
      }
      return inner.insertMany(org, customers);
    },
  };
  return { adapter, inner, insertCalls: () => insertCalls };
}

/** A memory adapter behind a network: every read and write takes a random 0–3 ms, so runs interleave. */
function latentAdapter(): StorageAdapter {
  const inner = createMemoryAdapter();
  const lag = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
  return {
    ...inner,
    getByEmails: async (org, emails) => {
      await lag();
      return inner.getByEmails(org, emails);
    },
    insertMany: async (org, customers) => {
      await lag();
      return inner.insertMany(org, customers);
    },
  };
}

const rowsOf = (n: number): PlannerRow[] =>
  Array.from({ length: n }, (_, i) => ({
    row: i + 2,
    input: { firstName: 'F', lastName: 'L', email: `r${i}@example.com` },
  }));

describe('imports racing other writers', () => {
  it('lets 8 overlapping importCsv and bulkAddCustomers runs all succeed, each email stored once', async () => {
    const adapter = latentAdapter();
    const runs = Array.from({ length: 8 }, (_, k) => {
      const client = createCustomerClient({ adapter, organizationId: 'org' });
      const from = k * 150;
      return k % 2 === 0
        ? client.importCsv(csvOf(from, from + 600), { batchSize: 50, concurrency: 4 })
        : client.bulkAddCustomers(
            Array.from({ length: 600 }, (_, i) => ({
              firstName: 'F',
              lastName: 'L',
              email: `u${from + 599 - i}@example.com`,
            })),
            { batchSize: 50, concurrency: 4 },
          );
    });
    const reports = await Promise.all(runs);
    const union = 7 * 150 + 600;
    expect(reports.reduce((n, r) => n + r.addedCount, 0)).toBe(union);
    for (const report of reports) {
      expect(report.addedCount + report.skippedCount).toBe(600);
      expect(report.errorCount).toBe(0);
    }
    const stored = await emailsIn(adapter, 'org');
    expect(stored).toHaveLength(union);
    expect(new Set(stored).size).toBe(union);
  });

  it('re-plans a batch that lost 10 races in a row, writing nothing twice', async () => {
    const { adapter, inner, insertCalls } = racedAdapter(10);
    let id = 0;
    const report = await executeImport({
      adapter,
      organizationId: 'org',
      batches: [rowsOf(20)],
      generateId: () => `id-${id++}`,
    });
    expect(insertCalls()).toBe(11);
    expect(report.addedCount).toBe(10);
    expect(report.skippedCount).toBe(10);
    expect(report.issues.map((i) => i.code)).toEqual(Array(10).fill('duplicate_existing'));
    const stored = await emailsIn(inner, 'org');
    expect(stored).toHaveLength(20);
    expect(new Set(stored).size).toBe(20);
  });

  it('gives up with duplicate_email after the 10th re-plan still loses', async () => {
    const { adapter, insertCalls } = racedAdapter(11);
    let id = 0;
    const failed = await executeImport({
      adapter,
      organizationId: 'org',
      batches: [rowsOf(20)],
      generateId: () => `id-${id++}`,
    }).catch((error: unknown) => error);
    expect(isCustomerError(failed, 'duplicate_email')).toBe(true);
    expect(insertCalls()).toBe(11);
  });
});

describe('aborting an import', () => {
  const run = async (abortWhenWritten: number) => {
    const adapter = createMemoryAdapter();
    const controller = new AbortController();
    let id = 0;
    const rows = rowsOf(30);
    const report = await executeImport({
      adapter,
      organizationId: 'org',
      batches: [rows.slice(0, 10), rows.slice(10, 20), rows.slice(20)],
      concurrency: 1,
      signal: controller.signal,
      generateId: () => `id-${id++}`,
      onProgress: (p) => {
        if (p.phase === 'writing' && p.rowsWritten >= abortWhenWritten) controller.abort();
      },
    });
    return { report, stored: await emailsIn(adapter, 'org') };
  };

  it('reports aborted when batches were left unprocessed', async () => {
    const { report, stored } = await run(10);
    expect(report.aborted).toBe(true);
    expect(report.addedCount).toBe(stored.length);
    expect(stored.length).toBeLessThan(30);
  });

  it('does not report aborted when the signal fires after the last batch was written', async () => {
    const { report, stored } = await run(30);
    expect(report.aborted).toBe(false);
    expect(report.addedCount).toBe(30);
    expect(stored).toHaveLength(30);
  });
});
