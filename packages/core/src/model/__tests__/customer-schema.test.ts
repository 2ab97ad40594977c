import {
  customerInputSchema,
  isCustomerError,
  LIST_SEPARATOR,
  MAX_PREFERENCES,
  normalizeEmail,
  ValidationError,
  validateCustomerField,
  validateCustomerInput,
  validateCustomerPatch,
} from '@donutauto/core';
import { customerDataFixture } from '@donutauto/testing';
import { describe, expect, it } from 'vitest';
import { normalizeHandle, normalizePhone } from '../normalize';

const base = { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' };

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => [i.path.join('.'), i.code]);
    throw error;
  }
  throw new Error('expected a validation error');
}

describe('customerInputSchema', () => {
  it('fills every optional field with null or an empty list', () => {
    expect(customerInputSchema.parse(base)).toEqual(customerDataFixture(base));
  });

  it('requires first name, last name and email, naming each field', () => {
    expect(issuesOf(() => validateCustomerInput({}))).toEqual([
      ['firstName', 'required'],
      ['lastName', 'required'],
      ['email', 'required'],
    ]);
    expect(issuesOf(() => validateCustomerInput({ ...base, firstName: '   ' }))).toEqual([
      ['firstName', 'required'],
    ]);
    expect(issuesOf(() => validateCustomerInput({ ...base, email: 'not-an-email' }))).toEqual([
      ['email', 'invalid_format'],
    ]);
  });

  it(`allows at most ${MAX_PREFERENCES} preferences, after trimming and de-duplication`, () => {
    expect(
      validateCustomerInput({ ...base, preferences: [' glazed ', 'Glazed', '', 'vegan', 'coffee'] })
        .preferences,
    ).toEqual(['glazed', 'vegan', 'coffee']);
    expect(issuesOf(() => validateCustomerInput({ ...base, preferences: ['a', 'b', 'c', 'd'] }))).toEqual([
      ['preferences', 'too_big'],
    ]);
  });

  it('refuses list entries holding a CSV list separator, naming the field', () => {
    for (const [field, entry] of [
      ['preferences', 'salt, caramel'],
      ['preferences', 'a;b'],
      ['tags', 'x|y'],
    ] as const) {
      expect(issuesOf(() => validateCustomerInput({ ...base, [field]: [entry] }))).toEqual([
        [field, 'invalid_format'],
      ]);
      expect(issuesOf(() => validateCustomerField(field, ['ok', entry]))).toEqual([
        [field, 'invalid_format'],
      ]);
    }
    expect(LIST_SEPARATOR.test('gluten-free & vegan')).toBe(false);
    expect(validateCustomerInput({ ...base, tags: ['gluten-free & vegan'] }).tags).toEqual([
      'gluten-free & vegan',
    ]);
  });

  it('trims text and stores empty optional values as null', () => {
    const data = validateCustomerInput({ ...base, firstName: '  Ana ', notes: '   ', location: ' Harbour ' });
    expect(data).toMatchObject({ firstName: 'Ana', notes: null, location: 'Harbour' });
  });

  it('keeps the email as typed (trimmed) and compares it lower-cased', () => {
    const data = validateCustomerInput({ ...base, email: '  Ana@Example.COM ' });
    expect(data.email).toBe('Ana@Example.COM');
    expect(normalizeEmail(data.email)).toBe('ana@example.com');
  });

  it('accepts full and year-less dates of birth and refuses impossible or future ones', () => {
    expect(validateCustomerInput({ ...base, dob: '1990-02-28' }).dob).toBe('1990-02-28');
    expect(validateCustomerInput({ ...base, dob: '--02-29' }).dob).toBe('--02-29');
    expect(issuesOf(() => validateCustomerInput({ ...base, dob: '1990-02-30' }))).toEqual([
      ['dob', 'invalid_date'],
    ]);
    expect(issuesOf(() => validateCustomerInput({ ...base, dob: '--13-01' }))).toEqual([
      ['dob', 'invalid_date'],
    ]);
    expect(issuesOf(() => validateCustomerInput({ ...base, dob: '3000-01-01' }))).toEqual([
      ['dob', 'in_future'],
    ]);
    expect(issuesOf(() => validateCustomerInput({ ...base, dob: '03/15/1990' }))).toEqual([
      ['dob', 'invalid_format'],
    ]);
    expect(issuesOf(() => validateCustomerInput({ ...base, dob: '1850-01-01' }))).toEqual([
      ['dob', 'too_old'],
    ]);
  });

  it('refuses system and unknown fields with a forbidden_field error', () => {
    for (const field of ['id', 'organizationId', 'createdAt', 'updatedAt', 'version', 'nickname']) {
      try {
        validateCustomerInput({ ...base, [field]: 'x' });
        throw new Error('accepted');
      } catch (error) {
        expect(isCustomerError(error, 'forbidden_field')).toBe(true);
        expect((error as { field: string }).field).toBe(field);
      }
    }
  });

  it('validates custom field names and value types', () => {
    expect(
      validateCustomerInput({ ...base, customFields: { visits: 3, vip: true, tier: ' gold ' } }).customFields,
    ).toEqual({
      tier: 'gold',
      visits: 3,
      vip: true,
    });
    expect(
      issuesOf(() => validateCustomerInput({ ...base, customFields: { '1bad': 1 } })).at(0)?.[0],
    ).toMatch(/^customFields/);
  });
});

