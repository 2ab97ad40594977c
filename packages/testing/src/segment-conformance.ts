/**
 * Conformance checks of the `SegmentStore` part of the storage contract. Registered by
 * `runAdapterConformance`, so every adapter runs them.
 */
import type { StorageAdapter, StoredSegment } from '@donutauto/core/adapter';
import { expect, it } from 'vitest';
import { expectCode, freshOrg, make, person, testId } from './conformance-helpers';

/** Options of {@link registerSegmentConformance}. */
export interface SegmentConformanceOptions {
  /** Per-test timeout in ms. */
  readonly timeout: number;
}

/** A stored segment of `org` with a filter exercising nested objects, lists, Unicode and numbers. */
function segment(
  org: string,
  name: string,
  createdAt: number,
  extra: Partial<StoredSegment> = {},
): StoredSegment {
  return {
    id: testId(createdAt),
    organizationId: org,
    name,
    filter: {
      text: 'zoë ßtraße',
      preferences: { any: ['glazed', 'crème'] },
      birthdayWithinDays: { days: 14, timeZone: 'Europe/Paris' },
      customFields: { constructor: { gte: 2.5, lt: 10 }, tier: { in: ['gold', true, 0] } },
    },
    filterVersion: 1,
    createdAt,
    updatedAt: createdAt,
    version: 1,
    ...extra,
  };
}

/**
 * Registers the segment checks (inside the suite's `describe`).
 * @param getAdapter - The adapter under test.
 * @param options - Timeout.
 */
export function registerSegmentConformance(
  getAdapter: () => StorageAdapter,
  options: SegmentConformanceOptions,
): void {
  const { timeout } = options;

  it('stores segments and returns equal copies from getSegment and listSegments, oldest first', {
    timeout,
  }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('segments');
    const later = segment(org, 'Later', 2_000);
    const earlier = segment(org, 'Earlier 🍩', 1_000, { filter: {}, filterVersion: 7 });
    const tied = segment(org, 'Tied', 2_000);
    for (const s of [later, earlier, tied]) await adapter.insertSegment(org, s);
    expect(await adapter.getSegment(org, later.id)).toEqual(later);
    expect(await adapter.getSegment(org, earlier.id)).toEqual(earlier);
    const byKey = [later, tied].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(await adapter.listSegments(org)).toEqual([earlier, ...byKey]);
    const copy = (await adapter.getSegment(org, later.id))!;
    (copy.filter as Record<string, unknown>).text = 'mutated';
    expect(await adapter.getSegment(org, later.id)).toEqual(later);
    expect(await adapter.getSegment(org, 'missing')).toBeUndefined();
    expect(await adapter.listSegments(freshOrg('no-segments'))).toEqual([]);
  });

  it('renames and refilters with optimistic versions, writing nothing on a conflict', {
    timeout,
  }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('segment-update');
    const s = segment(org, 'Birthdays', 1_000);
    await adapter.insertSegment(org, s);
    const renamed = await adapter.updateSegment(
      org,
      s.id,
      { name: 'Soon' },
      { updatedAt: 1_500, expectedVersion: 1 },
    );
    expect(renamed).toEqual({ ...s, name: 'Soon', updatedAt: 1_500, version: 2 });
    await expectCode(
      adapter.updateSegment(org, s.id, { name: 'Stale' }, { updatedAt: 1_600, expectedVersion: 1 }),
      'version_conflict',
    );
    const filter = { tags: { all: ['vip'] } };
    const refiltered = await adapter.updateSegment(
      org,
      s.id,
      { filter, filterVersion: 2 },
      { updatedAt: 1_700 },
    );
    expect(refiltered).toEqual({
      ...s,
      name: 'Soon',
      filter,
      filterVersion: 2,
      updatedAt: 1_700,
      version: 3,
    });
    expect(await adapter.getSegment(org, s.id)).toEqual(refiltered);
    await expectCode(adapter.updateSegment(org, 'missing', { name: 'x' }, { updatedAt: 1_800 }), 'not_found');
  });

  it('isolates organizations on every segment method', { timeout }, async () => {
    const adapter = getAdapter();
    const a = freshOrg('segment-a');
    const b = freshOrg('segment-b');
    const s = segment(a, 'Mine', 1_000);
    await adapter.insertSegment(a, s);
    expect(await adapter.getSegment(b, s.id)).toBeUndefined();
    expect(await adapter.listSegments(b)).toEqual([]);
    await expectCode(adapter.updateSegment(b, s.id, { name: 'Evil' }, { updatedAt: 2_000 }), 'not_found');
    expect(await adapter.deleteSegment(b, s.id)).toBe(false);
    await expectCode(adapter.insertSegment(b, s), 'invalid_argument');
    // The same id is free in another organization.
    await adapter.insertSegment(b, { ...s, organizationId: b, name: 'Theirs' });
    expect(await adapter.getSegment(a, s.id)).toEqual(s);
    expect((await adapter.getSegment(b, s.id))?.name).toBe('Theirs');
  });

  it('refuses a taken segment id without changing the stored segment', { timeout }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('segment-taken');
    const s = segment(org, 'First', 1_000);
    await adapter.insertSegment(org, s);
    await expectCode(adapter.insertSegment(org, { ...s, name: 'Second' }), 'storage_failed');
    expect(await adapter.getSegment(org, s.id)).toEqual(s);
  });

  it('deletes a segment and never a customer', { timeout }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('segment-delete');
    const customers = [make(org, person(1, { tags: ['vip'] })), make(org, person(2))];
    await adapter.insertMany(org, customers);
    const s = segment(org, 'VIPs', 1_000, { filter: { tags: { all: ['vip'] } } });
    await adapter.insertSegment(org, s);
    expect(await adapter.deleteSegment(org, s.id)).toBe(true);
    expect(await adapter.deleteSegment(org, s.id)).toBe(false);
    expect(await adapter.getSegment(org, s.id)).toBeUndefined();
    expect(await adapter.count(org, {})).toBe(2);
    for (const c of customers) expect(await adapter.get(org, c.id)).toEqual(c);
  });
}
