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
  const words = new WordList();
  words.addAll(customer.firstName);
  words.addAll(customer.lastName);
  words.addAll(customer.email);
  words.addAll(customer.instagramHandle);
  words.addAll(customer.tiktokHandle);
  words.addAll(customer.twitterHandle);
  const digits = phoneDigits(customer.phone);
  if (digits !== '') words.add(digits);
  return words.list;
}

/**
 * Distinct words in first-seen order. A customer has a dozen words or so, which an array search
 * dedupes with no allocation; a `Set` takes over for the rare long list.
 */
class WordList {
  readonly list: string[] = [];
  private set: Set<string> | undefined;

  addAll(text: string | null): void {
    if (text) for (const word of searchWords(text)) this.add(word);
  }

  add(word: string): void {
    if (this.set === undefined) {
      if (this.list.includes(word)) return;
      this.list.push(word);
      if (this.list.length === 32) this.set = new Set(this.list);
    } else if (!this.set.has(word)) {
      this.set.add(word);
      this.list.push(word);
    }
  }
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
  // A customer's lists are short (at most 3 preferences): an array search dedupes them without a `Set`.
  if (values.length > 16)
    return [...new Set(values.map((v) => foldText(v.trim())))].filter((k) => k !== '').sort(compareText);
  const keys: string[] = [];
  for (const value of values) {
    const key = foldText(value.trim());
    if (key !== '' && !keys.includes(key)) keys.push(key);
  }
  return keys.length > 1 ? keys.sort(compareText) : keys;
}

/**
 * The birthday key of a normalized date of birth: month × 100 + day.
 * @param dob - `YYYY-MM-DD`, `--MM-DD` or `null`.
 * @returns The key (101–1231), or `null`.
 */
export function birthdayKey(dob: string | null): number | null {
  if (dob === null || dob.length < 5) return null;
  const end = dob.length;
  // The usual `…MM-DD`: read from the character codes, as `Number` reads the two pairs of digits.
  if (isDigit(dob, end - 5) && isDigit(dob, end - 4) && isDigit(dob, end - 2) && isDigit(dob, end - 1)) {
    const digit = (at: number) => dob.charCodeAt(at) - 48;
    return (digit(end - 5) * 10 + digit(end - 4)) * 100 + digit(end - 2) * 10 + digit(end - 1);
  }
  const key = Number(dob.slice(-5, -3)) * 100 + Number(dob.slice(-2));
  return Number.isInteger(key) ? key : null;
}

function isDigit(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  return code >= 48 && code <= 57;
}
