import type { ResolvedRetryOptions } from '@donutauto/core/adapter';
import { ConnectionMonitor } from './connection-state';
import { ListenConnection, type ListenSession, quoteChannel } from './listen-connection';
import { ConnectionLostError, isConnectionLoss } from './pg-errors';
import type {
  CopyFromLike,
  CopyStreamLike,
  DriverQueryResult,
  PGliteLike,
  PgClientLike,
  PgNotification,
  PgPoolLike,
  PgStandaloneClientLike,
  QueryDriver,
  QueryRows,
  QueryRunner,
} from './query-driver';

const ignore = () => undefined;

function rowsOf<R>(result: DriverQueryResult): QueryRows<R> {
  return { rows: result.rows as R[], rowCount: result.rowCount ?? result.affectedRows ?? result.rows.length };
}

/** `query` over anything with pg's `query(text, params)` (a pool, a client, PGlite). */
function queryOf(target: {
  query(text: string, params?: unknown[]): Promise<DriverQueryResult>;
}): QueryRunner['query'] {
  return async (text, params) => rowsOf(await target.query(text, params ? [...params] : undefined));
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

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Listens for `error` on a checked-out client while the adapter holds it. pg-pool detaches its
 * own listener during a checkout, and `pg` emits `error` when the connection drops: with nobody
 * listening, that event would end the process.
 */
function watchConnection(client: PgClientLike) {
  const watch = {
    error: undefined as Error | undefined,
    stop: () => {
      client.removeListener?.('error', onError);
    },
  };
  const onError = (error: Error) => {
    watch.error ??= error;
  };
  client.on('error', onError);
  return watch;
}

/** Opens the pool's dedicated LISTEN connection: LISTEN must stay on one session, outside the pool's rotation. */
async function openListenSession(pool: PgPoolLike): Promise<ListenSession> {
  const Client = (pool as { Client?: new (options: unknown) => PgStandaloneClientLike }).Client;
  if (typeof Client === 'function') {
    const own = new Client(pool.options);
    // Kept after the session ends too: a dying socket may still emit.
    own.on('error', ignore);
    await own.connect();
    return { client: own, dispose: () => void own.end().catch(ignore) };
  }
  const pooled = await pool.connect();
  pooled.on('error', ignore);
  return { client: pooled, dispose: (error) => pooled.release(error ?? true) };
}

/**
 * The driver of a `pg.Pool`. A transaction whose connection breaks rejects with a
 * {@link ConnectionLostError} and its client goes back to the pool as broken (`release(error)`),
 * so the pool destroys it and opens a fresh one for the next caller. Notifications come through a
 * dedicated {@link ListenConnection} that reconnects.
 */
export function poolDriver(
  pool: PgPoolLike,
  copyFrom: CopyFromLike | undefined,
  reconnect: ResolvedRetryOptions,
): QueryDriver {
  const listener = new ListenConnection(() => openListenSession(pool), reconnect);
  return {
    query: queryOf(pool),
    async transaction(fn) {
      const client = await pool.connect();
      const watch = watchConnection(client);
      let lost: Error | undefined;
      try {
        return await inTransaction(pgRunner(client, copyFrom), fn);
      } catch (error) {
        if (watch.error || isConnectionLoss(error)) {
          lost = watch.error ?? asError(error);
          throw new ConnectionLostError(true, error);
        }
        throw error;
      } finally {
        lost ??= watch.error;
        // A broken client is destroyed, not reused; its listener stays, as the dying socket may still emit.
        if (lost) {
          client.release(lost);
        } else {
          watch.stop();
          client.release();
        }
      }
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    connection: listener.monitor,
    close: () => listener.close(),
  };
}

/**
 * The driver of a single connection: a `pg.Client` or PGlite, one statement or transaction at a
 * time. A `pg.Client` cannot reconnect: once its connection is lost, this call and every later one
 * reject with a {@link ConnectionLostError} that says so, and the connection state is `failed`.
 */
export function singleConnectionDriver(
  db: PgClientLike | PGliteLike,
  kind: 'client' | 'pglite',
  copyFrom?: CopyFromLike,
): QueryDriver {
  const exclusive = createMutex();
  const connection = new ConnectionMonitor();
  const client = kind === 'client' ? (db as PgClientLike) : undefined;
  const raw: QueryRunner = client ? pgRunner(client, copyFrom) : { query: queryOf(db) };
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost ??= error;
    connection.set({ state: 'failed', error: lost });
  };
  client?.on('error', onError);
  /** Every statement on a lost pg.Client fails the same way. */
  const guarded = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (lost) throw new ConnectionLostError(false, lost);
    try {
      return await fn();
    } catch (error) {
      if (!client || !(lost || isConnectionLoss(error))) throw error;
      onError(asError(error));
      throw new ConnectionLostError(false, error);
    }
  };
  const channels = new Map<string, (p: string) => void>();
  let handler: ((message: PgNotification) => void) | undefined;
  const stops = new Set<() => Promise<void>>();
  const listening = () => {
    if (connection.status.state === 'idle') connection.set({ state: 'connected' });
  };

  return {
    query: (text, params) => exclusive(() => guarded(() => raw.query(text, params))),
    transaction: (fn) => exclusive(() => guarded(() => inTransaction(raw, fn))),
    connection,
    async listen(channel, onPayload) {
      if (!client) {
        // Through the mutex: a LISTEN issued inside another caller's open transaction would share its fate.
        const stop = await exclusive(() => (db as PGliteLike).listen(channel, onPayload));
        listening();
        const tracked = async () => {
          stops.delete(tracked);
          await exclusive(() => stop()).catch(() => undefined);
        };
        stops.add(tracked);
        return tracked;
      }
      if (!handler) {
        handler = (message) => channels.get(message.channel)?.(message.payload ?? '');
        client.on('notification', handler);
      }
      channels.set(channel, onPayload);
      await exclusive(() => guarded(() => raw.query(`LISTEN ${quoteChannel(channel)}`)));
      listening();
      const stop = async () => {
        stops.delete(stop);
        channels.delete(channel);
        await exclusive(() => guarded(() => raw.query(`UNLISTEN ${quoteChannel(channel)}`))).catch(
          () => undefined,
        );
      };
      stops.add(stop);
      return stop;
    },
    async close() {
      await Promise.all([...stops].map((stop) => stop()));
      if (handler) client?.removeListener?.('notification', handler);
      handler = undefined;
      // A lost client keeps the listener: its dying socket may still emit.
      if (!lost) client?.removeListener?.('error', onError);
      connection.set({ state: 'closed' });
    },
  };
}
