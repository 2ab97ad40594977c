import { type Customer, normalizeEmail } from '@donutauto/core';
import { birthdayMonth } from '@donutauto/core/adapter';
import type { DBSchema, IDBPDatabase, IDBPTransaction } from 'idb';
import { type CampaignsDbStores, createCampaignStores } from './campaign-schema-idb';

/**
 * The schema version this release writes. History:
 * - 1: `customers` store keyed by `[organizationId, id]`; unique `byEmail` on
 *   `[organizationId, emailNormalized]`; `byCreated` on `[organizationId, createdAt, id]`.
 * - 2: one multi-entry filter index `byFilter` over `filterKeys`: `[organizationId, 't', tag,
 *   createdAt, id]` per tag, `[…, 'p', preference, …]` per preference and `[…, 'm', month, …]` for a
 *   known birthday; each ends in `createdAt, id` so a filtered page is still a keyset range.
 *   Existing records are back-filled. (One index instead of three: fewer index writes per row.)
 * - 3: `byFilter` no longer holds preference entries (two or more per row in typical data, they
 *   were most of an import's index writes); preference filters walk `byCreated` and test each row.
 *   Existing records' `filterKeys` are recomputed.
 * - 5: `campaigns` and `campaignRuns` stores (see `campaign-schema-idb.ts`).
 */
export const SCHEMA_VERSION = 5;

/** The object store holding every organization's customers. */
export const CUSTOMERS = 'customers';

/** Key of a record in the `customers` store. */
export type PrimaryKey = [organizationId: string, id: string];

/** A `Customer` as stored: the public shape plus derived index keys, stripped again on read. */
export interface CustomerRecord extends Customer {
  /** `normalizeEmail(email)`: the unique-per-organization key. */
  emailNormalized: string;
  /** The `byFilter` entries: per tag and for the birthday month (schema 3). */
  filterKeys: FilterKey[];
}

/**
 * Which condition a `byFilter` entry serves: `t`ag or birthday `m`onth. (Schema 2 also had `p`reference
 * entries; schema 3 removes them.)
 */
export type FilterKind = 't' | 'm';

/** One `byFilter` index entry: `[organizationId, kind, value, createdAt, id]`. */
export type FilterKey = [string, FilterKind, string | number, number, string];

/** The database layout as idb's typed schema. */
export interface CustomersDb extends DBSchema, CampaignsDbStores {
  customers: {
    key: PrimaryKey;
    value: CustomerRecord;
    indexes: {
      byEmail: [string, string];
      byCreated: [string, number, string];
      byFilter: FilterKey;
    };
  };
}

/** The names of the indexes a listing can walk. */
export type ListIndexName = 'byCreated' | 'byFilter';

// Stored last, deleted last-first: V8 then rolls each object's shape back instead of turning it into
// a slow dictionary object (which every later property read of the customer would pay for).
const INTERNAL_FIELDS = ['filterKeys', 'emailNormalized'] as const;

/**
 * Builds the stored record of a customer, computing every derived index key.
 * @param customer - The customer as the core hands it over.
 * @returns A new record; the input is not changed.
 */
export function toRecord(customer: Customer): CustomerRecord {
  const { organizationId: org, createdAt, id } = customer;
  const filterKeys: FilterKey[] = [];
  for (const tag of customer.tags) filterKeys.push([org, 't', tag, createdAt, id]);
  if (customer.dob !== null) {
    const month = birthdayMonth(customer.dob);
    // A NaN month (never produced by validation) is not a valid key: leave it out of the index.
    if (Number.isInteger(month)) filterKeys.push([org, 'm', month, createdAt, id]);
  }
  return { ...customer, emailNormalized: normalizeEmail(customer.email), filterKeys };
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
  const store = tx.objectStore(CUSTOMERS);
  if (!store.indexNames.contains('byFilter')) {
    // Step 2 (or a database left without it).
    store.createIndex('byFilter', 'filterKeys', { multiEntry: true });
  }
  // Version 1 records lack `filterKeys`, version 2 records carry preference entries: one pass
  // recomputes the keys for both (steps 2 and 3 together; a new database has nothing to rewrite).
  if (oldVersion >= 1 && oldVersion < 3) {
    backfill(store).catch(() => {
      // A failed request aborts the version-change transaction; opening reports that error.
    });
  }
  if (oldVersion < 5) createCampaignStores(db as unknown as IDBPDatabase<CampaignsDbStores>);
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
