import { isCustomerError } from '../errors/customer-error';

/** How an update queue retries a save that failed with a transient error. */
export interface RetryOptions {
  /** Retries after the first failed attempt before the customer is marked `error`. @defaultValue 5 */
  readonly retries?: number;
  /** Base delay of the first retry, in ms; each retry doubles it. @defaultValue 250 */
  readonly minDelayMs?: number;
  /** Upper bound of any retry delay, in ms. @defaultValue 10000 */
  readonly maxDelayMs?: number;
  /**
   * Jitter source returning a number in `[0, 1)`; inject a seeded one for deterministic tests.
   * @defaultValue Math.random
   */
  readonly random?: () => number;
}

/** {@link RetryOptions} with every default filled in. */
export interface ResolvedRetryOptions {
  /** See {@link RetryOptions.retries}. */
  readonly retries: number;
  /** See {@link RetryOptions.minDelayMs}. */
  readonly minDelayMs: number;
  /** See {@link RetryOptions.maxDelayMs}. */
  readonly maxDelayMs: number;
  /** See {@link RetryOptions.random}. */
  readonly random: () => number;
}

/**
 * Fills in the retry defaults.
 * @param options - What the caller passed.
 * @returns Complete options.
 */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    retries: options.retries ?? 5,
    minDelayMs: options.minDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    random: options.random ?? Math.random,
  };
}

/**
 * Delay before retry number `attempt` (1-based): exponential (`minDelayMs · 2^(attempt-1)`, capped
 * at `maxDelayMs`) with "equal jitter" — half fixed, half random — so that many clients failing at
 * once spread out while the delay still grows.
 * @param attempt - 1 for the first retry.
 * @param options - Resolved retry options.
 * @returns Milliseconds, between half the capped exponential delay and all of it.
 */
export function backoffDelay(attempt: number, options: ResolvedRetryOptions): number {
  const exponential = options.minDelayMs * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(options.maxDelayMs, exponential);
  const half = capped / 2;
  return Math.round(half + options.random() * half);
}

/**
 * Tells whether a failed save is worth retrying. Core's typed `validation_failed`,
 * `forbidden_field`, `duplicate_email`, `invalid_argument`, `not_found` and `version_conflict` errors,
 * and a server's `forbidden`, `payload_too_large` and `idempotency_conflict`, are permanent
 * (retrying the same patch cannot help — a taken email needs the user; conflicts have their own
 * path); anything else — network errors, storage errors, timeouts, an expired session — is transient.
 * @param error - What the save threw.
 * @returns `true` when the save should be retried with backoff.
 */
export function isTransientSaveError(error: unknown): boolean {
  return !(
    isCustomerError(error, 'validation_failed') ||
    isCustomerError(error, 'forbidden_field') ||
    isCustomerError(error, 'duplicate_email') ||
    isCustomerError(error, 'invalid_argument') ||
    isCustomerError(error, 'not_found') ||
    isCustomerError(error, 'version_conflict') ||
    isCustomerError(error, 'forbidden') ||
    isCustomerError(error, 'payload_too_large') ||
    isCustomerError(error, 'idempotency_conflict')
  );
}
