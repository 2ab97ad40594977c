import { type CustomFieldDefinition, customersToCsv, parseCustomerCsv } from '@donutauto/core';
import { customerSetArbitrary } from '@donutauto/core/testing';
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
