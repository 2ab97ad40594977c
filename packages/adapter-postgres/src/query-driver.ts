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
   * Registers a `notification` (LISTEN/NOTIFY) or `error` handler.
   * @param event - `notification` or `error`.
   * @param listener - The handler.
   */
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
  /** Removes a handler registered with `on`. */
  removeListener?(event: 'notification', listener: (message: PgNotification) => void): unknown;
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
  /**
   * Registers an `error` handler so a dropped listener connection does not crash the process.
   * @param event - `error`.
   * @param listener - The handler.
   */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** See {@link PgClientLike.on}. */
  on(event: 'notification', listener: (message: PgNotification) => void): unknown;
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
  /** LISTENs on a channel; resolves once listening, with a function that stops. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  /** Closes what the driver opened itself (the dedicated LISTEN connection). */
  close(): Promise<void>;
}

function rowsOf<R>(result: DriverQueryResult): QueryRows<R> {
  return { rows: result.rows as R[], rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

/** `query` over anything with pg's `query(text, params)` (a pool, a client, PGlite). */
function queryOf(target: {
  query(text: string, params?: unknown[]): Promise<DriverQueryResult>;
}): QueryRunner['query'] {
  return async (text, params) => rowsOf(await target.query(text, params ? [...params] : undefined));
}

function isPGlite(db: PostgresDatabase): db is PGliteLike {
  const candidate = db as Partial<PGliteLike>;
  return typeof candidate.listen === 'function' && typeof candidate.exec === 'function';
}

function isPool(db: PostgresDatabase): db is PgPoolLike {
  const candidate = db as Partial<PgPoolLike>;
  return typeof candidate.connect === 'function' && typeof candidate.totalCount === 'number';
}

/** A promise chain: a single connection runs one transaction (or statement) at a time. */
function createMutex() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

async function inTransaction<T>(runner: QueryRunner, fn: (tx: QueryRunner) => Promise<T>): Promise<T> {
  await runner.query('BEGIN');
  try {
    const result = await fn(runner);
    await runner.query('COMMIT');
    return result;
  } catch (error) {
    await runner.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Wraps a database handle in the adapter's query interface, recognizing the driver by its shape.
 * @param db - A `pg.Pool`, a `pg.Client` or a PGlite instance.
 * @returns The driver.
 */
export function createQueryDriver(db: PostgresDatabase, copyFrom?: CopyFromLike): QueryDriver {
  if (isPool(db)) return poolDriver(db, copyFrom);
  if (isPGlite(db)) return singleConnectionDriver(db, 'pglite');
  return singleConnectionDriver(db, 'client', copyFrom);
}

/** A runner over one pg connection, with COPY when `copyFrom` was given. */
function pgRunner(client: PgClientLike, copyFrom: CopyFromLike | undefined): QueryRunner {
  const runner: QueryRunner = { query: queryOf(client) };
  if (copyFrom) {
    runner.copyIn = (sql, text) =>
      new Promise<void>((resolve, reject) => {
        // pg runs any "submittable" passed to query(); the COPY stream is one.
        const stream = (client as unknown as { query(s: CopyStreamLike): CopyStreamLike }).query(
          copyFrom(sql),
        );
        stream.on('error', reject);
        stream.on('finish', () => resolve());
        stream.end(text);
      });
  }
  return runner;
}

function poolDriver(pool: PgPoolLike, copyFrom: CopyFromLike | undefined): QueryDriver {
  let listener: {
    client: PgStandaloneClientLike | PgPoolClientLike;
    channels: Map<string, (p: string) => void>;
  };
  let opening: Promise<typeof listener> | undefined;

  const openListener = () => {
    opening ??= (async () => {
      const channels = new Map<string, (p: string) => void>();
      // A dedicated connection: LISTEN must stay on one session, outside the pool's rotation.
      const Client = (pool as { Client?: new (options: unknown) => PgStandaloneClientLike }).Client;
      let client: PgStandaloneClientLike | PgPoolClientLike;
      if (typeof Client === 'function') {
        const own = new Client(pool.options);
        own.on('error', () => undefined);
        await own.connect();
        client = own;
      } else {
        client = await pool.connect();
      }
      client.on('notification', (message) => channels.get(message.channel)?.(message.payload ?? ''));
      listener = { client, channels };
      return listener;
    })();
    return opening;
  };

  return {
    query: queryOf(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        return await inTransaction(pgRunner(client, copyFrom), fn);
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      const { client, channels } = await openListener();
      channels.set(channel, onPayload);
      await client.query(`LISTEN ${quoteChannel(channel)}`);
      return async () => {
        channels.delete(channel);
        await client.query(`UNLISTEN ${quoteChannel(channel)}`).catch(() => undefined);
      };
    },
    async close() {
      if (!opening) return;
      const { client } = await opening.catch(() => ({ client: undefined }));
      opening = undefined;
      if (client && 'end' in client) await client.end().catch(() => undefined);
      else if (client && 'release' in client) client.release(true);
    },
  };
}

function singleConnectionDriver(
  db: PgClientLike | PGliteLike,
  kind: 'client' | 'pglite',
  copyFrom?: CopyFromLike,
): QueryDriver {
  const exclusive = createMutex();
  const raw: QueryRunner =
    kind === 'client' ? pgRunner(db as PgClientLike, copyFrom) : { query: queryOf(db) };
  const channels = new Map<string, (p: string) => void>();
  let handler: ((message: PgNotification) => void) | undefined;
  const stops = new Set<() => Promise<void>>();

  return {
    query: (text, params) => exclusive(() => raw.query(text, params)),
    transaction: (fn) => exclusive(() => inTransaction(raw, fn)),
    async listen(channel, onPayload) {
      if (kind === 'pglite') {
        // Through the mutex: a LISTEN issued inside another caller's open transaction would share its fate.
        const stop = await exclusive(() => (db as PGliteLike).listen(channel, onPayload));
        const tracked = async () => {
          stops.delete(tracked);
          await exclusive(() => stop()).catch(() => undefined);
        };
        stops.add(tracked);
        return tracked;
      }
      const client = db as PgClientLike;
      if (!handler) {
        handler = (message) => channels.get(message.channel)?.(message.payload ?? '');
        client.on('notification', handler);
      }
      channels.set(channel, onPayload);
      await exclusive(() => raw.query(`LISTEN ${quoteChannel(channel)}`));
      const stop = async () => {
        stops.delete(stop);
        channels.delete(channel);
        await exclusive(() => raw.query(`UNLISTEN ${quoteChannel(channel)}`)).catch(() => undefined);
      };
      stops.add(stop);
      return stop;
    },
    async close() {
      await Promise.all([...stops].map((stop) => stop()));
      if (handler) (db as PgClientLike).removeListener?.('notification', handler);
      handler = undefined;
    },
  };
}

/** Channel names are generated by the adapter from `[a-z0-9_]`; quoting keeps them identifiers. */
function quoteChannel(channel: string): string {
  if (!/^[a-z0-9_]{1,63}$/.test(channel)) throw new Error(`unexpected channel name ${channel}`);
  return `"${channel}"`;
}
