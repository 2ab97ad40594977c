import type { Customer, CustomerInput } from '@donutauto/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useCustomerClient } from '../customers-provider';
import type { FieldErrors } from '../stores/field-errors';
import { createMutation, type MutationStatus } from '../stores/mutation';
import { useInstance } from './use-instance';

/** What {@link useAddCustomer} returns. */
export interface UseAddCustomerResult {
  /**
   * Validates and adds a customer.
   * @param input - The new customer's fields.
   * @returns The stored customer, or `undefined` when it was refused (see `error`, `fieldErrors`).
   */
  readonly addCustomer: (input: CustomerInput) => Promise<Customer | undefined>;
  /** `idle`, `pending`, `success` or `error` (of the latest call). */
  readonly status: MutationStatus;
  /** `true` while a call runs. */
  readonly isPending: boolean;
  /** The typed error of the latest failed call: `validation_failed`, `duplicate_email`, `forbidden_field`, `storage_failed`. */
  readonly error: unknown;
  /** That error's message for each field, by path (`email`, `preferences`, `customFields.tier`). */
  readonly fieldErrors: FieldErrors;
  /** The customer the latest successful call added. */
  readonly customer: Customer | undefined;
  /** Clears status, error and result. */
  readonly reset: () => void;
}

/**
 * Adds customers, with pending state and core's typed errors sorted by field for a form.
 * @returns `{ addCustomer, status, isPending, error, fieldErrors, customer, reset }`.
 * @throws `Error` outside a {@link CustomersProvider}.
 * @example
 * const { addCustomer, fieldErrors, isPending } = useAddCustomer();
 * await addCustomer({ firstName, lastName, email });
 * fieldErrors.email; // "A customer with email … already exists"
 */
export function useAddCustomer(): UseAddCustomerResult {
  const client = useCustomerClient();
  const mutation = useInstance([client], () => createMutation((input: CustomerInput) => client.add(input)));
  const state = useSyncExternalStore(mutation.subscribe, mutation.getSnapshot, mutation.getServerSnapshot);
  return useMemo(
    () => ({
      addCustomer: mutation.run,
      status: state.status,
      isPending: state.pending.length > 0,
      error: state.error,
      fieldErrors: state.fieldErrors,
      customer: state.data,
      reset: mutation.reset,
    }),
    [state, mutation],
  );
}
