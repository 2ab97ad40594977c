import type { ConsentChannel, ConsentState } from '../model/consent';
import type { Customer } from '../model/customer-schema';
import { birthdayWindowKeys } from './birthday-window';
import { type CustomerKeys, customerKeys, phoneDigits } from './customer-keys';
import type { CustomerSort } from './customer-sort';
import type {
  CustomFieldOperand,
  NormalizedCustomFieldCondition,
  NormalizedFilter,
  NormalizedListCondition,
  NormalizedTimeRange,
  PresenceField,
} from './filter-types';
import { compareText } from './text-fold';

/**
 * A compiled filter: tells whether one customer matches. `keys` are the customer's derived keys
 * when the caller holds them, or a function giving them (called only if a condition needs them).
 */
export type CustomerPredicate = (customer: Customer, keys?: CustomerKeys | (() => CustomerKeys)) => boolean;

/**
 * The reference meaning of a filter: the memory adapter uses it, and every other adapter must
 * select exactly the same customers (the conformance suite checks this on random data).
 * @param customer - A stored customer.
 * @param filter - A canonical filter (see `normalizeFilter`).
 * @param keys - The customer's derived keys when the caller already holds them (an adapter that
 *   stores them); computed from the customer otherwise.
 * @returns `true` when the customer matches every condition.
 */
export function matchesFilter(
  customer: Customer,
  filter: NormalizedFilter,
  keys?: CustomerKeys | (() => CustomerKeys),
): boolean {
  return compileFilter(filter)(customer, keys);
}

/**
 * Compiles a canonical filter once into a predicate with {@link matchesFilter}'s meaning, for
 * adapters that test many customers against one filter.
 * @param filter - A canonical filter.
 * @returns The predicate.
 */
export function compileFilter(filter: NormalizedFilter): CustomerPredicate {
  const tests: ((customer: Customer, keys: () => CustomerKeys) => boolean)[] = [];
  const { createdAt, updatedAt } = filter;
  if (createdAt) tests.push((c) => inRange(c.createdAt, createdAt));
  if (updatedAt) tests.push((c) => inRange(c.updatedAt, updatedAt));
  for (const field of filter.has ?? []) tests.push((c) => isPresent(c, field));
  for (const field of filter.missing ?? []) tests.push((c) => !isPresent(c, field));
  const { preferences, tags } = filter;
  if (preferences) tests.push((_, keys) => matchesList(keys().preferenceKeys, preferences));
  if (tags) tests.push((_, keys) => matchesList(keys().tagKeys, tags));
  const month = filter.birthdayMonth;
  if (month !== undefined) {
    tests.push((_, keys) => Math.floor((keys().birthdayKey ?? 0) / 100) === month);
  }
  if (filter.birthdayWithinDays) {
    const window = new Set(birthdayWindowKeys(filter.birthdayWithinDays));
    tests.push((_, keys) => {
      const key = keys().birthdayKey;
      return key !== null && window.has(key);
    });
  }
  for (const [key, condition] of Object.entries(filter.customFields ?? {})) {
    tests.push((c) => matchesCustomField(c.customFields, key, condition));
  }
  for (const [channel, states] of Object.entries(filter.consent ?? {}) as [
    ConsentChannel,
    ConsentState[],
  ][]) {
    tests.push((c) => states.includes(c.consent[channel].state));
  }
  if (filter.text !== undefined) tests.push(textTest(filter.text));
  return (customer, given) => {
    let keys: CustomerKeys | undefined;
    const lazyKeys = () => {
      keys ??= typeof given === 'function' ? given() : (given ?? customerKeys(customer));
      return keys;
    };
    for (const test of tests) if (!test(customer, lazyKeys)) return false;
    return true;
  };
}

/**
 * The `text` condition: every search word begins one of the customer's words or, for a text of
 * digits only, the digits appear in the phone number.
 */
function textTest(text: string): (customer: Customer, keys: () => CustomerKeys) => boolean {
  const tokens = text.split(' ');
  const digits = tokens.every((t) => /^\d+$/.test(t)) ? tokens.join('') : undefined;
  return (customer, keys) => {
    if (digits !== undefined && phoneDigits(customer.phone).includes(digits)) return true;
    const words = keys().words;
    return tokens.every((token) => words.some((word) => word.startsWith(token)));
  };
}

function inRange(time: number, range: NormalizedTimeRange): boolean {
  return (range.gte === undefined || time >= range.gte) && (range.lt === undefined || time < range.lt);
}

function isPresent(customer: Customer, field: PresenceField): boolean {
  const value = customer[field];
  return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
}

function matchesList(keys: readonly string[], condition: NormalizedListCondition): boolean {
  if (condition.any && !condition.any.some((k) => keys.includes(k))) return false;
  if (condition.all && !condition.all.every((k) => keys.includes(k))) return false;
  if (condition.none?.some((k) => keys.includes(k))) return false;
  return true;
}

/**
 * One custom-field condition. Own properties only: a key such as `constructor` or `toString` is an
 * ordinary field name, never a value inherited from `Object.prototype`.
 */
function matchesCustomField(
  fields: Readonly<Record<string, unknown>>,
  key: string,
  condition: NormalizedCustomFieldCondition,
): boolean {
  const value = Object.hasOwn(fields, key) ? fields[key] : undefined;
  const present = value !== undefined && value !== null;
  if (condition.exists !== undefined && condition.exists !== present) return false;
  if (condition.eq !== undefined && !sameOperand(value, condition.eq)) return false;
  if (condition.in && !condition.in.some((operand) => sameOperand(value, operand))) return false;
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const bound = condition[op];
    if (bound === undefined) continue;
    const order = compareOperand(value, bound);
    if (order === undefined) return false;
    if (op === 'gt' ? order <= 0 : op === 'gte' ? order < 0 : op === 'lt' ? order >= 0 : order > 0)
      return false;
  }
  return true;
}

function sameOperand(value: unknown, operand: CustomFieldOperand): boolean {
  return typeof value === typeof operand && value === operand;
}

/** Orders a stored value against a bound of the same type; `undefined` when the types differ. */
function compareOperand(value: unknown, bound: number | string): number | undefined {
  if (typeof bound === 'number') return typeof value === 'number' ? value - bound : undefined;
  return typeof value === 'string' ? compareText(value, bound) : undefined;
}

/**
 * A stable string naming a (canonical filter, sort) pair; cursors carry its hash so a cursor cannot
 * be replayed against another query.
 * @param filter - A canonical filter.
 * @param sort - The listing order.
 * @returns A deterministic string.
 */
export function queryKey(filter: NormalizedFilter, sort: CustomerSort): string {
  return JSON.stringify([sort, filter]);
}

/**
 * Orders listings by `createdAt`, then `id` compared as JavaScript compares strings (what IndexedDB
 * keys do): the campaign stores' keyset order.
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
