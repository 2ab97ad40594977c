import type { Customer, ListQuery, ListResult } from '@donutauto/core';
import {
  type CustomerPredicate,
  comparePositions,
  compileFilter,
  isDescending,
  keysetPage,
  type NormalizedFilter,
  readKeysetCursor,
  type SortPosition,
  sortPosition,
} from '@donutauto/core/adapter';
import { fromRecord } from './customer-schema-idb';
import { type CandidateSource, candidateSources, type IndexRange, walkRange } from './query-plan';
import type { CustomersTx, TransactionRunner } from './transaction-runner';

/**
 * Most rows a listing reads through a filter's index before it walks the sort's index instead:
 * below it, reading and sorting the candidates is cheaper than walking; above it, the filter
 * matches at least one row in `total / LIMIT`, so a page's walk is short.
 */
export const CANDIDATE_LIMIT = 2_000;

/** Rows read per request when scanning a whole organization. */
const SCAN_CHUNK = 1_000;

/** What the listing and counting need from the adapter. */
export interface QueryContext {
  /** The adapter's transaction runner. */
  readonly run: TransactionRunner;
  /** The factory's `IDBKeyRange`. */
  readonly keyRange: typeof IDBKeyRange;
  /** The factory's key comparison. */
  readonly cmp: (a: IDBValidKey, b: IDBValidKey) => number;
}

/**
 * Lists one page. When one of the filter's indexed conditions selects at most
 * {@link CANDIDATE_LIMIT} rows, those rows are read, tested, sorted and cut at the cursor; otherwise
 * the sort's index is walked from the cursor, testing each row. Either way the page costs the same
 * at any depth, and every row is tested with core's predicate, so the result is the reference's.
 * @param context - Runner and key helpers.
 * @param org - The tenant.
 * @param query - The page request.
 * @returns The page.
 * @throws `invalid_cursor` for a cursor of another listing.
 */
export async function listCustomers(
  context: QueryContext,
  org: string,
  query: ListQuery,
): Promise<ListResult> {
  const after = readKeysetCursor(org, query);
  if (after === null) return keysetPage(org, query, [], false);
  const matches = compileFilter(query.filter);
  const { page, more } = await context.run('readonly', 'listing customers', async (tx) => {
    const walk = walkRange(org, query.filter, query.sort, after, context.cmp);
    const sources = candidateSources(org, query.filter);
    // The search text's candidates first; then, unless an indexed condition already narrows the
    // walk (a tag's entries, a time range: it reads only such rows, in order), the other sources.
    const tried = walk?.narrowed ? sources.filter((s) => s.text) : sources;
    for (const source of tried) {
      const rows = await sourceRecords(context, tx, source, CANDIDATE_LIMIT);
      if (rows)
        return pageAfter(
          rows.filter((c) => matches(c)),
          query.sort,
          after,
          query.numItems,
        );
    }
    return walkPlan(context, tx, walk, query, matches);
  });
  return keysetPage(org, query, page, more);
}

/**
 * Counts the customers matching a filter: an index count when one range answers the filter
 * exactly, else the smallest candidate source read and tested, else a scan of the organization.
 * @param context - Runner and key helpers.
 * @param org - The tenant.
 * @param filter - A canonical filter.
 * @returns The count.
 */
export async function countCustomers(
  context: QueryContext,
  org: string,
  filter: NormalizedFilter,
): Promise<number> {
  const orgRange = context.keyRange.bound([org], [org, []]);
  return context.run('readonly', 'counting customers', async (tx) => {
    if (Object.keys(filter).length === 0) return tx.store.count(orgRange);
    const sized: { source: CandidateSource; size: number }[] = [];
    for (const source of candidateSources(org, filter)) {
      let size = 0;
      for (const range of source.ranges) {
        const keys = bound(context, range);
        if (keys) size += await tx.store.index(range.index).count(keys);
      }
      if (source.exact) return size;
      sized.push({ source, size });
    }
    const matches = compileFilter(filter);
    const smallest = sized.sort((a, b) => a.size - b.size)[0];
    if (smallest) {
      const rows = (await sourceRecords(context, tx, smallest.source, smallest.size)) ?? [];
      return rows.filter((c) => matches(c)).length;
    }
    let n = 0;
    await scan(context, tx, org, (c) => {
      if (matches(c)) n++;
    });
    return n;
  });
}

