import type {
  ChangeEvent,
  Customer,
  CustomerFilter,
  CustomerSort,
  SlimCustomerClient,
} from '@donutauto/core';
import { createExternalStore, type ExternalStore } from './external-store';

/** Where a paginated list is, in Convex's `usePaginatedQuery` terms. */
export type CustomerListStatus = 'LoadingFirstPage' | 'CanLoadMore' | 'LoadingMore' | 'Exhausted';

/** One loaded page: a fixed range of the listing between two keyset cursors. */
interface LoadedPage {
  /** Cursor the page starts after (`null`: the start of the listing). */
  readonly start: string | null;
  /**
   * The `continueCursor` the page had when first loaded: its range ends there for good, so a
   * refetch never moves rows between pages. `null`: the page runs to the end of the listing.
   */
  readonly end: string | null;
  /** Page size it was loaded with. */
  readonly numItems: number;
  /** Its rows, in listing order. */
  readonly rows: readonly Customer[];
  /** `createdAt` of its last row when first loaded: locates inserted rows under creation-time sorts. */
  readonly endCreatedAt: number | undefined;
}

/** The list's state; `results` is derived once per change. */
export interface LiveListState {
  readonly pages: readonly LoadedPage[];
  /** What is being fetched by `loadMore` (refetches of loaded pages do not show). */
  readonly loading: 'first' | 'more' | null;
  /** The last failure; cleared by the next successful fetch. */
  readonly error: unknown;
  /** Every loaded customer in order, each once. */
  readonly results: readonly Customer[];
  readonly status: CustomerListStatus;
}

type Action =
  | { readonly type: 'loading'; readonly what: 'first' | 'more' }
  | { readonly type: 'appended'; readonly page: LoadedPage }
  | { readonly type: 'refetched'; readonly index: number; readonly page: LoadedPage }
  | { readonly type: 'removed'; readonly ids: ReadonlySet<string> }
  | { readonly type: 'failed'; readonly error: unknown; readonly settles: boolean };

/** What a list shows: page size, filter and order. */
export interface LiveListQuery {
  readonly pageSize: number;
  readonly filter?: CustomerFilter;
  readonly sort?: CustomerSort;
}

/** A live paginated list bound to one client and query. */
export interface LiveCustomerList extends ExternalStore<LiveListState, Action> {
  /**
   * Loads the next page.
   * @param numItems - Its size. @defaultValue the query's `pageSize`
   * @returns `false` when nothing was started (loading already, or exhausted).
   */
  loadMore(numItems?: number): boolean;
}

/** Above this many changed ids, locating each row costs more than refetching the loaded pages. */
const LOCATE_LIMIT = 20;

const INITIAL: LiveListState = derive({ pages: [], loading: 'first', error: undefined });

/**
 * Creates a live list: pages are loaded with `loadMore`, and on every change event of the
 * organization only the pages whose range the change touches are fetched again (each over its
 * original cursor range, so rows never jump between pages). Deleted rows are dropped without a fetch.
 * Inert until subscribed.
 * @param client - The organization-scoped client.
 * @param query - Page size, filter and sort.
 * @returns The list.
 */
