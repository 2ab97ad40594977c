import { type CustomerError, InvalidArgumentError, isCustomerError } from '../errors/customer-error';
import { objectArgument, optionalFunction } from '../errors/object-argument';
import type { EditableField } from '../model/customer-fields';
import type { CustomerPatch } from '../model/customer-schema';
import { validateCustomerField } from '../model/validate';
import { systemTimers, type UpdateQueueTimers } from './queue-timers';
import { backoffDelay, isTransientSaveError, resolveRetryOptions } from './retry-backoff';
import { type EntryAction, type EntryState, INITIAL_ENTRY, reduceEntry } from './update-entry';
import type {
  UpdateQueue,
  UpdateQueueOptions,
  UpdateStatus,
  UpdateStatusListener,
} from './update-queue-types';
import { IDLE_STATUS, sameStatus, statusOf } from './update-status';

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/** Conflict re-reads allowed between two successful saves of one customer. */
const MAX_CONFLICT_RELOADS = 10;

/**
 * One customer in the queue: its state (changed only by `dispatch`) and the resources that go with
 * it: the running timer's handle, the `flush` callers waiting, and the last published status.
 */
interface Entry {
  readonly id: string;
  state: EntryState;
  timerHandle: unknown;
  waiters: Waiter[];
  snapshot: UpdateStatus;
}

/**
 * Creates a debounced, per-customer update queue for saving as the user types. Edits coalesce per
 * customer into one patch (newest value per field); the customer's timer restarts on each edit and
 * `maxWaitMs` bounds how long continuous typing postpones a save. One save per customer is in flight
 * at a time (edits made meanwhile go into the next patch); customers save independently. Transient
 * failures are retried with exponential backoff and jitter, keeping the edits; nothing typed is
 * dropped, across fields or customers.
 * @param options - The save function, timings, retry policy, conflict handler and timers.
 * @returns The queue.
 * @throws `invalid_argument` when `save` (or a given `onConflict`) is not a function, a timing is
 * negative or not finite, or `retry` or `timers` is malformed.
 * @example
 * const queue = createUpdateQueue({ save: (id, patch) => client.update(id, patch) });
 * queue.set(ana.id, 'firstName', 'Anna');
 * queue.set(ana.id, 'email', 'anna@example.com'); // same save as the first name
 * queue.subscribe((id, status) => render(id, status.state));
 * await queue.flush();
 */