/** The key range of a range, or `undefined` when it is empty (`bound` refuses lower ≥ upper). */
function bound(context: QueryContext, range: IndexRange): IDBKeyRange | undefined {
  if (context.cmp(range.lower, range.upper) >= 0) return undefined;
  return context.keyRange.bound(range.lower, range.upper, range.lowerOpen, true);
}

/**
 * The distinct customers of a source's ranges, or `undefined` when its ranges hold more than
 * `limit` entries (a key-only probe that stops at `limit + 1`; a customer in several ranges counts
 * once per range, so the cap errs towards walking). Each range is then read in one request.
 */
async function sourceRecords(
  context: QueryContext,
  tx: CustomersTx,
  source: CandidateSource,
  limit: number,
): Promise<Customer[] | undefined> {
  const reads: { index: IndexRange['index']; keys: IDBKeyRange }[] = [];
  let entries = 0;
  for (const range of source.ranges) {
    const keys = bound(context, range);
    if (!keys) continue;
    entries += (await tx.store.index(range.index).getAllKeys(keys, limit - entries + 1)).length;
    if (entries > limit) return undefined;
    reads.push({ index: range.index, keys });
  }
  const seen = new Set<string>();
  const rows: Customer[] = [];
  for (const { index, keys } of reads) {
    for (const record of await tx.store.index(index).getAll(keys)) {
      if (seen.has(record.id)) continue;
      seen.add(record.id);
      rows.push(fromRecord(record));
    }
  }
  return rows;
}

/** The page after `after` of candidates already known to match, in the sort's order. */
function pageAfter(
  rows: Customer[],
  sort: ListQuery['sort'],
  after: SortPosition | undefined,
  numItems: number,
): { page: Customer[]; more: boolean } {
  const direction = isDescending(sort) ? -1 : 1;
  const keyed = rows.map((customer) => ({ customer, position: sortPosition(sort, customer) }));
  const ordered = keyed
    .filter((row) => after === undefined || comparePositions(row.position, after) * direction > 0)
    .sort((a, b) => comparePositions(a.position, b.position) * direction);
  return { page: ordered.slice(0, numItems).map((row) => row.customer), more: ordered.length > numItems };
}

/** Walks the sort's index from the cursor, testing each row, until the page is full. */
async function walkPlan(
  context: QueryContext,
  tx: CustomersTx,
  range: IndexRange | undefined,
  query: ListQuery,
  matches: CustomerPredicate,
): Promise<{ page: Customer[]; more: boolean }> {
  const keys = range && bound(context, range);
  if (!range || !keys) return { page: [], more: false };
  const page: Customer[] = [];
  const direction = isDescending(query.sort) ? 'prev' : 'next';
  let cursor = await tx.store.index(range.index).openCursor(keys, direction);
  while (cursor) {
    if (matches(cursor.value)) {
      if (page.length === query.numItems) return { page, more: true };
      page.push(fromRecord(cursor.value));
    }
    cursor = await cursor.continue();
  }
  return { page, more: false };
}

/** Reads every customer of an organization, a chunk per request, in primary key order. */
async function scan(
  context: QueryContext,
  tx: CustomersTx,
  org: string,
  visit: (customer: Customer) => void,
): Promise<void> {
  let range = context.keyRange.bound([org], [org, []]);
  for (;;) {
    const chunk = await tx.store.getAll(range, SCAN_CHUNK);
    for (const record of chunk) visit(fromRecord(record));
    const last = chunk[chunk.length - 1];
    if (chunk.length < SCAN_CHUNK || !last) return;
    range = context.keyRange.bound([org, last.id], [org, []], true);
  }
}
