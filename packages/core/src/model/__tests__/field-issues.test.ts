import {
  EDITABLE_FIELDS,
  type EditableField,
  FIELD_ISSUE_CODES,
  FIELD_LIMITS,
  type FieldIssue,
  ValidationError,
  validateCustomerField,
  validateCustomerInput,
  validateCustomerPatch,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { toFieldIssues } from '../validate';

const base = { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' };

/** The issues of every way a value reaches the model: whole input, patch and single-field edit. */
function issuesEverywhere(field: EditableField, value: unknown): FieldIssue[][] {
  const collect = (fn: () => unknown): FieldIssue[] => {
    try {
      fn();
    } catch (error) {
      if (error instanceof ValidationError) return [...error.issues];
      throw error;
    }
    throw new Error(`${field}: ${JSON.stringify(value)} was accepted`);
  };
  return [
    collect(() => validateCustomerInput({ ...base, [field]: value })),
    collect(() => validateCustomerPatch({ [field]: value })),
    collect(() => validateCustomerField(field, value)),
  ];
}

const long = (n: number) => 'x'.repeat(n);
const NUL = 'a\u0000b';
const LONE_HIGH = 'a\uD83Db';
const LONE_LOW = '\uDE00b';

/** For each field: a value of the wrong type, one too long and one in a bad format, with the path and code each reports. */
const CASES: Record<EditableField, readonly [value: unknown, path: (string | number)[], code: string][]> = {
  firstName: [
    [42, ['firstName'], 'invalid_type'],
    [long(FIELD_LIMITS.name + 1), ['firstName'], 'too_big'],
    [NUL, ['firstName'], 'invalid_character'],
    [LONE_HIGH, ['firstName'], 'invalid_character'],
  ],
  lastName: [
    [true, ['lastName'], 'invalid_type'],
    [long(FIELD_LIMITS.name + 1), ['lastName'], 'too_big'],
    [LONE_LOW, ['lastName'], 'invalid_character'],
  ],
  email: [
    [{}, ['email'], 'invalid_type'],
    [`${long(FIELD_LIMITS.email)}@x.io`, ['email'], 'too_big'],
    ['not-an-email', ['email'], 'invalid_format'],
    ['ana\u0000@example.com', ['email'], 'invalid_character'],
  ],
  phone: [
    [5551234, ['phone'], 'invalid_type'],
    [`+1${'5'.repeat(FIELD_LIMITS.text)}`, ['phone'], 'too_big'],
    ['call me', ['phone'], 'invalid_format'],
    ['555\u0000123', ['phone'], 'invalid_character'],
  ],
  dob: [
    [19900315, ['dob'], 'invalid_type'],
    [`1990-03-15${' '.repeat(FIELD_LIMITS.text)}x`, ['dob'], 'too_big'],
    ['03/15/1990', ['dob'], 'invalid_format'],
    ['1990-03-15\u0000', ['dob'], 'invalid_character'],
  ],
  preferences: [
    ['glazed', ['preferences'], 'invalid_type'],
    [[7], ['preferences', 0], 'invalid_type'],
    [['a', 'b', 'c', 'd'], ['preferences'], 'too_big'],
    [[long(FIELD_LIMITS.listItem + 1)], ['preferences'], 'too_big'],
    [['salt, caramel'], ['preferences'], 'invalid_format'],
    [['ok', NUL], ['preferences'], 'invalid_character'],
  ],
  instagramHandle: [
    [1, ['instagramHandle'], 'invalid_type'],
    [long(FIELD_LIMITS.text + 1), ['instagramHandle'], 'too_big'],
    ['ana bakes', ['instagramHandle'], 'invalid_format'],
    [LONE_HIGH, ['instagramHandle'], 'invalid_character'],
  ],
  tiktokHandle: [
    [[], ['tiktokHandle'], 'invalid_type'],
    [long(FIELD_LIMITS.text + 1), ['tiktokHandle'], 'too_big'],
    ['zoë', ['tiktokHandle'], 'invalid_format'],
    ['bo\u0000', ['tiktokHandle'], 'invalid_character'],
  ],
  twitterHandle: [
    [false, ['twitterHandle'], 'invalid_type'],
    [long(FIELD_LIMITS.text + 1), ['twitterHandle'], 'too_big'],
    ['@@x', ['twitterHandle'], 'invalid_format'],
    [LONE_LOW, ['twitterHandle'], 'invalid_character'],
  ],
  gender: [
    [3, ['gender'], 'invalid_type'],
    [long(FIELD_LIMITS.text + 1), ['gender'], 'too_big'],
    [NUL, ['gender'], 'invalid_character'],
  ],
  location: [
    [{ city: 'x' }, ['location'], 'invalid_type'],
    [long(FIELD_LIMITS.text + 1), ['location'], 'too_big'],
    [LONE_HIGH, ['location'], 'invalid_character'],
  ],
  notes: [
    [['a'], ['notes'], 'invalid_type'],
    [long(FIELD_LIMITS.notes + 1), ['notes'], 'too_big'],
    [`line one\n${NUL}`, ['notes'], 'invalid_character'],
  ],
  tags: [
    [{ vip: true }, ['tags'], 'invalid_type'],
    [[null], ['tags', 0], 'invalid_type'],
    [Array.from({ length: FIELD_LIMITS.tags + 1 }, (_, i) => `t${i}`), ['tags'], 'too_big'],
    [[long(FIELD_LIMITS.listItem + 1)], ['tags'], 'too_big'],
    [['x|y'], ['tags'], 'invalid_format'],
    [[LONE_LOW], ['tags'], 'invalid_character'],
  ],
  customFields: [
    ['tier=gold', ['customFields'], 'invalid_type'],
    [['gold'], ['customFields'], 'invalid_type'],
    [{ tier: { level: 1 } }, ['customFields', 'tier'], 'invalid_type'],
    [{ visits: Number.NaN }, ['customFields', 'visits'], 'invalid_value'],
    [{ tier: long(FIELD_LIMITS.customFieldValue + 1) }, ['customFields', 'tier'], 'too_big'],
    [{ '1bad': 1 }, ['customFields', '1bad'], 'invalid_format'],
    [{ tier: NUL }, ['customFields', 'tier'], 'invalid_character'],
    [{ 'ti\u0000er': 'x' }, ['customFields', 'ti\u0000er'], 'invalid_character'],
  ],
  consent: [
    ['subscribed', ['consent'], 'invalid_type'],
    [{ email: 'maybe' }, ['consent', 'email', 'state'], 'invalid_value'],
    [{ fax: 'subscribed' }, ['consent', 'fax'], 'forbidden_field'],
    [{ sms: { state: 'subscribed', at: -1 } }, ['consent', 'sms', 'at'], 'invalid_value'],
    [{ sms: { state: 'subscribed', source: 'phone' } }, ['consent', 'sms', 'source'], 'invalid_value'],
    [{ email: { state: 'subscribed', by: long(201) } }, ['consent', 'email'], 'too_big'],
    [{ socialDm: { state: 'unsubscribed', by: NUL } }, ['consent', 'socialDm'], 'invalid_character'],
  ],
};

describe('field issue codes', () => {
  it('covers every editable field', () => {
    expect(Object.keys(CASES).sort()).toEqual([...EDITABLE_FIELDS].sort());
  });

  for (const field of EDITABLE_FIELDS) {
    it(`reports the documented code and path for ${field}, the same through input, patch and field edit`, () => {
      for (const [value, path, code] of CASES[field]) {
        for (const issues of issuesEverywhere(field, value)) {
          expect(
            issues.map((i) => ({ path: i.path, code: i.code })),
            `${field} = ${JSON.stringify(value)?.slice(0, 60)}`,
          ).toEqual([{ path, code }]);
          expect(FIELD_ISSUE_CODES).toContain(issues[0]!.code);
          // The message names the field (custom fields by their key), never zod's generic text.
          expect(issues[0]!.message).not.toMatch(/^Invalid input/);
          const label = field === 'customFields' ? String(path[1] ?? 'Custom fields') : undefined;
          if (label !== undefined) expect(issues[0]!.message).toContain(label.replace('\u0000', '\\u0000'));
        }
      }
    });
  }

  it('reports a missing, null or blank required field as required', () => {
    for (const field of ['firstName', 'lastName', 'email'] as const) {
      for (const value of [undefined, null, '', '   ']) {
        const input: Record<string, unknown> = { ...base, [field]: value };
        if (value === undefined) delete input[field];
        expect(() => validateCustomerInput(input)).toThrow(ValidationError);
        try {
          validateCustomerInput(input);
        } catch (error) {
          expect((error as ValidationError).issues.map((i) => [i.path, i.code])).toEqual([
            [[field], 'required'],
          ]);
        }
      }
    }
  });

  it('maps every zod issue to one of the documented codes', () => {
    const zodIssues = [
      { code: 'invalid_type', expected: 'string', path: ['x'], message: 'm', input: 1 },
      { code: 'too_big', maximum: 2, origin: 'string', inclusive: true, path: ['x'], message: 'm' },
      { code: 'too_small', minimum: 1, origin: 'string', inclusive: true, path: ['x'], message: 'm' },
      { code: 'too_small', minimum: 3, origin: 'number', inclusive: true, path: ['x'], message: 'm' },
      { code: 'invalid_format', format: 'email', path: ['x'], message: 'm' },
      { code: 'not_multiple_of', divisor: 2, path: ['x'], message: 'm' },
      { code: 'unrecognized_keys', keys: ['a', 'b'], path: [], message: 'm' },
      { code: 'invalid_union', errors: [], path: ['x'], message: 'm' },
      { code: 'invalid_key', origin: 'record', issues: [], path: ['x'], message: 'm' },
      { code: 'invalid_element', origin: 'map', key: 'k', issues: [], path: ['x'], message: 'm' },
      { code: 'invalid_value', values: [1], path: ['x'], message: 'm' },
      { code: 'custom', params: { code: 'in_future' }, path: ['x'], message: 'm' },
      { code: 'custom', params: { code: 'not-a-code' }, path: ['x'], message: 'm' },
      { code: 'custom', path: ['x'], message: 'm' },
    ] as unknown as Parameters<typeof toFieldIssues>[0];
    const mapped = toFieldIssues(zodIssues);
    for (const issue of mapped) expect(FIELD_ISSUE_CODES).toContain(issue.code);
    expect(mapped.map((i) => i.code)).toEqual([
      'invalid_type',
      'too_big',
      'required',
      'invalid_value',
      'invalid_format',
      'invalid_value',
      'forbidden_field',
      'forbidden_field',
      'invalid_value',
      'invalid_format',
      'invalid_value',
      'invalid_value',
      'in_future',
      'invalid_value',
      'invalid_value',
    ]);
    expect(mapped.filter((i) => i.code === 'forbidden_field').map((i) => i.path)).toEqual([['a'], ['b']]);
  });
});

describe('FIELD_LIMITS bounds', () => {
  const customFields = (count: number, valueLength: number) =>
    Object.fromEntries(Array.from({ length: count }, (_, i) => [`field${i}`, long(valueLength)]));

  it('accepts custom fields up to the limits', () => {
    const count = FIELD_LIMITS.customFieldCount;
    // The largest values that keep the whole record within the size limit.
    const valueLength = Math.min(
      FIELD_LIMITS.customFieldValue,
      Math.floor(FIELD_LIMITS.customFieldsSize / count) - 16,
    );
    const data = validateCustomerInput({ ...base, customFields: customFields(count, valueLength) });
    expect(Object.keys(data.customFields)).toHaveLength(count);
    expect(JSON.stringify(data.customFields).length).toBeLessThanOrEqual(FIELD_LIMITS.customFieldsSize);
  });

  it('refuses more custom fields than allowed with one issue naming the field', () => {
    const input = { ...base, customFields: customFields(100_000, 200) };
    const started = Date.now();
    try {
      validateCustomerInput(input);
      throw new Error('accepted');
    } catch (error) {
      const issues = (error as ValidationError).issues;
      expect(issues.map((i) => [i.path, i.code])).toEqual([[['customFields'], 'too_big']]);
      expect(issues[0]!.message).toContain(String(FIELD_LIMITS.customFieldCount));
    }
    // Not a timing assertion of speed work: only that it does not run a check per key (seconds).
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses custom fields whose serialized size passes the limit', () => {
    const count = Math.ceil(FIELD_LIMITS.customFieldsSize / FIELD_LIMITS.customFieldValue) + 1;
    expect(count).toBeLessThanOrEqual(FIELD_LIMITS.customFieldCount);
    const input = { ...base, customFields: customFields(count, FIELD_LIMITS.customFieldValue) };
    for (const issues of [
      issuesEverywhere('customFields', input.customFields)[0]!,
      issuesEverywhere('customFields', input.customFields)[2]!,
    ]) {
      expect(issues.map((i) => [i.path, i.code])).toEqual([[['customFields'], 'too_big']]);
      expect(issues[0]!.message).toContain(String(FIELD_LIMITS.customFieldsSize));
    }
  });
});