export function createLiveCustomerList(client: SlimCustomerClient, query: LiveListQuery): LiveCustomerList {
  const sort = query.sort ?? 'newest';
  // Under the creation-time sorts a row's position never changes (`createdAt` and `id` are system
  // fields), so a change can be placed in a page; other sorts may move any row anywhere.
  const positionsAreFixed = sort === 'newest' || sort === 'oldest';
  const filtered = query.filter !== undefined && Object.keys(query.filter).length > 0;
  let work: Promise<void> = Promise.resolve();
  /** Pages to refetch, each with the number of rows it may have gained (sizes its read). */
  let dirty = new Map<number, number>();
  let refreshQueued = false;
  let wasActive = false;
  let missedWhileLoading = false;

  const store = createExternalStore<LiveListState, Action>(INITIAL, reduce, () => {
    const unsubscribe = client.subscribe(onChange);
    const { pages, loading } = store.getSnapshot();
    if (pages.length === 0 && loading === 'first' && !wasActive) enqueue(fetchFirst, true);
    // Changes may have been missed while nobody listened.
    else if (pages.length > 0) markAll();
    wasActive = true;
    return unsubscribe;
  });

  const list = (cursor: string | null, numItems: number) =>
    client.list({
      numItems,
      cursor,
      sort,
      ...(query.filter ? { filter: query.filter } : {}),
    });

  /** Runs fetches one at a time; `settles`: the task ends a `loadMore`, so a failure ends its loading. */
  const enqueue = (task: () => Promise<void>, settles = false): void => {
    work = work.then(task).catch((error: unknown) => store.dispatch({ type: 'failed', error, settles }));
  };

  const fetchPage = async (start: string | null, numItems: number): Promise<LoadedPage> => {
    const result = await list(start, numItems);
    return {
      start,
      end: result.isDone ? null : result.continueCursor,
      numItems,
      rows: result.page,
      endCreatedAt: result.page.at(-1)?.createdAt,
    };
  };

  const fetchFirst = async (): Promise<void> => {
    missedWhileLoading = false;
    store.dispatch({ type: 'appended', page: await fetchPage(null, query.pageSize) });
    // A change during the first read may or may not be in it.
    if (missedWhileLoading) markAll();
  };

  /** Fetches a loaded page's range again: from its start up to (not including) the first row after its end. */
  const refetch = async (index: number, growth: number): Promise<void> => {
    const page = store.getSnapshot().pages[index];
    if (!page) return;
    if (page.end === null) {
      // The open last page: one read as large as it was plus what it gained; should the listing now
      // go on past that, the page ends there and the list can load more.
      const size = Math.min(1000, Math.max(page.numItems, page.rows.length + growth));
      const fresh = await fetchPage(page.start, size);
      store.dispatch({ type: 'refetched', index, page: { ...fresh, numItems: page.numItems } });
      return;
    }
    // The range ends before the first row after `end`. Under fixed positions the next loaded rows
    // are after it; a row inserted between shows at this page's end, which is still its place in
    // the results. Otherwise one read finds that row. A size cap ends the range should it vanish.
    const stops = new Set<string>();
    if (positionsAreFixed) {
      const later = store
        .getSnapshot()
        .pages.slice(index + 1)
        .find((p) => p.rows.length > 0);
      for (const row of later?.rows ?? []) stops.add(row.id);
    }
    if (stops.size === 0) {
      const after = (await list(page.end, 1)).page[0]?.id;
      if (after !== undefined) stops.add(after);
    }
    const cap = Math.max(page.numItems, page.rows.length) * 3;
    // The rows it may have gained and one more, usually the row that ends it: one read does.
    const size = Math.min(1000, Math.max(page.numItems, page.rows.length) + growth + 1);
    const rows: Customer[] = [];
    let cursor = page.start;
    for (;;) {
      const result = await list(cursor, size);
      const stop = result.page.findIndex((row) => stops.has(row.id));
      rows.push(...(stop < 0 ? result.page : result.page.slice(0, stop)));
      if (stop >= 0 || result.isDone || rows.length >= cap) break;
      cursor = result.continueCursor;
    }
    store.dispatch({ type: 'refetched', index, page: { ...page, rows } });
  };

  const refresh = async (): Promise<void> => {
    refreshQueued = false;
    const pages = [...dirty].sort(([a], [b]) => a - b);
    dirty = new Map();
    for (const [index, growth] of pages) await refetch(index, growth);
  };

  const mark = (indices: Iterable<number>, growth = 0): void => {
    for (const index of indices) dirty.set(index, (dirty.get(index) ?? 0) + growth);
    if (dirty.size > 0 && !refreshQueued) {
      refreshQueued = true;
      enqueue(refresh);
    }
  };
  const markAll = (growth = 0): void => mark(store.getSnapshot().pages.keys(), growth);

  const pagesHolding = (ids: readonly string[]): { found: Set<number>; missing: string[] } => {
    const wanted = new Set(ids);
    const found = new Set<number>();
    store.getSnapshot().pages.forEach((page, index) => {
      for (const row of page.rows) {
        if (wanted.delete(row.id)) found.add(index);
      }
    });
    return { found, missing: [...wanted] };
  };

  /** Pages whose creation-time range may hold a row created at `createdAt` (ties count on both sides). */
  const pagesAround = (createdAt: number): number[] => {
    const pages = store.getSnapshot().pages;
    const newest = sort === 'newest';
    const out: number[] = [];
    pages.forEach((page, index) => {
      const before = index === 0 ? undefined : pages[index - 1]?.endCreatedAt;
      const last = page.end === null ? undefined : page.endCreatedAt;
      const afterStart = before === undefined || (newest ? createdAt <= before : createdAt >= before);
      const beforeEnd = last === undefined || (newest ? createdAt >= last : createdAt <= last);
      if (afterStart && beforeEnd) out.push(index);
    });
    return out;
  };

  /** Reads rows the list does not hold and marks the pages their position falls in. */
  const locate = (ids: readonly string[]): void => {
    if (ids.length > LOCATE_LIMIT) {
      markAll(ids.length);
      return;
    }
    enqueue(async () => {
      const rows = await Promise.all(ids.map((id) => client.get(id).catch(() => undefined)));
      for (const row of rows) if (row) mark(pagesAround(row.createdAt), 1);
    });
  };

  const onChange = (event: ChangeEvent): void => {
    if (store.getSnapshot().pages.length === 0) {
      missedWhileLoading = true;
      return;
    }
    if (event.type === 'delete' && event.ids.length > 0) {
      store.dispatch({ type: 'removed', ids: new Set(event.ids) });
      return;
    }
    if (event.ids.length === 0 || !positionsAreFixed) {
      markAll(event.type === 'insert' ? event.ids.length : 0);
      return;
    }
    const { found, missing } = pagesHolding(event.ids);
    mark(found);
    // An inserted row, or (under a filter) an updated one that may now match, lands by its createdAt.
    if (missing.length > 0 && (event.type === 'insert' || filtered)) locate(missing);
  };

  return {
    ...store,
    loadMore(numItems = query.pageSize) {
      const { status } = store.getSnapshot();
      if (status === 'Exhausted' || status === 'LoadingMore') return false;
      if (status === 'LoadingFirstPage') {
        // Only a failed first page can be retried here; one in flight is left alone.
        if (store.getSnapshot().error === undefined) return false;
        store.dispatch({ type: 'loading', what: 'first' });
        enqueue(fetchFirst, true);
        return true;
      }
      store.dispatch({ type: 'loading', what: 'more' });
      enqueue(async () => {
        // Read when the task runs: a refetch queued before may have changed where the list ends.
        const last = store.getSnapshot().pages.at(-1);
        if (last?.end == null) return store.dispatch({ type: 'failed', error: undefined, settles: true });
        store.dispatch({ type: 'appended', page: await fetchPage(last.end, numItems) });
      }, true);
      return true;
    },
  };
}

