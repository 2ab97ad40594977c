import { customerInputSchema, type PlannerRow, planImport } from '@donutauto/core';
import { customerDataArbitrary, dobArbitrary, messyCustomerInputArbitrary } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastValidateCustomer } from '../fast-validate';

// The planner validates rows through a fast path that must agree with the zod schema exactly; with
// `strict` a row is imported exactly when the schema accepts it.
const plan = (input: Record<string, unknown>) =>
  planImport({
    rows: [{ row: 2, input } satisfies PlannerRow],
    seenEmails: new Map(),
    existing: [],
    strict: true,
  });

/** The fast path's contract: no answer, or exactly the schema's output for an input it accepts. */
function expectAgreement(input: Record<string, unknown>): void {
  const fast = fastValidateCustomer(input);
  if (fast === undefined) return;
  const zod = customerInputSchema.safeParse(input);
  expect(zod.success).toBe(true);
  expect(fast).toEqual(zod.data);
}

const dateLike = fc.oneof(
  dobArbitrary,
  fc
    .tuple(
      fc.integer({ min: 1890, max: 2100 }),
      fc.integer({ min: 0, max: 13 }),
      fc.integer({ min: 0, max: 32 }),
    )
    .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc
    .tuple(fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([m, d]) => `--${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom(
    '2000-02-29',
    '1900-02-29',
    '2100-02-28',
    ' 1990-01-01',
    '1990-1-01',
    '--02-29',
    '--02-30',
    '19a0-01-01',
  ),
);
const phoneLike = fc.oneof(
  fc.stringMatching(/^\+?\d{2,17}$/),
  fc.constantFrom('(555) 010-0199', "'0044 20", '+1 555', ' 12345 ', '++12345'),
);
const handleLike = fc.oneof(
  fc.stringMatching(/^@?[A-Za-z0-9._]{0,32}$/),
  fc.constantFrom('https://instagram.com/ana', '@ana bakes', ' ana ', 'x.com/@bo', '@'),
);

const emailLike = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9_'+\-.]{0,6}@[a-zA-Z0-9\-.]{0,8}$/),
  fc.string({ unit: fc.constantFrom('a', 'Z', '0', '_', "'", '+', '-', '.', '@', ' ', 'é'), maxLength: 14 }),
  fc.constantFrom(
    'a@b.co',
    "o'neil@x.io",
    "a'@x.io",
    '.a@x.io',
    'a..b@x.io',
    'a@-x.io',
    'a@x-.io',
    'a@x.c',
    'a@x.co1',
    'a@@x.io',
    'a@x..io',
  ),
);

describe('fastValidateCustomer', () => {
  it('answers for ordinary valid customers, always with the schema’s output', () => {
    fc.assert(
      fc.property(customerDataArbitrary(1), (data) => {
        expect(fastValidateCustomer(data)).toEqual(customerInputSchema.parse(data));
      }),
      { numRuns: 300 },
    );
  });

  it('never disagrees with the schema on messy or invalid inputs', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          messyCustomerInputArbitrary as fc.Arbitrary<Record<string, unknown>>,
          fc.record({
            firstName: fc.constantFrom('Ana', ' Bo ', ''),
            lastName: fc.constant('Li'),
            email: emailLike,
          }),
          fc.record({
            firstName: fc.constant('Ana'),
            lastName: fc.constant('Li'),
            email: fc.constant('ana@example.com'),
            dob: dateLike,
            phone: phoneLike,
            instagramHandle: handleLike,
          }),
        ),
        expectAgreement,
      ),
      { numRuns: 2000 },
    );
  });
});

describe('fast validation through planImport (strict)', () => {
  it('accepts exactly the emails the schema accepts', () => {
    fc.assert(
      fc.property(emailLike, (email) => {
        const input = { firstName: 'Ana', lastName: 'Li', email };
        const zod = customerInputSchema.safeParse(input);
        const action = plan(input).actions[0]!;
        if (zod.success) expect(action).toEqual({ kind: 'insert', row: 2, data: zod.data });
        else expect(action.kind).toBe('error');
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the schema’s result for dates, phones and handles', () => {
    fc.assert(
      fc.property(dateLike, phoneLike, handleLike, (dob, phone, handle) => {
        const input = {
          firstName: 'Ana',
          lastName: 'Li',
          email: 'ana@example.com',
          dob,
          phone,
          instagramHandle: handle,
        };
        const zod = customerInputSchema.safeParse(input);
        const action = plan(input).actions[0]!;
        if (zod.success) expect(action).toEqual({ kind: 'insert', row: 2, data: zod.data });
        else expect(action.kind).toBe('error');
      }),
      { numRuns: 1000 },
    );
  });

  it('gives the schema’s result for preference and tag lists, separators included', () => {
    const entry = fc.string({ unit: fc.constantFrom('a', 'B', ' ', ',', ';', '|', '-', 'é'), maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 5 }),
        fc.array(entry, { maxLength: 5 }),
        (preferences, tags) => {
          const input = { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com', preferences, tags };
          const zod = customerInputSchema.safeParse(input);
          const action = plan(input).actions[0]!;
          if (zod.success) expect(action).toEqual({ kind: 'insert', row: 2, data: zod.data });
          else expect(action.kind).toBe('error');
        },
      ),
      { numRuns: 1000 },
    );
  });
});
