import {
  createCustomerClient,
  createMemoryAdapter,
  executeImport,
  parseCustomerCsv,
  planImport,
  streamCustomerCsv,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const CSV = 'firstName,lastName,email,dob,preferences\nAna,Li,ana@example.com,03/04/1990,"a,b,c,d"\n';
const refusal = (argument: string) => ({ code: 'invalid_argument', argument });

/** Runs `fn` and returns what it threw or rejected with. */
async function thrown(fn: () => unknown): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('import options are checked when given', () => {
  const bad: [string, Record<string, unknown>][] = [
    ['onDuplicate', { onDuplicate: 'overwrite' }],
    ['onDuplicate', { onDuplicate: 'Merge' }],
    ['strict', { strict: 'yes' }],
    ['dryRun', { dryRun: 1 }],
    ['maxIssues', { maxIssues: -1 }],
    ['maxIssues', { maxIssues: 2.5 }],
    ['onIssue', { onIssue: 'log' }],
    ['concurrency', { concurrency: 0 }],
  ];

  it.each(bad)('client.importCsv refuses a bad %s and writes nothing', async (argument, options) => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    expect(await thrown(() => client.importCsv(CSV, options))).toMatchObject(refusal(argument));
    expect(await client.count()).toBe(0);
  });

  it.each(bad)('client.bulkAddCustomers refuses a bad %s and writes nothing', async (argument, options) => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const inputs = [{ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' }];
    expect(await thrown(() => client.bulkAddCustomers(inputs, options))).toMatchObject(refusal(argument));
    expect(await client.count()).toBe(0);
  });

  it.each(bad)('executeImport refuses a bad %s', async (argument, options) => {
    const run = () =>
      executeImport({
        adapter: createMemoryAdapter(),
        organizationId: 'org',
        batches: [[{ row: 2, input: { firstName: 'A', lastName: 'B', email: 'a@example.com' } }]],
        generateId: () => 'id',
        ...options,
      });
    expect(await thrown(run)).toMatchObject(refusal(argument));
  });

  it('executeImport refuses a missing adapter, organization, batches or id generator', async () => {
    const good = {
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      batches: [],
      generateId: () => 'id',
    };
    const cases: [string, Record<string, unknown>][] = [
      ['adapter', { adapter: {} }],
      ['organizationId', { organizationId: '' }],
      ['batches', { batches: 5 }],
      ['generateId', { generateId: 'uuid' }],
      ['now', { now: 5 }],
    ];
    for (const [argument, change] of cases) {
      expect(await thrown(() => executeImport({ ...good, ...change } as never))).toMatchObject(
        refusal(argument),
      );
    }
    expect(await thrown(() => executeImport(null as never))).toMatchObject(refusal('options'));
  });

  it('planImport refuses an unknown onDuplicate or strict', () => {
    const input = { rows: [], seenEmails: new Map(), existing: [] };
    expect(() => planImport({ ...input, onDuplicate: 'overwrite' as never })).toThrow(
      expect.objectContaining(refusal('onDuplicate')),
    );
    expect(() => planImport({ ...input, strict: 'no' as never })).toThrow(
      expect.objectContaining(refusal('strict')),
    );
  });

  const badParse: [string, Record<string, unknown>][] = [
    ['dateOrder', { dateOrder: 'YMD' }],
    ['dateOrder', { dateOrder: 'mdy' }],
    ['tooManyPreferences', { tooManyPreferences: 'drop' }],
    ['unmappedColumns', { unmappedColumns: 'ignore' }],
    ['delimiter', { delimiter: '"' }],
  ];

  it.each(badParse)('refuses a bad %s at the call, before reading', async (argument, options) => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    expect(await thrown(() => client.importCsv(CSV, options))).toMatchObject(refusal(argument));
    expect(await thrown(() => parseCustomerCsv(CSV, options))).toMatchObject(refusal(argument));
    expect(await thrown(() => streamCustomerCsv(CSV, options))).toMatchObject(refusal(argument));
    expect(await client.count()).toBe(0);
  });

  it('accepts every documented value', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    for (const onDuplicate of ['skip', 'update', 'merge'] as const) {
      for (const dateOrder of ['MDY', 'DMY'] as const) {
        const report = await client.importCsv(CSV, {
          onDuplicate,
          dateOrder,
          tooManyPreferences: 'keepFirst',
          unmappedColumns: 'customFields',
          strict: true,
          maxIssues: Number.POSITIVE_INFINITY,
        });
        expect(report.errorCount).toBe(0);
      }
    }
  });
});
