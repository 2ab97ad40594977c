import { createHttpAdapter, type HttpAdapter } from '@donutauto/adapter-http';
import { createMemoryAdapter } from '@donutauto/core';
import type { StorageAdapter } from '@donutauto/core/adapter';
import {
  type CustomersHandler,
  type CustomersHandlerOptions,
  createCustomersHandler,
} from '@donutauto/server';
import { bearerAuthorize, bearerHeaders, serveOnLoopback } from './loopback';

const running: (() => Promise<void>)[] = [];

/** A handler on a loopback server, with an HTTP adapter pointed at it. */
export interface ServedHandler {
  /** The storage behind the handler (read it to check what was stored). */
  readonly store: StorageAdapter;
  readonly handler: CustomersHandler;
  /** The base URL. */
  readonly url: string;
  /** An adapter sending each organization's test token. */
  readonly adapter: HttpAdapter;
}

/**
 * Serves a handler (memory store, test-token `authorize`, silent `onError` unless given) on
 * loopback; {@link closeServedHandlers} stops every one.
 * @param options - Handler options overriding the defaults.
 */
export async function serveHandler(options: Partial<CustomersHandlerOptions> = {}): Promise<ServedHandler> {
  const store = options.adapter ?? createMemoryAdapter();
  const handler = createCustomersHandler({
    authorize: bearerAuthorize,
    onError: () => {},
    ...options,
    adapter: store,
  });
  const server = await serveOnLoopback(handler);
  const adapter = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders });
  running.push(async () => {
    await adapter.close();
    await handler.close();
    await server.close();
  });
  return { store, handler, url: server.url, adapter };
}

/** Stops every handler {@link serveHandler} started (call it in `afterEach`). */
export async function closeServedHandlers(): Promise<void> {
  for (const close of running.splice(0)) await close();
}
