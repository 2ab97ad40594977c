import {
  type CsvExportOptions,
  createCustomerClient,
  createCustomerEditor,
  createMemoryAdapter,
  createUpdateQueue,
  csvTemplate,
  customerCsvHeader,
  customerCsvLine,
  customersToCsv,
  isCustomerError,
  type StorageAdapter,
} from '@donutauto/core';
import { customerDataFixture } from '@donutauto/testing';
import { describe, expect, it } from 'vitest';

const ana = { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' };

/** Runs a call (sync or async) and returns the code of the typed error it fails with. */
async function failure(call: () => unknown): Promise<{ code: string; argument?: string }> {
  let error: unknown;
  try {
    const result = call();
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') await result;
    else if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      throw new Error('returned an iterable instead of failing at call time');
    }
  } catch (caught) {
    error = caught;
  }
  if (error === undefined) throw new Error('expected the call to fail');
  if (!isCustomerError(error)) throw error;
  return {
    code: error.code,
    ...('argument' in error ? { argument: (error as { argument: string }).argument } : {}),
  };
}

describe('export options', () => {
  const customer = customerDataFixture(ana);
  const bad: [keyof CsvExportOptions, unknown][] = [
    ['delimiter', '"'],
    ['delimiter', '='],
    ['delimiter', '\r'],
    ['delimiter', '\n'],
    ['delimiter', '\r\n'],
    ['delimiter', ',,'],
    ['delimiter', ''],
    ['delimiter', 'ab'],
    ['delimiter', 5],
    ['delimiter', null],
    ['newline', '\r'],
    ['newline', '\n\r'],
    ['newline', 'CRLF'],
    ['newline', ''],
    ['newline', 10],
    ['bom', 'yes'],
    ['customFieldKeys', 'tier'],
    ['customFieldKeys', [5]],
    ['customFieldKeys', ['has space']],
    ['customFieldKeys', ['__proto__']],
  ];
  const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
  const entryPoints: [string, (options: CsvExportOptions) => unknown][] = [
    ['customersToCsv', (o) => customersToCsv([customer], o)],
    ['csvTemplate', (o) => csvTemplate(o)],
    ['customerCsvHeader', (o) => customerCsvHeader([], o)],
    ['customerCsvLine', (o) => customerCsvLine(customer, [], o)],
    ['client.exportCsv', (o) => client.exportCsv(o)],
  ];

  for (const [name, call] of entryPoints) {
    it(`${name} refuses options that would corrupt the CSV, naming the option, when called`, async () => {
      for (const [option, value] of bad) {
        if (name === 'customerCsvHeader' || name === 'customerCsvLine') {
          if (option === 'customFieldKeys') continue; // their keys are an argument, not an option
        }
        expect(
          await failure(() => call({ [option]: value } as CsvExportOptions)),
          `${option}=${String(value)}`,
        ).toEqual({
          code: 'invalid_argument',
          argument: option,
        });
      }
      expect(await failure(() => call(null as unknown as CsvExportOptions))).toEqual({
        code: 'invalid_argument',
        argument: 'options',
      });
    });
  }

  it('accepts every documented delimiter and newline', () => {
    for (const delimiter of [',', ';', '\t'] as const) {
      for (const newline of ['\r\n', '\n'] as const) {
        const csv = customersToCsv([customer], { delimiter, newline });
        expect(csv.endsWith(newline)).toBe(true);
        expect(csv.split(newline)[0]!.split(delimiter)[0]).toBe('firstName');
      }
    }
  });
});

