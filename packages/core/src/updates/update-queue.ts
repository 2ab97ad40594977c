import { type CustomerError, InvalidArgumentError, isCustomerError } from '../errors/customer-error';
import { objectArgument, optionalFunction } from '../errors/object-argument';
import type { EditableField } from '../model/customer-fields';
import type { CustomerPatch } from '../model/customer-schema';
import { validateCustomerField } from '../model/validate';
import { systemTimers, type UpdateQueueTimers } from './queue-timers';
import { backoffDelay, isTransientSaveError, resolveRetryOptions } from './retry-backoff';
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

/** Everything the queue knows about one customer. */
interface Entry {
  readonly id: string;
  /** Edits not sent yet, newest value per field. */
  pending: Map<EditableField, unknown>;
  /**
   * The patch of the save in flight (or being resolved after a conflict); non-null exactly while a
   * save cycle (save call, conflict handler) runs, never two per customer.
   */
  inFlight: Map<EditableField, unknown> | null;
  /** The debounce timer fired (or `flush` asked) during a save cycle: save as soon as it ends. */
  due: boolean;
  /** Failed permanently or ran out of retries; waits for the next `set` or `flush`. */
  parked: boolean;
  /** Number of accepted `set` calls; `sentSeq`/`savedSeq` say how many of them are in flight/stored. */
  editSeq: number;
  sentSeq: number;
  savedSeq: number;
  lastSetAt: number;
  /** Time of the first edit not yet sent: `maxWaitMs` counts from here. */
  windowStart: number | null;
  timer: unknown;
  timerKind: 'debounce' | 'backoff' | null;
  failedAttempts: number;
  /** Conflict re-reads since the last successful save: bounded apart from transient retries. */
  conflictReloads: number;
  error: unknown;
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
      entry = {
        id,
        pending: new Map(),
        inFlight: null,
        due: false,
        parked: false,
        editSeq: 0,
        sentSeq: 0,
        savedSeq: 0,
        lastSetAt: 0,
        windowStart: null,
        timer: undefined,
        timerKind: null,
        failedAttempts: 0,
        conflictReloads: 0,
        error: undefined,
        waiters: [],
        snapshot: IDLE_STATUS,
      };
      entries.set(id, entry);
    }
    return entry;
  };

  const changed = (entry: Entry): void => {
    const next = statusOf(entry);
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

  const clearTimer = (entry: Entry): void => {
    if (entry.timerKind !== null) timers.clearTimeout(entry.timer);
    entry.timer = undefined;
    entry.timerKind = null;
  };

  const deadlineOf = (entry: Entry): number =>
    Math.min(entry.lastSetAt + delayMs, (entry.windowStart ?? entry.lastSetAt) + maxWaitMs);

  /**
   * Starts the debounce timer unless one runs already. Like lodash's debounce, a keystroke does not
   * re-create the timer: the deadline only moves later, so the timer re-checks it when it fires.
   */
  const armDebounce = (entry: Entry): void => {
    if (entry.timerKind === 'debounce') return;
    clearTimer(entry);
    entry.timerKind = 'debounce';
    entry.timer = timers.setTimeout(() => fire(entry), Math.max(0, deadlineOf(entry) - timers.now()));
  };

  const fire = (entry: Entry): void => {
    const kind = entry.timerKind;
    entry.timer = undefined;
    entry.timerKind = null;
    if (kind === 'debounce' && entry.pending.size > 0 && timers.now() < deadlineOf(entry)) {
      armDebounce(entry);
      return;
    }
    if (entry.inFlight !== null) entry.due = true;
    else void run(entry);
  };

  const settle = (entry: Entry): void => {
    const waiting = entry.waiters;
    entry.waiters = waiting.filter((w) => w.target > entry.savedSeq);
    for (const w of waiting) if (w.target <= entry.savedSeq) w.resolve();
  };

  const park = (entry: Entry, error: unknown): void => {
    entry.parked = true;
    entry.error = error;
    clearTimer(entry);
    const waiting = entry.waiters;
    entry.waiters = [];
    for (const w of waiting) w.reject(error);
    changed(entry);
  };

  /** One save cycle: send everything pending, then decide what follows from the outcome. */
  const run = async (entry: Entry): Promise<void> => {
    if (entry.inFlight !== null) return;
    clearTimer(entry);
    entry.due = false;
    if (entry.pending.size === 0) return;
    entry.parked = false;
    entry.inFlight = entry.pending;
    entry.pending = new Map();
    entry.sentSeq = entry.editSeq;
    entry.windowStart = null;
    changed(entry);
    let failure: { error: unknown } | null = null;
    try {
      await save(entry.id, Object.fromEntries(entry.inFlight) as CustomerPatch);
    } catch (error) {
      failure = { error };
    }
    const sent = entry.inFlight;
    if (failure === null) {
      entry.inFlight = null;
      entry.savedSeq = entry.sentSeq;
      entry.failedAttempts = 0;
      entry.conflictReloads = 0;
      entry.error = undefined;
      settle(entry);
      if (entry.pending.size > 0 && (entry.due || entry.timerKind === null)) {
        if (entry.due) return run(entry);
        armDebounce(entry);
      }
      changed(entry);
      return;
    }
    // Keep the failed edits, under anything typed since: newer values win field by field.
    entry.pending = new Map([...sent, ...entry.pending]);
    entry.error = failure.error;
    let error = failure.error;
    // A conflict is resolved by re-reading, not by waiting: it does not spend the transient retry
    // budget (a lost acknowledgement followed by its conflict must not exhaust it), but it is bounded
    // so a customer rewritten elsewhere in a tight loop cannot keep the queue busy forever.
    if (
      isCustomerError(error, 'version_conflict') &&
      onConflict &&
      entry.conflictReloads < MAX_CONFLICT_RELOADS
    ) {
      entry.conflictReloads++;
      try {
        await onConflict(entry.id, error);
        entry.inFlight = null;
        return run(entry);
      } catch (reloadError) {
        error = reloadError;
        entry.error = reloadError;
      }
    }
    entry.failedAttempts++;
    entry.inFlight = null;
    if (isTransientSaveError(error) && entry.failedAttempts <= retry.retries) {
      clearTimer(entry);
      entry.timerKind = 'backoff';
      entry.timer = timers.setTimeout(() => fire(entry), backoffDelay(entry.failedAttempts, retry));
      changed(entry);
      return;
    }
    park(entry, error);
  };

  const flushOne = (entry: Entry): Promise<void> => {
    if (entry.savedSeq >= entry.editSeq) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => {
      entry.waiters.push({ target: entry.editSeq, resolve, reject });
    });
    if (entry.inFlight !== null) entry.due = true;
    else {
      if (entry.parked) {
        entry.failedAttempts = 0;
        entry.conflictReloads = 0;
      }
      void run(entry);
    }
    return done;
  };

  const flush = async (id?: string): Promise<void> => {
    const targets = id === undefined ? [...entries.values()] : entries.has(id) ? [entryFor(id)] : [];
    const results = await Promise.allSettled(targets.map(flushOne));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
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
      // Typing on in a field that is already unsaved changes no status: skip the snapshot.
      const unchanged =
        !entry.parked &&
        (entry.pending.has(field as EditableField) || entry.inFlight?.has(field as EditableField));
      entry.pending.set(field as EditableField, normalized);
      entry.editSeq++;
      entry.lastSetAt = timers.now();
      entry.windowStart ??= entry.lastSetAt;
      if (entry.parked) {
        entry.parked = false;
        entry.failedAttempts = 0;
        entry.conflictReloads = 0;
      }
      // During a backoff the retry carries the new edit; otherwise (re)start the debounce timer.
      if (entry.timerKind !== 'backoff') armDebounce(entry);
      if (!unchanged) changed(entry);
      return undefined;
    },

    status: (id) => entries.get(id)?.snapshot ?? IDLE_STATUS,

    pendingPatch(id) {
      const entry = entries.get(id);
      if (!entry) return {};
      return Object.fromEntries([...(entry.inFlight ?? []), ...entry.pending]) as CustomerPatch;
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
      for (const entry of entries.values()) if (entry.savedSeq < entry.editSeq) count++;
      return count;
    },

    flush,

    async dispose() {
      disposed = true;
      try {
        await flush();
      } finally {
        for (const entry of entries.values()) clearTimer(entry);
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
