import type { CustomerData, CustomerInput } from '@donutauto/core';
import type { CustomerFilter } from '@donutauto/core/adapter';
import fc from 'fast-check';

const FIRST_NAMES = ['Ana', 'Bo', 'Chloé', 'Dev', 'Eun-ji', 'Farah', 'Gus', "O'Neil", 'Zoë', 'Li'];
const LAST_NAMES = [
  'Li',
  'Nguyen',
  'Smith',
  'García',
  'Okafor',
  'Müller',
  'Kowalski',
  'Ng',
  'Rossi',
  'Baker',
];
/** Preferences the arbitraries draw from, small so filters hit. */
export const PREFERENCE_POOL = [
  'glazed',
  'chocolate',
  'vegan',
  'coffee',
  'sprinkles',
  'gluten-free',
] as const;
/** Tags the arbitraries draw from. */
export const TAG_POOL = ['vip', 'wholesale', 'newsletter', 'staff'] as const;

const month = fc.integer({ min: 1, max: 12 });
const pad = (n: number) => String(n).padStart(2, '0');

/** A valid normalized date of birth: full ISO (1930–2010) or year-less `--MM-DD`. */
export const dobArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc
    .record({ y: fc.integer({ min: 1930, max: 2010 }), m: month, d: fc.integer({ min: 1, max: 28 }) })
    .map(({ y, m, d }) => `${y}-${pad(m)}-${pad(d)}`),
  fc.record({ m: month, d: fc.integer({ min: 1, max: 28 }) }).map(({ m, d }) => `--${pad(m)}-${pad(d)}`),
);

const handle = fc
  .tuple(fc.constantFrom('ana', 'bo_li', 'donut.fan', 'x'), fc.integer({ min: 0, max: 999 }))
  .map(([name, n]) => `@${name}${n}`);

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 2 });

/**
 * Valid, already-normalized customer data with small vocabularies so filters and duplicates occur.
 * `index` makes the email unique (pass a distinct one per customer of a set).
 * @param index - Makes the email unique.
 * @returns An arbitrary of {@link CustomerData}.
 */
export function customerDataArbitrary(index: number): fc.Arbitrary<CustomerData> {
  return fc.record({
    firstName: fc.constantFrom(...FIRST_NAMES),
    lastName: fc.constantFrom(...LAST_NAMES),
    email: fc.constantFrom('example.com', 'Donuts.test', 'mail.example').map((d) => `user${index}@${d}`),
    phone: optional(
      fc
        .tuple(fc.boolean(), fc.integer({ min: 1_000_000, max: 999_999_999 }))
        .map(([plus, n]) => `${plus ? '+' : ''}${n}`),
    ),
    dob: optional(dobArbitrary),
    preferences: fc.uniqueArray(fc.constantFrom(...PREFERENCE_POOL), { maxLength: 3 }),
    instagramHandle: optional(handle),
    tiktokHandle: optional(handle),
    twitterHandle: optional(handle),
    gender: optional(fc.constantFrom('female', 'male', 'non-binary')),
    location: optional(fc.constantFrom('Downtown', 'Harbour', 'North Side')),
    notes: optional(fc.constantFrom('Allergic to nuts', 'Prefers oat milk', 'Birthday club')),
    tags: fc.uniqueArray(fc.constantFrom(...TAG_POOL), { maxLength: 3 }),
    customFields: fc
      .record(
        {
          tier: fc.constantFrom('gold', 'silver'),
          visits: fc.integer({ min: 0, max: 5 }),
          vegan: fc.boolean(),
        },
        { requiredKeys: [] },
      )
      .map((r) => {
        const out: Record<string, string | number | boolean> = {};
        for (const key of Object.keys(r).sort())
          out[key] = (r as Record<string, string | number | boolean>)[key]!;
        return out;
      }),
  });
}

/** A set of `n` valid customers with distinct emails. */
export function customerSetArbitrary(min: number, max: number): fc.Arbitrary<CustomerData[]> {
  return fc
    .array(customerDataArbitrary(0), { minLength: min, maxLength: max })
    .map((list) => list.map((c, i) => ({ ...c, email: c.email.replace(/^user0@/, `user${i}@`) })));
}

/**
 * Raw, messy but valid input: extra spaces, mixed-case emails, formatted phones, handles without
 * `@`, duplicate preferences. Normalizing it must succeed.
 */
export const messyCustomerInputArbitrary: fc.Arbitrary<CustomerInput> = fc
  .record({
    first: fc.constantFrom(...FIRST_NAMES),
    last: fc.constantFrom(...LAST_NAMES),
    user: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
    pad: fc.constantFrom('', ' ', '  ', '\t'),
    phone: fc.option(
      fc.stringMatching(/^\d{3}$/).map((d) => `(555) ${d}-0199`),
      { nil: undefined },
    ),
    prefs: fc.array(fc.constantFrom('Glazed', 'glazed ', ' Coffee', '', 'vegan'), { maxLength: 5 }),
    handle: fc.option(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { nil: undefined }),
    dob: fc.option(dobArbitrary, { nil: undefined }),
  })
  .filter(({ prefs }) => new Set(prefs.map((p) => p.trim().toLowerCase()).filter(Boolean)).size <= 3)
  .map(({ first, last, user, pad, phone, prefs, handle, dob }) => ({
    firstName: `${pad}${first}${pad}`,
    lastName: `${last}${pad}`,
    email: `${pad}${user.toUpperCase()}@Example.COM${pad}`,
    ...(phone === undefined ? {} : { phone }),
    preferences: prefs,
    ...(handle === undefined ? {} : { instagramHandle: handle }),
    ...(dob === undefined ? {} : { dob }),
  }));

/** Random canonical filters over the arbitraries' vocabularies (see `normalizeFilter`). */
export const filterArbitrary: fc.Arbitrary<CustomerFilter> = fc
  .record(
    {
      search: fc.constantFrom('an', 'LI', 'user1', 'example', '@', '555', 'zoë', 'ana li', 'Müller'),
      preferences: fc.uniqueArray(fc.constantFrom(...PREFERENCE_POOL), { minLength: 1, maxLength: 2 }),
      tags: fc.uniqueArray(fc.constantFrom(...TAG_POOL), { minLength: 1, maxLength: 2 }),
      birthdayMonth: month,
      createdFrom: fc.integer({ min: 1_000, max: 1_040 }),
      createdTo: fc.integer({ min: 1_010, max: 1_060 }),
      customFields: fc.record(
        {
          tier: fc.constantFrom('gold', 'silver'),
          visits: fc.integer({ min: 0, max: 5 }),
          vegan: fc.constantFrom(true, false, null),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  )
  .map((f) => f as CustomerFilter);
