import { customerInputSchema, normalizeEmail, validateCustomerInput } from '@donutauto/core';
import { customerDataArbitrary, messyCustomerInputArbitrary } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('customerInputSchema', () => {
  it('normalization is idempotent on messy valid input', () => {
    fc.assert(
      fc.property(messyCustomerInputArbitrary, (input) => {
        const once = validateCustomerInput(input);
        expect(validateCustomerInput(once)).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });

  it('normalized data is a fixed point of the schema', () => {
    fc.assert(
      fc.property(customerDataArbitrary(7), (data) => {
        expect(customerInputSchema.parse(data)).toEqual(data);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a typed error on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          validateCustomerInput(value);
        } catch (error) {
          expect((error as { code?: unknown }).code).toMatch(/^(validation_failed|forbidden_field)$/);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('normalizeEmail', () => {
  it('is trim then toLowerCase for any text (the already-lower-case shortcut changes nothing)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.string({
        unit: fc.constantFrom('a', 'Z', '@', '.', ' ', 'É', 'ß', '\u0130', '~', '[', '`'),
        maxLength: 12,
      }),
    );
    fc.assert(
      fc.property(text, (value) => {
        expect(normalizeEmail(value)).toBe(value.trim().toLowerCase());
      }),
      { numRuns: 1000 },
    );
  });
});
