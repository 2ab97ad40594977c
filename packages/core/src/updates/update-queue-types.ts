import type { CustomerError } from '../errors/customer-error';
import type { EditableField } from '../model/customer-fields';
import type { CustomerPatch } from '../model/customer-schema';
import type { UpdateQueueTimers } from './queue-timers';
import type { RetryOptions } from './retry-backoff';

/**
 * Where a customer's edits are:
 * - `idle`: nothing was ever edited through this queue;
 * - `pending`: edits wait for the debounce timer (or for a retry after a transient failure);
 * - `saving`: a save is in flight (newer edits, if any, wait for the next one);
 * - `saved`: every edit is stored;
 * - `error`: a save failed permanently (or ran out of retries); the edits are kept and saved again
 *   on the next `set` or `flush`.
 */
export type UpdateState = 'idle' | 'pending' | 'saving' | 'saved' | 'error';

/** A customer's save status; the same object is returned until something changes. */
export interface UpdateStatus {
  /** Where the customer's edits are. */
  readonly state: UpdateState;
  /**
   * Why the last save failed: the permanent error in state `error`, or the last transient error
   * while a retry is scheduled; `undefined` once a save succeeds.
   */
  readonly error: unknown;
  /** Fields with edits not stored yet (queued or in flight), in first-edit order. */
  readonly pendingFields: readonly EditableField[];
  /** Failed attempts since the last successful save (0 when none). */
  readonly failedAttempts: number;
}

/**
 * Called whenever a customer's status changes.
 * @param id - The customer whose status changed.
 * @param status - The new status.
 */
export type UpdateStatusListener = (id: string, status: UpdateStatus) => void;

/**
 * Stores a patch; normally the client's `update`. Throws core's typed errors for permanent problems;
 * anything else it throws is treated as transient and retried.
 * @param id - The customer's id.
 * @param patch - Normalized values of the fields edited since the last successful save.
 * @returns The stored customer (or anything: the queue ignores the value).
 */
export type SaveFunction = (id: string, patch: CustomerPatch) => Promise<unknown>;

/**
 * Called after a save failed with `version_conflict`, before the pending fields are saved again;
 * typically re-reads the stored customer to learn its new version.
 * @param id - The customer's id.
 * @param error - The `version_conflict` error.
 */
export type ConflictHandler = (id: string, error: CustomerError) => Promise<void> | void;

/** Options of {@link createUpdateQueue}. */
export interface UpdateQueueOptions {
  /** Stores one customer's patch, e.g. `(id, patch) => client.update(id, patch)`. */
  readonly save: SaveFunction;
  /** Quiet time after the last edit of a customer before its patch is saved, in ms. @defaultValue 500 */
  readonly delayMs?: number;
  /**
   * Longest time continuous typing can postpone a save, counted from the first unsaved edit of the
   * customer, in ms. @defaultValue 2000
   */
  readonly maxWaitMs?: number;
  /** Backoff of transient failures. @defaultValue `{ retries: 5, minDelayMs: 250, maxDelayMs: 10000 }` */
  readonly retry?: RetryOptions;
  /**
   * What to do on `version_conflict` before re-saving the pending fields (which win over the stored
   * ones, field by field). Without it a conflict is a permanent error.
   */
  readonly onConflict?: ConflictHandler;
  /** Clock and timers, injectable for tests. @defaultValue the global timers */
  readonly timers?: UpdateQueueTimers;
}

/** The queue returned by {@link createUpdateQueue}. */
export interface UpdateQueue {
  /**
   * Validates one field's value and queues it for the customer, restarting its debounce timer.
   * Never throws for bad input: a refused edit returns the typed error and queues nothing.
   * `''` and `null` clear an optional field and are saved like any other edit.
   * @param id - The customer's id.
   * @param field - An editable field.
   * @param value - The new value, as typed (it is normalized with the model's rules).
   * @returns `undefined` when queued; otherwise a `forbidden_field`, `validation_failed` or
   * `invalid_argument` (empty id, disposed queue) error.
   */
  set(id: string, field: EditableField | string, value: unknown): CustomerError | undefined;
  /**
   * The customer's save status.
   * @param id - The customer's id.
   * @returns The status (`idle` for customers never edited).
   */
  status(id: string): UpdateStatus;
  /**
   * The customer's edits that are not stored yet (queued or in flight), newest value per field.
   * @param id - The customer's id.
   * @returns The normalized values; `{}` when everything is stored.
   */
  pendingPatch(id: string): CustomerPatch;
  /**
   * Calls `listener` on every status change of any customer. A listener that throws does not
   * disturb saving: its error is rethrown in a microtask.
   * @param listener - Receives the customer id and its new status.
   * @returns A function that unsubscribes.
   */
  subscribe(listener: UpdateStatusListener): () => void;
  /**
   * Counts customers with edits not stored yet (queued, in flight, retrying or in `error`).
   * @returns The number of such customers.
   */
  pendingCount(): number;
  /**
   * Saves now, without waiting for the debounce timers.
   * @param id - Only this customer; all customers when omitted.
   * @returns A promise that resolves once every edit queued before the call is stored.
   * @throws The save's error when an edit cannot be stored: a permanent error, or the last transient
   * error once retries are exhausted.
   */
  flush(id?: string): Promise<void>;
  /**
   * Refuses new edits, flushes everything, then stops every timer.
   * @returns A promise settled like {@link UpdateQueue.flush}'s; timers are stopped either way.
   * @throws Like {@link UpdateQueue.flush}.
   */
  dispose(): Promise<void>;
}
