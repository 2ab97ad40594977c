import type { OutboxEntry } from '@donutauto/core/adapter';
import type { DBSchema, IDBPDatabase, IDBPObjectStore, StoreNames } from 'idb';
import type { CustomerRecord, CustomersDb } from './customer-schema-idb';

/** The object store of deleted customers' ids, for the change feed (schema 7). */
export const TOMBSTONES = 'tombstones';
/** The object store of outbox entries (schema 7). */
export const OUTBOX = 'outbox';
/** The object store of per-organization counters and the server cursor (schema 7). */
export const SYNC_META = 'syncMeta';

/** A tombstone: a deleted customer's id at its position in the change feed. */
export interface TombstoneRecord {
  readonly organizationId: string;
  readonly id: string;
  readonly changeSeq: number;
}

/** An outbox entry as stored. */
export interface OutboxRecord extends OutboxEntry {
  readonly organizationId: string;
}

/** One named value of an organization: `changeSeq` and `outboxSeq` (numbers), `cursor` (text). */
export interface SyncMetaRecord {
  readonly organizationId: string;
  readonly name: 'changeSeq' | 'outboxSeq' | 'cursor';
  readonly value: number | string;
}

/** The stores of schema 7 as idb's typed schema (part of the database's schema). */
export interface SyncDbStores extends DBSchema {
  tombstones: {
    key: [organizationId: string, id: string];
    value: TombstoneRecord;
    indexes: { byChange: [string, number, string] };
  };
  outbox: {
    key: [organizationId: string, seq: number];
    value: OutboxRecord;
  };
  syncMeta: {
    key: [organizationId: string, name: string];
    value: SyncMetaRecord;
  };
}

/** The stores every customer write runs in: the customers, the change log, the outbox and the consent history. */
export const WRITE_STORES = ['customers', TOMBSTONES, SYNC_META, OUTBOX, 'consentHistory'] as const;

/**
 * Schema step 7: the change feed and the outbox. Customers get `changeSeq` (their position in the
 * organization's change feed) and a `byChange` index; deletions leave a tombstone; the outbox and
 * the counters get their own stores. Existing customers are numbered by the caller's back-fill.
 * @param db - The database being upgraded, inside its version-change transaction.
 * @param customers - The customers store of that transaction.
 */
export function createSyncStores(
  db: IDBPDatabase<CustomersDb>,
  customers: IDBPObjectStore<CustomersDb, StoreNames<CustomersDb>[], 'customers', 'versionchange'>,
): void {
  if (!customers.indexNames.contains('byChange')) {
    customers.createIndex('byChange', ['organizationId', 'changeSeq', 'id']);
  }
  if (!db.objectStoreNames.contains(TOMBSTONES)) {
    const store = db.createObjectStore(TOMBSTONES, { keyPath: ['organizationId', 'id'] });
    store.createIndex('byChange', ['organizationId', 'changeSeq', 'id']);
  }
  if (!db.objectStoreNames.contains(OUTBOX))
    db.createObjectStore(OUTBOX, { keyPath: ['organizationId', 'seq'] });
  if (!db.objectStoreNames.contains(SYNC_META)) {
    db.createObjectStore(SYNC_META, { keyPath: ['organizationId', 'name'] });
  }
}

/**
 * Numbers a record read from a database older than schema 7 (the back-fill of step 7).
 * @param record - The record.
 * @param seqs - The next number per organization, advanced here.
 * @returns The record with its `changeSeq`.
 */
export function numberRecord(record: CustomerRecord, seqs: Map<string, number>): CustomerRecord {
  const seq = (seqs.get(record.organizationId) ?? 0) + 1;
  seqs.set(record.organizationId, seq);
  record.changeSeq = seq;
  return record;
}
