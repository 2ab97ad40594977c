import {
  type Customer,
  createMemoryAdapter,
  type ExecuteImportOptions,
  executeImport,
  parseCustomerCsv,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { readCustomerCsv } from '../customer-csv-reader';
import { runImport } from '../import-executor';

// `parseCustomerCsv` and `executeImport` load their module on the first call: these check that
// what they return and how they fail is exactly what the loaded implementation does.

const CSV = [
  'First Name,Last Name,Email,Birthday,Tags',
  'Ana,Li,ana@example.com,03/04,"vip, local"',
  'Bo,,bo@example,1990-02-30,',
  'Ana,Li,ANA@example.com,,',
].join('\n');

/** Calls `fn` and returns how it ended: a synchronous throw, a rejection or a value. */
async function outcome(
  fn: () => Promise<unknown>,
): Promise<{ threw?: unknown; rejected?: unknown; value?: unknown }> {
  let promise: Promise<unknown>;
  try {
    promise = fn();
  } catch (error) {
    return { threw: error };
  }
  try {
    return { value: await promise };
  } catch (error) {
    return { rejected: error };
  }
}

/** An error as a caller sees it: class, code, argument and message. */
const shown = (error: unknown) => ({
  name: (error as Error).name,
  message: (error as Error).message,
  code: (error as { code?: unknown }).code,
  argument: (error as { argument?: unknown }).argument,
});

describe('parseCustomerCsv', () => {
  it('answers what the parser answers', async () => {
    const options = { dateOrder: 'DMY' as const, strict: true };
    const result = await parseCustomerCsv(CSV, options);
    expect(result).toEqual(await readCustomerCsv(CSV, options));
    expect(result.customers.map((c) => c.email)).toEqual(['ana@example.com']);
  });

  it.each([
    ['a bad option', () => [CSV, { delimiter: '"' }]],
    ['a bad mapping', () => [CSV, { mapping: { Email: 'mail' } }]],
    ['an unreadable source', () => [42, {}]],
    ['null options', () => [CSV, null]],
  ])('rejects %s as the parser does', async (_, args) => {
    const [source, options] = args() as [never, never];
    const facade = await outcome(() => parseCustomerCsv(source, options));
    const parser = await outcome(() => readCustomerCsv(source, options));
    expect(facade.threw).toBeUndefined();
    expect(parser.threw).toBeUndefined();
    expect(shown(facade.rejected)).toEqual(shown(parser.rejected));
  });
});

describe('executeImport', () => {
  const rows = [
    { row: 2, input: { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' } },
    { row: 3, input: { firstName: 'Bo', lastName: 'Ng', email: 'bo@example' } },
    { row: 4, input: { firstName: 'Ana', lastName: 'Li', email: 'ANA@example.com' } },
  ];
  const options = (): ExecuteImportOptions => {
    let id = 0;
    return {
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      batches: [rows],
      generateId: () => `id-${++id}`,
      now: () => 1_700_000_000_000,
      keepAddedIds: true,
    };
  };
  // The report's timing differs between runs; everything else must not.
  const withoutTiming = ({ durationMs: _, ...report }: { durationMs: number }) => report;

  it('writes and reports what the executor does', async () => {
    const viaFacade = options();
    const direct = options();
    const report = await executeImport(viaFacade);
    expect(withoutTiming(report)).toEqual(withoutTiming(await runImport(direct)));
    const stored = async (o: ExecuteImportOptions) =>
      (await o.adapter.list('org', { numItems: 10, cursor: null, filter: {}, sort: 'newest' })).page;
    const written: Customer[] = await stored(viaFacade);
    expect(written.map((c) => c.email)).toEqual(['ana@example.com']);
    expect(written).toEqual(await stored(direct));
  });

  it.each([
    ['no options', () => null],
    ['a bad option', () => ({ ...options(), onDuplicate: 'overwrite' })],
    ['a missing adapter', () => ({ ...options(), adapter: {} })],
  ])('rejects %s as the executor does', async (_, args) => {
    const facade = await outcome(() => executeImport(args() as never));
    const executor = await outcome(() => runImport(args() as never));
    expect(facade.threw).toBeUndefined();
    expect(executor.threw).toBeUndefined();
    expect(shown(facade.rejected)).toEqual(shown(executor.rejected));
    expect(shown(facade.rejected).code).toBe('invalid_argument');
  });
});
