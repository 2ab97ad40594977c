import { customerInputSchema, validateCustomerInput } from '@donutauto/core';
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
