import { backoffDelay, type ResolvedRetryOptions } from '@donutauto/core/adapter';
import { ConnectionMonitor } from './connection-state';
import type { PgClientLike, PgNotification } from './query-driver';

/** A connected client to LISTEN on, and how to let go of it. */
export interface ListenSession {
  /** The connection. */
  readonly client: PgClientLike;
  /**
   * Closes it (a standalone client) or hands it back to its pool to be destroyed.
   * @param error - Why, when it broke.
   */
  dispose(error?: Error): void;
}

/** Opens a connected {@link ListenSession}; rejects when the database cannot be reached. */
export type OpenListenSession = () => Promise<ListenSession>;

interface Live {
  readonly session: ListenSession;
  dead: boolean;
}

/**
 * One dedicated LISTEN connection that survives its own loss: when the connection drops (or
 * cannot be opened) it reconnects with exponential backoff and LISTENs again on every channel.
 * Its {@link ConnectionMonitor} reports each step, so the change notifier can tell subscribers to
 * refetch what they may have missed.
 */
export class ListenConnection {
  /** The connection's state, for the adapter's `onConnectionState`. */
  readonly monitor = new ConnectionMonitor();
  readonly #open: OpenListenSession;
  readonly #retry: ResolvedRetryOptions;
  readonly #channels = new Map<string, (payload: string) => void>();
  #live: Live | undefined;
  #opening: Promise<Live | undefined> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #attempt = 0;
  #closed = false;

  /**
   * @param open - Opens a new connection.
   * @param retry - Backoff between reconnection attempts.
   */
  constructor(open: OpenListenSession, retry: ResolvedRetryOptions) {
    this.#open = open;
    this.#retry = retry;
  }

  /**
   * LISTENs on a channel. While the connection is down this resolves at once: the channel is
   * LISTENed on as soon as the connection is back.
   * @returns A function that stops listening on it.
   */
  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    this.#channels.set(channel, onPayload);
    const live = await this.#ensure();
    if (live) await this.#query(live, `LISTEN ${quoteChannel(channel)}`);
    return async () => {
      // A later listen() of the same channel replaced the handler: that one stays.
      if (this.#channels.get(channel) !== onPayload) return;
      this.#channels.delete(channel);
      const current = this.#live;
      if (current) await this.#query(current, `UNLISTEN ${quoteChannel(channel)}`);
    };
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const live = this.#live ?? (await this.#opening);
    this.#live = undefined;
    if (live && !live.dead) {
      live.dead = true;
      live.session.dispose();
    }
    this.monitor.set({ state: 'closed' });
  }

  /**
   * The live connection, opening it on first use; `undefined` while reconnecting, so that nobody
   * (a write waiting for its subscribers' LISTEN) waits on a server that is away: the attempt
   * LISTENs on every channel registered by then.
   */
  #ensure(): Promise<Live | undefined> {
    if (this.#live) return Promise.resolve(this.#live);
    if (this.#closed || this.#timer !== undefined) return Promise.resolve(undefined);
    if (!this.#opening) {
      const opening = this.#connect();
      this.#opening = opening;
      const forget = () => {
        if (this.#opening === opening) this.#opening = undefined;
      };
      opening.then(forget, forget);
    }
    return this.#attempt > 0 ? Promise.resolve(undefined) : this.#opening;
  }

  async #connect(): Promise<Live | undefined> {
    if (this.#attempt === 0) this.monitor.set({ state: 'connecting' });
    let session: ListenSession;
    try {
      session = await this.#open();
    } catch (error) {
      this.#scheduleReconnect(error);
      return undefined;
    }
    const live: Live = { session, dead: false };
    const { client } = session;
    client.on('error', (error) => this.#lost(live, error));
    client.on('end', () => this.#lost(live, new Error('The LISTEN connection ended')));
    client.on('notification', (message: PgNotification) => {
      this.#channels.get(message.channel)?.(message.payload ?? '');
    });
    // Channels registered while this loop runs are included: a Map iterates what is added meanwhile.
    for (const channel of this.#channels.keys()) {
      if (!(await this.#query(live, `LISTEN ${quoteChannel(channel)}`))) return undefined;
    }
    if (this.#closed) {
      live.dead = true;
      session.dispose();
      return undefined;
    }
    this.#live = live;
    this.#attempt = 0;
    this.monitor.set({ state: 'connected' });
    return live;
  }

  /** Runs a statement on the connection; a failure there means the connection is lost. */
  async #query(live: Live, text: string): Promise<boolean> {
    try {
      await live.session.client.query(text);
      return true;
    } catch (error) {
      this.#lost(live, error);
      return false;
    }
  }

  #lost(live: Live, error: unknown): void {
    if (live.dead) return;
    live.dead = true;
    if (this.#live === live) this.#live = undefined;
    live.session.dispose(error instanceof Error ? error : new Error(String(error)));
    if (!this.#closed) this.#scheduleReconnect(error);
  }

  #scheduleReconnect(error: unknown): void {
    if (this.#closed) return;
    this.#attempt++;
    const retryInMs = backoffDelay(this.#attempt, this.#retry);
    this.monitor.set({ state: 'reconnecting', error, attempt: this.#attempt, retryInMs });
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#ensure();
    }, retryInMs);
    // Waiting to reconnect must not keep a process alive that has nothing else to do.
    (this.#timer as { unref?: () => void }).unref?.();
  }
}

/** Channel names are generated by the adapter from `[a-z0-9_]`; quoting keeps them identifiers. */
export function quoteChannel(channel: string): string {
  if (!/^[a-z0-9_]{1,63}$/.test(channel)) throw new Error(`unexpected channel name ${channel}`);
  return `"${channel}"`;
}
