import type { FetchFunction } from '@donutauto/adapter-http';

/** A `fetch` that loses answers: the server carries the request out, the client never sees it. */
export interface DroppingFetch {
  readonly fetch: FetchFunction;
  /** Answers dropped so far. */
  readonly dropped: () => number;
  /** Requests sent so far (attempts, retries included). */
  readonly sent: () => number;
}

/**
 * Wraps `fetch` so that the first `times` requests matching `match` are performed (the server
 * answers them completely) and then fail on the client as a dropped connection would.
 * @param match - Which requests to drop, by URL and init.
 * @param times - How many of them.
 */
export function droppingFetch(
  match: (url: string, init?: RequestInit) => boolean,
  times = Infinity,
): DroppingFetch {
  let dropped = 0;
  let sent = 0;
  return {
    dropped: () => dropped,
    sent: () => sent,
    fetch: async (input, init) => {
      sent++;
      const url = String(input instanceof Request ? input.url : input);
      const response = await fetch(input, init);
      if (dropped < times && match(url, init)) {
        dropped++;
        await response.arrayBuffer();
        throw new TypeError('fetch failed: the connection was reset (answer dropped by the test)');
      }
      return response;
    },
  };
}

/** Matches the storage writes of the protocol. */
export function isWrite(url: string): boolean {
  return /\/v1\/rpc\/(insertMany|updateMany|update|delete)$/.test(url) || url.includes('/v1/import');
}
