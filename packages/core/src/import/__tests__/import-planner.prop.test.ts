import {
  createCustomerClient,
  createMemoryAdapter,
  customerInputSchema,
  type PlannerRow,
  planImport,
} from '@donutauto/core';
import { customerDataArbitrary, messyCustomerInputArbitrary } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Rows mixing valid, messy, invalid and duplicate inputs.
const inputArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 15 }).chain((i) => customerDataArbitrary(i)),
  messyCustomerInputArbitrary,
  fc.record(
    {
      firstName: fc.oneof(fc.string({ maxLength: 3 }), fc.constant(undefined)),
      lastName: fc.constantFrom('Li', '', '  '),
      email: fc.constantFrom('user1@example.com', 'USER2@example.com ', 'nope', '', 'a@b'),
      phone: fc.oneof(
        fc.constant(undefined),
        fc.string({ maxLength: 8 }),
        fc.constantFrom('+15550100', "'0044123"),
      ),
      dob: fc.oneof(
        fc.constant(undefined),
        fc.constantFrom('1990-02-30', '--02-29', '2999-01-01', '1990-01-01', 'x'),
      ),
      preferences: fc.oneof(fc.constant(undefined), fc.array(fc.string({ maxLength: 4 }), { maxLength: 5 })),
      notes: fc.oneof(fc.constant(undefined), fc.constant(null), fc.string({ maxLength: 6 })),
    },
    { requiredKeys: [] },
  ),
) as fc.Arbitrary<Record<string, unknown>>;

describe('planImport (properties)', () => {
  it('accounts for every row and never plans an email twice', () => {
    fc.assert(
      fc.property(
        fc.array(inputArbitrary, { maxLength: 40 }),
        fc.integer({ min: 1, max: 9 }),
        (inputs, size) => {
          const seen = new Map<string, number>();
          const inserted = new Set<string>();
          let counted = 0;
          for (let start = 0; start < inputs.length; start += size) {
            const rows: PlannerRow[] = inputs
              .slice(start, start + size)
              .map((input, i) => ({ row: start + i + 2, input }));
            const plan = planImport({ rows, seenEmails: seen, existing: [] });
            expect(plan.actions.map((a) => a.row)).toEqual(rows.map((r) => r.row));
            counted += plan.actions.length;
            for (const action of plan.actions) {
              if (action.kind !== 'insert') continue;
              const key = action.data.email.trim().toLowerCase();
              expect(inserted.has(key)).toBe(false);
              inserted.add(key);
            }
            for (const [email, row] of plan.newEmails) seen.set(email, row);
          }
          expect(counted).toBe(inputs.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('with strict, matches the zod schema exactly: same data for valid rows, the schema’s issues for invalid ones', () => {
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planImport({
          rows: [{ row: 2, input }],
          seenEmails: new Map(),
          existing: [],
          strict: true,
        });
        const zod = customerInputSchema.safeParse(input);
        const action = plan.actions[0]!;
        if (zod.success) expect(action).toEqual({ kind: 'insert', row: 2, data: zod.data });
        else {
          expect(action.kind).toBe('error');
          expect(plan.issues.map((i) => i.message)).toEqual(zod.error.issues.map((i) => i.message));
          expect(plan.issues.every((i) => i.level === 'error')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('without strict, leaves bad optional values out with a warning each and keeps the customer', () => {
    const required = new Set(['firstName', 'lastName', 'email']);
    fc.assert(
      fc.property(inputArbitrary, (input) => {
        const plan = planImport({ rows: [{ row: 2, input }], seenEmails: new Map(), existing: [] });
        const zod = customerInputSchema.safeParse(input);
        const action = plan.actions[0]!;
        if (zod.success) {
          expect(action).toEqual({ kind: 'insert', row: 2, data: zod.data });
          return;
        }
        const bad = new Set(zod.error.issues.map((i) => String(i.path[0] ?? '')));
        if ([...bad].some((field) => field === '' || required.has(field))) {
          expect(action.kind).toBe('error');
          expect(plan.issues.map((i) => i.message)).toEqual(zod.error.issues.map((i) => i.message));
          return;
        }
        // The schema's verdict on the input without the bad values is the data imported.
        const rest = Object.fromEntries(Object.entries(input).filter(([key]) => !bad.has(key)));
        expect(action).toEqual({ kind: 'insert', row: 2, data: customerInputSchema.parse(rest) });
        expect(plan.issues.map((i) => [i.field, i.level, i.message])).toEqual(
          zod.error.issues.map((i) => [i.path[0], 'warning', `${i.message}; the value was not imported`]),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('bulk import: added + updated + skipped + errors = inputs; dry runs write nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(inputArbitrary, { maxLength: 30 }),
        fc.constantFrom('skip', 'update', 'merge') as fc.Arbitrary<'skip' | 'update' | 'merge'>,
        async (inputs, onDuplicate) => {
          const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
          await client.bulkAddCustomers(inputs.slice(0, 5) as never[]);
          const before = await client.count();
          const dry = await client.bulkAddCustomers(inputs as never[], {
            onDuplicate,
            dryRun: true,
            batchSize: 4,
          });
          expect(await client.count()).toBe(before);
          expect(dry.addedCount + dry.updatedCount + dry.skippedCount + dry.errorCount).toBe(inputs.length);
          const real = await client.bulkAddCustomers(inputs as never[], { onDuplicate, batchSize: 4 });
          expect(real.addedCount + real.updatedCount + real.skippedCount + real.errorCount).toBe(
            inputs.length,
          );
          const { plan, ...dryCounts } = dry;
          expect({ ...real, addedIds: [], durationMs: 0, dryRun: true }).toEqual({
            ...dryCounts,
            addedIds: [],
            durationMs: 0,
          });
          // The dry run's plan names every input exactly once, in the list its count says.
          expect(plan!.inserts).toHaveLength(dry.addedCount);
          expect(plan!.updates).toHaveLength(dry.updatedCount);
          expect(plan!.skips).toHaveLength(dry.skippedCount);
          expect(plan!.errors).toHaveLength(dry.errorCount);
          const rows = [
            ...plan!.inserts,
            ...plan!.updates.map((u) => u.row),
            ...plan!.skips.map((s) => s.row),
          ];
          expect([...rows, ...plan!.errors].sort((a, b) => a - b)).toEqual(inputs.map((_, i) => i));
          expect(await client.count()).toBe(before + real.addedCount);
        },
      ),
      { numRuns: 60 },
    );
  });
});
