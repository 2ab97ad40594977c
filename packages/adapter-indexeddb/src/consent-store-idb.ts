import type { ConsentHistoryEntry, ErasureTombstone } from '@donutauto/core';
import { VersionConflictError } from '@donutauto/core';
import { type ConsentStore, checkTombstone, compareConsentEntries } from '@donutauto/core/adapter';
import { unwrap } from 'idb';
import { CAMPAIGNS } from './campaign-schema-idb';
import { deleteWithTombstones, writeTx } from './change-log-idb';
import type { Connection } from './connection';
import { CONSENT_HISTORY, ERASURES } from './consent-schema-idb';
import { CUSTOMERS, type CustomerRecord } from './customer-schema-idb';
import { WRITE_STORES } from './sync-schema-idb';
import { createTransactionRunner } from './transaction-runner';

/** Resolves a raw request. */
function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Deletes the records of `store` whose keys `source` (the store or one of its indexes) lists in a range. */
async function deleteRange(
  store: IDBObjectStore,
  source: Pick<IDBObjectStore, 'getAllKeys'>,
  range: IDBKeyRange,
): Promise<void> {
  for (const key of await request(source.getAllKeys(range))) store.delete(key);
}

/**
 * The IndexedDB {@link ConsentStore}: history entries and tombstones in their own object stores of
 * the same database (the history itself is written by the customer writes). An erasure is one
 * transaction over the customers, campaigns, history and tombstone stores.
 * @param connection - The adapter's connection manager.
 * @param keyRange - The factory's `IDBKeyRange` class.
 * @param onErased - Announces the deleted customer (the adapter's change feed).
 * @returns The consent methods of the adapter.
 */
export function createIndexedDbConsentStore(
  connection: Connection,
  keyRange: typeof IDBKeyRange,
  onErased: (organizationId: string, id: string) => void,
): ConsentStore {
  const history = createTransactionRunner(connection, [CONSENT_HISTORY]);
  const erasures = createTransactionRunner(connection, [ERASURES]);
  // The erasure leaves a change-feed tombstone too, so synced stores learn of it.
  const erasing = createTransactionRunner(connection, [...WRITE_STORES, CAMPAIGNS, ERASURES]);
  return {
    async listConsentHistory(org, customerId) {
      const entries = await history('readonly', 'reading consent history', (tx) =>
        request<ConsentHistoryEntry[]>(
          unwrap(tx)
            .objectStore(CONSENT_HISTORY)
            .getAll(keyRange.bound([org, customerId], [org, customerId, []])),
        ),
      );
      return entries.sort(compareConsentEntries);
    },

    async eraseCustomer(org, id, erasure) {
      checkTombstone(org, erasure.tombstone);
      const erased = await erasing('readwrite', 'erasing a customer', async (tx) => {
        const raw = unwrap(tx);
        const customers = raw.objectStore(CUSTOMERS);
        const record = await request<CustomerRecord | undefined>(customers.get([org, id]));
        if (!record) return false;
        if (record.version !== erasure.expectedVersion) {
          throw new VersionConflictError(id, erasure.expectedVersion, record.version);
        }
        await deleteWithTombstones(writeTx(tx), org, [id]);
        const own = keyRange.bound([org, id], [org, id, []]);
        const campaigns = raw.objectStore(CAMPAIGNS);
        await deleteRange(campaigns, campaigns.index('byCustomer'), own);
        const entries = raw.objectStore(CONSENT_HISTORY);
        await deleteRange(entries, entries, own);
        raw.objectStore(ERASURES).put({ ...erasure.tombstone });
        return true;
      });
      if (erased) onErased(org, id);
      return erased;
    },

    async findErasures(org, emailHashes) {
      if (emailHashes.length === 0) return [];
      const found = await erasures('readonly', 'looking up erasures', (tx) => {
        const store = unwrap(tx).objectStore(ERASURES);
        return Promise.all(
          [...new Set(emailHashes)].map((hash) =>
            request<ErasureTombstone | undefined>(store.get([org, hash])),
          ),
        );
      });
      return found.filter((t): t is ErasureTombstone => t !== undefined);
    },

    async hasErasures(org) {
      const n = await erasures('readonly', 'looking up erasures', (tx) =>
        request(
          unwrap(tx)
            .objectStore(ERASURES)
            .count(keyRange.bound([org], [org, []])),
        ),
      );
      return n > 0;
    },
  };
}
