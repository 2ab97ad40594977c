/**
 * Conformance checks of search, filters, sorts and cursors: the meaning every adapter must give
 * them, on worked examples and on random full-Unicode data. Registered by `runAdapterConformance`.
 */
import { CUSTOMER_SORTS, type CustomerFilter, isCustomerError } from '@donutauto/core';
import {
  type CursorPosition,
  encodeCursor,
  type NormalizedFilter,
  normalizeFilter,
  type StorageAdapter,
} from '@donutauto/core/adapter';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { customerSetArbitrary } from './arbitraries';
import { expectCode, freshOrg, listAll, make, person } from './conformance-helpers';

/** Options of {@link registerSearchConformance}. */
export interface SearchConformanceOptions {
  /** Per-test timeout in ms. */
  readonly timeout: number;
  /** fast-check runs of the random checks. */
  readonly equivalenceRuns: number;
}

/**
 * Registers the search, filter, sort and cursor checks (inside the suite's `describe`).
 * @param getAdapter - The adapter under test (created by the suite's `beforeAll`).
 * @param options - Timeout and number of random runs.
 */
export function registerSearchConformance(
  getAdapter: () => StorageAdapter,
  options: SearchConformanceOptions,
): void {
  const { timeout } = options;
  const ids = async (org: string, filter: CustomerFilter, sort = 'oldest' as const) =>
    (await listAll(getAdapter(), org, 3, normalizeFilter(filter), sort)).map((c) => c.id);

  it('finds every customer by its names, email and handle exactly as stored', {
    timeout: timeout * 2,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(customerSetArbitrary(1, 8, { unicode: true }), async (data) => {
        const adapter = getAdapter();
        const org = freshOrg('as-stored');
        const rows = data.map((d, i) => make(org, d, 1_000 + i));
        await adapter.insertMany(org, rows);
        for (const row of rows) {
          for (const text of [row.firstName, row.lastName, `${row.firstName} ${row.lastName}`, row.email]) {
            const found = await listAll(adapter, org, 50, normalizeFilter({ text }), 'oldest');
            expect([text, found.some((c) => c.id === row.id)]).toEqual([text, true]);
          }
          if (row.instagramHandle !== null) {
            const found = await listAll(adapter, org, 50, normalizeFilter({ text: row.instagramHandle }));
            expect(found.map((c) => c.id)).toContain(row.id);
          }
        }
      }),
      { numRuns: Math.max(5, Math.ceil(options.equivalenceRuns / 2)) },
    );
  });

  it('searches case- and accent-insensitively, names by word prefix, phones by digits', {
    timeout,
  }, async () => {
    const org = freshOrg('search');
    const rows = [
      make(org, person(1, { firstName: 'José', lastName: 'Müller', phone: '+15550100100' }), 1_000),
      make(org, person(2, { firstName: 'ΣΟΦΟΣ', lastName: "O'Neil", instagramHandle: '@donut.fan' }), 1_001),
      make(org, person(3, { firstName: 'Diana', lastName: 'Straße', email: 'di@Sweets.test' }), 1_002),
      make(org, person(4, { firstName: 'İlkay', lastName: 'Øyvind', phone: '+4412345678' }), 1_003),
    ];
    await getAdapter().insertMany(org, rows);
    const [jose, sofos, diana, ilkay] = rows.map((r) => r.id);
    expect(await ids(org, { text: 'jose' })).toEqual([jose]);
    expect(await ids(org, { text: 'MULLER jo' })).toEqual([jose]);
    expect(await ids(org, { text: '555 0100' })).toEqual([jose]);
    expect(await ids(org, { text: '+1 (555) 010-0100' })).toEqual([jose]);
    expect(await ids(org, { text: '0100100' })).toEqual([jose]);
    expect(await ids(org, { text: 'σοφος' })).toEqual([sofos]);
    expect(await ids(org, { text: 'neil' })).toEqual([sofos]);
    expect(await ids(org, { text: 'fan' })).toEqual([sofos]);
    expect(await ids(org, { text: 'strasse' })).toEqual([diana]);
    expect(await ids(org, { text: 'ana' })).toEqual([]); // "Diana" does not begin with "ana"
    expect(await ids(org, { text: 'sweets' })).toEqual([diana]);
    expect(await ids(org, { text: 'ilkay oyvind' })).toEqual([ilkay]);
    expect(await ids(org, { text: '   ' })).toEqual([jose, sofos, diana, ilkay]);
  });

  it('finds digits in the phone, or at the start of a word, not inside another word or the notes', {
    timeout,
  }, async () => {
    const org = freshOrg('digits');
    const rows = [
      make(org, person(1, { phone: '+15550100100' }), 1_000),
      make(
        org,
        person(2, { email: 'x5550100@example.com', twitterHandle: 'dj0100100', notes: '555 0100' }),
        1_001,
      ),
      make(org, person(3, { email: '5550100@example.com' }), 1_002),
      make(org, person(4, { instagramHandle: '555', tiktokHandle: '0100x', phone: '+44200' }), 1_003),
    ];
    await getAdapter().insertMany(org, rows);
    // The second customer holds the digits only inside words (and in the notes): never found by them.
    const [phone, , start, words] = rows.map((r) => r.id);
    // Joined, the digits are in the first one's phone; each token begins a word of the fourth.
    expect(await ids(org, { text: '555 0100' })).toEqual([phone, words]);
    expect(await ids(org, { text: '5550100' })).toEqual([phone, start]);
    expect(await ids(org, { text: '0100100' })).toEqual([phone]);
    expect(await ids(org, { text: '+1 555-010' })).toEqual([phone]);
    expect(await ids(org, { text: '4200' })).toEqual([words]);
    expect(await ids(org, { text: '100100 x' })).toEqual([]);
  });

  it('filters by list conditions, birthdays across the year end and 29 February, presence', {
    timeout,
  }, async () => {
    const org = freshOrg('filters');
    const rows = [
      make(
        org,
        person(1, { preferences: ['Glazed', 'Crème brûlée'], dob: '1990-12-30', tags: ['vip'] }),
        1_000,
      ),
      make(org, person(2, { preferences: ['vegan'], dob: '--01-03', phone: '+15550100' }), 1_001),
      make(org, person(3, { preferences: ['glazed', 'coffee'], dob: '2000-02-29' }), 1_002),
      make(org, person(4, { tags: ['VIP', 'staff'], dob: '--03-01' }), 1_003),
    ];
    await getAdapter().insertMany(org, rows);
    const [one, two, three, four] = rows.map((r) => r.id);
    expect(await ids(org, { preferences: { any: ['GLAZED'] } })).toEqual([one, three]);
    expect(await ids(org, { preferences: { all: ['glazed', 'creme brulee'] } })).toEqual([one]);
    expect(await ids(org, { preferences: { none: ['glazed'] } })).toEqual([two, four]);
    expect(await ids(org, { tags: { all: ['vip'] }, has: ['dob'] })).toEqual([one, four]);
    expect(await ids(org, { missing: ['preferences'] })).toEqual([four]);
    expect(await ids(org, { has: ['phone'] })).toEqual([two]);
    expect(await ids(org, { birthdayWithinDays: { days: 7, from: '2025-12-28' } })).toEqual([one, two]);
    // 2025 has no 29 February: the birthday is kept on the 28th.
    expect(await ids(org, { birthdayWithinDays: { days: 1, from: '2025-02-28' } })).toEqual([three]);
    expect(await ids(org, { birthdayWithinDays: { days: 1, from: '2025-03-01' } })).toEqual([four]);
    expect(await ids(org, { birthdayWithinDays: { days: 1, from: '2024-02-28' } })).toEqual([]);
    expect(await ids(org, { birthdayWithinDays: { days: 2, from: '2024-02-28' } })).toEqual([three]);
    expect(await ids(org, { birthdayMonth: 12 })).toEqual([one]);
    expect(await ids(org, { createdAt: { gt: 1_000, lte: 1_002 } })).toEqual([two, three]);
  });

  it('compares custom fields by type and treats Object.prototype member names as plain keys', {
    timeout,
  }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('custom');
    const names = Object.getOwnPropertyNames(Object.prototype);
    const valid = names.filter((name) => /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name));
    expect(valid).toContain('constructor');
    const values = [3, '3', 10, 'gold', true, null];
    const rows = values.map((value, i) =>
      make(org, person(i, { customFields: Object.fromEntries(valid.map((k) => [k, value])) }), 1_000 + i),
    );
    rows.push(make(org, person(99), 1_100)); // no custom fields at all
    await adapter.insertMany(org, rows);
    const id = (i: number) => rows[i]!.id;
    for (const key of valid) {
      const on = (condition: unknown) => ids(org, { customFields: { [key]: condition } as never });
      expect(await on({ exists: true })).toEqual([id(0), id(1), id(2), id(3), id(4)]);
      expect(await on(null)).toEqual([id(5), id(6)]);
      expect(await on(3)).toEqual([id(0)]);
      expect(await on('3')).toEqual([id(1)]);
      expect(await on({ in: [3, 'gold', false] })).toEqual([id(0), id(3)]);
      expect(await on({ gt: 2 })).toEqual([id(0), id(2)]);
      expect(await on({ gte: 3, lt: 10 })).toEqual([id(0)]);
      expect(await on({ lt: 'h' })).toEqual([id(1), id(3)]);
    }
    // Names the key pattern refuses are an error, never a silent match.
    for (const key of names.filter((name) => !valid.includes(name))) {
      let code: unknown = 'accepted';
      try {
        normalizeFilter({ customFields: JSON.parse(`{${JSON.stringify(key)}: 1}`) });
      } catch (error) {
        code = isCustomerError(error) ? error.code : error;
      }
      expect([key, code]).toEqual([key, 'invalid_argument']);
    }
  });

  it('orders each sort by its keys, names folded in code point order, ids breaking ties', {
    timeout,
  }, async () => {
    const org = freshOrg('sorts');
    const at = (first: string, last: string, createdAt: number, updatedAt: number) => ({
      ...make(org, person(createdAt, { firstName: first, lastName: last }), createdAt),
      updatedAt,
    });
    const rows = [
      at('Zoë', 'Ng', 1_000, 1_500),
      at('ana', 'Müller', 1_001, 1_100),
      at('Bo', 'muller', 1_002, 1_900),
      at('Ana', 'Ng', 1_003, 1_200),
      at('\uE000', 'Ng', 1_004, 1_300),
      at('𐐀', 'Ng', 1_005, 1_250),
    ];
    await getAdapter().insertMany(org, rows);
    const order = async (sort: (typeof CUSTOMER_SORTS)[number]) =>
      (await listAll(getAdapter(), org, 2, {}, sort)).map((c) => rows.findIndex((r) => r.id === c.id));
    expect(await order('oldest')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await order('newest')).toEqual([5, 4, 3, 2, 1, 0]);
    expect(await order('recentlyUpdated')).toEqual([2, 0, 4, 5, 3, 1]);
    // "muller" ties "Müller": the first name decides (ana < bo).
    expect(await order('lastName')).toEqual([1, 2, 3, 0, 4, 5]);
    // ana ties Ana; then last names (muller < ng); U+E000 sorts before the astral 𐐀.
    expect(await order('firstName')).toEqual([1, 3, 2, 0, 4, 5]);
  });

  it('refuses a forged cursor whose checksum holds but whose position is not a key of the sort', {
    timeout,
  }, async () => {
    const adapter = getAdapter();
    const org = freshOrg('forged');
    await adapter.insertMany(org, [make(org, person(1))]);
    const timed: unknown[] = [
      [1.5, 'x'],
      [-1, 'x'],
      [2 ** 53, 'x'],
      [1e300, 'x'],
      ['1000', 'x'],
      [1_000, 5],
      [1_000, ''],
      [1_000, 'a\u0000b'],
      [1_000, '\ud800'],
      [1_000, 'x', 'y'],
      [1_000],
      ['a', 'b', 'c'],
      { 0: 1_000, 1: 'x' },
      'x',
    ];
    const named: unknown[] = [
      ['a', 'b'],
      ['a', 'b', 'c\u0000'],
      [1, 'b', 'c'],
      ['\udc00', 'b', 'c'],
      ['a', null, 'c'],
      ['a', 'b', 'c', 'd'],
      ['a'.repeat(5_000), 'b', 'c'],
    ];
    const filter: NormalizedFilter = {};
    for (const sort of CUSTOMER_SORTS) {
      const positions = sort === 'lastName' || sort === 'firstName' ? named : timed;
      for (const position of positions) {
        const cursor = encodeCursor(org, { filter, sort }, position as CursorPosition);
        let code: unknown = 'accepted';
        try {
          await adapter.list(org, { numItems: 5, cursor, filter, sort });
        } catch (error) {
          code = isCustomerError(error) ? error.code : error;
        }
        expect([sort, position, code]).toEqual([sort, position, 'invalid_cursor']);
      }
    }
    await expectCode(
      adapter.list(org, { numItems: 5, cursor: 'x'.repeat(20_000), filter, sort: 'newest' }),
      'invalid_cursor',
    );
  });
}
