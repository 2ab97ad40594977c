import { type CustomerClient, createCustomerClient, templateCampaignGenerator } from '@donutauto/core';
import {
  bulkAddCustomers,
  createMemoryAdapter,
  createSlimClient,
  generateCampaigns,
  importCsv,
  isCustomerError,
  resumeCampaignRun,
  retryFailed,
  type SlimCustomerClient,
} from '@donutauto/core/slim';
import { describe, expect, it } from 'vitest';
import { rejection } from './code-of';

const OPERATIONS = ['bulkAddCustomers', 'importCsv', 'generateCampaigns', 'retryFailed', 'resumeCampaignRun'];
const CSV = 'First Name,Last Name,Email,Loyalty\nAna,Li,ana@example.com,gold\nBen,Ng,ben@example.com,tin\n';
const definitions = [{ key: 'loyalty', type: 'select', options: ['gold', 'silver'] }] as const;

/** Two clients over one store each, with the same clock and ids, so their results compare equal. */
function twins(): { slim: SlimCustomerClient; full: CustomerClient } {
  const make = <T>(create: (options: Parameters<typeof createSlimClient>[0]) => T): T => {
    let id = 0;
    return create({
      adapter: createMemoryAdapter(),
      organizationId: 'org_1',
      customFields: definitions,
      now: () => 1_700_000_000_000,
      generateId: () => `id_${String(++id).padStart(4, '0')}`,
    });
  };
  return { slim: make(createSlimClient), full: make(createCustomerClient) };
}

describe('createSlimClient', () => {
  it('has every method of createCustomerClient but the five operations', () => {
    const { slim, full } = twins();
    const slimKeys = Object.keys(slim).sort();
    expect(slimKeys.filter((key) => OPERATIONS.includes(key))).toEqual([]);
    expect(Object.keys(full).sort()).toEqual([...slimKeys, ...OPERATIONS].sort());
  });

  it('imports a CSV through importCsv as the full client does, custom fields checked', async () => {
    const { slim, full } = twins();
    const fromSlim = await importCsv(slim, CSV);
    const fromFull = await full.importCsv(CSV);
    expect({ ...fromSlim, durationMs: 0 }).toEqual({ ...fromFull, durationMs: 0 });
    expect(fromSlim.addedCount).toBe(2);
    expect(fromSlim.issues).toEqual([
      expect.objectContaining({ row: 3, field: 'customFields', value: 'tin', level: 'warning' }),
    ]);
    // The function works on a full client too, and both store the same customers.
    expect((await importCsv(full, CSV)).skippedCount).toBe(2);
    expect((await slim.list({ numItems: 10 })).page).toEqual((await full.list({ numItems: 10 })).page);
  });

  it('adds in bulk through bulkAddCustomers, skipping an erased email', async () => {
    const { slim } = twins();
    const [ana] = (
      await bulkAddCustomers(slim, [{ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' }])
    ).addedIds;
    await slim.eraseCustomer(ana!);
    const again = await bulkAddCustomers(slim, [
      { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' },
      { firstName: 'Ben', lastName: 'Ng', email: 'ben@example.com' },
    ]);
    expect([again.addedCount, again.skippedCount]).toEqual([1, 1]);
    expect(again.issues).toContainEqual(expect.objectContaining({ row: 0, code: 'erased_customer' }));
    expect(await rejection(bulkAddCustomers(slim, 'nope' as never))).toMatchObject({ argument: 'inputs' });
  });

  it('generates, retries and resumes campaigns through the functions, and reads them back', async () => {
    const { slim } = twins();
    const ana = await slim.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const generator = templateCampaignGenerator({ brandName: 'Donut Corner' });
    const report = await generateCampaigns(
      slim,
      {
        target: { customerIds: [ana.id] },
        title: 'Glazed week',
        contentTypes: ['fact'],
        platforms: ['instagram_reel'],
      },
      { generator },
    );
    expect(report.counts).toMatchObject({ total: 1, completed: 1, failed: 0 });
    expect((await retryFailed(slim, report.runId, { generator })).counts.completed).toBe(1);
    expect((await resumeCampaignRun(slim, report.runId, { generator })).counts.completed).toBe(1);
    expect((await slim.getCampaignRun(report.runId)).counts.completed).toBe(1);
    expect((await slim.listCampaigns({ runId: report.runId })).page).toHaveLength(1);
    expect((await slim.listCampaignRuns()).page.map((run) => run.id)).toEqual([report.runId]);
    const missing = await rejection(retryFailed(slim, 'nope', { generator }));
    expect(isCustomerError(missing, 'not_found')).toBe(true);
  });

  it('refuses what is not a client made here, naming the argument, before any work', async () => {
    const { slim } = twins();
    const generator = templateCampaignGenerator({ brandName: 'Donut Corner' });
    const request = {
      target: { customerIds: ['x'] },
      title: 'T',
      contentTypes: ['fact'],
      platforms: ['email'],
    };
    for (const notClient of [{}, null, { ...slim }, 'org_1']) {
      const calls = [
        importCsv(notClient as never, CSV),
        bulkAddCustomers(notClient as never, []),
        generateCampaigns(notClient as never, request as never, { generator }),
        retryFailed(notClient as never, 'run', { generator }),
        resumeCampaignRun(notClient as never, 'run', { generator }),
      ];
      for (const call of calls) {
        const error = await rejection(call);
        expect(isCustomerError(error, 'invalid_argument')).toBe(true);
        expect(error).toMatchObject({ argument: 'client' });
      }
    }
    expect((await slim.list({ numItems: 10 })).page).toEqual([]);
  });
});

describe('campaign reads', () => {
  it('check their options, naming the option', async () => {
    const { slim } = twins();
    const cases: [() => Promise<unknown>, string, string][] = [
      [() => slim.listCampaigns(null as never), 'options', 'expected an object'],
      [() => slim.listCampaigns({ numItems: 0 }), 'options.numItems', 'expected an integer from 1 to 1000'],
      [() => slim.listCampaigns({ numItems: null as never }), 'options.numItems', 'expected an integer'],
      [() => slim.listCampaigns({ numItems: '5' as never }), 'options.numItems', 'expected an integer'],
      [
        () => slim.listCampaigns({ cursor: 5 as never }),
        'options.cursor',
        'expected a cursor string or null',
      ],
      [() => slim.listCampaigns({ customerId: '' }), 'options.customerId', 'expected a non-empty id'],
      [() => slim.listCampaigns({ runId: 'r'.repeat(201) }), 'options.runId', 'expected at most 200'],
      [() => slim.listCampaigns({ status: 'done' as never }), 'options.status', "expected 'queued'"],
      [() => slim.listCampaigns({ sort: 'up' as never }), 'options.sort', "expected 'newest', 'oldest'"],
      [() => slim.listCampaigns({ extra: 1 } as never), 'options.extra', 'unknown property'],
      [() => slim.listCampaignRuns({ status: 'failed' } as never), 'options.status', 'unknown property'],
      [() => slim.listCampaignRuns({ numItems: 1001 }), 'options.numItems', 'expected an integer'],
      [() => slim.getCampaignRun(7 as never), 'runId', 'expected an id'],
    ];
    for (const [call, argument, message] of cases) {
      const error = await rejection(call());
      expect(isCustomerError(error, 'invalid_argument')).toBe(true);
      expect(error).toMatchObject({ argument });
      expect((error as Error).message).toContain(message);
    }
    const page = await slim.listCampaigns({ numItems: 1, cursor: null, sort: 'oldest', status: 'failed' });
    expect(page).toMatchObject({ page: [], isDone: true });
  });
});
