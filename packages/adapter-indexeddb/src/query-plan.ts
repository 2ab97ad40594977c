import {
  birthdayWindowKeys,
  type CustomerSort,
  isDescending,
  type NormalizedFilter,
  type SortPosition,
} from '@donutauto/core/adapter';
import { type ListIndexName, MIN_INDEXED_DIGITS } from './customer-schema-idb';
import { codePointKey } from './idb-keys';

/** A walk's key range, and whether a filter condition narrows it (a tag's entries, a time range). */
export interface WalkRange extends IndexRange {
  /** The range holds only rows that meet one of the filter's conditions. */
  readonly narrowed: boolean;
}

/** A key range of one index. The upper bound is always excluded; `[]` sorts above every key. */
export interface IndexRange {
  /** The index. */
  readonly index: ListIndexName;
  /** Lower key bound. */
  readonly lower: IDBValidKey[];
  /** Whether the lower bound is excluded (after a cursor position, walking upwards). */
  readonly lowerOpen: boolean;
  /** Upper key bound, excluded. */
  readonly upper: IDBValidKey[];
}

/**
 * Where a listing walks: the sort's index (for `newest`/`oldest` with a tag, that tag's `byFilter`
 * entries, which are in the same keyset order), from the cursor's position, in the sort's direction.
 * Every row is then tested with core's predicate, so the meaning is the reference's whatever index
 * is walked; the index only decides how many rows are read.
 * @param organizationId - The tenant.
 * @param filter - A canonical filter.
 * @param sort - The listing order.
 * @param after - The cursor position, when continuing.
 * @param cmp - The factory's key comparison.
 * @returns The range, or `undefined` when it is empty.
 */
export function walkRange(
  organizationId: string,
  filter: NormalizedFilter,
  sort: CustomerSort,
  after: SortPosition | undefined,
  cmp: (a: IDBValidKey, b: IDBValidKey) => number,
): WalkRange | undefined {
  let index: ListIndexName;
  let prefix: IDBValidKey[] = [organizationId];
  let bounds = filter.createdAt;
  if (sort === 'newest' || sort === 'oldest') {
    index = 'byCreated';
    const tag = filter.tags?.all?.[0];
    if (tag !== undefined) {
      index = 'byFilter';
      prefix = [organizationId, 't', tag];
    }
  } else if (sort === 'recentlyUpdated') {
    index = 'byUpdated';
    bounds = filter.updatedAt;
  } else {
    index = sort === 'lastName' ? 'byLastName' : 'byFirstName';
    bounds = undefined;
  }
  let lower = bounds?.gte === undefined ? prefix : [...prefix, bounds.gte];
  let lowerOpen = false;
  let upper = bounds?.lt === undefined ? [...prefix, []] : [...prefix, bounds.lt];
  if (after) {
    const position = [...prefix, ...indexKey(after)];
    if (isDescending(sort)) {
      if (cmp(position, upper) < 0) upper = position;
    } else if (cmp(position, lower) >= 0) {
      lower = position;
      lowerOpen = true;
    }
  }
  if (cmp(lower, upper) >= 0) return undefined;
  const narrowed = index === 'byFilter' || bounds?.gte !== undefined || bounds?.lt !== undefined;
  return { index, lower, lowerOpen, upper, narrowed };
}

/** A cursor position as the index stores it (name keys encoded for code point order). */
function indexKey(position: SortPosition): IDBValidKey[] {
  return position.map((key, i) =>
    typeof key === 'string' && i < position.length - 1 ? codePointKey(key) : key,
  );
}

/**
 * Index ranges whose rows include every customer a filter condition selects. A listing reads the
 * smallest such source whole and sorts it (cost set by the matches, not by the depth); a count
 * reads its rows instead of the organization's.
 */
export interface CandidateSource {
  /** The ranges; a customer may appear in several (a word prefix, several tags). */
  readonly ranges: readonly IndexRange[];
  /** The source is the search text's (tried before any other plan: search is usually narrowest). */
  readonly text?: boolean;
  /** The ranges hold exactly the filter's matches, each once: their entry count is the count. */
  readonly exact: boolean;
}

/**
 * The candidate sources of a filter, most selective kinds first: the search text (a word prefix,
 * or for digits also the phone-digit suffixes), each tag of `all`, the tags of `any`, the birthday
 * window or month, then the time ranges. Conditions without index entries (preferences, presence,
 * custom fields, a digits-only text of fewer than 4 digits) have none.
 * @param organizationId - The tenant.
 * @param filter - A canonical filter.
 * @returns The sources.
 */
export function candidateSources(organizationId: string, filter: NormalizedFilter): CandidateSource[] {
  const only = (key: keyof NormalizedFilter) => Object.keys(filter).length === 1 && filter[key] !== undefined;
  const entries = (kind: string, low: IDBValidKey, high: IDBValidKey = low): IndexRange => ({
    index: 'byFilter',
    lower: [organizationId, kind, low],
    lowerOpen: false,
    upper: [organizationId, kind, high, []],
  });
  const sources: CandidateSource[] = [];
  if (filter.text !== undefined) {
    const tokens = filter.text.split(' ');
    const longest = tokens.reduce((a, b) => (b.length > a.length ? b : a));
    // Words and digits never hold U+FFFF: every key with this prefix sorts below prefix + U+FFFF.
    const prefix = (kind: string, value: string): IndexRange => ({
      ...entries(kind, value),
      upper: [organizationId, kind, `${value}\uffff`],
    });
    const digits = tokens.every((t) => /^\d+$/.test(t)) ? tokens.join('') : undefined;
    // A digits-only text also matches the phone's digits anywhere: the suffix entries hold those
    // of at least MIN_INDEXED_DIGITS digits; a shorter run has no source.
    if (digits === undefined) sources.push({ ranges: [prefix('w', longest)], exact: false, text: true });
    else if (digits.length >= MIN_INDEXED_DIGITS) {
      sources.push({ ranges: [prefix('w', longest), prefix('d', digits)], exact: false, text: true });
    }
  }
  const tags = filter.tags;
  for (const tag of tags?.all ?? []) {
    sources.push({
      ranges: [entries('t', tag)],
      exact: only('tags') && !tags?.any && !tags?.none && tags?.all?.length === 1,
    });
  }
  if (tags?.any) sources.push({ ranges: tags.any.map((tag) => entries('t', tag)), exact: false });
  if (filter.birthdayWithinDays) {
    sources.push({
      ranges: runs(birthdayWindowKeys(filter.birthdayWithinDays)).map(([low, high]) =>
        entries('b', low, high),
      ),
      exact: only('birthdayWithinDays'),
    });
  }
  if (filter.birthdayMonth !== undefined) {
    const month = filter.birthdayMonth * 100;
    sources.push({ ranges: [entries('b', month + 1, month + 31)], exact: only('birthdayMonth') });
  }
  for (const [key, index] of [
    ['createdAt', 'byCreated'],
    ['updatedAt', 'byUpdated'],
  ] as const) {
    const range = filter[key];
    if (!range) continue;
    const lower: IDBValidKey[] = range.gte === undefined ? [organizationId] : [organizationId, range.gte];
    const upper: IDBValidKey[] = range.lt === undefined ? [organizationId, []] : [organizationId, range.lt];
    sources.push({ ranges: [{ index, lower, lowerOpen: false, upper }], exact: only(key) });
  }
  return sources;
}

/** Consecutive numbers merged into `[first, last]` runs. */
function runs(keys: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const key of keys) {
    const last = out[out.length - 1];
    if (last && key === last[1] + 1) last[1] = key;
    else out.push([key, key]);
  }
  return out;
}
