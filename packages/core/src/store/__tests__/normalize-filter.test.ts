import { type CustomerFilter, type CustomFieldDefinition, isCustomerError } from '@donutauto/core';
import { birthdayWindowKeys, canonicalizeFilter, normalizeFilter } from '@donutauto/core/adapter';
import { filterArbitrary } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** The `argument` (path) of the `invalid_argument` error `fn` throws. */
function pathOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isCustomerError(error, 'invalid_argument')) return error.argument;
    throw error;
  }
  throw new Error('expected an invalid_argument error');
}

const definitions: CustomFieldDefinition[] = [
  { key: 'visits', type: 'number' },
  { key: 'since', type: 'date' },
  { key: 'tier', type: 'select', options: ['gold', 'silver'] },
  { key: 'vegan', type: 'boolean' },
  { key: 'constructor', type: 'text' },
];

describe('normalizeFilter', () => {
  it('returns the canonical form: folded text and lists, integer time bounds, sorted keys', () => {
    expect(
      normalizeFilter({
        customFields: { visits: { gte: 2 }, tier: ' gold ', vegan: null },
        text: '  José   MÜLLER ',
        preferences: { any: ['Glazed', 'glazed ', 'Crème'], none: [] },
        tags: { all: [] },
        createdAt: { gt: new Date(1_000), lte: 2_000.5 },
        has: ['tags', 'phone', 'phone'],
        birthdayMonth: 3,
      }),
    ).toEqual({
      text: 'jose muller',
      preferences: { any: ['creme', 'glazed'] },
      birthdayMonth: 3,
      createdAt: { gte: 1_001, lt: 2_001 },
      has: ['phone', 'tags'],
      customFields: { tier: { eq: 'gold' }, vegan: { exists: false }, visits: { gte: 2 } },
    });
    expect(normalizeFilter({ text: ' 🍩 ', preferences: { any: [' '] }, customFields: {} })).toEqual({});
    expect(normalizeFilter(undefined)).toEqual({});
  });

  it('is idempotent and survives a JSON round trip (what segments store)', () => {
    fc.assert(
      fc.property(filterArbitrary, (filter) => {
        const once = normalizeFilter(filter);
        expect(normalizeFilter(once)).toEqual(once);
        expect(JSON.stringify(normalizeFilter(JSON.parse(JSON.stringify(once))))).toBe(JSON.stringify(once));
      }),
      { numRuns: 500 },
    );
  });

  it('names the path of every unknown key and wrong type', () => {
    const cases: [unknown, string][] = [
      ['text', 'filter'],
      [{ search: 'x' }, 'filter.search'],
      [{ createdFrom: 1 }, 'filter.createdFrom'],
      [{ text: 5 }, 'filter.text'],
      [{ text: 'x'.repeat(201) }, 'filter.text'],
      [{ preferences: ['glazed'] }, 'filter.preferences'],
      [{ preferences: { some: ['x'] } }, 'filter.preferences.some'],
      [{ tags: { any: ['ok', 3] } }, 'filter.tags.any[1]'],
      [{ birthdayWithinDays: { days: 0 } }, 'filter.birthdayWithinDays.days'],
      [{ birthdayWithinDays: { days: 400 } }, 'filter.birthdayWithinDays.days'],
      [{ birthdayWithinDays: { days: 3, from: '2025-02-30' } }, 'filter.birthdayWithinDays.from'],
      [{ birthdayWithinDays: { days: 3, timeZone: 'Mars/Olympus' } }, 'filter.birthdayWithinDays.timeZone'],
      [{ birthdayWithinDays: { days: 3, when: 'now' } }, 'filter.birthdayWithinDays.when'],
      [{ birthdayMonth: 13 }, 'filter.birthdayMonth'],
      [{ createdAt: { after: 1 } }, 'filter.createdAt.after'],
      [{ updatedAt: { gte: Number.NaN } }, 'filter.updatedAt.gte'],
      [{ createdAt: { lt: new Date('nope') } }, 'filter.createdAt.lt'],
      [{ has: ['email'] }, 'filter.has[0]'],
      [{ missing: 'phone' }, 'filter.missing'],
      [{ customFields: [] }, 'filter.customFields'],
      [{ customFields: { 'bad-key': 1 } }, 'filter.customFields.bad-key'],
      [{ customFields: { tier: { eq: { x: 1 } } } }, 'filter.customFields.tier.eq'],
      [{ customFields: { tier: { in: [] } } }, 'filter.customFields.tier.in'],
      [{ customFields: { tier: { like: 'g' } } }, 'filter.customFields.tier.like'],
      [{ customFields: { tier: { gt: true } } }, 'filter.customFields.tier.gt'],
      [{ customFields: { tier: { eq: null, exists: true } } }, 'filter.customFields.tier.eq'],
      [{ customFields: { tier: { exists: 'yes' } } }, 'filter.customFields.tier.exists'],
    ];
    for (const [filter, path] of cases)
      expect([filter, pathOf(() => normalizeFilter(filter as CustomerFilter))]).toEqual([filter, path]);
    expect(pathOf(() => normalizeFilter({ text: 1 } as never, { path: 'segment.filter' }))).toBe(
      'segment.filter.text',
    );
  });

  it('refuses a custom-field key that is not a field name, including every Object.prototype member name that is not one', () => {
    for (const key of Object.getOwnPropertyNames(Object.prototype)) {
      const filter = JSON.parse(`{"customFields": {${JSON.stringify(key)}: 1}}`) as CustomerFilter;
      if (/^[A-Za-z]/.test(key)) {
        expect(normalizeFilter(filter).customFields).toEqual({ [key]: { eq: 1 } });
        expect(Object.hasOwn(normalizeFilter(filter).customFields ?? {}, key)).toBe(true);
      } else {
        expect(pathOf(() => normalizeFilter(filter))).toBe(`filter.customFields.${key}`);
      }
    }
  });

  it('types custom-field conditions by the definitions', () => {
    const ok = (customFields: NonNullable<CustomerFilter['customFields']>) =>
      normalizeFilter({ customFields }, { customFields: definitions }).customFields;
    expect(
      ok({ visits: { gt: 2, lte: 9.5 }, since: { gte: '2024-01-01' }, vegan: true, constructor: 'x' }),
    ).toEqual({
      constructor: { eq: 'x' },
      since: { gte: '2024-01-01' },
      vegan: { eq: true },
      visits: { gt: 2, lte: 9.5 },
    });
    const bad = (customFields: NonNullable<CustomerFilter['customFields']>) =>
      pathOf(() => normalizeFilter({ customFields }, { customFields: definitions }));
    expect(bad({ visits: '3' })).toBe('filter.customFields.visits.eq');
    expect(bad({ visits: { in: [1, 'two'] } })).toBe('filter.customFields.visits.in[1]');
    expect(bad({ since: { gt: '2024-13-01' } })).toBe('filter.customFields.since.gt');
    expect(bad({ tier: { gt: 'gold' } })).toBe('filter.customFields.tier.gt');
    expect(bad({ vegan: { lt: 1 } })).toBe('filter.customFields.vegan.lt');
    expect(bad({ favourite: 'x' })).toBe('filter.customFields.favourite');
    // Without definitions any well-formed operand goes; a text range compares text.
    expect(
      normalizeFilter({ customFields: { favourite: { gt: 'm', in: ['b', 2, true, 2] } } }).customFields,
    ).toEqual({
      favourite: { in: [true, 2, 'b'], gt: 'm' },
    });
  });

  it('resolves a birthday window to today in its time zone; canonicalizeFilter keeps it relative', () => {
    // 2025-06-30 23:30 in UTC: already July 1st in Kiritimati (UTC+14), still June 30th in Pago Pago (UTC−11).
    const now = Date.UTC(2025, 5, 30, 23, 30);
    const window = (timeZone: string) =>
      normalizeFilter({ birthdayWithinDays: { days: 2, timeZone } }, { now }).birthdayWithinDays;
    expect(window('Pacific/Kiritimati')).toEqual({ days: 2, from: '2025-07-01' });
    expect(window('Pacific/Pago_Pago')).toEqual({ days: 2, from: '2025-06-30' });
    expect(
      normalizeFilter({ birthdayWithinDays: { days: 2, from: '2024-02-28', timeZone: 'UTC' } }, { now }),
    ).toEqual({
      birthdayWithinDays: { days: 2, from: '2024-02-28' },
    });
    expect(canonicalizeFilter({ birthdayWithinDays: { days: 14, timeZone: 'Europe/Paris' } })).toEqual({
      birthdayWithinDays: { days: 14, timeZone: 'Europe/Paris' },
    });
  });
});

describe('birthdayWindowKeys', () => {
  it('spans the year end and keeps 29 February birthdays on the 28th in other years', () => {
    expect(birthdayWindowKeys({ days: 4, from: '2025-12-30' })).toEqual([101, 102, 1230, 1231]);
    expect(birthdayWindowKeys({ days: 2, from: '2025-02-28' })).toEqual([228, 229, 301]);
    expect(birthdayWindowKeys({ days: 2, from: '2024-02-28' })).toEqual([228, 229]);
    expect(birthdayWindowKeys({ days: 1, from: '2024-03-01' })).toEqual([301]);
    expect(birthdayWindowKeys({ days: 366, from: '2025-01-01' })).toHaveLength(366);
  });
});
