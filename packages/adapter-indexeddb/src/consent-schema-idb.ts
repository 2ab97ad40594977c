import type { ConsentHistoryEntry, ErasureTombstone } from '@donutauto/core';
import type { DBSchema, IDBPDatabase } from 'idb';

/** The object store of consent history entries. */
export const CONSENT_HISTORY = 'consentHistory';
/** The object store of erasure tombstones. */
export const ERASURES = 'erasures';

/**
 * The consent stores as idb's typed schema (part of the database's schema): history entries keyed
 * by `[organizationId, customerId, version, channel]` (a customer's history is one key range, in
 * order: the channel names sort as `CONSENT_CHANNELS` lists them), tombstones keyed by
 * `[organizationId, emailHash]`.
 */
export interface ConsentDbStores extends DBSchema {
  consentHistory: {
    key: [organizationId: string, customerId: string, version: number, channel: string];
    value: ConsentHistoryEntry;
  };
  erasures: {
    key: [organizationId: string, emailHash: string];
    value: ErasureTombstone;
  };
}

/**
 * Schema step 6: creates the consent stores (each only when missing, so a database left half-made
 * converges). Existing customers get their consent in the same upgrade (see `upgradeCustomersDb`).
 * @param db - The database being upgraded, inside its version-change transaction.
 */
export function createConsentStores(db: IDBPDatabase<ConsentDbStores>): void {
  if (!db.objectStoreNames.contains(CONSENT_HISTORY)) {
    db.createObjectStore(CONSENT_HISTORY, {
      keyPath: ['organizationId', 'customerId', 'version', 'channel'],
    });
  }
  if (!db.objectStoreNames.contains(ERASURES)) {
    db.createObjectStore(ERASURES, { keyPath: ['organizationId', 'emailHash'] });
  }
}
