import type { Customer } from '../model/customer-schema';
import { compareText, foldText, searchWords } from './text-fold';

/**
 * The values derived from a customer that filters and sorts compare, computed by the SDK so every
 * store compares exactly the same thing. Adapters that index them store them next to the customer
 * (PostgreSQL columns, IndexedDB record fields) and recompute them whenever a source field changes.
 */
export interface CustomerKeys {
  /** `foldText(firstName)`: the first-name sort key. */
  readonly firstNameKey: string;
  /** `foldText(lastName)`: the last-name sort key. */
  readonly lastNameKey: string;
  /**
   * The words `text` search matches by prefix: the search words of the first and last name, the
   * email and the handles, then the phone's digits. Distinct, in that order.
   */
  readonly words: readonly string[];
  /** Folded preferences, distinct, in code point order. */
  readonly preferenceKeys: readonly string[];
  /** Folded tags, distinct, in code point order. */
  readonly tagKeys: readonly string[];
  /** The birthday as month × 100 + day (`--02-29` → 229), or `null` without a date of birth. */
  readonly birthdayKey: number | null;
}

/** The fields {@link CustomerKeys.words} is made of: a patch touching one changes the words. */
export const SEARCH_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'instagramHandle',
  'tiktokHandle',
  'twitterHandle',
] as const;

/**
 * Computes a customer's {@link CustomerKeys}.
 * @param customer - A stored (normalized) customer, or any object with its searchable fields.
 * @returns The derived keys.
 */
export function customerKeys(
  customer: Pick<Customer, (typeof SEARCH_FIELDS)[number] | 'preferences' | 'tags' | 'dob'>,
): CustomerKeys {
  return {
    firstNameKey: foldText(customer.firstName),
    lastNameKey: foldText(customer.lastName),
    words: customerWords(customer),
    preferenceKeys: listKeys(customer.preferences),
    tagKeys: listKeys(customer.tags),
    birthdayKey: birthdayKey(customer.dob),
  };
}

/**
 * The search words of a customer (see {@link CustomerKeys.words}).
 * @param customer - The searchable fields.
 * @returns Distinct folded words.
 */
export function customerWords(customer: Pick<Customer, (typeof SEARCH_FIELDS)[number]>): string[] {
  const words = new Set<string>();
  for (const text of [
    customer.firstName,
    customer.lastName,
    customer.email,
    customer.instagramHandle,
    customer.tiktokHandle,
    customer.twitterHandle,
  ]) {
    if (text) for (const word of searchWords(text)) words.add(word);
  }
  const digits = phoneDigits(customer.phone);
  if (digits !== '') words.add(digits);
  return [...words];
}

/**
 * The digits of a stored phone number (what a digits-only search looks in).
 * @param phone - A normalized phone or `null`.
 * @returns Its digits, `''` without a phone.
 */
export function phoneDigits(phone: string | null): string {
  return phone === null ? '' : phone.replace(/\D/g, '');
}

/**
 * Folds list entries (preferences, tags) for matching: trimmed, folded, distinct, code point order.
 * @param values - Entries as stored or as given in a filter.
 * @returns The keys.
 */
export function listKeys(values: readonly string[]): string[] {
  const keys = new Set<string>();
  for (const value of values) {
    const key = foldText(value.trim());
    if (key !== '') keys.add(key);
  }
  return [...keys].sort(compareText);
}

/**
 * The birthday key of a normalized date of birth: month × 100 + day.
 * @param dob - `YYYY-MM-DD`, `--MM-DD` or `null`.
 * @returns The key (101–1231), or `null`.
 */
export function birthdayKey(dob: string | null): number | null {
  if (dob === null || dob.length < 5) return null;
  const key = Number(dob.slice(-5, -3)) * 100 + Number(dob.slice(-2));
  return Number.isInteger(key) ? key : null;
}
