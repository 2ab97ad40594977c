import { type CustomFieldDefinition, InvalidArgumentError } from '@donutauto/core';
import type { StorageAdapter } from '@donutauto/core/adapter';
import type { IdempotencyStore } from './idempotency-store';

/**
 * Decides who sends a request: returns the organization id the request may read and change, or
 * `null`/`undefined` when it carries no valid credentials (answered `401 unauthorized`). Throw
 * `new RequestError('forbidden', …)` to answer `403`. The organization is never taken from the
 * body, the query or a cursor: only from here.
 */
export type Authorize = (request: Request) => string | null | undefined | Promise<string | null | undefined>;

/** The bounds a handler enforces on every request. */
export interface HandlerLimits {
  /** Largest JSON request body, in bytes (`payload_too_large` above). @defaultValue 8 MiB */
  readonly maxJsonBytes: number;
  /** Largest CSV upload, in bytes (`payload_too_large` above). @defaultValue 256 MiB */
  readonly maxImportBytes: number;
  /** Time allowed to receive a whole JSON body, in ms (`request_timeout` after). @defaultValue 30000 */
  readonly bodyTimeoutMs: number;
  /** Longest pause between two chunks of a CSV upload, in ms (`request_timeout` after). @defaultValue 30000 */
  readonly importIdleTimeoutMs: number;
  /** Most customers, updates or emails in one storage call (`payload_too_large` above). @defaultValue 10000 */
  readonly maxBatchSize: number;
  /** Highest `concurrency` a server-side import may ask for (`invalid_argument` above). @defaultValue 4 */
  readonly maxImportConcurrency: number;
  /**
   * How far ahead of the server's clock a client's `createdAt`/`updatedAt` may be, in ms
   * (`invalid_argument` beyond): a client cannot pin a customer to the top of newest-first lists.
   * @defaultValue 300000 (5 minutes)
   */
  readonly maxClockSkewMs: number;
  /** Interval of the keep-alive comments of change streams, in ms. @defaultValue 15000 */
  readonly heartbeatMs: number;
  /** Most ids in one change event; a larger change is sent as "refetch" (`ids: []`). @defaultValue 1000 */
  readonly maxEventIds: number;
}

/** The limits every handler starts from. */
export const DEFAULT_LIMITS: HandlerLimits = {
  maxJsonBytes: 8 * 1024 * 1024,
  maxImportBytes: 256 * 1024 * 1024,
  bodyTimeoutMs: 30_000,
  importIdleTimeoutMs: 30_000,
  maxBatchSize: 10_000,
  maxImportConcurrency: 4,
  maxClockSkewMs: 5 * 60_000,
  heartbeatMs: 15_000,
  maxEventIds: 1_000,
};

/** What the handler was doing when an error it hides from the client happened. */
export interface ErrorContext {
  /** The request. */
  readonly request: Request;
  /** The authorized organization, once known. */
  readonly organizationId?: string;
}

/** Options of `createCustomersHandler`. */
export interface CustomersHandlerOptions {
  /** Where customers are stored: a Postgres adapter on a server, or any `StorageAdapter`. */
  readonly adapter: StorageAdapter;
  /** Returns the organization of a request, or rejects it. See {@link Authorize}. */
  readonly authorize: Authorize;
  /** Overrides of {@link DEFAULT_LIMITS}. */
  readonly limits?: Partial<HandlerLimits>;
  /**
   * The organization's custom field definitions: every write's custom fields are checked against
   * them on the server, and server-side imports map columns with them. Without them custom fields
   * are free-form.
   */
  readonly customFields?:
    | readonly CustomFieldDefinition[]
    | ((
        organizationId: string,
      ) =>
        | readonly CustomFieldDefinition[]
        | undefined
        | Promise<readonly CustomFieldDefinition[] | undefined>);
  /**
   * Remembers the answers of writes by idempotency key.
   * @defaultValue `createMemoryIdempotencyStore()` (per process; see docs/server.md for what survives a restart)
   */
  readonly idempotencyStore?: IdempotencyStore;
  /**
   * Receives every error the client gets only as a generic `storage_failed` (database errors,
   * bugs), with its stack and cause. @defaultValue logs with `console.error`
   */
  readonly onError?: (error: unknown, context: ErrorContext) => void;
  /** Clock, epoch ms: timestamp checks and server-side imports. @defaultValue Date.now */
  readonly now?: () => number;
  /**
   * Signs every cursor a listing hands out (customers, campaign runs, campaigns) with HMAC-SHA-256,
   * and refuses (`invalid_cursor`) one it did not sign. Without it cursors are checksummed but not
   * secret: a client can forge one, which at most starts a listing of its own organization's
   * customers at a position of its choice. Text or bytes, at least 16 bytes (32 random bytes
   * recommended); keep it the same across server processes.
   * @defaultValue undefined (unsigned cursors)
   */
  readonly cursorSecret?: string | Uint8Array;
}

/**
 * Fills in the default limits and checks the given ones.
 * @param limits - What the caller passed.
 * @returns Complete limits.
 * @throws `invalid_argument` naming a limit that is not a positive number.
 */
export function resolveLimits(limits: Partial<HandlerLimits> = {}): HandlerLimits {
  const resolved = { ...DEFAULT_LIMITS, ...limits };
  for (const [name, value] of Object.entries(resolved)) {
    if (typeof value !== 'number' || !(value > 0)) {
      throw new InvalidArgumentError(`limits.${name}`, 'expected a positive number');
    }
  }
  return resolved;
}
