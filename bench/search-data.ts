/**
 * Deterministic customers for the search benchmarks, shared by the PostgreSQL run (Node) and the
 * IndexedDB run (bundled into the Chromium page), so it imports only types. Names come from
 * syllables (400 first names, 8,000 last names, some accented), so a surname is rare and a prefix
 * is not; about 4 in 10 like glazed, 1 in 20 is a VIP, 4 in 5 have a birthday spread over the year.
 */
import { type Customer, type CustomerFilter, type CustomerSort, UNKNOWN_CONSENT } from '@donutauto/core';

const SYLLABLES = [
  'an',
  'bo',
  'ca',
  'da',
  'el',
  'fa',
  'gi',
  'ha',
  'jo',
  'ka',
  'li',
  'ma',
  'ne',
  'ol',
  'pa',
  'ro',
  'se',
  'ta',
  'vi',
  'zo',
];
const PREFERENCES = ['glazed', 'chocolate', 'vegan', 'coffee', 'sprinkles', 'maple'];
const TIERS = ['gold', 'silver', 'bronze'];

/** A 32-bit mix of `i` and a salt: spreads fields independently of each other and of creation order. */
function hash(i: number, salt: number): number {
  let h = Math.imul(i ^ Math.imul(salt, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const pick = <T>(list: readonly T[], n: number) => list[n % list.length] as T;

/** The first name of a row (accented on some rows: `José`, `Séta`). */
export function firstNameOf(i: number): string {
  const h = hash(i, 1);
  const name = capital(pick(SYLLABLES, h) + pick(SYLLABLES, h >>> 8));
  return h % 7 === 0 ? name.replace('e', 'é') : name;
}

/** The last name of a row: three syllables, some with an umlaut (`Müller`-like spellings). */
export function lastNameOf(i: number): string {
  const h = hash(i, 2) % 8_000;
  const name = capital(
    pick(SYLLABLES, h) + pick(SYLLABLES, Math.floor(h / 20)) + pick(SYLLABLES, Math.floor(h / 400)),
  );
  return h % 11 === 0 ? name.replace('o', 'ö') : name;
}

/** Creation time of row `i`: one customer a minute from 2024-01-01. */
export const createdAtOf = (i: number) => Date.UTC(2024, 0, 1) + i * 60_000;

/**
 * Customer `i` of the benchmark organization.
 * @param i - The row number.
 * @param organizationId - The tenant.
 * @returns The customer, as the SDK would store it.
 */
export function searchCustomer(i: number, organizationId: string): Customer {
  const h = hash(i, 3);
  const createdAt = createdAtOf(i);
  const preferences: string[] = [];
  for (let k = 0; k < h % 4; k++) {
    const p = pick(PREFERENCES, hash(i, 10 + k));
    if (!preferences.includes(p)) preferences.push(p);
  }
  if (h % 5 < 2 && !preferences.includes('glazed')) preferences[0] = 'glazed';
  const tags: string[] = [];
  if (h % 20 === 0) tags.push('vip');
  if (h % 50 === 1) tags.push('wholesale');
  if (h % 3 === 2) tags.push('newsletter');
  const d = hash(i, 4);
  const month = 1 + (d % 12);
  const day = 1 + ((d >>> 4) % 28);
  const mmdd = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const dob = d % 5 === 0 ? null : d % 5 === 1 ? `--${mmdd}` : `${1950 + (d % 55)}-${mmdd}`;
  return {
    id: `${createdAt.toString(36)}-${String(i).padStart(7, '0')}`,
    organizationId,
    firstName: firstNameOf(i),
    consent: { email: UNKNOWN_CONSENT, sms: UNKNOWN_CONSENT, socialDm: UNKNOWN_CONSENT },
    lastName: lastNameOf(i),
    email: `customer${i}@example.com`,
    phone: h % 10 < 7 ? `+1555${String(i).padStart(7, '0')}` : null,
    dob,
    preferences,
    instagramHandle: h % 4 === 0 ? `@fan${i}` : null,
    tiktokHandle: null,
    twitterHandle: null,
    gender: null,
    location: h % 2 === 0 ? 'Downtown' : 'Harbour',
    notes: null,
    tags,
    customFields: { tier: pick(TIERS, i), visits: i % 60 },
    createdAt,
    updatedAt: createdAt + (hash(i, 5) % 30) * 86_400_000,
    version: 1,
  };
}

/** One benchmark case: a filter kind and a sort. */
export interface SearchCase {
  /** What the row prints. */
  readonly label: string;
  /** The filter, as a caller writes it. */
  readonly filter: CustomerFilter;
  /** The sort. */
  readonly sort: CustomerSort;
}

/** The day the birthday windows start (fixed, so runs compare). */
export const BENCH_TODAY = '2026-03-10';

/**
 * Every filter kind and sort the benchmarks time, for an organization of `rows` customers.
 * @param rows - How many customers the organization holds.
 * @returns The cases.
 */
export function searchCases(rows: number): SearchCase[] {
  const someone = Math.floor(rows * 0.37);
  return [
    { label: 'no filter, newest', filter: {}, sort: 'newest' },
    { label: 'no filter, oldest', filter: {}, sort: 'oldest' },
    { label: 'no filter, last name A-Z', filter: {}, sort: 'lastName' },
    { label: 'no filter, first name A-Z', filter: {}, sort: 'firstName' },
    { label: 'no filter, recently updated', filter: {}, sort: 'recentlyUpdated' },
    { label: 'text: a surname (rare)', filter: { text: lastNameOf(someone) }, sort: 'newest' },
    {
      label: 'text: first + last name',
      filter: { text: `${firstNameOf(someone)} ${lastNameOf(someone)}` },
      sort: 'lastName',
    },
    { label: 'text: accent-folded "jose"', filter: { text: 'jose' }, sort: 'newest' },
    { label: 'text: word prefix "maro"', filter: { text: 'maro' }, sort: 'firstName' },
    {
      label: 'text: phone digits',
      filter: { text: `555 ${String(someone).padStart(7, '0').slice(0, 5)}` },
      sort: 'newest',
    },
    { label: 'preferences any glazed', filter: { preferences: { any: ['glazed'] } }, sort: 'newest' },
    {
      label: 'preferences all glazed+vegan',
      filter: { preferences: { all: ['glazed', 'vegan'] } },
      sort: 'lastName',
    },
    { label: 'preferences none glazed', filter: { preferences: { none: ['glazed'] } }, sort: 'newest' },
    { label: 'tags all vip', filter: { tags: { all: ['vip'] } }, sort: 'newest' },
    {
      label: 'tags any vip/wholesale',
      filter: { tags: { any: ['vip', 'wholesale'] } },
      sort: 'recentlyUpdated',
    },
    {
      label: 'birthday within 14 days',
      filter: { birthdayWithinDays: { days: 14, from: BENCH_TODAY } },
      sort: 'newest',
    },
    { label: 'birthday month 3', filter: { birthdayMonth: 3 }, sort: 'lastName' },
    {
      label: 'createdAt last 30 days',
      filter: { createdAt: { gte: createdAtOf(rows) - 30 * 86_400_000 } },
      sort: 'newest',
    },
    {
      label: 'updatedAt first quarter',
      filter: { updatedAt: { lt: createdAtOf(Math.floor(rows / 4)) } },
      sort: 'recentlyUpdated',
    },
    {
      label: 'has instagram, missing dob',
      filter: { has: ['instagramHandle'], missing: ['dob'] },
      sort: 'newest',
    },
    { label: 'custom field visits >= 55', filter: { customFields: { visits: { gte: 55 } } }, sort: 'newest' },
    { label: 'custom field tier = gold', filter: { customFields: { tier: 'gold' } }, sort: 'firstName' },
  ];
}

/** The segment the issue names: likes glazed AND birthday within 14 days. */
export const GLAZED_BIRTHDAYS: CustomerFilter = {
  preferences: { any: ['glazed'] },
  birthdayWithinDays: { days: 14, from: BENCH_TODAY },
};

/** The median time of `runs` calls of `fn`, in ms. */
export async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  return (await alternating(runs, [fn]))[0]!;
}

/**
 * Runs the functions in turn, `runs` rounds, and returns each one's median time in ms: alternating
 * puts the first and the deep page under the same load of a shared host, which a millisecond query
 * feels.
 */
export async function alternating(runs: number, fns: readonly (() => Promise<unknown>)[]): Promise<number[]> {
  const times = fns.map(() => [] as number[]);
  for (let round = 0; round < runs; round++) {
    for (const [i, fn] of fns.entries()) {
      const start = performance.now();
      await fn();
      times[i]!.push(performance.now() - start);
    }
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(runs / 2)]!);
}
