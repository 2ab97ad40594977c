import { InvalidArgumentError } from '../errors/customer-error';
import type { Customer, CustomFieldValue } from '../model/customer-schema';
import { birthdayMonth } from '../model/normalize';
import type { CustomerFilter, CustomerSort } from './storage-adapter';

const FILTER_KEYS: ReadonlySet<string> = new Set([
  'search',
  'preferences',
  'tags',
  'birthdayMonth',
  'createdFrom',
  'createdTo',
  'customFields',
]);

/**
 * Checks a filter at the API boundary and returns its canonical form: blank conditions dropped,
 * search trimmed, lists de-duplicated and sorted, keys in a fixed order. Adapters receive only
 * canonical filters, so equal filters serialize equally (cursors are bound to them).
 * @param filter - The caller's filter, or `undefined`.
 * @returns The canonical filter.
 * @throws `invalid_argument` naming the offending condition.
 */
export function normalizeFilter(filter: CustomerFilter | undefined): CustomerFilter {
  if (filter === undefined || filter === null) return {};
  if (typeof filter !== 'object' || Array.isArray(filter)) {
    throw new InvalidArgumentError('filter', 'expected an object');
  }
  for (const key of Object.keys(filter)) {
    if (!FILTER_KEYS.has(key)) throw new InvalidArgumentError(`filter.${key}`, 'unknown filter condition');
  }
  const out: {
    search?: string;
    preferences?: string[];
    tags?: string[];
    birthdayMonth?: number;
    createdFrom?: number;
    createdTo?: number;
    customFields?: Record<string, CustomFieldValue>;
  } = {};
  if (filter.search !== undefined) {
    if (typeof filter.search !== 'string') throw new InvalidArgumentError('filter.search', 'expected text');
    const search = filter.search.trim();
    if (search !== '') out.search = search;
  }
  for (const key of ['preferences', 'tags'] as const) {
    const value = filter[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw new InvalidArgumentError(`filter.${key}`, 'expected a list of text');
    }
    const list = [...new Set(value.map((v) => v.trim()).filter((v) => v !== ''))].sort();
    if (list.length > 0) out[key] = list;
  }
  if (filter.birthdayMonth !== undefined) {
    const m = filter.birthdayMonth;
    if (!Number.isInteger(m) || m < 1 || m > 12) {
      throw new InvalidArgumentError('filter.birthdayMonth', 'expected a month number from 1 to 12');
    }
    out.birthdayMonth = m;
  }
  for (const key of ['createdFrom', 'createdTo'] as const) {
    const value = filter[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new InvalidArgumentError(`filter.${key}`, 'expected epoch milliseconds');
    }
    out[key] = value;
  }
  if (filter.customFields !== undefined) {
    const fields = filter.customFields;
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      throw new InvalidArgumentError('filter.customFields', 'expected an object of name → value');
    }
    const keys = Object.keys(fields).sort();
    if (keys.length > 0) {
      const custom: Record<string, CustomFieldValue> = {};
      for (const key of keys) {
        const value = fields[key];
        const ok =
          value === null ||
          typeof value === 'string' ||
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value));
        if (!ok)
          throw new InvalidArgumentError(
            `filter.customFields.${key}`,
            'expected text, a number, a boolean or null',
          );
        custom[key] = value as CustomFieldValue;
      }
      out.customFields = custom;
    }
  }
  return out;
}

/**
 * The reference meaning of a filter: the memory adapter uses it, and every other adapter must
 * select exactly the same customers (the conformance suite checks this on random data).
 * @param customer - A stored customer.
 * @param filter - A canonical filter (see {@link normalizeFilter}).
 * @returns `true` when the customer matches every condition.
 */
export function matchesFilter(customer: Customer, filter: CustomerFilter): boolean {
  if (filter.createdFrom !== undefined && customer.createdAt < filter.createdFrom) return false;
  if (filter.createdTo !== undefined && customer.createdAt >= filter.createdTo) return false;
  if (filter.birthdayMonth !== undefined) {
    if (customer.dob === null || birthdayMonth(customer.dob) !== filter.birthdayMonth) return false;
  }
  if (filter.preferences && !filter.preferences.every((p) => customer.preferences.includes(p))) return false;
  if (filter.tags && !filter.tags.every((t) => customer.tags.includes(t))) return false;
  if (filter.customFields) {
    for (const [key, expected] of Object.entries(filter.customFields)) {
      const actual = customer.customFields[key] ?? null;
      if (actual !== expected) return false;
    }
  }
  if (filter.search !== undefined) {
    const needle = filter.search.toLowerCase();
    if (!searchableTexts(customer).some((text) => text.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/**
 * The texts a `search` filter looks in, in a fixed order.
 * @param customer - A stored customer.
 * @returns First name, last name, "first last", email, then the non-empty phone and handles.
 */
export function searchableTexts(customer: Customer): string[] {
  const texts = [
    customer.firstName,
    customer.lastName,
    `${customer.firstName} ${customer.lastName}`,
    customer.email,
  ];
  for (const value of [
    customer.phone,
    customer.instagramHandle,
    customer.tiktokHandle,
    customer.twitterHandle,
  ]) {
    if (value !== null) texts.push(value);
  }
  return texts;
}

/**
 * Orders customers for listing: by `createdAt`, then `id` (plain code-unit comparison), ascending.
 * `newest` listings walk this order backwards.
 * @returns Negative, zero or positive, like any comparator.
 */
export function compareCustomerKeys(
  aCreatedAt: number,
  aId: string,
  bCreatedAt: number,
  bId: string,
): number {
  if (aCreatedAt !== bCreatedAt) return aCreatedAt < bCreatedAt ? -1 : 1;
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

/**
 * A stable string naming a (canonical filter, sort) pair; cursors carry its hash so a cursor cannot
 * be replayed against another query.
 * @param filter - A canonical filter.
 * @param sort - The listing order.
 * @returns A deterministic string.
 */
export function queryKey(filter: CustomerFilter, sort: CustomerSort): string {
  return JSON.stringify([sort, filter]);
}
