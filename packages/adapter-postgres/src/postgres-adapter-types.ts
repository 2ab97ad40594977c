import type { StorageAdapter } from '@donutauto/core';
import type { ConnectionState, ConnectionStateListener, ConnectionStatus } from './connection-state';
import type { CopyFromLike, PostgresDatabase } from './query-driver';

/** Backoff between attempts to reopen the LISTEN connection after it dropped (`pg.Pool` only). */
export interface ReconnectOptions {
  /** Delay before the first attempt, in ms; each further attempt doubles it. @defaultValue 100 */
  readonly minDelayMs?: number;
  /** Upper bound of any delay, in ms. @defaultValue 30000 */
  readonly maxDelayMs?: number;
  /**
   * Jitter source returning a number in `[0, 1)`: each delay is between half and all of its
   * exponential value, so many processes that lost the server at once do not return in step.
   * @defaultValue Math.random
   */
  readonly random?: () => number;
}

/** Options of {@link createPostgresAdapter}. */
export interface PostgresAdapterOptions {
  /**
   * A `pg.Pool` (recommended on a server), a `pg.Client`, or a PGlite instance. The adapter never
   * closes it. A pool replaces connections the server drops; a `pg.Client` cannot, so after its
   * connection is lost every call fails with `storage_failed` (`retryable: false`). The adapter
   * listens for the `error` event of the clients it uses, so a dropped connection never ends the
   * process; a pool's idle clients are the pool's: give it an `error` listener, as `pg` requires.
   */
  readonly db: PostgresDatabase;
  /**
   * Schema holding the tables: letters, digits and `_`, not starting with a digit. Created by `migrate()`.
   * @defaultValue 'public'
   */
  readonly schema?: string;
  /**
   * Prefix of the table names (`<prefix>customers`, `<prefix>schema_migrations`): letters, digits, `_`.
   * @defaultValue ''
   */
  readonly tablePrefix?: string;
  /**
   * Send a NOTIFY for every write so subscribers in this and other processes see it.
   * @defaultValue true
   */
  readonly notify?: boolean;
  /**
   * Run every operation in a transaction that sets `donutauto.organization_id` to the caller's
   * organization: needed when the adapter connects as a role subject to the policies of
   * `enableRowLevelSecurity()`. Cannot be combined with `copyFrom`: PostgreSQL refuses
   * `COPY FROM` into a table with row-level security, so the combination is refused at creation.
   * @defaultValue false
   */
  readonly rowLevelSecurity?: boolean;
  /**
   * `from` of the `pg-copy-streams` package. With it, batch inserts on `pg` stream into
   * `COPY … FROM STDIN` (the fastest load Postgres has) instead of one set-based `INSERT … SELECT
   * FROM unnest(…)`; both are atomic per batch. Ignored for PGlite. Refused (`invalid_argument`)
   * together with `rowLevelSecurity: true`, as PostgreSQL refuses COPY under row-level security.
   * @defaultValue undefined (set-based INSERT)
   * @example
   * import { from as copyFrom } from 'pg-copy-streams';
   * createPostgresAdapter({ db: pool, copyFrom });
   */
  readonly copyFrom?: CopyFromLike;
  /**
   * How the dedicated LISTEN connection of a `pg.Pool` reconnects after it drops: it retries for
   * as long as the adapter is open, with exponential backoff and jitter. Each attempt's timeout is
   * the pool's `connectionTimeoutMillis`.
   * @defaultValue `{ minDelayMs: 100, maxDelayMs: 30000 }`
   */
  readonly reconnect?: ReconnectOptions;
}

/** The Postgres {@link StorageAdapter}, plus schema management. */
export interface PostgresAdapter extends StorageAdapter {
  /**
   * Creates the schema (if missing) and applies pending migrations, recorded in
   * `<prefix>schema_migrations`. Idempotent, and safe when several processes call it at once
   * (a transaction-scoped advisory lock serializes them). It also creates the search indexes that
   * need the `pg_trgm` and `btree_gin` extensions when the database offers them (see
   * docs/search-and-segments.md); without them every filter still works, reading more rows.
   * @returns The versions this call applied (empty when up to date) and the names of the search
   *   indexes it could not create (empty when all exist).
   * @throws `storage_failed` when the database refuses (for example missing privileges).
   */
  migrate(): Promise<{ readonly applied: readonly number[]; readonly missingIndexes: readonly string[] }>;
  /**
   * Enables row-level security on the customers and campaign tables with a policy admitting only rows whose
   * `organization_id` equals the session setting `donutauto.organization_id`. Roles that own the
   * table or have `BYPASSRLS` are not restricted. Idempotent.
   * @throws `storage_failed` when the database refuses.
   */
  enableRowLevelSecurity(): Promise<void>;
  /** Quoted, schema-qualified table names, for hand-written SQL and operations. */
  readonly tables: {
    readonly customers: string;
    readonly migrations: string;
    /** Saved segments (`<prefix>segments`). */
    readonly segments: string;
    /** Consent history (`<prefix>consent_history`). */
    readonly consentHistory: string;
    /** Erasure tombstones (`<prefix>erasures`). */
    readonly erasures: string;
    /** Deleted customers' ids, for the change feed (`<prefix>customer_tombstones`). */
    readonly tombstones: string;
    /** Campaign records (`<prefix>campaigns`). */
    readonly campaigns: string;
    /** Campaign runs (`<prefix>campaign_runs`). */
    readonly campaignRuns: string;
  };
  /**
   * The state of the connection that carries change events: `connected` while changes are
   * announced, `reconnecting` while a dropped connection is being reopened (changes made meanwhile
   * are not announced; subscribers get a refetch event, `ids: []`, once it is back), `failed` when
   * it cannot come back (a `pg.Client` passed as `db`). See {@link ConnectionState}.
   * A new object after each change, so it can serve as a `useSyncExternalStore` snapshot.
   */
  readonly connectionState: ConnectionStatus;
  /**
   * Observes {@link PostgresAdapter.connectionState}: the listener receives every later status.
   * @param listener - Receives `{ state, error?, attempt?, retryInMs? }`.
   * @returns A function that stops observing.
   * @example
   * adapter.onConnectionState(({ state, retryInMs }) => {
   *   if (state === 'reconnecting') showBanner(`Live updates paused, retrying in ${retryInMs} ms`);
   *   if (state === 'connected') hideBanner();
   * });
   */
  onConnectionState(listener: ConnectionStateListener): () => void;
  /** Stops LISTENing and closes the dedicated LISTEN connection; the `db` you passed stays open. */
  close(): Promise<void>;
}
