import { DuplicateEmailError, isCustomerError, StorageError } from '@donutauto/core';
import type { SqlNames } from './sql/sql-names';

/** The fields of a Postgres error both drivers expose. */
interface PgErrorFields {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

/**
 * Maps a driver error to the core's typed errors: the SDK's own errors pass through, a unique
 * violation of the email index becomes `duplicate_email` (the caller names the email), anything
 * else becomes `storage_failed` with the driver error as `cause`.
 * @param error - What the driver threw.
 * @param names - The adapter's names (to recognize its email index).
 * @returns The error to throw.
 */
export function storageFailure(error: unknown, names: SqlNames): Error {
  if (isCustomerError(error)) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as PgErrorFields;
  if (fields.code === '23505' && fields.constraint === names.emailIndexName) {
    return new DuplicateEmailError('', { cause: error });
  }
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const code = typeof fields.code === 'string' ? ` (${fields.code})` : '';
  return new StorageError(`PostgreSQL failed${code}: ${message}`, error);
}
