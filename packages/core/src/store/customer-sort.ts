import { InvalidCursorError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
import { type CustomerKeys, customerKeys } from './customer-keys';
import { compareText, isStorableText } from './text-fold';

/**
 * Listing orders. Each is total (the id breaks ties) and pages by keyset:
 * - `newest` / `oldest`: by `createdAt`, then `id` (descending / ascending);
 * - `recentlyUpdated`: by `updatedAt`, then `id`, descending;
 * - `lastName`: last name A–Z, then first name, then `id`;
 * - `firstName`: first name A–Z, then last name, then `id`.
 *
 * Names compare folded (`foldText`: case- and accent-insensitive) in Unicode code point order, the
 * same on every adapter (PostgreSQL sorts the SDK-written keys with `COLLATE "C"`).
 */
export const CUSTOMER_SORTS = ['newest', 'oldest', 'lastName', 'firstName', 'recentlyUpdated'] as const;

/** A listing order, see {@link CUSTOMER_SORTS}. */
export type CustomerSort = (typeof CUSTOMER_SORTS)[number];

/**
 * Where a listing stands: the sort key of the last row returned. `[time, id]` for `newest`,
 * `oldest` (`createdAt`) and `recentlyUpdated` (`updatedAt`); `[nameKey, otherNameKey, id]` for
 * `lastName` (last, first) and `firstName` (first, last).
 */
export type SortPosition =
  | readonly [time: number, id: string]
  | readonly [name: string, other: string, id: string];

/**
 * Tells whether a sort walks its keys from high to low.
 * @param sort - A listing order.
 * @returns `true` for `newest` and `recentlyUpdated`.
 */
export function isDescending(sort: CustomerSort): boolean {
  return sort === 'newest' || sort === 'recentlyUpdated';
}

/**
 * The sort key of a customer in a listing order.
 * @param sort - The listing order.
 * @param customer - The customer.
 * @param keys - Its derived keys, when the caller holds them.
 * @returns The position a cursor after this customer holds.
 */
export function sortPosition(sort: CustomerSort, customer: Customer, keys?: CustomerKeys): SortPosition {
  switch (sort) {
    case 'newest':
    case 'oldest':
      return [customer.createdAt, customer.id];
    case 'recentlyUpdated':
      return [customer.updatedAt, customer.id];
    case 'lastName': {
      const k = keys ?? customerKeys(customer);
      return [k.lastNameKey, k.firstNameKey, customer.id];
    }
    case 'firstName': {
      const k = keys ?? customerKeys(customer);
      return [k.firstNameKey, k.lastNameKey, customer.id];
    }
  }
}

/**
 * Compares two positions of one sort by their keys, ascending (numbers numerically, text in code
 * point order). A listing walks this order forwards, or backwards when {@link isDescending}.
 * @returns Negative, zero or positive, like any comparator.
 */
export function comparePositions(a: SortPosition, b: SortPosition): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x === y) continue;
    return typeof x === 'number' ? x - (y as number) : compareText(x, y as string);
  }
  return 0;
}

/** Longest text a position may hold (a folded name can be longer than the name itself). */
const MAX_POSITION_TEXT = 4096;

/**
 * Checks a decoded cursor position strictly against the sort's key types: times are whole epoch
 * milliseconds from 0 to `Number.MAX_SAFE_INTEGER`; texts are non-empty ids or name keys of
 * well-formed Unicode without NUL. Whatever a cursor holds, an adapter never sees anything else.
 * @param sort - The listing order the cursor was issued for.
 * @param position - The decoded position.
 * @returns The position, typed.
 * @throws `invalid_cursor` for a position that is not such a key.
 */
export function checkSortPosition(sort: CustomerSort, position: unknown): SortPosition {
  const timed = sort === 'newest' || sort === 'oldest' || sort === 'recentlyUpdated';
  if (!Array.isArray(position) || position.length !== (timed ? 2 : 3)) {
    throw new InvalidCursorError('its position does not fit the sort');
  }
  const id = position[position.length - 1];
  if (typeof id !== 'string' || id === '' || !positionText(id)) throw new InvalidCursorError('malformed id');
  if (timed) {
    const time = position[0];
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) {
      throw new InvalidCursorError('malformed time');
    }
    return [time, id];
  }
  const [name, other] = position;
  if (!positionText(name) || !positionText(other)) throw new InvalidCursorError('malformed name key');
  return [name, other, id];
}

function positionText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_POSITION_TEXT && isStorableText(value);
}
