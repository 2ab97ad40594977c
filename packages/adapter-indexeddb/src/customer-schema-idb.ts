import { birthdayMonth, type Customer, normalizeEmail } from '@donutauto/core';
import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';

/**
 * The schema version this release writes. History:
 * - 1: `customers` store keyed by `[organizationId, id]`; unique `byEmail` on
 *   `[organizationId, emailNormalized]`; `byCreated` on `[organizationId, createdAt, id]`.
 * - 2: filter indexes `byTag`, `byPreference` (multi-entry) and `byBirthdayMonth`, each ending in
 *   `createdAt, id` so a filtered page is still a keyset range; existing records are back-filled.
 */
export const SCHEMA_VERSION = 2;

/** The object store holding every organization's customers. */
export const CUSTOMERS = 'customers';

/** Key of a record in the `customers` store. */
export type PrimaryKey = [organizationId: string, id: string];

/** A `Customer` as stored: the public shape plus derived index keys, stripped again on read. */
export interface CustomerRecord extends Customer {
  /** `normalizeEmail(email)`: the unique-per-organization key. */
  emailNormalized: string;
  /** One `[organizationId, tag, createdAt, id]` per tag (schema 2). */
  tagKeys: [string, string, number, string][];
  /** One `[organizationId, preference, createdAt, id]` per preference (schema 2). */
  preferenceKeys: [string, string, number, string][];
  /** `[organizationId, month, createdAt, id]`, absent when the birthday is unknown (schema 2). */
  birthdayKey?: [string, number, number, string];
}

/** The database layout as idb's typed schema. */
export interface CustomersDb extends DBSchema {
  customers: {
    key: PrimaryKey;
    value: CustomerRecord;
    indexes: {
      byEmail: [string, string];
      byCreated: [string, number, string];
      byTag: [string, string, number, string];
      byPreference: [string, string, number, string];
      byBirthdayMonth: [string, number, number, string];
    };
  };
}

/** The names of the indexes a listing can walk. */
export type ListIndexName = 'byCreated' | 'byTag' | 'byPreference' | 'byBirthdayMonth';

const INTERNAL_FIELDS = ['emailNormalized', 'tagKeys', 'preferenceKeys', 'birthdayKey'] as const;

/**
 * Builds the stored record of a customer, computing every derived index key.
 * @param customer - The customer as the core hands it over.
 * @returns A new record; the input is not changed.
 */
export function toRecord(customer: Customer): CustomerRecord {
  const { organizationId: org, createdAt, id } = customer;
  const record: CustomerRecord = {
    ...customer,
    emailNormalized: normalizeEmail(customer.email),
    tagKeys: customer.tags.map((tag) => [org, tag, createdAt, id]),
    preferenceKeys: customer.preferences.map((p) => [org, p, createdAt, id]),
  };
  // A NaN month (never produced by validation) is not a valid key: the record is then simply not indexed.
  if (customer.dob !== null) record.birthdayKey = [org, birthdayMonth(customer.dob), createdAt, id];
  return record;
}

/**
 * Strips the derived keys of a stored record, returning exactly the `Customer` shape.
 * @param record - A record read from the store (a structured clone, so it is already a copy).
 * @returns The customer.
 */
export function fromRecord(record: CustomerRecord): Customer {
  const out = record as unknown as Record<string, unknown>;
  for (const field of INTERNAL_FIELDS) delete out[field];
  return out as unknown as Customer;
}

/**
 * The `upgrade` callback (idb's signature): brings a database at `oldVersion` to
 * {@link SCHEMA_VERSION}, one step at a time, inside the version-change transaction.
 * @param db - The database being upgraded.
 * @param oldVersion - Its version before the upgrade (0 when new).
 * @param tx - The version-change transaction; back-fills run in it so the upgrade is atomic.
 */
export function upgradeCustomersDb(
  db: IDBPDatabase<CustomersDb>,
  oldVersion: number,
  tx: IDBPTransaction<CustomersDb, ['customers'], 'versionchange'>,
): void {
  // Each step checks what exists, so a database left half-made by an older build still converges.
  if (oldVersion < 1 || !db.objectStoreNames.contains(CUSTOMERS)) {
    const store = db.createObjectStore(CUSTOMERS, { keyPath: ['organizationId', 'id'] });
    store.createIndex('byEmail', ['organizationId', 'emailNormalized'], { unique: true });
    store.createIndex('byCreated', ['organizationId', 'createdAt', 'id']);
  }
  if (oldVersion < 2) {
    const store = tx.objectStore(CUSTOMERS);
    const has = (index: string) => store.indexNames.contains(index as never);
    if (!has('byTag')) store.createIndex('byTag', 'tagKeys', { multiEntry: true });
    if (!has('byPreference')) store.createIndex('byPreference', 'preferenceKeys', { multiEntry: true });
    if (!has('byBirthdayMonth')) store.createIndex('byBirthdayMonth', 'birthdayKey');
    // Version 1 records lack the derived keys: recompute them (a no-op on a new, empty store).
    backfill(store).catch(() => {
      // A failed request aborts the version-change transaction; opening reports that error.
    });
  }
}

async function backfill(
  store: ReturnType<IDBPTransaction<CustomersDb, ['customers'], 'versionchange'>['objectStore']>,
) {
  let cursor = await store.openCursor();
  while (cursor) {
    await cursor.update(toRecord(fromRecord(cursor.value)));
    cursor = await cursor.continue();
  }
}
