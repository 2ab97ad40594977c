import { isCustomerError, StorageError } from '@donutauto/core';

/**
 * Why an IndexedDB operation failed:
 * - `quota_exceeded` — the browser refused to store more (`QuotaExceededError`); free space and retry.
 * - `blocked` — a schema upgrade waits for another tab that still holds an older connection open.
 * - `version` — the stored database was created by a newer release of the app; reload the page.
 * - `closed` — the adapter was closed with `close()`.
 * - `unavailable` — there is no IndexedDB in this context (pass the `indexedDB` option).
 * - `failed` — any other driver failure (see `cause`).
 */
export type IndexedDbFailureReason =
  | 'quota_exceeded'
  | 'blocked'
  | 'version'
  | 'closed'
  | 'unavailable'
  | 'failed';

/**
 * A storage failure of the IndexedDB adapter. Its `code` is the core's `storage_failed` (so
 * `isCustomerError(e, 'storage_failed')` matches it); `reason` says what went wrong and `cause`
 * keeps the browser's `DOMException`.
 * @example
 * if (isCustomerError(e, 'storage_failed') && (e as IndexedDbStorageError).reason === 'quota_exceeded') askToFreeSpace();
 */
export class IndexedDbStorageError extends StorageError {
  /** What went wrong, see {@link IndexedDbFailureReason}. */
  readonly reason: IndexedDbFailureReason;

  /**
   * @param reason - What went wrong.
   * @param message - What the adapter was doing.
   * @param cause - The browser's error.
   */
  constructor(reason: IndexedDbFailureReason, message: string, cause?: unknown) {
    super(message, cause);
    this.reason = reason;
  }
}

/**
 * Wraps a driver error (a `DOMException` from IndexedDB) into an {@link IndexedDbStorageError},
 * leaving the SDK's own typed errors untouched.
 * @param error - What was thrown or what aborted the transaction.
 * @param doing - What the adapter was doing, for the message.
 * @returns The error to throw.
 */
export function toStorageError(error: unknown, doing: string): Error {
  if (isCustomerError(error)) return error;
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'QuotaExceededError') {
    return new IndexedDbStorageError('quota_exceeded', `Storage quota exceeded while ${doing}`, error);
  }
  if (name === 'VersionError') {
    return new IndexedDbStorageError(
      'version',
      `The stored customer database is newer than this app (${doing}); reload to update the app`,
      error,
    );
  }
  const detail = error instanceof Error ? `: ${error.name}: ${error.message}` : '';
  return new IndexedDbStorageError('failed', `IndexedDB failed while ${doing}${detail}`, error);
}
