import { useSyncExternalStore } from 'react';
import { useCustomerClient } from '../customers-provider';
import { type CustomerWatchState, createCustomerWatch } from '../stores/customer-watch';
import { useInstance } from './use-instance';

/** What {@link useCustomer} returns. */
export type UseCustomerResult = CustomerWatchState;

/**
 * One customer, kept current: read on mount and again whenever a change event names it. A deleted
 * (or never existing) customer gives `status: 'error'` with a `not_found` error.
 * @param id - The customer's id.
 * @returns `{ customer, status, error }`.
 * @throws `Error` outside a {@link CustomersProvider}.
 * @example
 * const { customer, status } = useCustomer(id);
 * if (status === 'loading') return <p>Loading…</p>;
 */
export function useCustomer(id: string): UseCustomerResult {
  const client = useCustomerClient();
  const watch = useInstance([client, id], () => createCustomerWatch(client, id));
  return useSyncExternalStore(watch.subscribe, watch.getSnapshot, watch.getServerSnapshot);
}
