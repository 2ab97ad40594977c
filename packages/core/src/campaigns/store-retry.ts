import { isCustomerError } from '../errors/customer-error';
import type { UpdateQueueTimers } from '../updates/queue-timers';
import { backoffDelay, type ResolvedRetryOptions } from '../updates/retry-backoff';

/** How a runner retries a store call that failed transiently (a lost connection, a deadlock). */
export const STORE_RETRY: Omit<ResolvedRetryOptions, 'random'> = {
  retries: 3,
  minDelayMs: 250,
  maxDelayMs: 5_000,
};

/**
 * Calls the store, retrying with backoff and jitter while it fails with a `storage_failed` error
 * marked `retryable` (the same call may then succeed); any other error, or the last one, is thrown.
 * @param call - The store call; safe to repeat (every campaign write is idempotent or compare-and-set).
 * @param timers - Timers for the waits.
 * @param random - Jitter source.
 * @returns What the call returned.
 */
export async function retryStore<T>(
  call: () => Promise<T>,
  timers: UpdateQueueTimers,
  random: () => number,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isCustomerError(error, 'storage_failed') || !error.retryable || attempt >= STORE_RETRY.retries)
        throw error;
      const delay = backoffDelay(attempt + 1, { ...STORE_RETRY, random });
      await new Promise<void>((resolve) => timers.setTimeout(resolve, delay));
    }
  }
}