describe('wrong-typed arguments get typed errors, never a TypeError', () => {
  const setup = async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const stored = await client.add(ana);
    return { client, id: stored.id };
  };
  type Client = Awaited<ReturnType<typeof setup>>['client'];
  const anyArg = <T>(value: unknown) => value as T;

  const cases: [string, (c: Client, id: string) => unknown, string, string?][] = [
    ['add(null)', (c) => c.add(anyArg(null)), 'invalid_argument', 'input'],
    ['add(5)', (c) => c.add(anyArg(5)), 'invalid_argument', 'input'],
    ['add([])', (c) => c.add(anyArg([])), 'invalid_argument', 'input'],
    ['bulkAddCustomers(null)', (c) => c.bulkAddCustomers(anyArg(null)), 'invalid_argument', 'inputs'],
    [
      'bulkAddCustomers([], null)',
      (c) => c.bulkAddCustomers([], anyArg(null)),
      'invalid_argument',
      'options',
    ],
    ['bulkAddCustomers([], 5)', (c) => c.bulkAddCustomers([], anyArg(5)), 'invalid_argument', 'options'],
    ['get(null)', (c) => c.get(anyArg(null)), 'invalid_argument', 'id'],
    ['get({})', (c) => c.get(anyArg({})), 'invalid_argument', 'id'],
    ['update(id, {}, null)', (c, id) => c.update(id, {}, anyArg(null)), 'invalid_argument', 'options'],
    ['update(id, {}, 5)', (c, id) => c.update(id, {}, anyArg(5)), 'invalid_argument', 'options'],
    ['update(id, {}, "x")', (c, id) => c.update(id, {}, anyArg('x')), 'invalid_argument', 'options'],
    [
      'update(id, {}, { expectedVersion: "1" })',
      (c, id) => c.update(id, {}, anyArg({ expectedVersion: '1' })),
      'invalid_argument',
      'expectedVersion',
    ],
    ['update(id, null)', (c, id) => c.update(id, anyArg(null)), 'invalid_argument', 'patch'],
    ['update(id, 5)', (c, id) => c.update(id, anyArg(5)), 'invalid_argument', 'patch'],
    ['update(id, [])', (c, id) => c.update(id, anyArg([])), 'invalid_argument', 'patch'],
    ['update(null, {})', (c) => c.update(anyArg(null), {}), 'invalid_argument', 'id'],
    [
      'updateCustomerField(null)',
      (c) => c.updateCustomerField(anyArg<never>(null)),
      'invalid_argument',
      'args',
    ],
    ['updateCustomerField(5)', (c) => c.updateCustomerField(anyArg<never>(5)), 'invalid_argument', 'args'],
    [
      'updateCustomerField({ field: 5 })',
      (c, id) => c.updateCustomerField(anyArg<never>({ id, field: 5, value: 'x' })),
      'forbidden_field',
    ],
    [
      'updateCustomerField({ id: 5 })',
      (c) => c.updateCustomerField(anyArg<never>({ id: 5, field: 'firstName', value: 'x' })),
      'invalid_argument',
      'id',
    ],
    ['delete(null)', (c) => c.delete(anyArg(null)), 'invalid_argument', 'id'],
    ['list(null)', (c) => c.list(anyArg(null)), 'invalid_argument', 'options'],
    ['list({ numItems: "5" })', (c) => c.list(anyArg({ numItems: '5' })), 'invalid_argument', 'numItems'],
    ['list({ filter: 5 })', (c) => c.list(anyArg({ numItems: 5, filter: 5 })), 'invalid_argument', 'filter'],
    ['count(5)', (c) => c.count(anyArg(5)), 'invalid_argument', 'filter'],
    ['subscribe(null)', (c) => c.subscribe(anyArg(null)), 'invalid_argument', 'listener'],
    ['checkCustomerData(null)', (c) => c.checkCustomerData(anyArg(null)), 'invalid_argument', 'data'],
    ['createEditor(null)', (c) => c.createEditor(anyArg(null)), 'invalid_argument', 'id'],
    ['createEditor(id, null)', (c, id) => c.createEditor(id, anyArg(null)), 'invalid_argument', 'options'],
    ['createEditor(id, 5)', (c, id) => c.createEditor(id, anyArg(5)), 'invalid_argument', 'options'],
    [
      'createEditor(id, { timers: 5 })',
      (c, id) => c.createEditor(id, anyArg({ timers: 5 })),
      'invalid_argument',
      'timers',
    ],
    [
      'createEditor(id, { retry: 5 })',
      (c, id) => c.createEditor(id, anyArg({ retry: 5 })),
      'invalid_argument',
      'retry',
    ],
    [
      'editor.subscribe(null)',
      (c, id) => c.createEditor(id).subscribe(anyArg(null)),
      'invalid_argument',
      'listener',
    ],
    ['importCsv(5)', (c) => c.importCsv(anyArg(5)), 'invalid_argument', 'source'],
    ['importCsv(null)', (c) => c.importCsv(anyArg(null)), 'invalid_argument', 'source'],
    [
      'createCustomerEditor(null, id)',
      (_c, id) => createCustomerEditor(anyArg(null), id),
      'invalid_argument',
      'client',
    ],
    ['createCustomerEditor(client, 5)', (c) => createCustomerEditor(c, anyArg(5)), 'invalid_argument', 'id'],
    [
      'createCustomerEditor(client, id, null)',
      (c, id) => createCustomerEditor(c, id, anyArg(null)),
      'invalid_argument',
      'options',
    ],
    ['importCsv(csv, null)', (c) => c.importCsv('a', anyArg(null)), 'invalid_argument', 'options'],
    ['importCsv(csv, 5)', (c) => c.importCsv('a', anyArg(5)), 'invalid_argument', 'options'],
    ['exportCsv(null)', (c) => c.exportCsv(anyArg(null)), 'invalid_argument', 'options'],
    ['exportCsv({ pageSize: 0 })', (c) => c.exportCsv({ pageSize: 0 }), 'invalid_argument', 'pageSize'],
    ['exportCsv({ filter: 5 })', (c) => c.exportCsv(anyArg({ filter: 5 })), 'invalid_argument', 'filter'],
  ];

  for (const [name, call, code, argument] of cases) {
    it(`client.${name}`, async () => {
      const { client, id } = await setup();
      expect(await failure(() => call(client, id))).toEqual({
        code,
        ...(argument === undefined ? {} : { argument }),
      });
    });
  }

  it('createCustomerClient refuses non-object options and wrong-typed members', async () => {
    const adapter = createMemoryAdapter();
    const options = (extra: object) =>
      anyArg<Parameters<typeof createCustomerClient>[0]>({
        adapter,
        organizationId: 'org',
        ...extra,
      });
    for (const [value, argument] of [
      [null, 'options'],
      [5, 'options'],
      [options({ organizationId: 5 }), 'organizationId'],
      [options({ adapter: {} as StorageAdapter }), 'adapter'],
      [options({ customFields: 5 }), 'customFields'],
      [options({ customFields: [null] }), 'customFields'],
      [options({ customFields: [{ key: 'tier', type: 'colour' }] }), 'customFields'],
      [options({ customFields: [{ key: 'tier', type: 'select' }] }), 'customFields'],
      [
        options({
          customFields: [
            { key: 'tier', type: 'text' },
            { key: 'tier', type: 'text' },
          ],
        }),
        'customFields',
      ],
      [options({ now: 5 }), 'now'],
      [options({ generateId: 'x' }), 'generateId'],
    ] as const) {
      expect(await failure(() => createCustomerClient(anyArg(value))), JSON.stringify(value)).toEqual({
        code: 'invalid_argument',
        argument,
      });
    }
  });

  it('the update queue refuses wrong-typed options and arguments with typed errors', async () => {
    const save = async () => undefined;
    for (const [value, argument] of [
      [null, 'save'],
      [5, 'save'],
      [{ save, delayMs: '5' }, 'delayMs'],
      [{ save, retry: 5 }, 'retry'],
      [{ save, retry: { retries: 1.5 } }, 'retry.retries'],
      [{ save, timers: 5 }, 'timers'],
      [{ save, timers: { now: () => 0 } }, 'timers'],
      [{ save, onConflict: 5 }, 'onConflict'],
    ] as const) {
      expect(await failure(() => createUpdateQueue(anyArg(value))), JSON.stringify(value)).toEqual({
        code: 'invalid_argument',
        argument,
      });
    }
    const queue = createUpdateQueue({ save });
    expect(queue.set(anyArg(5), 'firstName', 'x')?.code).toBe('invalid_argument');
    expect(queue.set('id', anyArg({}), 'x')?.code).toBe('forbidden_field');
    expect(queue.set('id', 'firstName', 5)?.code).toBe('validation_failed');
    expect(queue.status(anyArg(5)).state).toBe('idle');
    expect(queue.pendingPatch(anyArg(null))).toEqual({});
    expect(await failure(() => queue.subscribe(anyArg('x')))).toEqual({
      code: 'invalid_argument',
      argument: 'listener',
    });
    await queue.flush(anyArg(5));
    await queue.dispose();
  });
});