function reduce(state: LiveListState, action: Action): LiveListState {
  switch (action.type) {
    case 'loading':
      return derive({ ...state, loading: action.what, error: undefined });
    case 'appended':
      return derive({ pages: [...state.pages, action.page], loading: null, error: undefined });
    case 'refetched': {
      const pages = state.pages.slice();
      pages[action.index] = action.page;
      return derive({ ...state, pages, error: undefined });
    }
    case 'removed': {
      if (!state.results.some((row) => action.ids.has(row.id))) return state;
      const pages = state.pages.map((page) =>
        page.rows.some((row) => action.ids.has(row.id))
          ? { ...page, rows: page.rows.filter((row) => !action.ids.has(row.id)) }
          : page,
      );
      return derive({ ...state, pages });
    }
    case 'failed':
      return derive({ ...state, loading: action.settles ? null : state.loading, error: action.error });
  }
}

function derive(state: Pick<LiveListState, 'pages' | 'loading' | 'error'>): LiveListState {
  const seen = new Set<string>();
  const results: Customer[] = [];
  // A row can sit in two pages for a moment when it was deleted between a refetch's two reads.
  for (const page of state.pages) {
    for (const row of page.rows) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      results.push(row);
    }
  }
  const last = state.pages.at(-1);
  const status: CustomerListStatus =
    last === undefined
      ? 'LoadingFirstPage'
      : state.loading === 'more'
        ? 'LoadingMore'
        : last.end === null
          ? 'Exhausted'
          : 'CanLoadMore';
  return { pages: state.pages, loading: state.loading, error: state.error, results, status };
}
