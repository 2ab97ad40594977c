import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import type { Customer } from '@donutauto/core';
import { normalizeEmail, UNKNOWN_CONSENT, uuidv7 } from '@donutauto/core';
import { customerKeys, foldText } from '@donutauto/core/adapter';
import fc from 'fast-check';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { describe, expect, it } from 'vitest';
import { copyText } from '../row-codec';
import { toArrayLiteral } from '../sql/array-literal';
import { DATABASE_URL, dropSchema, freshSchema } from './test-databases';

/** Text that trips COPY: its separators and escapes, the NULL marker itself, quotes, non-ASCII. */
const nasty = fc.oneof(
  fc.constantFrom(
    '\\N',
    '\\',
    '\t',
    '\n',
    '\r',
    '\r\n',
    'a\tb',
    'back\\slash',
    '"quoted"',
    '{}',
    'Zoë',
    '東京',
    '😀',
  ),
  fc.string({
    unit: fc.constantFrom('a', 'Z', ' ', '\t', '\n', '\r', '\\', 'N', '"', ',', '{', '}', 'é', '😀'),
  }),
);
const text = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('Ana', 'Li', 'x') },
  { weight: 2, arbitrary: nasty },
);
const nullable = fc.option(text, { nil: null });

function customerArbitrary(index: number): fc.Arbitrary<Customer> {
  return fc
    .record({
      firstName: text,
      lastName: text,
      phone: nullable,
      dob: nullable,
      preferences: fc.array(text, { maxLength: 3 }),
      instagramHandle: nullable,
      tiktokHandle: nullable,
      twitterHandle: nullable,
      gender: nullable,
      location: nullable,
      notes: nullable,
      tags: fc.array(text, { maxLength: 3 }),
      customFields: fc.dictionary(
        fc.constantFrom('tier', 'note'),
        fc.oneof(text, fc.integer(), fc.boolean()),
      ),
      // Who recorded consent is free text too: tabs, backslashes and quotes must survive COPY.
      consent: fc.record({
        email: fc.record({
          state: fc.constantFrom('subscribed' as const, 'unsubscribed' as const, 'unknown' as const),
          at: fc.option(fc.integer({ min: 0, max: 2_000_000_000_000 }), { nil: null }),
          source: fc.constantFrom('form' as const, 'import' as const, null),
          by: nullable,
        }),
        sms: fc.constant(UNKNOWN_CONSENT),
        socialDm: fc.constant(UNKNOWN_CONSENT),
      }),
    })
    .map((r) => ({
      ...r,
      id: uuidv7(1_700_000_000_000 + index),
      organizationId: 'org-A',
      email: `user${index}@example.com`,
      createdAt: 1_700_000_000_000 + index,
      updatedAt: 1_700_000_000_000 + index,
      version: 1,
    }));
}

const customersArbitrary = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => customerArbitrary(i))));

/** The COPY text format, value by value (the PostgreSQL manual's escapes): the reference. */
function referenceLine(c: Customer): string {
  const keys = customerKeys(c);
  const escaped = (value: string | null) =>
    value === null
      ? '\\N'
      : value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
  const values = [
    c.organizationId,
    c.id,
    c.firstName,
    c.lastName,
    c.email,
    c.phone,
    c.dob,
    toArrayLiteral(c.preferences),
    c.instagramHandle,
    c.tiktokHandle,
    c.twitterHandle,
    c.gender,
    c.location,
    c.notes,
    toArrayLiteral(c.tags),
    JSON.stringify(c.customFields),
    // The consent column keeps only the channels something was recorded for.
    JSON.stringify(
      Object.fromEntries(
        Object.entries(c.consent).filter(
          ([, v]) => v.state !== 'unknown' || v.at !== null || v.source !== null || v.by !== null,
        ),
      ),
    ),
    String(c.createdAt),
    String(c.updatedAt),
    String(c.version),
    // The derived columns, from core's own definition of each.
    normalizeEmail(c.email),
    foldText(c.firstName),
    foldText(c.lastName),
    keys.words.length === 0 ? '' : ` ${keys.words.join(' ')}`,
    toArrayLiteral(keys.preferenceKeys),
    toArrayLiteral(keys.tagKeys),
    keys.birthdayKey === null ? null : String(keys.birthdayKey),
  ];
  return `${values.map(escaped).join('\t')}\n`;
}

describe('copyText', () => {
  it('writes every value exactly as the value-by-value COPY escaping does', () => {
    fc.assert(
      fc.property(customersArbitrary, (customers) => {
        expect(copyText(customers)).toBe(customers.map(referenceLine).join(''));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a text that is literally \\N apart from NULL', () => {
    const [customer] = fc.sample(customerArbitrary(0), { numRuns: 1, seed: 7 });
    const plain = {
      ...customer!,
      firstName: 'Ana',
      lastName: 'Li',
      preferences: [],
      tags: [],
      customFields: {},
      dob: null,
      instagramHandle: null,
      tiktokHandle: null,
      twitterHandle: null,
      gender: null,
      location: 'Harbour',
    };
    const line = copyText([{ ...plain, notes: '\\N', phone: null }]);
    const cells = line.slice(0, -1).split('\t');
    expect(cells[5]).toBe('\\N'); // phone: NULL
    expect(cells[13]).toBe('\\\\N'); // notes: the two characters \N
  });
});

describe.runIf(DATABASE_URL)('COPY round trip (server)', () => {
  it('stores and reads back any text exactly', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const schema = freshSchema('copy_text');
    const adapter = createPostgresAdapter({ db: pool, schema, copyFrom, notify: false });
    try {
      await adapter.migrate();
      await fc.assert(
        fc.asyncProperty(customersArbitrary, async (customers) => {
          const org = customers[0]!.organizationId;
          await pool.query(`DELETE FROM ${adapter.tables.customers}`);
          await adapter.insertMany(org, customers);
          for (const customer of customers) {
            const stored = await adapter.get(org, customer.id);
            expect(stored).toEqual({
              ...customer,
              customFields: Object.fromEntries(Object.entries(customer.customFields).sort()),
            });
          }
        }),
        { numRuns: 40 },
      );
    } finally {
      await adapter.close();
      await dropSchema(pool, schema);
      await pool.end();
    }
  });
});
