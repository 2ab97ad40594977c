import type { CustomerFilter } from '@donutauto/core';
import type { ListIndexName } from './customer-schema-idb';

/** The index walk that answers a listing: which index, and the key range inside it. */
export interface ListRange {
  /** The index to walk. */
  readonly index: ListIndexName;
  /** Lower key bound. */
  readonly lower: IDBValidKey[];
  /** Whether the lower bound is excluded (after a cursor position, oldest-first). */
  readonly lowerOpen: boolean;
  /** Upper key bound, always excluded. */
  readonly upper: IDBValidKey[];
}

/**
 * Chooses the index that narrows a filter most directly (a tag, else the birthday month, else none:
 * `byCreated`) and the key range of one organization in it.
 * Every listing index ends in `createdAt, id`, so the range stays in keyset order and the created
 * range and the cursor position become bounds. Remaining conditions are checked per row with the
 * core's `matchesFilter`, which keeps their meaning identical to the memory adapter's.
 * The upper bound is always exclusive; `[]` sorts above every number and string.
 * @param organizationId - The tenant.
 * @param filter - A canonical filter.
 * @param after - The cursor position `[createdAt, id]`, when continuing.
 * @param newest - `true` when walking newest-first.
 * @param cmp - The factory's key comparison.
 * @returns The range, or `undefined` when it is empty.
 */
export function listRange(
  organizationId: string,
  filter: CustomerFilter,
  after: readonly [number, string] | undefined,
  newest: boolean,
  cmp: (a: IDBValidKey, b: IDBValidKey) => number,
): ListRange | undefined {
  let index: ListIndexName = 'byCreated';
  let prefix: IDBValidKey[] = [organizationId];
  const firstTag = filter.tags?.[0];
  // Preferences have no index entries (schema 3): a preference-only filter walks `byCreated`.
  if (firstTag !== undefined) {
    index = 'byFilter';
    prefix = [organizationId, 't', firstTag];
  } else if (filter.birthdayMonth !== undefined) {
    index = 'byFilter';
    prefix = [organizationId, 'm', filter.birthdayMonth];
  }
  let lower = filter.createdFrom === undefined ? prefix : [...prefix, filter.createdFrom];
  let lowerOpen = false;
  let upper = filter.createdTo === undefined ? [...prefix, []] : [...prefix, filter.createdTo];
  if (after) {
    const position = [...prefix, after[0], after[1]];
    if (newest && cmp(position, upper) < 0) upper = position;
    if (!newest && cmp(position, lower) >= 0) {
      lower = position;
      lowerOpen = true;
    }
  }
  if (cmp(lower, upper) >= 0) return undefined;
  return { index, lower, lowerOpen, upper };
}
