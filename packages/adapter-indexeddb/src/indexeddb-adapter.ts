import { NotFoundError, type StorageAdapter } from '@donutauto/core';
import type { CustomerUpdate, OutboxStore } from '@donutauto/core/adapter';
import { unwrap } from 'idb';
import { createIndexedDbCampaignStore } from './campaign-store-idb';
import { type BroadcastChannelLike, createChangeFeed } from './change-feed';
import { readChanges } from './change-log-idb';
import { createConnection } from './connection';
import { createIndexedDbConsentStore } from './consent-store-idb';
import { countCustomers, listCustomers } from './customer-queries';
import { CUSTOMERS, fromRecord, SEGMENTS } from './customer-schema-idb';
import { insertCustomers, updateCustomers } from './customer-writes';
import { readByEmails } from './email-lookup';
import { IndexedDbStorageError } from './indexeddb-error';
import { createIndexedDbOutbox, deleteCustomer } from './outbox-idb';
import { createSegmentStore } from './segment-store';
import { TOMBSTONES, WRITE_STORES } from './sync-schema-idb';
import { createTransactionRunner } from './transaction-runner';

/**
 * An IndexedDB factory: `IDBFactory` where the DOM lib is loaded. Read off `globalThis`, so the
 * adapter's types also compile in a project without the DOM lib (Node with fake-indexeddb).
 */
export type IndexedDbFactory = typeof globalThis extends { indexedDB: infer F } ? F : object;

/** The `IDBKeyRange` class matching a factory: `typeof IDBKeyRange` where the DOM lib is loaded. */
export type IndexedDbKeyRangeClass = typeof globalThis extends { IDBKeyRange: infer K } ? K : object;

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
  readonly indexedDB?: IndexedDbFactory;
  /**
   * The `IDBKeyRange` class matching `indexedDB` (pass fake-indexeddb's with its factory).
   * @defaultValue globalThis.IDBKeyRange
   */
  readonly IDBKeyRange?: IndexedDbKeyRangeClass;
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

/** The IndexedDB adapter: the whole storage contract, and the outbox a synced adapter's local store needs. */
export interface IndexedDbAdapter extends StorageAdapter, OutboxStore {}

/**
 * Creates the offline-first IndexedDB {@link StorageAdapter} (built on `idb`). Customers of every
 * organization live in one object store keyed by `[organizationId, id]`, with a unique index on the
 * normalized email, a keyset index per sort and a multi-entry index of tags, birthdays and search
 * words; segments live in their own store; deletions leave tombstones for the change feed, and the
 * outbox of a synced adapter shares each write's transaction. Batches are one `readwrite`
 * transaction each; change events reach this tab's subscribers and, via `BroadcastChannel`, other tabs.
 * The database opens lazily on first use and reopens by itself when the browser closes it.
 * @param options - See {@link IndexedDbAdapterOptions}.
 * @returns The adapter.
 * @throws `storage_failed` ({@link IndexedDbStorageError}, reason `unavailable`) when there is no IndexedDB.
 * @example
 * const adapter = createIndexedDbAdapter({ name: 'donutauto' });
 * const client = createCustomerClient({ adapter, organizationId: 'org_1' });
 */
export function createIndexedDbAdapter(options: IndexedDbAdapterOptions = {}): IndexedDbAdapter {
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

  const run = createTransactionRunner(connection);
  // Customer writes cover the change feed, the outbox and the consent history: one transaction each.
  const writes = createTransactionRunner(connection, [...WRITE_STORES]);
  const feedReads = createTransactionRunner(connection, [CUSTOMERS, TOMBSTONES]);
  const queries = { run, keyRange, cmp };
  const outboxContext = { run: writes, keyRange, feed };

  async function applyUpdates(org: string, updates: readonly CustomerUpdate[], updatedAt: number) {
    const next = await updateCustomers(writes, org, updates, updatedAt);
    if (next.length > 0) feed.emit({ type: 'update', organizationId: org, ids: next.map((c) => c.id) });
    return next;
  }

  return {
    name: 'indexeddb',
    ...createSegmentStore(createTransactionRunner<'segments'>(connection, [SEGMENTS]), keyRange),

    async insertMany(org, customers) {
      if (customers.length === 0) return;
      await insertCustomers(writes, org, customers);
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
      if (unique.length === 0) return [];
      const records = await run('readonly', 'looking up emails', (tx) =>
        readByEmails(unwrap(tx), keyRange, org, unique),
      );
      return records.map(fromRecord);
    },

    delete(org, id) {
      return deleteCustomer(outboxContext, org, id);
    },

    changesSince(org, cursor, limit) {
      return readChanges(feedReads, keyRange, org, cursor, limit);
    },

    list(org, query) {
      return listCustomers(queries, org, query);
    },

    count(org, filter) {
      return countCustomers(queries, org, filter);
    },

    subscribe(org, listener) {
      return feed.subscribe(org, listener);
    },

    async close() {
      feed.close();
      connection.close();
    },

    ...createIndexedDbCampaignStore(connection, keyRange),
    ...createIndexedDbConsentStore(connection, keyRange, (org, id) =>
      feed.emit({ type: 'delete', organizationId: org, ids: [id] }),
    ),
    ...createIndexedDbOutbox(outboxContext),
  };
}