export function createUpdateQueue(options: UpdateQueueOptions): UpdateQueue {
  if (typeof options?.save !== 'function') throw new InvalidArgumentError('save', 'expected a function');
  const { save } = options;
  const onConflict = optionalFunction('onConflict', options.onConflict);
  const delayMs = checkDuration('delayMs', options.delayMs ?? 500);
  const maxWaitMs = checkDuration('maxWaitMs', options.maxWaitMs ?? 2000);
  const retry = resolveRetryOptions(objectArgument('retry', options.retry, {}));
  if (!Number.isInteger(retry.retries) || retry.retries < 0) {
    throw new InvalidArgumentError('retry.retries', 'expected a non-negative integer');
  }
  checkDuration('retry.minDelayMs', retry.minDelayMs);
  checkDuration('retry.maxDelayMs', retry.maxDelayMs);
  optionalFunction('retry.random', retry.random);
  const timers = checkTimers(options.timers);
  const entries = new Map<string, Entry>();
  const listeners = new Set<UpdateStatusListener>();
  let disposed = false;

  const entryFor = (id: string): Entry => {
    let entry = entries.get(id);
    if (!entry) {
      entry = { id, state: INITIAL_ENTRY, timerHandle: undefined, waiters: [], snapshot: IDLE_STATUS };
      entries.set(id, entry);
    }
    return entry;
  };

  /** Applies actions to a customer's state, then tells the listeners when its status changed. */
  const dispatch = (entry: Entry, ...actions: EntryAction[]): void => {
    for (const action of actions) entry.state = reduceEntry(entry.state, action);
    const next = statusOf(entry.state);
    if (sameStatus(next, entry.snapshot)) return;
    entry.snapshot = next;
    for (const listener of [...listeners]) {
      try {
        listener(entry.id, next);
      } catch (error) {
        // A broken listener must not break saving; surface it without unwinding the queue.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  const stopTimer = (entry: Entry): void => {
    if (entry.state.timer !== null) timers.clearTimeout(entry.timerHandle);
    entry.timerHandle = undefined;
  };

  const startTimer = (entry: Entry, timer: 'debounce' | 'backoff', ms: number): void => {
    stopTimer(entry);
    entry.timerHandle = timers.setTimeout(() => fire(entry), ms);
    dispatch(entry, { type: 'timer', timer });
  };

  const deadlineOf = ({ state }: Entry): number =>
    Math.min(state.lastSetAt + delayMs, (state.windowStart ?? state.lastSetAt) + maxWaitMs);

  /**
   * Starts the debounce timer unless one runs already. Like lodash's debounce, a keystroke does not
   * re-create the timer: the deadline only moves later, so the timer re-checks it when it fires.
   */
  const armDebounce = (entry: Entry): void => {
    if (entry.state.timer !== 'debounce')
      startTimer(entry, 'debounce', Math.max(0, deadlineOf(entry) - timers.now()));
  };

  const fire = (entry: Entry): void => {
    const kind = entry.state.timer;
    entry.timerHandle = undefined;
    dispatch(entry, { type: 'timer', timer: null });
    if (kind === 'debounce' && entry.state.pending.size > 0 && timers.now() < deadlineOf(entry)) {
      armDebounce(entry);
      return;
    }
    if (entry.state.inFlight !== null) dispatch(entry, { type: 'due' });
    else void run(entry);
  };

  /** Resolves the `flush` callers whose edits are all stored. */
  const settle = (entry: Entry): void => {
    const saved = entry.state.savedSeq;
    const waiting = entry.waiters;
    entry.waiters = waiting.filter((w) => w.target > saved);
    for (const w of waiting) if (w.target <= saved) w.resolve();
  };

  const rejectWaiters = (entry: Entry): void => {
    const waiting = entry.waiters;
    entry.waiters = [];
    for (const w of waiting) w.reject(entry.state.error);
  };

  /**
   * One save cycle: send everything pending, then decide what follows from the outcome. Callers
   * start it only when no save of the customer is in flight; `before` are the actions of the step
   * that led here (a success that leaves edits due), applied in the same dispatch.
   */
  const run = async (entry: Entry, ...before: EntryAction[]): Promise<void> => {
    stopTimer(entry);
    dispatch(entry, ...before, { type: 'send' });
    settle(entry);
    const sent = entry.state.inFlight;
    if (sent === null) return;
    try {
      await save(entry.id, Object.fromEntries(sent) as CustomerPatch);
    } catch (error) {
      return failed(entry, error);
    }
    const { pending, due, timer } = entry.state;
    if (pending.size > 0 && due) return run(entry, { type: 'saved' });
    dispatch(entry, { type: 'saved' });
    settle(entry);
    if (pending.size > 0 && timer === null) armDebounce(entry);
  };

  /** After a failed save: re-read on a conflict, retry a transient failure, or park. */
  const failed = async (entry: Entry, failure: unknown): Promise<void> => {
    let error = failure;
    // The failed edits go back under the newer ones, once.
    let steps: EntryAction[] = [{ type: 'failed', error: failure }];
    // A conflict is resolved by re-reading, not by waiting: it does not spend the transient retry
    // budget (a lost acknowledgement followed by its conflict must not exhaust it), but it is bounded
    // so a customer rewritten elsewhere in a tight loop cannot keep the queue busy forever.
    if (
      isCustomerError(error, 'version_conflict') &&
      onConflict &&
      entry.state.conflictReloads < MAX_CONFLICT_RELOADS
    ) {
      dispatch(entry, ...steps, { type: 'reloading' });
      steps = [];
      try {
        await onConflict(entry.id, error);
        return run(entry, { type: 'reloaded' });
      } catch (reloadError) {
        error = reloadError;
      }
    }
    const attempt = entry.state.failedAttempts + 1;
    if (isTransientSaveError(error) && attempt <= retry.retries) {
      dispatch(entry, ...steps, { type: 'attemptFailed', error });
      startTimer(entry, 'backoff', backoffDelay(attempt, retry));
      return;
    }
    stopTimer(entry);
    dispatch(entry, ...steps, { type: 'attemptFailed', error }, { type: 'park' });
    rejectWaiters(entry);
  };

  const flushOne = (entry: Entry): Promise<void> => {
    const { savedSeq, editSeq, inFlight, parked } = entry.state;
    if (savedSeq >= editSeq) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => {
      entry.waiters.push({ target: editSeq, resolve, reject });
    });
    if (inFlight !== null) {
      // Edits the save in flight already carries need no second save: their waiter settles when it
      // ends, and edits typed after this flush keep their debounce.
      if (editSeq > entry.state.sentSeq) dispatch(entry, { type: 'due' });
    } else {
      void run(entry, ...(parked ? [{ type: 'resume' } as const] : []));
    }
    return done;
  };

  const flush = async (id?: string): Promise<void> => {
    const targets = id === undefined ? [...entries.values()] : entries.has(id) ? [entryFor(id)] : [];
    const results = await Promise.allSettled(targets.map(flushOne));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  };

  return {
    set(id, field, value) {
      if (disposed) return new InvalidArgumentError('queue', 'the update queue was disposed');
      if (typeof id !== 'string' || id === '')
        return new InvalidArgumentError('id', 'expected a non-empty customer id');
      let normalized: unknown;
      try {
        normalized = validateCustomerField(field, value);
      } catch (error) {
        if (isCustomerError(error)) return error as CustomerError;
        throw error;
      }
      const entry = entryFor(id);
      dispatch(entry, { type: 'edit', field: field as EditableField, value: normalized, at: timers.now() });
      // During a backoff the retry carries the new edit; otherwise (re)start the debounce timer.
      if (entry.state.timer !== 'backoff') armDebounce(entry);
      return undefined;
    },

    status: (id) => entries.get(id)?.snapshot ?? IDLE_STATUS,

    pendingPatch(id) {
      const state = entries.get(id)?.state;
      if (!state) return {};
      return Object.fromEntries([...(state.inFlight ?? []), ...state.pending]) as CustomerPatch;
    },

    subscribe(listener) {
      if (typeof listener !== 'function') throw new InvalidArgumentError('listener', 'expected a function');
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },

    pendingCount() {
      let count = 0;
      for (const { state } of entries.values()) if (state.savedSeq < state.editSeq) count++;
      return count;
    },

    flush,

    async dispose() {
      disposed = true;
      try {
        await flush();
      } finally {
        for (const entry of entries.values()) stopTimer(entry);
        listeners.clear();
      }
    },
  };
}

function checkTimers(timers: UpdateQueueOptions['timers']): UpdateQueueTimers {
  if (timers === undefined) return systemTimers;
  const { setTimeout, clearTimeout, now } = objectArgument('timers', timers);
  if (typeof setTimeout !== 'function' || typeof clearTimeout !== 'function' || typeof now !== 'function') {
    throw new InvalidArgumentError('timers', 'expected { setTimeout, clearTimeout, now } functions');
  }
  return timers;
}

function checkDuration(name: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(name, 'expected a non-negative number of milliseconds');
  }
  return value;
}
