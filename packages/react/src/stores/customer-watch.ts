import type { Customer, SlimCustomerClient } from '@donutauto/core';
import { createExternalStore, type ExternalStore } from './external-store';

/** One customer as `useCustomer` returns it. */
export interface CustomerWatchState {
  /** The stored customer, once read. */
  readonly customer: Customer | undefined;
  /** `loading` until the first read, then `success` or `error`. */
  readonly status: 'loading' | 'success' | 'error';
  /** The read's error (`not_found` once the customer is deleted). */
  readonly error: unknown;
}

type Action =
  | { readonly type: 'read'; readonly customer: Customer }
  | { readonly type: 'failed'; readonly error: unknown };

const INITIAL: CustomerWatchState = { customer: undefined, status: 'loading', error: undefined };

/**
 * One customer, read when first subscribed and again on every change event naming it.
 * @param client - The organization-scoped client.
 * @param id - The customer's id.
 * @returns The store.
 */
export function createCustomerWatch(
  client: SlimCustomerClient,
  id: string,
): ExternalStore<CustomerWatchState, Action> {
  let latest = 0;
  const read = (): void => {
    const ticket = ++latest;
    client.get(id).then(
      (customer) => {
        if (ticket === latest) store.dispatch({ type: 'read', customer });
      },
      (error: unknown) => {
        if (ticket === latest) store.dispatch({ type: 'failed', error });
      },
    );
  };
  const store = createExternalStore<CustomerWatchState, Action>(
    INITIAL,
    (state, action) =>
      action.type === 'read'
        ? state.status === 'success' && state.customer?.version === action.customer.version
          ? state
          : { customer: action.customer, status: 'success', error: undefined }
        : { ...state, status: 'error', error: action.error },
    () => {
      const unsubscribe = client.subscribe((event) => {
        if (event.ids.length === 0 || event.ids.includes(id)) read();
      });
      read();
      return unsubscribe;
    },
  );
  return store;
}
