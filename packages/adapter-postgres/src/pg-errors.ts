import { DuplicateEmailError, isCustomerError, StorageError } from '@donutauto/core';
import type { SqlNames } from './sql/sql-names';

/** The fields of a Postgres error both drivers expose (and `code` of Node's socket errors). */
interface PgErrorFields {
  readonly code?: unknown;
  readonly constraint?: unknown;
  readonly message?: unknown;
}

/**
 * SQLSTATEs of a session that is gone: class 08 (connection exception) and 57P01–57P03 (the
 * server terminated the backend: `pg_terminate_backend`, shutdown, crash recovery, not yet up).
 */
const LOST_SQLSTATE = /^(08[0-9A-Z]{3}|57P0[123])$/;
/** SQLSTATEs of a transaction the server aborted to resolve a conflict: serialization failure, deadlock. */
const CONFLICT_SQLSTATE = new Set(['40001', '40P01']);
/** Node's socket errors of a connection that dropped or could not be opened. */
const LOST_SOCKET = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** How `pg` words a connection it saw end (it sets no code on these). */
const LOST_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Connection ended unexpectedly)/;

function fieldsOf(error: unknown): PgErrorFields {
  return (typeof error === 'object' && error !== null ? error : {}) as PgErrorFields;
}

/**
 * Whether a driver error means the connection it ran on is gone (and with it the transaction).
 * @param error - What the driver threw or emitted.
 * @returns `true` for a terminated backend, a dropped socket or a refused connection.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (error instanceof ConnectionLostError) return true;
  const { code, message } = fieldsOf(error);
  if (typeof code === 'string' && (LOST_SQLSTATE.test(code) || LOST_SOCKET.has(code))) return true;
  return typeof message === 'string' && LOST_MESSAGE.test(message);
}

/**
 * The driver's connection broke under a call. Thrown by the query driver, mapped to
 * `storage_failed` by {@link storageFailure}; never escapes the adapter.
 */
export class ConnectionLostError extends Error {
  /** Whether the next call gets a new connection (a pool) or none (a `pg.Client` cannot reconnect). */
  readonly reconnects: boolean;

  /**
   * @param reconnects - See {@link ConnectionLostError.reconnects}.
   * @param cause - The driver's error.
   */
  constructor(reconnects: boolean, cause: unknown) {
    const detail = fieldsOf(cause).message;
    super(typeof detail === 'string' ? detail : String(cause), { cause });
    this.reconnects = reconnects;
  }
}

/**
 * Maps a driver error to the core's typed errors: the SDK's own errors pass through, a unique
 * violation of the email index becomes `duplicate_email` (the caller names the email), anything
 * else becomes `storage_failed` with the driver error as `cause`, `retryable` when the same call
 * may succeed again (a lost connection a pool replaces, a deadlock, a serialization failure).
 * @param error - What the driver threw.
 * @param names - The adapter's names (to recognize its email index).
 * @returns The error to throw.
 */
export function storageFailure(error: unknown, names: SqlNames): Error {
  if (isCustomerError(error)) return error;
  if (error instanceof ConnectionLostError) {
    return error.reconnects
      ? new StorageError(`PostgreSQL connection lost: ${error.message}`, error.cause, { retryable: true })
      : new StorageError(
          `PostgreSQL connection lost: ${error.message}. A pg.Client cannot reconnect: ` +
            'create a new client and adapter, or pass a pg.Pool, which replaces lost connections',
          error.cause,
        );
  }
  const fields = fieldsOf(error);
  if (fields.code === '23505' && fields.constraint === names.emailIndexName) {
    return new DuplicateEmailError('', { cause: error });
  }
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const code = typeof fields.code === 'string' ? ` (${fields.code})` : '';
  const retryable = isConnectionLoss(error) || CONFLICT_SQLSTATE.has(String(fields.code));
  return new StorageError(`PostgreSQL failed${code}: ${message}`, error, { retryable });
}
