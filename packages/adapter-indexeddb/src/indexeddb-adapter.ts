import {
  type Customer,
  type CustomerPatch,
  type CustomerUpdate,
  DuplicateEmailError,
  decodeCursor,
  encodeCursor,
  InvalidArgumentError,
  InvalidCursorError,
  type ListQuery,
  type ListResult,
  matchesFilter,
  NotFoundError,
  normalizeEmail,
  type StorageAdapter,
  StorageError,
  VersionConflictError,
} from '@donutauto/core';
import type { IDBPTransaction } from 'idb';
import { type BroadcastChannelLike, createChangeFeed } from './change-feed';
import { createConnection } from './connection';
import {
  CUSTOMERS,
  type CustomerRecord,
  type CustomersDb,
  fromRecord,
  toRecord,
} from './customer-schema-idb';
import { IndexedDbStorageError, toStorageError } from './indexeddb-error';
import { listRange } from './list-range';

/** Options of {@link createIndexedDbAdapter}. */
export interface IndexedDbAdapterOptions {
  /**
   * The database name. Adapters (and tabs) using the same name share data and change events.
   * @defaultValue 'donutauto'
   */
  readonly name?: string;
  /**
   * The IndexedDB factory, for workers, tests (`fake-indexeddb`) or an isolated store.
   * @defaultValue globalThis.indexedDB
   */
  readonly indexedDB?: IDBFactory;
  /**
   * The `IDBKeyRange` class matching `indexedDB` (pass fake-indexeddb's with its factory).
   * @defaultValue globalThis.IDBKeyRange
   */
  readonly IDBKeyRange?: typeof IDBKeyRange;
  /**
   * Cross-tab change events: `true` uses the global `BroadcastChannel` when present, `false`
   * turns them off, a function opens a channel of the given name.
   * @defaultValue true
   */
  readonly broadcastChannel?: boolean | ((name: string) => BroadcastChannelLike);
  /**
   * How long to wait for another tab to release an old version during a schema upgrade before
   * failing with reason `blocked` (the next call tries again).
   * @defaultValue 3000
   */
  readonly blockedTimeoutMs?: number;
}

/** Typed as read-write so write methods type-check; `run('readonly', …)` bodies only read. */
type Tx = IDBPTransaction<CustomersDb, ['customers'], 'readwrite'>;

/**
 * Creates the offline-first IndexedDB {@link StorageAdapter} (built on `idb`). Customers of every
 * organization live in one object store keyed by `[organizationId, id]`, with a unique index on the
 * normalized email and keyset indexes for listing and filters. Batches are one `readwrite`
 * transaction each; change events reach this tab's subscribers and, via `BroadcastChannel`, other tabs.
 * The database opens lazily on first use and reopens by itself when the browser closes it.
 * @param options - See {@link IndexedDbAdapterOptions}.
 * @returns The adapter.
 * @throws `storage_failed` ({@link IndexedDbStorageError}, reason `unavailable`) when there is no IndexedDB.
 * @example
 * const adapter = createIndexedDbAdapter({ name: 'donutauto' });
 * const client = createCustomerClient({ adapter, organizationId: 'org_1' });
 */
