import { useMemo, useSyncExternalStore } from 'react';
import { useCustomerClient } from '../customers-provider';
import { createMutation, type MutationStatus } from '../stores/mutation';
import { useInstance } from './use-instance';

/** What {@link useDeleteCustomer} returns. */
export interface UseDeleteCustomerResult {
  /**
   * Deletes a customer.
   * @param id - The customer's id.
   * @returns `true` when deleted, `false` when it failed (see `error`).
   */
  readonly deleteCustomer: (id: string) => Promise<boolean>;
  /** `idle`, `pending`, `success` or `error` (of the latest call). */
  readonly status: MutationStatus;
  /** `true` while a call runs. */
  readonly isPending: boolean;
  /** Ids being deleted right now (for a busy state on their rows). */
  readonly pendingIds: readonly string[];
  /** The typed error of the latest failed call (`not_found`, `storage_failed`). */
  readonly error: unknown;
  /** Clears status and error. */
  readonly reset: () => void;
}

/**
 * Deletes customers, with the ids in flight and core's typed errors.
 * @returns `{ deleteCustomer, status, isPending, pendingIds, error, reset }`.
 * @throws `Error` outside a {@link CustomersProvider}.
 * @example
 * const { deleteCustomer, pendingIds } = useDeleteCustomer();
 * <button disabled={pendingIds.includes(c.id)} onClick={() => deleteCustomer(c.id)}>Delete</button>
 */
export function useDeleteCustomer(): UseDeleteCustomerResult {
  const client = useCustomerClient();
  const mutation = useInstance([client], () =>
    createMutation(
      async (id: string) => {
        await client.delete(id);
        return true as const;
      },
      (id) => id,
    ),
  );
  const state = useSyncExternalStore(mutation.subscribe, mutation.getSnapshot, mutation.getServerSnapshot);
  return useMemo(
    () => ({
      deleteCustomer: async (id: string) => (await mutation.run(id)) === true,
      status: state.status,
      isPending: state.pending.length > 0,
      pendingIds: state.pending,
      error: state.error,
      reset: mutation.reset,
    }),
    [state, mutation],
  );
}
