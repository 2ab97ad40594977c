import { type ConsentPatch, mergeConsentPatches } from '../model/consent';
import type { EditableField } from '../model/customer-fields';

/**
 * What the update queue knows about one customer's edits. A value: every change makes a new one
 * through {@link reduceEntry}, so the whole lifecycle reads in one place (as TanStack Query's
 * `Query` changes state only through its reducer).
 */
export interface EntryState {
  /** Edits not sent yet, newest value per field. */
  readonly pending: ReadonlyMap<EditableField, unknown>;
  /**
   * The patch of the save in flight (or being resolved after a conflict); non-null exactly while a
   * save cycle runs, never two per customer.
   */
  readonly inFlight: ReadonlyMap<EditableField, unknown> | null;
  /** The debounce timer fired (or `flush` asked) during a save cycle: save as soon as it ends. */
  readonly due: boolean;
  /** Failed permanently or ran out of retries; waits for the next edit or `flush`. */
  readonly parked: boolean;
  /** Accepted edits so far; `sentSeq` and `savedSeq` say how many of them are sent and stored. */
  readonly editSeq: number;
  readonly sentSeq: number;
  readonly savedSeq: number;
  /** Time of the last edit. */
  readonly lastSetAt: number;
  /** Time of the first edit not sent yet: `maxWaitMs` counts from here. */
  readonly windowStart: number | null;
  /** Which timer runs: the debounce, a retry's backoff, or none. */
  readonly timer: 'debounce' | 'backoff' | null;
  /** Failures since the last successful save. */
  readonly failedAttempts: number;
  /** Conflict re-reads since the last successful save (bounded apart from transient retries). */
  readonly conflictReloads: number;
  /** The last failure, until a save succeeds. */
  readonly error: unknown;
}

/** The state of a customer never edited. */
export const INITIAL_ENTRY: EntryState = {
  pending: new Map(),
  inFlight: null,
  due: false,
  parked: false,
  editSeq: 0,
  sentSeq: 0,
  savedSeq: 0,
  lastSetAt: 0,
  windowStart: null,
  timer: null,
  failedAttempts: 0,
  conflictReloads: 0,
  error: undefined,
};

/** Everything that happens to a customer's edits. */
export type EntryAction =
  /** An accepted edit; it also wakes a parked customer with a fresh retry budget. */
  | { readonly type: 'edit'; readonly field: EditableField; readonly value: unknown; readonly at: number }
  /** A timer was started, or stopped (`null`). */
  | { readonly type: 'timer'; readonly timer: EntryState['timer'] }
  /** A save is wanted while one is in flight. */
  | { readonly type: 'due' }
  /** `flush` of a parked customer: a fresh retry budget. */
  | { readonly type: 'resume' }
  /** A save cycle starts: every pending edit goes in flight (when there is any). */
  | { readonly type: 'send' }
  /** The save in flight was stored. */
  | { readonly type: 'saved' }
  /** The save in flight failed: its edits go back under the newer ones. */
  | { readonly type: 'failed'; readonly error: unknown }
  /** A version conflict is being resolved by re-reading. */
  | { readonly type: 'reloading' }
  /** The conflict was resolved: the cycle starts over. */
  | { readonly type: 'reloaded' }
  /** The failure is final for this attempt (the error that stands, after a failed re-read). */
  | { readonly type: 'attemptFailed'; readonly error: unknown }
  /** No more retries: wait for the next edit or `flush`. */
  | { readonly type: 'park' };

/**
 * The next state of a customer's edits.
 * @param state - The current state.
 * @param action - What happened.
 * @returns The new state (the same object when nothing changed).
 */
export function reduceEntry(state: EntryState, action: EntryAction): EntryState {
  switch (action.type) {
    case 'edit': {
      const pending = new Map(state.pending);
      pending.set(action.field, coalesce(action.field, state.pending.get(action.field), action.value));
      return {
        ...state,
        pending,
        editSeq: state.editSeq + 1,
        lastSetAt: action.at,
        windowStart: state.windowStart ?? action.at,
        ...(state.parked ? { parked: false, failedAttempts: 0, conflictReloads: 0 } : {}),
      };
    }
    case 'timer':
      return state.timer === action.timer ? state : { ...state, timer: action.timer };
    case 'due':
      return state.due ? state : { ...state, due: true };
    case 'resume':
      return { ...state, failedAttempts: 0, conflictReloads: 0 };
    case 'send':
      if (state.pending.size === 0) return { ...state, due: false, timer: null };
      return {
        ...state,
        due: false,
        timer: null,
        parked: false,
        inFlight: state.pending,
        pending: new Map(),
        sentSeq: state.editSeq,
        windowStart: null,
      };
    case 'saved':
      return {
        ...state,
        inFlight: null,
        savedSeq: state.sentSeq,
        failedAttempts: 0,
        conflictReloads: 0,
        error: undefined,
      };
    case 'failed':
      // Newer values win field by field over the ones that failed.
      return {
        ...state,
        pending: requeue(state.inFlight, state.pending),
        error: action.error,
      };
    case 'reloading':
      return { ...state, conflictReloads: state.conflictReloads + 1 };
    case 'reloaded':
      return { ...state, inFlight: null };
    case 'attemptFailed':
      return { ...state, inFlight: null, failedAttempts: state.failedAttempts + 1, error: action.error };
    case 'park':
      return { ...state, parked: true, timer: null };
  }
}

/**
 * The pending value of a field edited again: the newer value, except for `consent`, whose edits
 * name channels and merge (editing email then SMS consent saves both).
 */
function coalesce(field: EditableField, older: unknown, newer: unknown): unknown {
  if (field !== 'consent' || older === undefined || older === null || newer === null) return newer;
  return mergeConsentPatches(older as ConsentPatch, newer as ConsentPatch);
}

/** The failed patch back under the newer edits, field by field. */
function requeue(
  failed: ReadonlyMap<EditableField, unknown> | null,
  newer: ReadonlyMap<EditableField, unknown>,
): Map<EditableField, unknown> {
  const out = new Map(failed ?? []);
  for (const [field, value] of newer) out.set(field, coalesce(field, out.get(field), value));
  return out;
}
