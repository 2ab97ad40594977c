import type { FetchFunction } from '@donutauto/adapter-http';
import { StorageError } from '@donutauto/core';

/** What a tablet's network does with the next requests. */
export interface Network {
  /** `false`: every request fails as if the Wi-Fi were gone. */
  online: boolean;
  /**
   * Requests to drop: `before` never reaches the server, `after` is carried out and its answer lost.
   * Consumed one per request.
   */
  readonly drops: ('before' | 'after')[];
  /** Requests that reached the server. */
  delivered: number;
}

/** A fresh, online network. */
export function network(): Network {
  return { online: true, drops: [], delivered: 0 };
}

/**
 * A `fetch` that hands requests to a Fetch-API handler in process, through a tablet's network.
 * @param handler - The server.
 * @param net - The network state, changed by the test.
 */
export function tabletFetch(handler: (request: Request) => Promise<Response>, net: Network): FetchFunction {
  return async (input, init) => {
    if (!net.online) throw new TypeError('fetch failed: network is offline');
    const drop = net.drops.shift();
    if (drop === 'before') throw new TypeError('fetch failed: connection reset');
    const request = new Request(input, init);
    const response = await handler(request);
    net.delivered++;
    if (drop === 'after') {
      await response.arrayBuffer().catch(() => {});
      throw new TypeError('fetch failed: connection reset after the request was sent');
    }
    return response;
  };
}

/** The error a memory remote throws while offline, as the HTTP adapter would. */
export function offlineError(): StorageError {
  return new StorageError('Could not reach the server: offline', undefined, { retryable: true });
}
