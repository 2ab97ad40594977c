import {
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
  type StorageAdapter,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { codeOf } from './code-of';

function setup(adapter: StorageAdapter = createMemoryAdapter()) {
  // 2025-12-28 10:00 UTC, ticking one ms per call.
  const clock = { now: Date.UTC(2025, 11, 28, 10) };
  const client = createCustomerClient({
    adapter,
    organizationId: 'org_a',
    now: () => clock.now++,
    customFields: [{ key: 'visits', type: 'number' }],
  });
  return { client, adapter, clock };
}

const people = [
  { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com', preferences: ['Glazed'], dob: '1990-12-30' },
  { firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com', preferences: ['glazed'], dob: '--03-01' },
  { firstName: 'Cy', lastName: 'Zed', email: 'cy@example.com', preferences: ['vegan'], dob: '--01-02' },
];

describe('segments', () => {
  it('saves a filter, and a segment id works wherever a filter does', async () => {
    const { client } = setup();
    for (const p of people) await client.add(p);
    const soon = await client.createSegment({
      name: '  Glazed birthdays  ',
      filter: { preferences: { any: ['GLAZED'] }, birthdayWithinDays: { days: 14, timeZone: 'UTC' } },
    });
    expect(soon).toMatchObject({
      name: 'Glazed birthdays',
      organizationId: 'org_a',
      version: 1,
      filter: { preferences: { any: ['glazed'] }, birthdayWithinDays: { days: 14, timeZone: 'UTC' } },
    });
    const target = { segmentId: soon.id };
    expect(await client.count(target)).toBe(1);
    expect((await client.list({ numItems: 10, filter: target })).page.map((c) => c.firstName)).toEqual([
      'Ana',
    ]);
    let csv = '';
    for await (const chunk of client.exportCsv({ filter: target })) csv += chunk;
    expect(csv.split('\n').filter((l) => l.includes('@'))).toHaveLength(1);
    expect(await client.resolveFilter(target)).toEqual({
      preferences: { any: ['glazed'] },
      birthdayWithinDays: { days: 14, from: '2025-12-28' },
    });
    expect(await client.listSegments()).toEqual([soon]);
    expect(await client.getSegment(soon.id)).toEqual(soon);
  });

  it('stays relative: "within 14 days" moves with the clock', async () => {
    const { client, clock } = setup();
    for (const p of people) await client.add(p);
    const soon = await client.createSegment({
      name: 'Soon',
      filter: { birthdayWithinDays: { days: 14, timeZone: 'UTC' } },
    });
    expect(await client.count({ segmentId: soon.id })).toBe(2); // Dec 30, Jan 2
    clock.now = Date.UTC(2026, 1, 20, 10);
    expect(await client.count({ segmentId: soon.id })).toBe(1); // Mar 1
  });

  it('renames and refilters with optimistic versions; deleting keeps every customer', async () => {
    const { client } = setup();
    for (const p of people) await client.add(p);
    const s = await client.createSegment({ name: 'Vegans', filter: { preferences: { any: ['vegan'] } } });
    const renamed = await client.updateSegment(s.id, { name: 'Plant based' }, { expectedVersion: 1 });
    expect(renamed).toMatchObject({ name: 'Plant based', version: 2, filter: s.filter });
    expect(await codeOf(client.updateSegment(s.id, { name: 'Stale' }, { expectedVersion: 1 }))).toBe(
      'version_conflict',
    );
    const refiltered = await client.updateSegment(s.id, { filter: { customFields: { visits: { gte: 1 } } } });
    expect(refiltered).toMatchObject({ version: 3, filter: { customFields: { visits: { gte: 1 } } } });
    expect(await client.count({ segmentId: s.id })).toBe(0);
    await client.deleteSegment(s.id);
    expect(await client.count()).toBe(3);
    expect(await codeOf(client.getSegment(s.id))).toBe('not_found');
    expect(await codeOf(client.deleteSegment(s.id))).toBe('not_found');
    expect(await codeOf(client.count({ segmentId: s.id }))).toBe('not_found');
    expect(await client.listSegments()).toEqual([]);
  });

  it('checks names, filters and targets, naming the path', async () => {
    const { client } = setup();
    const path = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (error) {
        if (isCustomerError(error, 'invalid_argument')) return error.argument;
        throw error;
      }
      throw new Error('expected invalid_argument');
    };
    expect(await path(client.createSegment({ name: ' ', filter: {} }))).toBe('segment.name');
    expect(await path(client.createSegment({ name: 'x'.repeat(101), filter: {} }))).toBe('segment.name');
    expect(await path(client.createSegment({ name: 'A', filter: { tags: ['vip'] } as never }))).toBe(
      'segment.filter.tags',
    );
    expect(await path(client.createSegment({ name: 'A', filter: { customFields: { tier: 'x' } } }))).toBe(
      'segment.filter.customFields.tier',
    );
    expect(await path(client.createSegment({ name: 'A', filter: {}, colour: 'red' } as never))).toBe(
      'segment.colour',
    );
    const s = await client.createSegment({ name: 'All', filter: {} });
    expect(await path(client.updateSegment(s.id, { filter: { text: 3 } as never }))).toBe(
      'update.filter.text',
    );
    expect(await path(client.list({ numItems: 5, filter: { segmentId: s.id, text: 'ana' } as never }))).toBe(
      'filter.text',
    );
    expect(await path(client.count({ segmentId: '' }))).toBe('filter.segmentId');
  });

  it('refuses a segment whose stored filter has a newer format than this SDK reads', async () => {
    const { client, adapter } = setup();
    const s = await client.createSegment({ name: 'Future', filter: {} });
    await adapter.updateSegment(
      'org_a',
      s.id,
      { filter: { shape: 'new' }, filterVersion: 2 },
      { updatedAt: 1 },
    );
    expect(await codeOf(client.getSegment(s.id))).toBe('storage_failed');
    expect(await codeOf(client.count({ segmentId: s.id }))).toBe('storage_failed');
  });

  it('keeps segments of other organizations out of reach', async () => {
    const { client, adapter } = setup();
    const s = await client.createSegment({ name: 'Mine', filter: {} });
    const other = createCustomerClient({ adapter, organizationId: 'org_b' });
    expect(await codeOf(other.getSegment(s.id))).toBe('not_found');
    expect(await codeOf(other.count({ segmentId: s.id }))).toBe('not_found');
    expect(await codeOf(other.updateSegment(s.id, { name: 'Theirs' }))).toBe('not_found');
    expect(await codeOf(other.deleteSegment(s.id))).toBe('not_found');
    expect(await other.listSegments()).toEqual([]);
  });
});
