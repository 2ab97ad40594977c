import { createCustomerClient, createMemoryAdapter, isCustomerError } from '@donutauto/core';
import { customerDataArbitrary, messyCustomerInputArbitrary } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('CustomerClient', () => {
  it('any valid input round-trips through add and get', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(customerDataArbitrary(1), messyCustomerInputArbitrary), async (input) => {
        const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
        const added = await client.add(input);
        expect(await client.get(added.id)).toEqual(added);
        const { id, organizationId, createdAt, updatedAt, version, ...data } = added;
        // What was stored is the normalized input: adding it again elsewhere gives the same data.
        const again = await createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'x' }).add(
          data,
        );
        const { id: _i, organizationId: _o, createdAt: _c, updatedAt: _u, version: _v, ...againData } = again;
        expect(againData).toEqual(data);
        expect([organizationId, version, createdAt === updatedAt, id.length > 0]).toEqual([
          'org',
          1,
          true,
          true,
        ]);
      }),
      { numRuns: 150 },
    );
  });

  type Op =
    | { kind: 'add'; email: number }
    | { kind: 'update'; target: number; notes: string }
    | { kind: 'field'; target: number; field: string }
    | { kind: 'delete'; target: number }
    | { kind: 'get'; target: number }
    | { kind: 'list'; numItems: number }
    | { kind: 'bulk'; emails: number[] };

  const op: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('add' as const), email: fc.integer({ min: 0, max: 20 }) }),
    fc.record({
      kind: fc.constant('update' as const),
      target: fc.nat(),
      notes: fc.string({ maxLength: 10 }),
    }),
    fc.record({
      kind: fc.constant('field' as const),
      target: fc.nat(),
      field: fc.constantFrom('organizationId', 'id', 'version', 'notes', 'email', 'createdAt'),
    }),
    fc.record({ kind: fc.constant('delete' as const), target: fc.nat() }),
    fc.record({ kind: fc.constant('get' as const), target: fc.nat() }),
    fc.record({ kind: fc.constant('list' as const), numItems: fc.integer({ min: 1, max: 50 }) }),
    fc.record({
      kind: fc.constant('bulk' as const),
      emails: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 6 }),
    }),
  );

  it('no sequence of operations in organization A reads or changes organization B', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const adapter = createMemoryAdapter();
        const a = createCustomerClient({ adapter, organizationId: 'org_a' });
        const b = createCustomerClient({ adapter, organizationId: 'org_b' });
        // B's customers share emails with what A will add.
        for (let i = 0; i < 5; i++)
          await b.add({ firstName: 'B', lastName: `${i}`, email: `c${i}@example.com` });
        const bBefore = (await b.list({ numItems: 1000 })).page;
        const bIds = bBefore.map((c) => c.id);
        const known: string[] = [...bIds];
        for (const o of ops) {
          const target = known.length ? known[('target' in o ? o.target : 0) % known.length]! : 'none';
          try {
            switch (o.kind) {
              case 'add':
                known.push(
                  (await a.add({ firstName: 'A', lastName: 'A', email: `c${o.email}@example.com` })).id,
                );
                break;
              case 'update':
                await a.update(target, { notes: o.notes });
                break;
              case 'field':
                await a.updateCustomerField({ id: target, field: o.field as 'notes', value: 'org_b' });
                break;
              case 'delete':
                await a.delete(target);
                break;
              case 'get': {
                const got = await a.get(target);
                expect(got.organizationId).toBe('org_a');
                break;
              }
              case 'list': {
                const { page } = await a.list({ numItems: o.numItems });
                for (const c of page) expect(c.organizationId).toBe('org_a');
                break;
              }
              case 'bulk': {
                const r = await a.bulkAddCustomers(
                  o.emails.map((e) => ({ firstName: 'A', lastName: 'Bulk', email: `c${e}@example.com` })),
                  { onDuplicate: 'update' },
                );
                known.push(...r.addedIds);
                break;
              }
            }
          } catch (error) {
            expect(isCustomerError(error)).toBe(true);
          }
        }
        expect((await b.list({ numItems: 1000 })).page).toEqual(bBefore);
        for (const c of (await a.list({ numItems: 1000 })).page) expect(bIds).not.toContain(c.id);
      }),
      { numRuns: 150 },
    );
  });
});
