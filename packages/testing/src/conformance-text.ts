import { type Customer, type CustomerData, isCustomerError, validateCustomerInput } from '@donutauto/core';
import { normalizeEmail, type StorageAdapter } from '@donutauto/core/adapter';
import fc from 'fast-check';
import { expect, it } from 'vitest';

/** What the text checks need from the suite that registers them. */
export interface TextConformanceContext {
  /** The adapter under test (created in the suite's `beforeAll`). */
  readonly adapter: () => StorageAdapter;
  /** A fresh organization id. */
  readonly freshOrg: (label: string) => string;
  /** A stored customer of `org` built from normalized data. */
  readonly make: (org: string, data: CustomerData, createdAt?: number) => Customer;
  /** fast-check runs of the email property. */
  readonly runs: number;
  /** Per-test timeout in ms. */
  readonly timeout: number;
}

/**
 * Text in every script and shape Unicode allows in a valid customer: astral characters, combining
 * marks left decomposed (names are stored as given), right-to-left text, emoji ZWJ sequences, flags,
 * skin tones, and the characters COPY, array literals and JSON escape.
 */
function unicodeCustomer(): CustomerData {
  return validateCustomerInput({
    firstName: 'Zoe\u0308 𝒜𝓃𝒶 👩‍👩‍👧‍👦',
    lastName: 'مرحبا שלום Ǹ̶̢',
    email: 'Zoë.Ünal@Bäckerei.de',
    phone: '+4915112345678',
    dob: '--02-29',
    preferences: ['matcha 🍵', 'cafe\u0301', '𠜎𠜱'],
    instagramHandle: '@zoe.bakes',
    gender: 'nicht-binär ⚧️',
    location: 'Zürich 🇨🇭 / תל אביב',
    notes: 'Line one\nline "two"\twith tab, back\\slash, \\N and 👋🏽\r\nעברית ثم العربية',
    tags: ['🍩', 'קפה', 'vip'],
    customFields: {
      constructor: '𝓧',
      toString: 'ש',
      valueOf: 3,
      favourite: '👨‍👩‍👧 🏳️‍🌈',
      quoted: '{"a":"\\u0000"}',
    },
  });
}

/** Letters whose case mapping or composition differs between naive rules (final sigma, dotted I, ß, NFD). */
const LOCAL_UNITS = [
  'a',
  'Z',
  'é',
  'É',
  'e\u0301',
  'E\u0301',
  'ß',
  'Σ',
  'σ',
  'ς',
  'İ',
  'ı',
  'Ж',
  'ж',
  'ǅ',
  'Ǆ',
  'ǆ',
  'Å',
  'Å',
  '0',
  '.',
];
const DOMAINS = ['example.com', 'bäckerei.de', 'BA\u0308CKEREI.de', 'παράδειγμα.ελ', 'ΠΑΡΆΔΕΙΓΜΑ.ΕΛ'];

/** A valid email (or `undefined`) built from letters that case-fold and compose in tricky ways. */
const emailArbitrary = fc
  .tuple(
    fc.array(fc.constantFrom(...LOCAL_UNITS), { minLength: 1, maxLength: 6 }),
    fc.constantFrom(...DOMAINS),
  )
  .map(([units, domain]) => `${units.join('')}@${domain}`);

/** The stored form of an email, or `undefined` when the model refuses it. */
function storedEmail(email: string): string | undefined {
  try {
    return validateCustomerInput({ firstName: 'A', lastName: 'B', email }).email;
  } catch (error) {
    if (isCustomerError(error, 'validation_failed')) return undefined;
    throw error;
  }
}

/**
 * Registers the Unicode checks of the storage contract: full-Unicode text comes back exactly as
 * stored, and emails that normalize equal (`normalizeEmail`: trim, NFC, lower case) are one address.
 * @param context - The adapter and helpers of the registering suite.
 */
export function registerTextConformance(context: TextConformanceContext): void {
  const { timeout } = context;

  it('stores and reads back full-Unicode text exactly, on every read and write path', {
    timeout,
  }, async () => {
    const adapter = context.adapter();
    const org = context.freshOrg('unicode');
    const row = context.make(org, unicodeCustomer());
    await adapter.insertMany(org, [row]);
    expect(await adapter.get(org, row.id)).toEqual(row);
    expect(await adapter.getByEmails(org, [normalizeEmail(row.email)])).toEqual([row]);
    expect((await adapter.list(org, { numItems: 5, cursor: null, filter: {}, sort: 'newest' })).page).toEqual(
      [row],
    );
    const patch = {
      firstName: 'Ａｎａ 🧁',
      notes: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ‮reversed‬ e\u0301',
      tags: ['ملصق', '🏷️'],
      customFields: { hasOwnProperty: '🔑', constructor: 'ẞ' },
    };
    const updated = await adapter.update(org, row.id, patch, { updatedAt: 2_000 });
    expect(updated).toEqual({ ...row, ...patch, updatedAt: 2_000, version: 2 });
    expect(await adapter.get(org, row.id)).toEqual(updated);
    const [many] = await adapter.updateMany(
      org,
      [{ id: row.id, patch: { lastName: '𓂀 hiéroglyphe', preferences: ['🍵', 'tè'] } }],
      { updatedAt: 3_000 },
    );
    expect(many).toEqual({
      ...updated,
      lastName: '𓂀 hiéroglyphe',
      preferences: ['🍵', 'tè'],
      updatedAt: 3_000,
      version: 3,
    });
    expect(await adapter.get(org, row.id)).toEqual(many);
  });

  it('treats emails that normalize equal as one address, and others as distinct', {
    timeout: timeout * 4,
  }, async () => {
    const adapter = context.adapter();
    await fc.assert(
      fc.asyncProperty(emailArbitrary, emailArbitrary, async (first, second) => {
        const a = storedEmail(first);
        const b = storedEmail(second);
        fc.pre(a !== undefined && b !== undefined);
        const org = context.freshOrg('email-key');
        const holder = context.make(org, unicodeCustomer());
        const stored = context.make(org, { ...unicodeCustomer(), email: a! });
        const other = context.make(org, { ...unicodeCustomer(), email: 'other@example.com' }, 1_001);
        await adapter.insertMany(org, [stored, other]);
        const key = normalizeEmail(b!);
        const found = await adapter.getByEmails(org, [key]);
        if (normalizeEmail(a!) === key) {
          expect(found.map((c) => c.id)).toEqual([stored.id]);
          const insert = await adapter.insertMany(org, [{ ...holder, email: b! }]).catch((e: unknown) => e);
          expect(isCustomerError(insert, 'duplicate_email')).toBe(true);
          expect((insert as { email: string }).email).toBe(key);
          const update = await adapter
            .update(org, other.id, { email: b! }, { updatedAt: 2_000 })
            .catch((e: unknown) => e);
          expect(isCustomerError(update, 'duplicate_email')).toBe(true);
          const many = await adapter
            .updateMany(org, [{ id: other.id, patch: { email: b! } }], { updatedAt: 2_000 })
            .catch((e: unknown) => e);
          expect(isCustomerError(many, 'duplicate_email')).toBe(true);
          expect(await adapter.count(org, {})).toBe(2);
        } else {
          expect(found).toEqual([]);
          await adapter.insertMany(org, [{ ...holder, email: b! }]);
          expect((await adapter.getByEmails(org, [key])).map((c) => c.id)).toEqual([holder.id]);
          expect(await adapter.count(org, {})).toBe(3);
        }
      }),
      { numRuns: context.runs },
    );
  });
}
