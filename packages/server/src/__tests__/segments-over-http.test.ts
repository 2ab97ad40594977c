import { createCustomerClient, isCustomerError } from '@donutauto/core';
import type { StoredSegment } from '@donutauto/core/adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, rpc } from './support/raw-client';
import { closeServedHandlers, serveHandler } from './support/served-handler';

const A = 'org-seg-a';
const B = 'org-seg-b';
afterEach(closeServedHandlers);

const start = () => serveHandler({ customFields: [{ key: 'visits', type: 'number' }] });

function segment(
  org: string,
  id: string,
  filter: Record<string, unknown> = { tags: { all: ['vip'] } },
): StoredSegment {
  return {
    id,
    organizationId: org,
    name: 'VIPs',
    filter,
    filterVersion: 1,
    createdAt: 1_000,
    updatedAt: 1_000,
    version: 1,
  };
}

describe('segments over HTTP', () => {
  it('creates a segment from the browser’s side and lists, counts and exports through it', async () => {
    const { adapter } = await start();
    const client = createCustomerClient({
      adapter,
      organizationId: A,
      customFields: [{ key: 'visits', type: 'number' }],
    });
    await client.bulkAddCustomers([
      {
        firstName: 'Ana',
        lastName: 'Li',
        email: 'ana@example.com',
        tags: ['vip'],
        customFields: { visits: 7 },
      },
      { firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com', customFields: { visits: 1 } },
      {
        firstName: 'Cy',
        lastName: 'Do',
        email: 'cy@example.com',
        tags: ['vip'],
        customFields: { visits: 2 },
      },
    ]);
    const regulars = await client.createSegment({
      name: 'Regular VIPs',
      filter: { tags: { all: ['vip'] }, customFields: { visits: { gte: 5 } } },
    });
    expect((await client.listSegments()).map((s) => s.name)).toEqual(['Regular VIPs']);
    expect(await client.count({ segmentId: regulars.id })).toBe(1);
    expect(
      (await client.list({ numItems: 10, filter: { segmentId: regulars.id } })).page.map((c) => c.firstName),
    ).toEqual(['Ana']);
    let csv = '';
    for await (const chunk of adapter.exportCsv(A, { filter: { segmentId: regulars.id } })) csv += chunk;
    expect(csv.trim().split(/\r?\n/)).toHaveLength(2);
    const renamed = await client.updateSegment(regulars.id, { name: 'Best' }, { expectedVersion: 1 });
    expect(renamed).toMatchObject({ name: 'Best', version: 2 });
    const stale = await client
      .updateSegment(regulars.id, { name: 'Stale' }, { expectedVersion: 1 })
      .catch((e: unknown) => e);
    expect(isCustomerError(stale, 'version_conflict')).toBe(true);
    await client.deleteSegment(regulars.id);
    expect(await client.listSegments()).toEqual([]);
    await adapter.close();
  });

  it('never lets organization A read, change or delete B’s segments', async () => {
    const { store, url } = await start();
    await store.insertSegment(B, segment(B, 'seg-b'));
    expect((await rpc(url, A, 'getSegment', { args: ['seg-b'] })).json).toEqual({});
    expect((await rpc(url, A, 'listSegments', { args: [] })).json).toEqual({ result: [] });
    const renamed = await rpc(url, A, 'updateSegment', {
      args: ['seg-b', { name: 'Mine' }, { updatedAt: 2_000 }],
    });
    expect(codeOf(renamed)).toBe('not_found');
    expect((await rpc(url, A, 'deleteSegment', { args: ['seg-b'] })).json).toEqual({ result: false });
    const forged = await rpc(url, A, 'insertSegment', { args: [segment(B, 'seg-x')] });
    expect([forged.status, forged.json]).toMatchObject([
      400,
      { error: { argument: 'segment.organizationId' } },
    ]);
    expect(await store.listSegments(B)).toEqual([segment(B, 'seg-b')]);
  });

  it('refuses a segment whose filter or name the SDK would refuse, storing nothing', async () => {
    const { store, url } = await start();
    const cases: [unknown[], string][] = [
      [[segment(A, 's1', { colour: 'red' })], 'segment.filter.colour'],
      [[segment(A, 's2', { customFields: { undefinedField: 1 } })], 'segment.filter.customFields'],
      [[{ ...segment(A, 's3'), name: '' }], 'args[0].name'],
      [[{ ...segment(A, 's4'), name: 'x\u0000' }], 'args[0].name'],
    ];
    for (const [args, argument] of cases) {
      const answer = await rpc(url, A, 'insertSegment', { args });
      expect([answer.status, codeOf(answer)]).toEqual([400, 'invalid_argument']);
      const named = (answer.json as { error: { argument: string } }).error.argument;
      expect(named.slice(0, argument.length)).toBe(argument);
    }
    const noVersion = await rpc(url, A, 'updateSegment', { args: ['s', { filter: {} }, { updatedAt: 1 }] });
    expect((noVersion.json as { error: { argument: string } }).error.argument).toBe('patch.filterVersion');
    // A filter in another SDK release's format is kept as data.
    const future = await rpc(url, A, 'insertSegment', {
      args: [{ ...segment(A, 's5', { anything: [1] }), filterVersion: 9 }],
    });
    expect(future.status).toBe(200);
    expect((await store.listSegments(A)).map((s) => s.id)).toEqual(['s5']);
  });
});
