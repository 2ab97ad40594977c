import {
  type CustomerSort,
  type NormalizedFilter,
  normalizeFilter,
  type StorageAdapter,
} from '@donutauto/core/adapter';
import { describe, expect, it } from 'vitest';
import { freshOrg, make, person } from './conformance-helpers';

/**
 * Registers keyset-paging checks for a cursor whose row is gone: a cursor holds a position
 * (`createdAt`, `id`), not a row, so deleting the row it was issued at must neither skip the row
 * after it nor repeat one, in either order, with or without a filter.
 * @param adapter - Returns the adapter under test (created by the suite's `beforeAll`).
 * @param timeout - Per-test timeout in ms.
 */
export function registerPagingTests(adapter: () => StorageAdapter, timeout: number): void {
  describe('paging when the row a cursor points at is deleted between pages', () => {
    const cases: readonly [CustomerSort, string, NormalizedFilter][] = [
      ['oldest', 'no filter', {}],
      ['newest', 'no filter', {}],
      ['oldest', 'a tag filter', normalizeFilter({ tags: { all: ['vip'] } })],
      ['newest', 'a tag filter', normalizeFilter({ tags: { all: ['vip'] } })],
    ];
    for (const [sort, label, filter] of cases) {
      it(`visits every other row exactly once, ${sort} first, ${label}`, { timeout }, async () => {
        const org = freshOrg(`paging-deleted-${sort}`);
        // Three rows per createdAt: the id breaks ties, so deleted cursor rows fall inside tie groups too.
        const rows = Array.from({ length: 26 }, (_, i) =>
          make(org, person(i, { tags: i % 2 === 0 ? ['vip'] : [] }), 4_000 + Math.floor(i / 3)),
        );
        await adapter().insertMany(org, rows);
        const matching = rows.filter((r) => (filter.tags ? r.tags.includes('vip') : true));
        const expected = [...matching]
          .sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1))
          .map((r) => r.id);
        if (sort === 'newest') expected.reverse();

        const seen: string[] = [];
        let cursor: string | null = null;
        for (let guard = 0; guard < 100; guard++) {
          const result = await adapter().list(org, { numItems: 3, cursor, filter, sort });
          seen.push(...result.page.map((c) => c.id));
          if (result.isDone) break;
          expect(await adapter().delete(org, result.page.at(-1)!.id)).toBe(true);
          cursor = result.continueCursor;
        }
        expect(seen).toEqual(expected);
      });
    }
  });
}
