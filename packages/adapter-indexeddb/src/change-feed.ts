import type { ChangeEvent, ChangeListener } from '@donutauto/core';

/** The subset of `BroadcastChannel` the feed uses (browsers, workers and Node 18+ have it). */
export interface BroadcastChannelLike {
  /**
   * Sends a structured-cloneable message to the other channels of the same name.
   * @param message - `{ type, organizationId, ids }`.
   */
  postMessage(message: unknown): void;
  /**
   * Receives the messages other channels of the same name send.
   * @param type - Always `message`.
   * @param listener - Called with each message event.
   */
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  /** Stops sending and receiving. */
  close(): void;
}

/** Above this many ids an event is sent as "something changed" (empty `ids`), keeping messages small. */
const MAX_BROADCAST_IDS = 1_000;

/** Delivers change events to this tab's subscribers and, through a `BroadcastChannel`, to other tabs. */
export interface ChangeFeed {
  /** Announces a committed change here and in other tabs. */
  emit(event: ChangeEvent): void;
  /** Subscribes to one organization's changes, wherever they were made. */
  subscribe(organizationId: string, listener: ChangeListener): () => void;
  /** Drops every listener and closes the channel. */
  close(): void;
}

/**
 * Creates the change feed of one adapter.
 * @param channelName - The `BroadcastChannel` name; adapters on the same database share it.
 * @param createChannel - Opens the channel, or `undefined` when cross-tab delivery is off or unavailable.
 * @returns The feed.
 */
export function createChangeFeed(
  channelName: string,
  createChannel: ((name: string) => BroadcastChannelLike) | undefined,
): ChangeFeed {
  const listeners = new Map<string, Set<ChangeListener>>();
  let channel: BroadcastChannelLike | undefined;

  function deliver(event: ChangeEvent): void {
    const set = listeners.get(event.organizationId);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch {
        // A failing subscriber must not break the write or other subscribers.
      }
    }
  }

  function ensureChannel(): BroadcastChannelLike | undefined {
    if (channel || !createChannel) return channel;
    channel = createChannel(channelName);
    // Node keeps the process alive while a channel listens; browsers have no `unref`.
    (channel as { unref?: () => void }).unref?.();
    channel.addEventListener('message', (message) => {
      const event = parseEvent(message.data);
      if (event) deliver(event);
    });
    return channel;
  }

  return {
    emit(event) {
      queueMicrotask(() => deliver(event));
      const open = ensureChannel();
      if (!open) return;
      const ids = event.ids.length > MAX_BROADCAST_IDS ? [] : [...event.ids];
      try {
        open.postMessage({ type: event.type, organizationId: event.organizationId, ids });
      } catch {
        // Other tabs refetch on their next read; a lost broadcast must not fail a committed write.
      }
    },
    subscribe(organizationId, listener) {
      ensureChannel();
      let set = listeners.get(organizationId);
      if (!set) {
        set = new Set();
        listeners.set(organizationId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    close() {
      listeners.clear();
      channel?.close();
      channel = undefined;
    },
  };
}

/** Accepts only well-formed events: anything else on the channel is ignored. */
function parseEvent(data: unknown): ChangeEvent | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const { type, organizationId, ids } = data as Record<string, unknown>;
  if (type !== 'insert' && type !== 'update' && type !== 'delete') return undefined;
  if (typeof organizationId !== 'string') return undefined;
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return undefined;
  return { type, organizationId, ids: ids as string[] };
}
