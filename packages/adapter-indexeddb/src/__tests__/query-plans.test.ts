import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { type Customer, createMemoryAdapter, type StorageAdapter } from '@donutauto/core';
import {
  buildCustomer,
  type CustomerSort,
  type NormalizedFilter,
  normalizeFilter,
} from '@donutauto/core/adapter';
import { customerSetArbitrary, filterArbitrary, sortArbitrary } from '@donutauto/testing';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANDIDATE_LIMIT } from '../customer-queries';

/**
 * The conformance suite's data sets are small, so every indexed condition is answered from its
 * candidates. Here nine customers in ten share a tag, a first name, a birthday month and a
 * creation time range, more than {@link CANDIDATE_LIMIT}, so those conditions walk the sort's index
 * instead, while rarer ones still use candidates: both plans must list what the memory adapter lists.
 */
describe('IndexedDB query plans on an organization above the candidate limit', () => {
  const org = 'big';
  const size = CANDIDATE_LIMIT + 600;
  const adapter = createIndexedDbAdapter({ name: 'plans', indexedDB: new IDBFactory(), IDBKeyRange });
  const reference = createMemoryAdapter();
  let rows: Customer[] = [];

  beforeAll(async () => {
    const [data] = fc.sample(customerSetArbitrary(size, size, { unicode: true }), { numRuns: 1, seed: 42 });
    let n = 0;
    rows = data!.map((d, i) => {
      const common = i % 10 !== 0;
      const shaped = common
        ? {
            ...d,
            firstName: 'Li',
            tags: ['vip', ...d.tags.filter((t) => t.toLowerCase() !== 'vip')],
            dob: `--03-${String((i % 28) + 1).padStart(2, '0')}`,
          }
        : d;
      const createdAt = common ? 1_000 + (i % 50) : 1_050 + (i % 47);
      return {
        ...buildCustomer(shaped, org, createdAt, () => `id-${String(n++).padStart(6, '0')}`),
        updatedAt: createdAt + ((i * 7) % 130),
      };
    });
    await adapter.insertMany(org, rows);
    await reference.insertMany(org, rows);
  }, 120_000);
  afterAll(async () => {
    await adapter.close?.();
  });

  /** The first pages and a page from the middle, as ids. */
  async function sample(
    store: StorageAdapter,
    filter: NormalizedFilter,
    sort: CustomerSort,
    numItems: number,
  ) {
    const pages: string[][] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 3; i++) {
      const result = await store.list(org, { numItems, cursor, filter, sort });
      pages.push(result.page.map((c) => c.id));
      if (result.isDone) break;
      cursor = result.continueCursor;
    }
    return pages;
  }

  it('lists and counts what the memory adapter does for common and rare conditions', {
    timeout: 240_000,
  }, async () => {
    const common: NormalizedFilter[] = [
      normalizeFilter({ tags: { all: ['vip'] } }),
      normalizeFilter({ tags: { any: ['vip', 'staff'] }, preferences: { none: ['vegan'] } }),
      normalizeFilter({ text: 'li' }),
      normalizeFilter({ text: 'user1' }),
      normalizeFilter({ birthdayMonth: 3 }),
      normalizeFilter({ birthdayWithinDays: { days: 60, from: '2025-02-01' } }),
      normalizeFilter({ birthdayWithinDays: { days: 3, from: '2025-12-30' } }),
      normalizeFilter({ createdAt: { lt: 1_050 } }),
      normalizeFilter({ createdAt: { gte: 1_060 } }),
      normalizeFilter({ updatedAt: { gte: 1_050 } }),
    ];
    for (const filter of common) {
      for (const sort of ['newest', 'oldest', 'lastName', 'firstName', 'recentlyUpdated'] as const) {
        expect([JSON.stringify(filter), sort, await sample(adapter, filter, sort, 17)]).toEqual([
          JSON.stringify(filter),
          sort,
          await sample(reference, filter, sort, 17),
        ]);
      }
      expect(await adapter.count(org, filter)).toBe(await reference.count(org, filter));
    }
    await fc.assert(
      fc.asyncProperty(
        filterArbitrary,
        sortArbitrary,
        fc.integer({ min: 1, max: 40 }),
        async (raw, sort, n) => {
          const filter = normalizeFilter(raw);
          expect(await sample(adapter, filter, sort, n)).toEqual(await sample(reference, filter, sort, n));
          expect(await adapter.count(org, filter)).toBe(await reference.count(org, filter));
        },
      ),
      { numRuns: 40 },
    );
  });
});
