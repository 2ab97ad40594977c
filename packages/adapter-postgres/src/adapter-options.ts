import { InvalidArgumentError } from '@donutauto/core';
import { type ResolvedRetryOptions, resolveRetryOptions } from '@donutauto/core/adapter';
import type { PostgresAdapterOptions, ReconnectOptions } from './postgres-adapter-types';
import type { CopyFromLike } from './query-driver';
import { type SqlNames, sqlNames } from './sql/sql-names';

const DAY_MS = 86_400_000;

/** The checked options of `createPostgresAdapter`, with defaults filled in. */
export interface CheckedAdapterOptions {
  /** Identifiers derived from `schema` and `tablePrefix`. */
  readonly names: SqlNames;
  /** `from` of `pg-copy-streams`, when batches go through COPY. */
  readonly copyFrom: CopyFromLike | undefined;
  /** Backoff of the LISTEN connection's reconnection. */
  readonly reconnect: ResolvedRetryOptions;
}

/**
 * Checks the options of `createPostgresAdapter` when they are given, so a wrong one fails at
 * creation instead of on every call.
 * @param options - What the caller passed.
 * @returns The checked options.
 * @throws `invalid_argument` for a missing `db`, a `schema` or `tablePrefix` that is not a plain
 * identifier, a `copyFrom` that is not a function or comes with `rowLevelSecurity: true`, or
 * `reconnect` delays that are not integers from 1 ms to a day.
 */
export function checkAdapterOptions(options: PostgresAdapterOptions): CheckedAdapterOptions {
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.db !== 'object' ||
    options.db === null
  ) {
    throw new InvalidArgumentError('db', 'expected a pg.Pool, a pg.Client or a PGlite instance');
  }
  const names = sqlNames(options.schema ?? 'public', options.tablePrefix ?? '');
  const { copyFrom } = options;
  if (copyFrom !== undefined && typeof copyFrom !== 'function') {
    throw new InvalidArgumentError('copyFrom', 'expected the from function of pg-copy-streams');
  }
  if (copyFrom && options.rowLevelSecurity) {
    // The server rejects COPY FROM (0A000) for any role the policy applies to, which is the only
    // reason to set rowLevelSecurity: every insert would fail.
    throw new InvalidArgumentError(
      'copyFrom',
      'PostgreSQL refuses COPY FROM into a table with row-level security; with rowLevelSecurity: true, ' +
        'leave copyFrom out (batches then use one set-based INSERT each)',
    );
  }
  return { names, copyFrom, reconnect: reconnectOptions(options.reconnect) };
}

/** Checks the `reconnect` option and fills in its defaults; it retries for as long as the adapter is open. */
function reconnectOptions(options: ReconnectOptions | undefined): ResolvedRetryOptions {
  const delay = (name: 'minDelayMs' | 'maxDelayMs', fallback: number) => {
    const value = options?.[name] ?? fallback;
    if (!Number.isInteger(value) || value < 1 || value > DAY_MS) {
      throw new InvalidArgumentError(`reconnect.${name}`, `expected an integer from 1 to ${DAY_MS}`);
    }
    return value;
  };
  const minDelayMs = delay('minDelayMs', 100);
  const maxDelayMs = delay('maxDelayMs', 30_000);
  if (maxDelayMs < minDelayMs) {
    throw new InvalidArgumentError('reconnect.maxDelayMs', 'expected at least reconnect.minDelayMs');
  }
  const random = options?.random ?? Math.random;
  if (typeof random !== 'function') throw new InvalidArgumentError('reconnect.random', 'expected a function');
  return resolveRetryOptions({ retries: Number.POSITIVE_INFINITY, minDelayMs, maxDelayMs, random });
}
