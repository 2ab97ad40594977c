/**
 * The clock and timers an update queue schedules with. Inject one to drive the queue from a test's
 * virtual clock (the pattern of TanStack Query's timeout manager); by default the global timers are
 * looked up at call time, so `vi.useFakeTimers()` installed after import still applies.
 */
export interface UpdateQueueTimers {
  /**
   * Schedules `callback` after `ms` milliseconds.
   * @param callback - What to run.
   * @param ms - Delay in milliseconds (never negative).
   * @returns A handle accepted by {@link UpdateQueueTimers.clearTimeout}.
   */
  setTimeout(callback: () => void, ms: number): unknown;
  /**
   * Cancels a timer; unknown or already-fired handles are ignored.
   * @param handle - What {@link UpdateQueueTimers.setTimeout} returned.
   */
  clearTimeout(handle: unknown): void;
  /**
   * The current time in epoch milliseconds (only differences matter).
   * @returns Milliseconds.
   */
  now(): number;
}

/** The global `setTimeout`/`clearTimeout`/`Date.now`, resolved on every call. */
export const systemTimers: UpdateQueueTimers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  now: () => Date.now(),
};
