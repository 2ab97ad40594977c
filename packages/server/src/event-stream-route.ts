import {
  type ChangeEventData,
  CONTENT_TYPES,
  EVENT_NAMES,
  type ReadyEventData,
} from '@donutauto/adapter-http/protocol';
import type { ChangeEvent, StorageAdapter } from '@donutauto/core/adapter';

/** Events a client may leave unread before the stream sends one "refetch" instead of each change. */
const MAX_QUEUED_EVENTS = 256;
const UTF8 = new TextEncoder();

function eventText(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Settings of a change stream. */
export interface EventStreamSettings {
  /** Keep-alive comment interval, ms. */
  readonly heartbeatMs: number;
  /** Most ids per event; more become "refetch". */
  readonly maxEventIds: number;
}

/** The change streams a handler has open, so `close()` can end them. */
export type OpenStreams = Set<() => void>;

/**
 * Answers `GET /v1/events`: the authorized organization's change events as Server-Sent Events.
 * `ready` once the adapter subscription is in place, then one `change` per event (ids capped;
 * a slow reader gets one "refetch" instead of an ever-growing queue), and a comment every
 * `heartbeatMs`. Ends when the client goes away or the handler closes.
 * @param adapter - The storage adapter.
 * @param organizationId - The authorized organization: the only one whose events are sent.
 * @param request - The request (its signal ends the stream).
 * @param settings - Heartbeat and id cap.
 * @param open - The handler's open streams.
 * @returns The streaming answer.
 */
export function eventStreamResponse(
  adapter: StorageAdapter,
  organizationId: string,
  request: Request,
  settings: EventStreamSettings,
  open: OpenStreams,
): Response {
  let stop = () => {};
  let ended = false;
  let refetchOwed = false;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        if (!ended) controller.enqueue(UTF8.encode(text));
      };
      const sendEvent = (name: string, data: unknown) => send(eventText(name, data));
      const sendChange = (data: ChangeEventData) => {
        if (ended) return;
        if ((controller.desiredSize ?? 0) <= -MAX_QUEUED_EVENTS) {
          refetchOwed = true;
          return;
        }
        if (refetchOwed) {
          refetchOwed = false;
          sendEvent(EVENT_NAMES.change, { type: 'update', ids: [] } satisfies ChangeEventData);
        }
        sendEvent(EVENT_NAMES.change, data);
      };
      const unsubscribe = adapter.subscribe(organizationId, (event: ChangeEvent) => {
        // Adapters deliver only the subscribed organization's events; this check costs nothing.
        if (event.organizationId !== organizationId) return;
        const ids = event.ids.length > settings.maxEventIds ? [] : event.ids;
        sendChange({ type: event.type, ids });
      });
      const heartbeat = setInterval(() => send(': keep-alive\n\n'), settings.heartbeatMs);
      stop = () => {
        if (ended) return;
        ended = true;
        clearInterval(heartbeat);
        unsubscribe();
        open.delete(stop);
        request.signal.removeEventListener('abort', stop);
        try {
          controller.close();
        } catch {
          // Already closed by the reader.
        }
      };
      open.add(stop);
      request.signal.addEventListener('abort', stop, { once: true });
      if (request.signal.aborted) return stop();
      send(`retry: 1000\n\n`);
      sendEvent(EVENT_NAMES.ready, { heartbeatMs: settings.heartbeatMs } satisfies ReadyEventData);
    },
    // Called once the reader has caught up: the refetch owed for the events it missed goes first.
    pull(controller) {
      if (!refetchOwed || ended) return;
      refetchOwed = false;
      controller.enqueue(UTF8.encode(eventText(EVENT_NAMES.change, { type: 'update', ids: [] })));
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': `${CONTENT_TYPES.eventStream}; charset=utf-8`,
      'cache-control': 'no-store',
      // Tells nginx and similar proxies not to buffer the stream.
      'x-accel-buffering': 'no',
    },
  });
}
