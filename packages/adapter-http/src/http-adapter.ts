import {
  type CsvImportReport,
  type CsvSource,
  InvalidArgumentError,
  type RetryOptions,
} from '@donutauto/core';
import type { ChangeListener, StorageAdapter } from '@donutauto/core/adapter';
import { downloadCsv, type HttpExportOptions, type HttpImportOptions, uploadCsv } from './csv-transfer';
import { type EventChannel, openEventChannel } from './event-channel';
import { createTransport, type FetchFunction, type HeadersOption } from './http-transport';
import {
  CONTENT_TYPES,
  type MethodKind,
  ROUTES,
  RPC_METHODS,
  type RpcMethod,
  type RpcRequestBody,
  type RpcResponseBody,
} from './protocol';

/** Options of {@link createHttpAdapter}. */
export interface HttpAdapterOptions {
  /**
   * Where the server's handler is mounted, e.g. `'/api/customers'` (relative URLs resolve against
   * the page) or `'https://api.example.com/customers'`.
   */
  readonly baseUrl: string | URL;
  /** The `fetch` to use (a wrapper for logging or tests). @defaultValue globalThis.fetch */
  readonly fetch?: FetchFunction;
  /**
   * Headers sent with every request, e.g. `{ authorization: 'Bearer …' }`; a function is called
   * before each attempt, so it can return a refreshed token.
   */
  readonly headers?: HeadersOption;
  /**
   * `fetch`'s `credentials`: `'include'` sends cookies to a server on another origin.
   * @defaultValue fetch's own default, `'same-origin'`
   */
  readonly credentials?: RequestCredentials;
  /**
   * Retries of a failed request (network failure, timeout, 408, 429, 502, 503, 504), reads and writes alike:
   * a write is sent again with the same idempotency key, so it is carried out once.
   * @defaultValue `{ retries: 3, minDelayMs: 200, maxDelayMs: 5000 }`
   */
  readonly retry?: RetryOptions;
  /** Time allowed for one attempt of a request, in ms. @defaultValue 30000 */
  readonly timeoutMs?: number;
  /**
   * Reconnection backoff of change streams (they reconnect for as long as anyone subscribes).
   * @defaultValue `{ minDelayMs: 500, maxDelayMs: 30000 }`
   */
  readonly reconnect?: RetryOptions;
}

/**
 * The HTTP adapter: a `StorageAdapter` whose every method is a request to a server running
 * `createCustomersHandler`, plus server-side CSV import and export.
 */
export interface HttpAdapter extends StorageAdapter {
  /**
   * Uploads a CSV for the server to import (parse, validate, deduplicate, write in batches), with
   * progress lines as it goes. Less traffic than `client.importCsv` over this adapter (which parses
   * in the browser and writes batch by batch), and the server applies its own custom field
   * definitions. Retrying with the same `idempotencyKey` never imports a row twice.
   * @param organizationId - The organization (checked against the server's `authorize`).
   * @param source - The CSV: a string, bytes, a `Blob`/`File` (sent again on retry), or a stream.
   * @param options - Import options (`onDuplicate`, `dryRun`, `mapping`, …), `onProgress`, `signal`,
   * `idempotencyKey`.
   * @returns The server's import report.
   * @throws The server's typed error (`invalid_argument`, `payload_too_large`, `request_timeout`,
   * `unauthorized`, …); `storage_failed` when the server cannot be reached.
   * @example
   * const report = await adapter.importCsv('org_1', file, { onProgress: (p) => show(p.rowsWritten) });
   */
  importCsv(organizationId: string, source: CsvSource, options?: HttpImportOptions): Promise<CsvImportReport>;
  /**
   * Streams the organization's customers (or a filter's) from the server as CSV text chunks.
   * @param organizationId - The organization.
   * @param options - Export options (`filter`, `delimiter`, `customFieldKeys`, …) and `signal`.
   * @returns The CSV, chunk by chunk.
   * @throws `invalid_argument` for a bad option; `storage_failed` when the download is cut off.
   */
  exportCsv(organizationId: string, options?: HttpExportOptions): AsyncIterable<string>;
  /**
   * A view of this adapter whose writes carry the given idempotency key instead of a fresh one: a
   * write recorded before a page reload (an outbox entry) is sent with the same key every time, so
   * the server carries it out once while it remembers the answer (see the server's idempotency).
   * Use one view for one write: a second, different write with the same key is refused with
   * `idempotency_conflict`.
   * @param key - The key, 1–255 visible ASCII characters.
   * @returns The keyed view (reads and `subscribe` behave as this adapter's).
   * @throws `invalid_argument` for an empty or malformed key.
   * @example
   * await adapter.withIdempotencyKey(entry.key).update(org, id, patch, { expectedVersion: 3, updatedAt });
   */
  withIdempotencyKey(key: string): StorageAdapter;
  /** Closes every change stream the adapter opened; later requests still work. */
  close(): Promise<void>;
}

