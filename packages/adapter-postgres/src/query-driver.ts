import type { ResolvedRetryOptions } from '@donutauto/core/adapter';
import { poolDriver, singleConnectionDriver } from './connection-drivers';
import type { ConnectionMonitor } from './connection-state';

/**
 * The structural database types the adapter accepts, and the one small query interface it talks to.
 * Like Kysely's Postgres dialect, nothing here imports `pg` or PGlite: a `pg.Pool`, a `pg.Client`
 * and a PGlite instance are recognized by their shape, so both drivers stay optional peers.
 */

/** What a query returns, as both drivers shape it (pg: `rowCount`; PGlite: `affectedRows`). */
export interface DriverQueryResult {
  /** Result rows as objects keyed by column name. */
  readonly rows: unknown[];
  /** Rows affected (pg). */
  readonly rowCount?: number | null;
  /** Rows affected (PGlite). */
  readonly affectedRows?: number;
}

/** A notification as `pg` emits it. */
export interface PgNotification {
  /** The channel it was sent on. */
  readonly channel: string;
  /** The payload text. */
  readonly payload?: string | undefined;
}

/** The part of `pg.Client` (and of a pooled client) the adapter uses. */
export interface PgClientLike {
  /**
   * Runs one parameterized statement.
   * @param text - SQL with `$1…` placeholders.
   * @param values - The parameters.
   * @returns The result.
   */
  query(text: string, values?: unknown[]): Promise<DriverQueryResult>;
  /**
   * Registers a `notification` (LISTEN/NOTIFY) handler.
   * @param event - `notification`.
   * @param listener - The handler.
   */
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  /**
   * Registers an `error` handler: `pg` emits `error` when the connection drops, and an `error`
   * event nobody listens to ends the process, so the adapter listens while it uses the client.
   * @param event - `error`.
   * @param listener - The handler.
   */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /**
   * Registers a handler of the connection's end.
   * @param event - `end`.
   * @param listener - The handler.
   */
  on(event: 'end', listener: () => void): unknown;
  /** Removes a handler registered with `on`. */
  removeListener?(event: 'notification', listener: (message: PgNotification) => void): unknown;
  /** Removes an `error` handler registered with `on`. */
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** A client checked out of a `pg.Pool`. */
export interface PgPoolClientLike extends PgClientLike {
  /**
   * Returns the client to its pool.
   * @param error - Pass an error to destroy the connection instead of reusing it.
   */
  release(error?: Error | boolean): void;
}

/** A standalone client the adapter can open for LISTEN (what `pg.Client` is). */
export interface PgStandaloneClientLike extends PgClientLike {
  /** Opens the connection. */
  connect(): Promise<unknown>;
  /** Closes the connection. */
  end(): Promise<void>;
}

/** The part of `pg.Pool` the adapter uses. */
export interface PgPoolLike {
  /** See {@link PgClientLike.query}. */
  query(text: string, values?: unknown[]): Promise<DriverQueryResult>;
  /**
   * Checks a client out for a transaction.
   * @returns A pooled client; the adapter always releases it.
   */
  connect(): Promise<PgPoolClientLike>;
  /** Present on every `pg.Pool`: how the adapter tells a pool from a client. */
  readonly totalCount: number;
  /** The pool's connection options, reused to open a dedicated LISTEN connection. */
  readonly options?: unknown;
}

/** The part of a PGlite instance the adapter uses. */
export interface PGliteLike {
  /** See {@link PgClientLike.query}. */
  query(text: string, params?: unknown[]): Promise<DriverQueryResult>;
  /** Runs SQL without parameters (used to tell PGlite apart). */
  exec(text: string): Promise<unknown>;
  /**
   * Subscribes to a NOTIFY channel.
   * @param channel - The channel name.
   * @param callback - Receives each payload.
   * @returns A function that unsubscribes.
   */
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/** The writable stream `pg-copy-streams`' `from(sql)` returns, as far as the adapter uses it. */
export interface CopyStreamLike {
  /**
   * Ends the COPY with a last chunk of COPY text.
   * @param chunk - Rows in COPY text format.
   */
  end(chunk: string): unknown;
  /**
   * Registers the completion and failure handlers.
   * @param event - `finish` (the server accepted every row) or `error`.
   * @param listener - The handler.
   */
  on(event: 'finish' | 'error', listener: (error?: Error) => void): unknown;
}

/** `from` of `pg-copy-streams`: makes a `COPY … FROM STDIN` stream a pg client can run. */
export type CopyFromLike = (sql: string) => CopyStreamLike;

/** Any database handle `createPostgresAdapter` accepts: a `pg.Pool`, a `pg.Client` or a PGlite instance. */
export type PostgresDatabase = PgPoolLike | PgClientLike | PGliteLike;

/** Runs statements; rows come back as plain objects. */
export interface QueryRunner {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryRows<R>>;
  /** Streams COPY text into `COPY … FROM STDIN`; present only for pg with `copyFrom`. */
  copyIn?(sql: string, text: string): Promise<void>;
}

/** Rows and affected-row count of one statement. */
export interface QueryRows<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** The 3-method interface every SQL statement of the adapter goes through. */
export interface QueryDriver extends QueryRunner {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: QueryRunner) => Promise<T>): Promise<T>;
  /**
   * LISTENs on a channel; resolves once listening (or, while the LISTEN connection is down, once
   * the channel is registered for the reconnection), with a function that stops.
   */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** The state of the connection that carries notifications. */
  readonly connection: ConnectionMonitor;
  /** Closes what the driver opened itself (the dedicated LISTEN connection). */
  close(): Promise<void>;
}

function isPGlite(db: PostgresDatabase): db is PGliteLike {
  const candidate = db as Partial<PGliteLike>;
  return typeof candidate.listen === 'function' && typeof candidate.exec === 'function';
}

function isPool(db: PostgresDatabase): db is PgPoolLike {
  const candidate = db as Partial<PgPoolLike>;
  return typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number';
}

/**
 * Wraps a database handle in the adapter's query interface, recognizing the driver by its shape.
 * @param db - A `pg.Pool`, a `pg.Client` or a PGlite instance.
 * @param copyFrom - `from` of `pg-copy-streams`, to stream batches through COPY on pg.
 * @param reconnect - Backoff of the pool's LISTEN connection after it drops.
 * @returns The driver.
 */
export function createQueryDriver(
  db: PostgresDatabase,
  copyFrom: CopyFromLike | undefined,
  reconnect: ResolvedRetryOptions,
): QueryDriver {
  if (isPool(db)) return poolDriver(db, copyFrom, reconnect);
  if (isPGlite(db)) return singleConnectionDriver(db, 'pglite');
  return singleConnectionDriver(db, 'client', copyFrom);
}