export function createIndexedDbAdapter(options: IndexedDbAdapterOptions = {}): StorageAdapter {
  const name = options.name ?? 'donutauto';
  const factory = options.indexedDB ?? globalThis.indexedDB;
  const keyRange = options.IDBKeyRange ?? globalThis.IDBKeyRange;
  if (!factory || !keyRange) {
    throw new IndexedDbStorageError(
      'unavailable',
      'IndexedDB is not available here: pass the `indexedDB` option',
    );
  }
  const connection = createConnection({ name, factory, blockedTimeoutMs: options.blockedTimeoutMs ?? 3_000 });
  const bc = options.broadcastChannel ?? true;
  const openChannel =
    typeof bc === 'function'
      ? bc
      : bc && typeof BroadcastChannel !== 'undefined'
        ? (channelName: string) => new BroadcastChannel(channelName)
        : undefined;
  const feed = createChangeFeed(`donutauto-idb:${name}`, openChannel);
  const cmp = (a: IDBValidKey, b: IDBValidKey) => factory.cmp(a, b);
  const orgRange = (org: string) => keyRange.bound([org], [org, []]);

  /** Runs `body` in one transaction; reopens once if the connection turned out to be closed. */
  async function run<T>(mode: IDBTransactionMode, doing: string, body: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const db = await connection.db();
      let tx: Tx;
      try {
        tx = db.transaction(CUSTOMERS, mode) as unknown as Tx;
      } catch (error) {
        if (attempt === 0 && (error as { name?: unknown }).name === 'InvalidStateError') {
          connection.invalidate(db);
          continue;
        }
        throw toStorageError(error, doing);
      }
      const done = tx.done;
      done.catch(() => {});
      try {
        const result = await body(tx);
        await done;
        return result;
      } catch (error) {
        try {
          tx.abort();
        } catch {
          // Already aborted by the failed request, or already finished.
        }
        // A failed commit (quota) reports its reason on the transaction, not on the requests.
        throw toStorageError(tx.error ?? error, doing);
      }
    }
  }

  /** Names the row behind a constraint failure, after the aborted batch wrote nothing. */
  async function explainConflict(org: string, customers: readonly Customer[], index: number, cause: unknown) {
    const row = customers[index];
    if (!row) return toStorageError(cause, 'inserting customers');
    const email = normalizeEmail(row.email);
    const holder = await run('readonly', 'inserting customers', async (tx) => {
      return tx.store.index('byEmail').getKey([org, email]);
    });
    if (holder) return new DuplicateEmailError(email, { index, existingId: holder[1], cause });
    const earlier = customers.slice(0, index);
    if (earlier.some((c) => normalizeEmail(c.email) === email))
      return new DuplicateEmailError(email, { index, cause });
    return new StorageError(
      `Customer id ${JSON.stringify(row.id)} already exists (batch row ${index})`,
      cause,
    );
  }

  async function applyUpdates(
    org: string,
    updates: readonly CustomerUpdate[],
    updatedAt: number,
  ): Promise<Customer[]> {
    const seen = new Set<string>();
    for (const update of updates) {
      if (seen.has(update.id))
        throw new InvalidArgumentError('updates', `id ${JSON.stringify(update.id)} appears twice`);
      seen.add(update.id);
    }
    const next = await run('readwrite', 'updating customers', async (tx) => {
      const store = tx.store;
      const byEmail = store.index('byEmail');
      // Issue every read at once; check them in input order, like the memory adapter.
      const currents = updates.map((u) => store.get([org, u.id]));
      const holders = updates.map((u) =>
        u.patch.email === undefined ? undefined : byEmail.getKey([org, normalizeEmail(u.patch.email)]),
      );
      const planned: Customer[] = [];
      const claimed = new Map<string, string>();
      for (const [i, update] of updates.entries()) {
        const record = await currents[i];
        if (!record) throw new NotFoundError(update.id);
        const current = fromRecord(record);
        if (update.expectedVersion !== undefined && update.expectedVersion !== current.version) {
          throw new VersionConflictError(update.id, update.expectedVersion, current.version);
        }
        const updated: Customer = {
          ...current,
          ...copyPatch(update.patch),
          updatedAt,
          version: current.version + 1,
        };
        const email = normalizeEmail(updated.email);
        if (email !== normalizeEmail(current.email)) {
          const holder = await holders[i];
          if (holder && holder[1] !== current.id)
            throw new DuplicateEmailError(email, { existingId: holder[1] });
        }
        const other = claimed.get(email);
        if (other !== undefined && other !== updated.id)
          throw new DuplicateEmailError(email, { existingId: other });
        claimed.set(email, updated.id);
        planned.push(updated);
      }
      await Promise.all(planned.map((c) => store.put(toRecord(c))));
      return planned;
    });
    if (next.length > 0) feed.emit({ type: 'update', organizationId: org, ids: next.map((c) => c.id) });
    return next;
  }

  return {
    name: 'indexeddb',

    async insertMany(org, customers) {
      for (const [index, customer] of customers.entries()) {
        if (customer.organizationId !== org) {
          throw new InvalidArgumentError(
            `customers[${index}].organizationId`,
            'belongs to another organization',
          );
        }
      }
      if (customers.length === 0) return;
      const records = customers.map(toRecord);
      let failedAt = -1;
      let cause: unknown;
      try {
        await run('readwrite', 'inserting customers', async (tx) => {
          const store = tx.store;
          await Promise.all(
            records.map((record, i) =>
              store.add(record).catch((error: unknown) => {
                if (failedAt < 0 && (error as { name?: unknown }).name === 'ConstraintError') {
                  failedAt = i;
                  cause = error;
                }
                throw error;
              }),
            ),
          );
        });
      } catch (error) {
        if (failedAt >= 0) throw await explainConflict(org, customers, failedAt, cause);
        throw error;
      }
      feed.emit({ type: 'insert', organizationId: org, ids: customers.map((c) => c.id) });
    },

    updateMany(org, updates, { updatedAt }) {
      return applyUpdates(org, updates, updatedAt);
    },

    async update(org, id, patch, options) {
      const update: CustomerUpdate =
        options.expectedVersion === undefined
          ? { id, patch }
          : { id, patch, expectedVersion: options.expectedVersion };
      const [updated] = await applyUpdates(org, [update], options.updatedAt);
      if (!updated) throw new NotFoundError(id);
      return updated;
    },

    async get(org, id) {
      const record = await run('readonly', 'reading a customer', (tx) => tx.store.get([org, id]));
      return record ? fromRecord(record) : undefined;
    },

    async getByEmails(org, emails) {
      const unique = [...new Set(emails)].sort();
      const first = unique[0];
      const last = unique[unique.length - 1];
      if (first === undefined || last === undefined) return [];
      const records = await run('readonly', 'looking up emails', async (tx) => {
        const byEmail = tx.store.index('byEmail');
        // One range read instead of one point read per email when the emails' span holds few stored
        // customers (an import into a new or small organization); point reads otherwise.
        const span = keyRange.bound([org, first], [org, last]);
        const stored = await byEmail.count(span);
        if (stored === 0) return [];
        if (stored <= unique.length * 2) {
          const wanted = new Set(unique);
          return (await byEmail.getAll(span)).filter((r) => wanted.has(r.emailNormalized));
        }
        return Promise.all(unique.map((email) => byEmail.get([org, email])));
      });
      return records.filter((r): r is CustomerRecord => r !== undefined).map(fromRecord);
    },

    async delete(org, id) {
      const existed = await run('readwrite', 'deleting a customer', async (tx) => {
        const key: [string, string] = [org, id];
        if ((await tx.store.getKey(key)) === undefined) return false;
        await tx.store.delete(key);
        return true;
      });
      if (existed) feed.emit({ type: 'delete', organizationId: org, ids: [id] });
      return existed;
    },

    async list(org, query: ListQuery): Promise<ListResult> {
      const position = query.cursor === null ? undefined : decodeCursor(org, query, query.cursor);
      const end = (): ListResult => ({
        page: [],
        continueCursor: encodeCursor(org, query, null),
        isDone: true,
      });
      if (position === null) return end();
      let after: [number, string] | undefined;
      if (position !== undefined) {
        const [createdAt, id] = position;
        if (typeof createdAt !== 'number' || typeof id !== 'string' || position.length !== 2) {
          throw new InvalidCursorError('not a cursor of this adapter');
        }
        after = [createdAt, id];
      }
      const newest = query.sort === 'newest';
      const range = listRange(org, query.filter, after, newest, cmp);
      if (!range) return end();
      const { page, more } = await run('readonly', 'listing customers', async (tx) => {
        const found: Customer[] = [];
        const bounds = keyRange.bound(range.lower, range.upper, range.lowerOpen, true);
        let cursor = await tx.store.index(range.index).openCursor(bounds, newest ? 'prev' : 'next');
        while (cursor) {
          if (matchesFilter(cursor.value, query.filter)) {
            if (found.length === query.numItems) return { page: found, more: true };
            found.push(fromRecord(cursor.value));
          }
          cursor = await cursor.continue();
        }
        return { page: found, more: false };
      });
      const last = page[page.length - 1];
      if (!last) return end();
      return { page, continueCursor: encodeCursor(org, query, [last.createdAt, last.id]), isDone: !more };
    },

    async count(org, filter) {
      if (Object.keys(filter).length === 0) {
        return run('readonly', 'counting customers', (tx) => tx.store.count(orgRange(org)));
      }
      const range = listRange(org, filter, undefined, false, cmp);
      if (!range) return 0;
      return run('readonly', 'counting customers', async (tx) => {
        let n = 0;
        const bounds = keyRange.bound(range.lower, range.upper, range.lowerOpen, true);
        let cursor = await tx.store.index(range.index).openCursor(bounds);
        while (cursor) {
          if (matchesFilter(cursor.value, filter)) n++;
          cursor = await cursor.continue();
        }
        return n;
      });
    },

    subscribe(org, listener) {
      return feed.subscribe(org, listener);
    },

    async close() {
      feed.close();
      connection.close();
    },
  };
}

function copyPatch(patch: CustomerPatch): CustomerPatch {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    out[key] = Array.isArray(value)
      ? [...value]
      : value !== null && typeof value === 'object'
        ? { ...value }
        : value;
  }
  return out as CustomerPatch;
}
