import {
  type CustomFieldDefinition,
  customersToCsv,
  LIST_SEPARATOR,
  parseCustomerCsv,
} from '@donutauto/core';
import { customerSetArbitrary } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const definitions: CustomFieldDefinition[] = [
  { key: 'tier', type: 'select', options: ['gold', 'silver'] },
  { key: 'visits', type: 'number' },
  { key: 'vegan', type: 'boolean' },
];

describe('customersToCsv → parseCustomerCsv', () => {
  it('round-trips any valid customer set exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        customerSetArbitrary(0, 20),
        fc.constantFrom(',', ';', '\t') as fc.Arbitrary<',' | ';' | '\t'>,
        async (customers, delimiter) => {
          const csv = customersToCsv(customers, { delimiter, customFieldKeys: ['tier', 'visits', 'vegan'] });
          const parsed = await parseCustomerCsv(csv, { customFieldDefinitions: definitions, delimiter });
          expect(parsed.customers).toEqual(customers);
          expect(parsed.issues.filter((i) => i.level === 'error')).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  }, 30_000);
});

// Free text as a spreadsheet cell can hold it: quotes, delimiters, line breaks, formula starts,
// apostrophes, non-ASCII; stored as the schema keeps it (trimmed, not empty).
const CHARS = [
  '"',
  ',',
  ';',
  '\t',
  '\n',
  '\r',
  "'",
  '=',
  '+',
  '-',
  '@',
  '|',
  ' ',
  'é',
  '用',
  '😀',
  'a',
  'Z',
  '0',
  '\uFEFF',
];
const freeText = (max: number) =>
  fc
    .string({ unit: fc.constantFrom(...CHARS), minLength: 1, maxLength: 12 })
    .map((text) => text.trim())
    .filter((text) => text.length > 0 && text.length <= max);

// A list entry is free text without the list separators (the schema refuses those).
const entry = freeText(50).filter((text) => !LIST_SEPARATOR.test(text));
const entries = (max: number) => fc.uniqueArray(entry, { maxLength: max, selector: (e) => e.toLowerCase() });

describe('customersToCsv → parseCustomerCsv with free text and any number', () => {
  it('round-trips names, notes, list entries and custom text of any characters, and any finite number', async () => {
    const extra = fc.record({
      preferences: entries(3),
      tags: entries(5),
      firstName: freeText(100),
      lastName: freeText(100),
      notes: fc.option(freeText(500), { nil: null }),
      location: fc.option(freeText(200), { nil: null }),
      custom: fc.record(
        { note: freeText(200), visits: fc.double({ noNaN: true, noDefaultInfinity: true }) },
        { requiredKeys: [] },
      ),
    });
    await fc.assert(
      fc.asyncProperty(
        customerSetArbitrary(1, 8),
        fc.array(extra, { minLength: 8, maxLength: 8 }),
        fc.constantFrom(',', ';', '\t') as fc.Arbitrary<',' | ';' | '\t'>,
        async (base, extras, delimiter) => {
          const customers = base.map((customer, i) => {
            const { custom, ...fields } = extras[i]!;
            return { ...customer, ...fields, customFields: { ...customer.customFields, ...custom } };
          });
          const keys = ['note', 'tier', 'visits', 'vegan'];
          const csv = customersToCsv(customers, { delimiter, customFieldKeys: keys });
          const parsed = await parseCustomerCsv(csv, {
            customFieldDefinitions: [...definitions, { key: 'note', type: 'text' }],
            delimiter,
          });
          expect(parsed.issues.filter((i) => i.level === 'error')).toEqual([]);
          expect(parsed.customers).toEqual(customers);
        },
      ),
      { numRuns: 150 },
    );
  }, 30_000);
});

describe('parseCustomerCsv', () => {
  it('never throws on arbitrary strings', async () => {
    const cell = fc.oneof(
      fc.string(),
      fc.constantFrom('"', '""', ',', ';', '\t', '\r\n', '\n', '\r', '\uFEFF', "'", '='),
    );
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(cell, { maxLength: 60 }).map((parts) => `firstName,lastName,email\n${parts.join('')}`),
    );
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 1, max: 5 }), async (input, batchSize) => {
        const result = await parseCustomerCsv(input, { batchSize, maxRowLength: 50, maxCellLength: 20 });
        expect(result.customers.length + result.errorCount + result.duplicateCount).toBe(result.rowCount);
        for (const issue of result.issues) expect(issue.row).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 150 },
    );
  }, 30_000);

  it('never throws on arbitrary bytes, whatever the chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.integer({ min: 1, max: 64 }),
        async (bytes, size) => {
          async function* chunks() {
            for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
          }
          const result = await parseCustomerCsv(chunks());
          expect(result.rowCount).toBeGreaterThanOrEqual(result.customers.length);
        },
      ),
      { numRuns: 200 },
    );
  }, 30_000);
});

describe('streamed CSV chunk boundaries', () => {
  const field = fc.constantFrom(
    'Ana',
    'Li',
    '',
    ' padded ',
    '"comma, inside"',
    '"quote "" inside"',
    '"two\nlines"',
    '"crlf\r\ninside"',
    '"glazed; vegan | coffee"',
    "'+441234",
  );
  const row = (i: number) =>
    fc
      .tuple(field, field, fc.constantFrom('', ' ', 'X'), field, field)
      .map(
        ([first, last, mark, notes, prefs]) =>
          `${first},${last},user${i}${mark}@example.com,${notes},${prefs}`,
      );
  /** A file longer than the 64 KiB sample, so rows straddle chunk boundaries. */
  const file = fc
    .tuple(
      fc
        .array(fc.nat(), { minLength: 1400, maxLength: 1400 })
        .chain((seeds) => fc.tuple(...seeds.map((_, i) => row(i)))),
      fc.constantFrom('\n', '\r\n'),
    )
    .map(
      ([rows, newline]) =>
        `firstName,lastName,email,notes,preferences${newline}${rows.join(newline)}${newline}`,
    );

  it('reads the same rows whatever the chunk sizes', async () => {
    await fc.assert(
      fc.asyncProperty(
        file,
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 12 }),
        async (text, sizes) => {
          async function* whole() {
            yield text;
          }
          async function* pieces() {
            for (let at = 0, k = 0; at < text.length; k++) {
              const size = sizes[k % sizes.length]!;
              yield text.slice(at, at + size);
              at += size;
            }
          }
          const expected = await parseCustomerCsv(whole());
          const actual = await parseCustomerCsv(pieces());
          expect(actual.rowCount).toBe(expected.rowCount);
          expect(actual.customers).toEqual(expected.customers);
          expect(actual.rows).toEqual(expected.rows);
          expect(actual.issues).toEqual(expected.issues);
        },
      ),
      // Shrinking a 1,400-row file would take minutes: report the first failing case as found.
      { numRuns: 25, endOnFailure: true },
    );
  }, 60_000);
});
