import type { RetryOptions } from '@donutauto/core';
import {
  backoffDelay,
  type ChangeEvent,
  type ChangeListener,
  resolveRetryOptions,
} from '@donutauto/core/adapter';
import { readEventStream } from './event-stream-reader';
import { sleep, type Transport } from './http-transport';
import { type ChangeEventData, CONTENT_TYPES, EVENT_NAMES, type ReadyEventData, ROUTES } from './protocol';

/** One organization's change stream, shared by all of its subscribers in an adapter. */
export interface EventChannel {
  /** The subscribers. */
  readonly listeners: Set<ChangeListener>;
  /**
   * Resolves once the first connection is listening (or has failed), or after a bound: a write
   * made after `subscribe` waits for it, so its own change event is not missed while the stream
   * opens. A write that went ahead before the stream opened earns the subscribers a refetch event
   * when it does.
   */
  beforeWrite(): Promise<void>;
  /** Closes the stream; no more events are delivered. */
  close(): void;
}

/** Options of the change stream's reconnection. */
export interface EventChannelOptions {
  /** Reconnection backoff (unbounded retries: a stream reconnects while anyone subscribes). */
  readonly reconnect?: RetryOptions | undefined;
  /** Silence, in heartbeats, after which a connection counts as dead. @defaultValue 2.5 */
  readonly heartbeatTolerance?: number;
}

const DEFAULT_RECONNECT: RetryOptions = { minDelayMs: 500, maxDelayMs: 30_000 };
/** Longest a write waits for a stream that is still opening. */
const OPEN_WAIT_MS = 2_000;

/**
 * Opens an organization's change stream: `GET /v1/events` read with `fetch` (so it carries the
 * adapter's headers, unlike `EventSource`), reconnected with backoff when it drops or falls silent
 * for longer than the server's heartbeat allows. After every reconnection the subscribers receive
 * `{ type: 'update', ids: [] }` ("refetch"): changes made while the stream was down are not replayed.
 * @param transport - The adapter's transport.
 * @param organizationId - The organization.
 * @param options - Reconnection policy.
 * @returns The channel; add listeners to `listeners`.
 */
export function openEventChannel(
  transport: Transport,
  organizationId: string,
  options: EventChannelOptions = {},
): EventChannel {
  const listeners = new Set<ChangeListener>();
  const closed = new AbortController();
  const reconnect = resolveRetryOptions({ ...DEFAULT_RECONNECT, ...options.reconnect });
  const tolerance = options.heartbeatTolerance ?? 2.5;
  // `everReady`: a connection has reached `ready` at least once. `firstAttempt` settles when the
  // first connection is ready or has failed.
  let everReady = false;
  let wroteBeforeReady = false;
  let settleFirstAttempt = () => {};
  const firstAttempt = new Promise<void>((resolve) => {
    settleFirstAttempt = resolve;
  });
  const beforeWrite = async () => {
    if (everReady) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, OPEN_WAIT_MS);
    });
    await Promise.race([firstAttempt, bound]);
    clearTimeout(timer);
    if (!everReady) wroteBeforeReady = true;
  };

  const deliver = (event: ChangeEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the stream or other subscribers.
      }
    }
  };

  /** One connection; `true` when it got as far as `ready`. */
  const connect = async (reconnecting: boolean): Promise<boolean> => {
    let ready = false;
    const connection = new AbortController();
    const stop = () => connection.abort();
    closed.signal.addEventListener('abort', stop, { once: true });
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    let silenceMs = 0;
    const feed = () => {
      clearTimeout(watchdog);
      if (silenceMs > 0) watchdog = setTimeout(stop, silenceMs);
    };
    try {
      const body = await transport.send(
        organizationId,
        {
          path: ROUTES.events,
          method: 'GET',
          accept: CONTENT_TYPES.eventStream,
          signal: connection.signal,
          retry: false,
          streamsBody: true,
        },
        async (response) => response.body,
      );
      if (!body) return false;
      for await (const message of readEventStream(body, feed)) {
        if (message.event === EVENT_NAMES.ready) {
          const { heartbeatMs } = JSON.parse(message.data) as ReadyEventData;
          silenceMs = heartbeatMs > 0 ? heartbeatMs * tolerance : 0;
          feed();
          ready = true;
          everReady = true;
          settleFirstAttempt();
          if (reconnecting || wroteBeforeReady) deliver({ type: 'update', organizationId, ids: [] });
          wroteBeforeReady = false;
        } else if (message.event === EVENT_NAMES.change && ready) {
          const { type, ids } = JSON.parse(message.data) as ChangeEventData;
          deliver({ type, organizationId, ids });
        }
      }
    } catch {
      // Dropped, refused or silent: the loop reconnects.
    } finally {
      clearTimeout(watchdog);
      closed.signal.removeEventListener('abort', stop);
      connection.abort();
    }
    return ready;
  };

  void (async () => {
    let failures = 0;
    while (!closed.signal.aborted) {
      if (await connect(everReady)) failures = 0;
      settleFirstAttempt();
      if (closed.signal.aborted) return;
      failures++;
      await sleep(backoffDelay(failures, reconnect), closed.signal).catch(() => {});
    }
  })();

  return { listeners, beforeWrite, close: () => closed.abort() };
}