/**
 * Creates a `StorageAdapter` that talks to a server running `createCustomersHandler` from
 * `@donutauto/server`, so `createCustomerClient`, the update queue, the editor and the React hooks
 * work in a browser against PostgreSQL on the server. Reads are retried with backoff; every write
 * carries an idempotency key, so a retried write is carried out once. `subscribe` reads the
 * server's Server-Sent Events with `fetch` (sending your headers), reconnects with backoff and then
 * delivers `{ type: 'update', ids: [] }` ("refetch"). Errors arrive as the core's typed errors, so
 * `isCustomerError(e, 'version_conflict')` works as it does on the server.
 * @param options - See {@link HttpAdapterOptions}.
 * @returns The adapter.
 * @throws `invalid_argument` when `baseUrl` is missing or not a URL.
 * @example
 * const adapter = createHttpAdapter({ baseUrl: '/api/customers' });
 * const client = createCustomerClient({ adapter, organizationId: session.organizationId });
 * await client.update(id, { notes: 'Regular' }, { expectedVersion: 3 });
 */
export function createHttpAdapter(options: HttpAdapterOptions): HttpAdapter {
  if (typeof options !== 'object' || options === null || !options.baseUrl) {
    throw new InvalidArgumentError('baseUrl', 'expected the URL where the server handler is mounted');
  }
  const transport = createTransport(options);
  const channels = new Map<string, EventChannel>();

  const call = async <M extends RpcMethod>(
    method: M,
    organizationId: string,
    args: unknown[],
    key?: string,
  ) => {
    const kind: MethodKind = RPC_METHODS[method];
    // A write made right after `subscribe` must not slip past the stream while it opens.
    if (kind === 'write') await channels.get(organizationId)?.beforeWrite();
    const body = JSON.stringify({ args } as unknown as RpcRequestBody<M>);
    return transport.send(
      organizationId,
      {
        path: `${ROUTES.rpc}${method}`,
        method: 'POST',
        body: () => body,
        contentType: CONTENT_TYPES.json,
        accept: CONTENT_TYPES.json,
        ...(kind === 'write' ? { idempotencyKey: key ?? transport.newKey() } : {}),
      },
      async (response) => ((await response.json()) as RpcResponseBody<M>).result,
    );
  };

  const methodsWith = (key?: string) => {
    const methods = {} as Record<RpcMethod, (organizationId: string, ...args: unknown[]) => Promise<unknown>>;
    for (const method of Object.keys(RPC_METHODS) as RpcMethod[]) {
      methods[method] = (organizationId, ...args) => call(method, organizationId, args, key);
    }
    return methods as unknown as Pick<StorageAdapter, RpcMethod>;
  };
  const methods = methodsWith();

  const subscribe = (organizationId: string, listener: ChangeListener): (() => void) => {
    let channel = channels.get(organizationId);
    if (!channel) {
      channel = openEventChannel(transport, organizationId, { reconnect: options.reconnect });
      channels.set(organizationId, channel);
    }
    const own = channel;
    own.listeners.add(listener);
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size === 0 && channels.get(organizationId) === own) {
        channels.delete(organizationId);
        own.close();
      }
    };
  };

  return {
    name: 'http',
    ...methods,
    subscribe,
    withIdempotencyKey(key) {
      if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
        throw new InvalidArgumentError('key', 'expected 1–255 visible ASCII characters');
      }
      return { name: 'http', ...methodsWith(key), subscribe };
    },
    importCsv: (organizationId, source, importOptions) =>
      uploadCsv(transport, organizationId, source, importOptions),
    exportCsv: (organizationId, exportOptions) => downloadCsv(transport, organizationId, exportOptions),
    async close() {
      for (const channel of channels.values()) channel.close();
      channels.clear();
    },
  };
}
