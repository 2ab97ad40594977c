import {
  type CustomerError,
  type DuplicatePolicy,
  isCustomerError,
  type OutboxChange,
  type StorageAdapter,
} from '@donutauto/core';
import type { LocalStore, RemoteStore, SyncConflict } from './sync-types';

/** What the sync steps of one synced adapter share. */
export interface SyncContext {
  readonly local: LocalStore;
  readonly remote: RemoteStore;
  readonly onDuplicate: DuplicatePolicy;
  readonly now: () => number;
  /** Hands a conflict to the app's `onConflict`. */
  readonly report: (conflict: SyncConflict) => void;
}

/** The remote, with its writes carrying `key` when it supports caller-supplied keys. */
export function keyed(context: SyncContext, key: string): StorageAdapter {
  return context.remote.withIdempotencyKey ? context.remote.withIdempotencyKey(key) : context.remote;
}

/** The id of the customer an outbox change is about. */
export function changeCustomerId(change: OutboxChange): string {
  return change.type === 'insert' ? change.customer.id : change.id;
}

/**
 * Whether a failure leaves queued writes queued (try again later) rather than being the write's
 * own fault: the server is out of reach or answered "try again", or the session is not signed in.
 */
export function isTransient(error: unknown): boolean {
  if (isCustomerError(error, 'storage_failed')) return error.retryable;
  return (
    isCustomerError(error, 'unauthorized') ||
    isCustomerError(error, 'forbidden') ||
    isCustomerError(error, 'request_timeout') ||
    isCustomerError(error, 'aborted') ||
    !isCustomerError(error)
  );
}

/**
 * Whether the server refused a write for what it is (it will never be accepted as it stands).
 * Anything else that is not transient (a server bug's `storage_failed`) keeps the write queued.
 */
export function isRejection(error: unknown): error is CustomerError {
  return (
    isCustomerError(error, 'validation_failed') ||
    isCustomerError(error, 'forbidden_field') ||
    isCustomerError(error, 'invalid_argument') ||
    isCustomerError(error, 'duplicate_email') ||
    isCustomerError(error, 'payload_too_large')
  );
}