describe('normalizePhone', () => {
  it('strips formatting, keeps a leading + and leading zeros', () => {
    expect(normalizePhone('+1 (555) 123-4567')).toBe('+15551234567');
    expect(normalizePhone("'0123 456 789")).toBe('0123456789');
    expect(normalizePhone('020.7946.0958')).toBe('02079460958');
  });
  it('refuses letters, too few or too many digits', () => {
    expect(normalizePhone('call me')).toBeUndefined();
    expect(normalizePhone('123')).toBeUndefined();
    expect(normalizePhone('1234567890123456')).toBeUndefined();
    expect(normalizePhone('++123456')).toBeUndefined();
  });
});

describe('normalizeHandle', () => {
  it('keeps handles with a leading @ and reads profile URLs', () => {
    expect(normalizeHandle('donut.fan')).toBe('@donut.fan');
    expect(normalizeHandle('@donut_fan')).toBe('@donut_fan');
    expect(normalizeHandle('https://www.instagram.com/donut.fan/')).toBe('@donut.fan');
    expect(normalizeHandle('https://www.tiktok.com/@donutfan?lang=en')).toBe('@donutfan');
    expect(normalizeHandle('x.com/donutfan')).toBe('@donutfan');
  });
  it('refuses characters a handle cannot have', () => {
    expect(normalizeHandle('donut fan')).toBeUndefined();
    expect(normalizeHandle('@')).toBeUndefined();
  });
});

describe('validateCustomerPatch', () => {
  it('returns only the fields present, clearing optional ones', () => {
    expect(validateCustomerPatch({ phone: '', notes: null, firstName: ' Bo ' })).toEqual({
      phone: null,
      notes: null,
      firstName: 'Bo',
    });
  });
  it('refuses clearing a required field', () => {
    expect(issuesOf(() => validateCustomerPatch({ email: '' }))).toEqual([['email', 'required']]);
    expect(issuesOf(() => validateCustomerPatch({ lastName: null }))).toEqual([['lastName', 'required']]);
  });
});

describe('validateCustomerField', () => {
  it('validates one field with the whole-customer rules', () => {
    expect(validateCustomerField('instagramHandle', 'donut.fan')).toBe('@donut.fan');
    expect(validateCustomerField('preferences', ['a', 'a ', 'b'])).toEqual(['a', 'b']);
    expect(issuesOf(() => validateCustomerField('preferences', ['a', 'b', 'c', 'd']))).toEqual([
      ['preferences', 'too_big'],
    ]);
  });
  it('refuses non-editable fields', () => {
    expect(() => validateCustomerField('organizationId', 'evil')).toThrowError(/organizationId/);
  });
});
