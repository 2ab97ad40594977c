import type { EditableField } from '../model/customer-fields';
import type { UpdateStatus } from './update-queue-types';

/** What the queue knows about a customer that its status is derived from (internal). */
export interface StatusSource {
  /** Failed permanently or ran out of retries. */
  readonly parked: boolean;
  /** Edits not sent yet. */
  readonly pending: ReadonlyMap<EditableField, unknown>;
  /** Edits being saved; non-null exactly while a save cycle runs. */
  readonly inFlight: ReadonlyMap<EditableField, unknown> | null;
  /** Number of edits stored so far. */
  readonly savedSeq: number;
  /** Last failure, if any. */
  readonly error: unknown;
  /** Failures since the last success. */
  readonly failedAttempts: number;
}

/** The status of a customer never edited. */
export const IDLE_STATUS: UpdateStatus = /* @__PURE__ */ Object.freeze({
  state: 'idle',
  error: undefined,
  pendingFields: Object.freeze([]) as readonly EditableField[],
  failedAttempts: 0,
});

/**
 * Derives a customer's status; the state is never stored separately, so it cannot drift.
 * @param source - The queue's record of the customer.
 * @returns A frozen status.
 */
export function statusOf(source: StatusSource): UpdateStatus {
  const fields = new Set<EditableField>([...(source.inFlight?.keys() ?? []), ...source.pending.keys()]);
  const state = source.parked
    ? 'error'
    : source.inFlight !== null
      ? 'saving'
      : source.pending.size > 0
        ? 'pending'
        : source.savedSeq > 0
          ? 'saved'
          : 'idle';
  return Object.freeze({
    state,
    error: source.error,
    pendingFields: Object.freeze([...fields]),
    failedAttempts: source.failedAttempts,
  });
}

/**
 * Tells whether two statuses say the same thing, so that unchanged statuses keep their identity
 * (what `useSyncExternalStore` needs) and listeners hear only real changes.
 * @param a - One status.
 * @param b - The other.
 * @returns `true` when every member is equal.
 */
export function sameStatus(a: UpdateStatus, b: UpdateStatus): boolean {
  return (
    a.state === b.state &&
    a.error === b.error &&
    a.failedAttempts === b.failedAttempts &&
    a.pendingFields.length === b.pendingFields.length &&
    a.pendingFields.every((f, i) => b.pendingFields[i] === f)
  );
}
