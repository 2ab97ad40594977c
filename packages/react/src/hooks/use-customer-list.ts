import type { Customer, CustomerFilter, CustomerSort } from '@donutauto/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useCustomerClient } from '../customers-provider';
import { type CustomerListStatus, createLiveCustomerList } from '../stores/live-customer-list';
import { useInstance } from './use-instance';

/** Options of {@link useCustomerList}. */
export interface UseCustomerListOptions {
  /** Customers per page (1–1000). @defaultValue 20 */
  readonly pageSize?: number;
  /** Which customers (see `CustomerFilter`); compared by value, so an inline object is fine. */
  readonly filter?: CustomerFilter;
  /** Order. @defaultValue 'newest' */
  readonly sort?: CustomerSort;
}

/** What {@link useCustomerList} returns: the shape of Convex's `usePaginatedQuery`. */
export interface UseCustomerListResult {
  /** Every loaded customer, in order. */
  readonly results: readonly Customer[];
  /** `LoadingFirstPage`, `CanLoadMore`, `LoadingMore` or `Exhausted`. */
  readonly status: CustomerListStatus;
  /**
   * Loads the next page; does nothing while loading or when exhausted. After a failed first page it
   * tries that page again.
   * @param numItems - Size of that page. @defaultValue the `pageSize` option
   */
  readonly loadMore: (numItems?: number) => void;
  /** The last error (a `CustomerError` such as `invalid_argument` or `storage_failed`), or `undefined`. */
  readonly error: unknown;
}

/**
 * A live, paginated list of the organization's customers. It loads the first page when the
 * component mounts and more with `loadMore`; when customers change (in this tab, another tab or
 * another client, through the adapter's change events) it refetches only the loaded pages the
 * change touches, each over its original range, so rows never jump between pages. Changing
 * `pageSize`, `filter` or `sort` starts a new list.
 * @param options - Page size, filter and sort.
 * @returns `{ results, status, loadMore, error }`.
 * @throws `Error` outside a {@link CustomersProvider}.
 * @example
 * const { results, status, loadMore } = useCustomerList({ pageSize: 25, filter: { text: search } });
 * return <>{results.map((c) => <p key={c.id}>{c.firstName}</p>)}
 *   {status === 'CanLoadMore' && <button onClick={() => loadMore()}>More</button>}</>;
 */
export function useCustomerList(options: UseCustomerListOptions = {}): UseCustomerListResult {
  const client = useCustomerClient();
  const pageSize = options.pageSize ?? 20;
  const key = JSON.stringify([pageSize, options.filter ?? null, options.sort ?? 'newest']);
  const list = useInstance([client, key], () =>
    createLiveCustomerList(client, {
      pageSize,
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.sort ? { sort: options.sort } : {}),
    }),
  );
  const state = useSyncExternalStore(list.subscribe, list.getSnapshot, list.getServerSnapshot);
  return useMemo(
    () => ({
      results: state.results,
      status: state.status,
      error: state.error,
      loadMore: (numItems?: number) => {
        list.loadMore(numItems);
      },
    }),
    [state, list],
  );
}
