import {
  AbortedError,
  type CustomerError,
  InvalidArgumentError,
  isCustomerError,
  type RetryOptions,
  StorageError,
  uuidv7,
} from '@donutauto/core';
import {
  backoffDelay,
  fromWireError,
  type ResolvedRetryOptions,
  resolveRetryOptions,
} from '@donutauto/core/adapter';
import { HEADERS } from './protocol';

/** A `fetch` function: the platform's, or a wrapper (logging, tests). */
export type FetchFunction = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** Headers sent with every request, or a function returning them (called before each attempt). */
export type HeadersOption =
  | HeadersInit
  | ((context: { readonly organizationId: string }) => HeadersInit | Promise<HeadersInit>);

/** What the transport needs from the adapter's options. */
export interface TransportOptions {
  readonly baseUrl: string | URL;
  readonly fetch?: FetchFunction | undefined;
  readonly headers?: HeadersOption | undefined;
  readonly credentials?: RequestCredentials | undefined;
  readonly retry?: RetryOptions | undefined;
  readonly timeoutMs?: number | undefined;
}

/** One request of the protocol. */
export interface TransportRequest {
  /** Route path, e.g. `/v1/rpc/get`. */
  readonly path: string;
  /** Query parameters. */
  readonly query?: Readonly<Record<string, string>>;
  readonly method: 'GET' | 'POST';
  /** The body, made again for each attempt (a stream can be sent once only). */
  readonly body?: () => BodyInit;
  readonly contentType?: string;
  readonly accept: string;
  /** Sent as `Idempotency-Key` on every attempt: retries of one write share it. */
  readonly idempotencyKey?: string;
  /** The caller's signal: aborting it stops the request and any retry. */
  readonly signal?: AbortSignal | undefined;
  /** Retry failed attempts (network errors, 408, 429, 502–504). @defaultValue true */
  readonly retry?: boolean;
  /** Abort an attempt after this long; `false` for streams that stay open. @defaultValue the transport's */
  readonly timeoutMs?: number | false;
  /**
   * `read` hands the response body on (a download, an event stream): the caller's signal keeps
   * aborting it after `send` returns, and the timeout stops once the headers are in.
   */
  readonly streamsBody?: boolean;
}

/** The adapter's HTTP client: URLs, headers, timeouts, retries with backoff, error mapping. */
export interface Transport {
  /**
   * Sends a request and reads its answer with `read`, retrying both (with the same idempotency key)
   * when the network fails or the server answers 408, 429, 502, 503 or 504.
   * @throws The server's error as its `CustomerError` class; `storage_failed` when unreachable;
   * `aborted` when the caller's signal fired.
   */
  send<T>(
    organizationId: string,
    request: TransportRequest,
    read: (response: Response) => Promise<T>,
  ): Promise<T>;
  /** A fresh idempotency key. */
  newKey(): string;
}

const DEFAULT_RETRY: RetryOptions = { retries: 3, minDelayMs: 200, maxDelayMs: 5_000 };

/**
 * Creates the transport of one adapter.
 * @param options - Base URL, fetch, headers, credentials, retry policy and timeout.
 * @returns The transport.
 */
