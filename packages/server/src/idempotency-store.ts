/** A write's answer, remembered under its idempotency key. */
export interface IdempotencyRecord {
  /** Fingerprint of the request (method, route, options, body): a different request under the same key is refused. */
  readonly fingerprint: string;
  /** The answer's HTTP status. */
  readonly status: number;
  /** The answer's `content-type`. */
  readonly contentType: string;
  /** The answer's body. */
  readonly body: string;
}

/**
 * Where a handler remembers write answers by key. Keys arrive already scoped to the authorized
 * organization (`<organizationId>\u0000<Idempotency-Key>`). Implement it over a shared store
 * (Redis, a table) when several server processes answer one client; the default keeps answers in
 * the process's memory.
 */
export interface IdempotencyStore {
  /**
   * Reads a remembered answer.
   * @param key - The scoped key.
   * @returns The record, or `undefined` when unknown or expired.
   */
  get(key: string): IdempotencyRecord | undefined | Promise<IdempotencyRecord | undefined>;
  /**
   * Remembers an answer.
   * @param key - The scoped key.
   * @param record - The answer.
   */
  set(key: string, record: IdempotencyRecord): void | Promise<void>;
}

/** Options of {@link createMemoryIdempotencyStore}. */
export interface MemoryIdempotencyStoreOptions {
  /** How long an answer is remembered, in ms. @defaultValue 86400000 (24 hours, as Stripe) */
  readonly ttlMs?: number;
  /** Most answers kept; the oldest go first. @defaultValue 10000 */
  readonly maxEntries?: number;
  /** Most bytes of answers kept (bodies' UTF-16 length × 2); the oldest go first. @defaultValue 64 MiB */
  readonly maxBytes?: number;
  /** Clock, epoch ms. @defaultValue Date.now */
  readonly now?: () => number;
}

/**
 * An {@link IdempotencyStore} in this process's memory, bounded by age, count and size. Answers
 * do not survive a restart: a retry after one carries the write out again, which every write of
 * the protocol survives (docs/server.md, "Idempotency").
 * @param options - Bounds; see {@link MemoryIdempotencyStoreOptions}.
 * @returns The store.
 * @example
 * const handler = createCustomersHandler({ adapter, authorize, idempotencyStore: createMemoryIdempotencyStore({ ttlMs: 3_600_000 }) });
 */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyStoreOptions = {}): IdempotencyStore {
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const maxEntries = options.maxEntries ?? 10_000;
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const now = options.now ?? Date.now;
  // Insertion order is age order: eviction takes from the front.
  const entries = new Map<string, { record: IdempotencyRecord; expires: number; bytes: number }>();
  let bytes = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  };

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= now()) {
        remove(key);
        return undefined;
      }
      return entry.record;
    },
    set(key, record) {
      remove(key);
      const size = (record.body.length + record.fingerprint.length + key.length) * 2;
      if (size > maxBytes) return;
      entries.set(key, { record, expires: now() + ttlMs, bytes: size });
      bytes += size;
      for (const [oldest] of entries) {
        if (entries.size <= maxEntries && bytes <= maxBytes) break;
        remove(oldest);
      }
    },
  };
}
