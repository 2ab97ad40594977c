import { type Customer, createMemoryAdapter } from '@donutauto/core';
import {
  buildCustomer,
  type CustomerSort,
  comparePositions,
  isDescending,
  sortPosition,
} from '@donutauto/core/adapter';
import { customerDataArbitrary, sortArbitrary } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ORG = 'org';

/** The listing order computed from scratch: what the adapter's maintained indexes must give. */
function naive(customers: Iterable<Customer>, sort: CustomerSort): string[] {
  const direction = isDescending(sort) ? -1 : 1;
  return [...customers]
    .map((c) => ({ id: c.id, key: sortPosition(sort, c) }))
    .sort((a, b) => comparePositions(a.key, b.key) * direction)
    .map((c) => c.id);
}

type Op =
  | { kind: 'insert'; count: number; time: number }
  | { kind: 'rename'; pick: number; first: string; last: string }
  | { kind: 'touchMany'; count: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'list'; sort: CustomerSort; pageSize: number };

const names = fc.constantFrom('Ana', 'ana', 'Zoë', 'Bo', 'Ǆemal', '𐐀x', '\uE000y', 'Müller', 'muller');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('insert' as const),
    count: fc.integer({ min: 1, max: 45 }),
    time: fc.integer({ min: 0, max: 20 }),
  }),
  fc.record({ kind: fc.constant('rename' as const), pick: fc.nat(), first: names, last: names }),
  fc.record({ kind: fc.constant('touchMany' as const), count: fc.integer({ min: 1, max: 45 }) }),
  fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant('list' as const),
    sort: sortArbitrary,
    pageSize: fc.integer({ min: 1, max: 30 }),
  }),
);

describe('createMemoryAdapter keyset indexes', () => {
  it('keep every sort in order through inserts, renames, batch updates and deletes', async () => {
    const data = customerDataArbitrary(0, { unicode: true });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.infiniteStream(data), async (ops, stream) => {
        const adapter = createMemoryAdapter();
        const live = new Map<string, Customer>();
        let n = 0;
        let clock = 10_000;
        for (const step of ops) {
          clock++;
          if (step.kind === 'insert') {
            const batch = Array.from({ length: step.count }, () => {
              n++;
              const d = stream.next().value as Customer;
              return buildCustomer(
                { ...d, email: `c${n}@example.com` },
                ORG,
                1_000 + step.time,
                () => `id-${n}`,
              );
            });
            await adapter.insertMany(ORG, batch);
            for (const c of batch) live.set(c.id, c);
          } else if (step.kind === 'rename' && live.size > 0) {
            const id = [...live.keys()][step.pick % live.size]!;
            live.set(
              id,
              await adapter.update(
                ORG,
                id,
                { firstName: step.first, lastName: step.last },
                { updatedAt: clock },
              ),
            );
          } else if (step.kind === 'touchMany' && live.size > 0) {
            const ids = [...live.keys()].slice(0, step.count);
            const updated = await adapter.updateMany(
              ORG,
              ids.map((id) => ({ id, patch: { notes: `n${clock}` } })),
              { updatedAt: clock },
            );
            for (const c of updated) live.set(c.id, c);
          } else if (step.kind === 'delete' && live.size > 0) {
            const id = [...live.keys()][step.pick % live.size]!;
            await adapter.delete(ORG, id);
            live.delete(id);
          } else if (step.kind === 'list') {
            const seen: string[] = [];
            let cursor: string | null = null;
            for (;;) {
              const page = await adapter.list(ORG, {
                numItems: step.pageSize,
                cursor,
                filter: {},
                sort: step.sort,
              });
              seen.push(...page.page.map((c) => c.id));
              if (page.isDone) break;
              cursor = page.continueCursor;
            }
            expect(seen).toEqual(naive(live.values(), step.sort));
          }
        }
        for (const sort of ['newest', 'lastName', 'firstName', 'recentlyUpdated'] as const) {
          const all = await adapter.list(ORG, { numItems: 1000, cursor: null, filter: {}, sort });
          expect(all.page.map((c) => c.id)).toEqual(naive(live.values(), sort));
        }
      }),
      { numRuns: 60 },
    );
  });
});