export function createTransport(options: TransportOptions): Transport {
  const base = resolveBaseUrl(options.baseUrl);
  const doFetch: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const retry = resolveRetryOptions({ ...DEFAULT_RETRY, ...options.retry });
  const defaultTimeout = options.timeoutMs ?? 30_000;

  const headersFor = async (
    organizationId: string,
    request: TransportRequest,
    attemptNumber: number,
  ): Promise<Headers> => {
    const given =
      typeof options.headers === 'function' ? await options.headers({ organizationId }) : options.headers;
    const headers = new Headers(given);
    headers.set(HEADERS.organization, organizationId);
    headers.set('accept', request.accept);
    if (request.contentType) headers.set('content-type', request.contentType);
    if (request.idempotencyKey) {
      headers.set(HEADERS.idempotencyKey, request.idempotencyKey);
      headers.set(HEADERS.attempt, String(attemptNumber));
    }
    return headers;
  };

  const attempt = async <T>(
    organizationId: string,
    request: TransportRequest,
    read: (response: Response) => Promise<T>,
    attemptNumber: number,
  ): Promise<T> => {
    if (request.signal?.aborted) throw new AbortedError('The request was aborted');
    const timeout = request.timeoutMs ?? defaultTimeout;
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = timeout === false ? undefined : setTimeout(() => controller.abort(), timeout);
    try {
      const url = new URL(base + request.path.replace(/^\//, ''));
      for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.set(key, value);
      const body = request.body?.();
      const init: RequestInit & { duplex?: 'half' } = {
        method: request.method,
        headers: await headersFor(organizationId, request, attemptNumber),
        signal: controller.signal,
        ...(body === undefined ? {} : { body }),
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      };
      const response = await doFetch(url, init);
      if (!response.ok) throw await errorOf(response);
      return await read(response);
    } catch (error) {
      if (request.signal?.aborted) throw new AbortedError('The request was aborted');
      if (isCustomerError(error)) throw error;
      const reason = controller.signal.aborted ? `no answer within ${timeout} ms` : describe(error);
      throw new StorageError(`Could not reach the server at ${base}: ${reason}`, error, { retryable: true });
    } finally {
      clearTimeout(timer);
      if (!request.streamsBody) request.signal?.removeEventListener('abort', onAbort);
    }
  };

  return {
    newKey: () => uuidv7(),
    async send(organizationId, request, read) {
      for (let failures = 0; ; failures++) {
        try {
          return await attempt(organizationId, request, read, failures + 1);
        } catch (error) {
          if (request.retry === false || failures >= retry.retries || !isRetryable(error)) throw error;
          await sleep(retryDelay(error, failures + 1, retry), request.signal);
        }
      }
    },
  };
}

/** The base URL with a trailing slash; a relative one resolves against the page's location. */
function resolveBaseUrl(baseUrl: string | URL): string {
  const location = (globalThis as { location?: { href: string } }).location;
  let url: URL;
  try {
    url = new URL(baseUrl, location?.href);
  } catch {
    throw new InvalidArgumentError(
      'baseUrl',
      `expected an absolute URL, got ${JSON.stringify(String(baseUrl))}`,
    );
  }
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** The server's error; an answer that is not one of ours (a proxy's page) becomes `storage_failed`. */
async function errorOf(response: Response): Promise<CustomerError> {
  const text = await response.text().catch(() => '');
  let error: CustomerError;
  try {
    error = fromWireError(JSON.parse(text));
  } catch {
    error = new StorageError(`The server answered ${response.status} ${response.statusText}`.trim());
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0) RETRY_AFTER.set(error, retryAfter * 1000);
  if (RETRYABLE_STATUS.has(response.status)) RETRYABLE.add(error);
  ANSWERED.add(error);
  return error;
}

const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 502, 503, 504]);
/** Errors from an answer whose status says "try again" (kept beside the error, not on it). */
const RETRYABLE = new WeakSet<object>();

/**
 * Marks an error read from an answer's body (an import's error line) as worth another attempt.
 * @param error - The error.
 * @returns The same error.
 */
export function markRetryable<E extends object>(error: E): E {
  RETRYABLE.add(error);
  return error;
}
const RETRY_AFTER = new WeakMap<object, number>();
/** Errors read from an answer (not from a failure to get one). */
const ANSWERED = new WeakSet<object>();

/**
 * Whether a failed attempt may be sent again: network failures and timeouts, and answers whose
 * status says "try again" (408, 429, 502, 503, 504; the handler answers a retryable storage
 * failure, such as a dropped database connection, with 503). A 500 is final.
 */
function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if (RETRYABLE.has(error)) return true;
  // A failure to reach the server at all is the transport's own retryable storage_failed.
  return isCustomerError(error, 'storage_failed') && error.retryable && !ANSWERED.has(error);
}

function retryDelay(error: unknown, attempt: number, options: ResolvedRetryOptions): number {
  const delay = backoffDelay(attempt, options);
  const asked = RETRY_AFTER.get(error as object);
  return asked === undefined ? delay : Math.min(options.maxDelayMs, Math.max(delay, asked));
}

/**
 * Waits `ms`, or rejects with `aborted` as soon as `signal` fires.
 * @param ms - Milliseconds.
 * @param signal - Stops the wait.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new AbortedError('The request was aborted'));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', stop);
      resolve();
    }
    function stop() {
      clearTimeout(timer);
      reject(new AbortedError('The request was aborted'));
    }
    signal?.addEventListener('abort', stop, { once: true });
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
