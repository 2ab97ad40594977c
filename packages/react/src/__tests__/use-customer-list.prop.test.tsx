import type { Customer, CustomerFilter } from '@donutauto/core';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useCustomerList } from '../index';
import { person, providerFor, twoClients } from './fixture';

type Op =
  | { readonly kind: 'add'; readonly vip: boolean }
  | { readonly kind: 'update'; readonly pick: number; readonly vip: boolean }
  | { readonly kind: 'delete'; readonly pick: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), vip: fc.boolean() }),
  fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), vip: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
);

describe('useCustomerList (property)', () => {
  it('after changes made elsewhere, shows exactly the customers of the loaded range, in order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { maxLength: 14 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        fc.constantFrom('newest' as const, 'oldest' as const),
        fc.array(op, { minLength: 1, maxLength: 8 }),
        async (seed, pageSize, pages, vipOnly, sort, ops) => {
          const { client, other } = twoClients();
          let n = 0;
          for (const vip of seed) await client.add(person(n++, { tags: vip ? ['vip'] : [] }));
          const filter: CustomerFilter | undefined = vipOnly ? { tags: { all: ['vip'] } } : undefined;
          const { result, unmount } = renderHook(
            () => useCustomerList({ pageSize, sort, ...(filter ? { filter } : {}) }),
            { wrapper: providerFor(client) },
          );
          await waitFor(() => expect(result.current.status).not.toBe('LoadingFirstPage'));
          for (let p = 1; p < pages && result.current.status === 'CanLoadMore'; p++) {
            const before = result.current.results.length;
            act(() => result.current.loadMore());
            await waitFor(() => expect(result.current.status).not.toBe('LoadingMore'));
            expect(result.current.results.length).toBeGreaterThanOrEqual(before);
          }
          const exhausted = result.current.status === 'Exhausted';
          // The loaded range ends at the last loaded row (creation times are distinct and fixed).
          const boundary = result.current.results.at(-1)?.createdAt;

          for (const change of ops) {
            const all = (await client.list({ numItems: 1000 })).page;
            await act(async () => {
              if (change.kind === 'add') await other.add(person(n++, { tags: change.vip ? ['vip'] : [] }));
              else if (all.length > 0) {
                const target = all[change.pick % all.length] as Customer;
                if (change.kind === 'delete') await other.delete(target.id);
                else await other.update(target.id, { tags: change.vip ? ['vip'] : [], notes: `n${n++}` });
              }
            });
          }

          const everything = (await client.list({ numItems: 1000, sort, ...(filter ? { filter } : {}) }))
            .page;
          const inRange = (c: Customer) =>
            exhausted ||
            boundary === undefined ||
            (sort === 'newest' ? c.createdAt >= boundary : c.createdAt <= boundary);
          const expected = everything.filter(inRange).map((c) => `${c.id}:${c.version}`);
          await waitFor(() =>
            expect(result.current.results.map((c) => `${c.id}:${c.version}`)).toEqual(expected),
          );
          unmount();
          cleanup();
        },
      ),
      { numRuns: 50 },
    );
  }, 120_000);
});
