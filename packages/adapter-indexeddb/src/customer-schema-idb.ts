import { type Customer, normalizeEmail, UNKNOWN_CONSENT } from '@donutauto/core';
import { copyCustomer, customerKeys, phoneDigits, type StoredSegment } from '@donutauto/core/adapter';
import type { DBSchema, IDBPDatabase, IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import { type CampaignsDbStores, createCampaignStores } from './campaign-schema-idb';
import { type ConsentDbStores, createConsentStores } from './consent-schema-idb';
import { codePointKey } from './idb-keys';
import { createSyncStores, numberRecord, SYNC_META, type SyncDbStores } from './sync-schema-idb';

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
 * - 4: search and sorts. `byFilter` entries are folded tags (`t`), the birthday key month × 100 +
 *   day (`b`, replacing the month entry `m`), the search words (`w`) and the suffixes of the phone's
 *   digits (`d`, at least 4 digits long); the sort indexes
 *   `byUpdated` `[organizationId, updatedAt, id]`, `byLastName` `[organizationId, lastNameKey,
 *   firstNameKey, id]` and `byFirstName` (name keys folded and encoded for code point order); the
 *   `segments` store keyed by `[organizationId, id]` with `byCreated`. Records are recomputed.
 * - 5: `campaigns` and `campaignRuns` stores (see `campaign-schema-idb.ts`).
 * - 6: `consentHistory` and `erasures` stores (see `consent-schema-idb.ts`); existing customers get
 *   `consent` with every channel `unknown`.
 * - 7: the change feed and the outbox (see `sync-schema-idb.ts`): `changeSeq` on every record with
 *   the `byChange` index `[organizationId, changeSeq, id]`, the `tombstones`, `outbox` and
 *   `syncMeta` stores. Existing records are numbered.
 */
export const SCHEMA_VERSION = 7;

/** The object store holding every organization's customers. */
export const CUSTOMERS = 'customers';

/** The object store holding every organization's segments (schema 4). */
export const SEGMENTS = 'segments';

/** Key of a record in the `customers` store. */
export type PrimaryKey = [organizationId: string, id: string];

/** A `Customer` as stored: the public shape plus derived index keys, stripped again on read. */
export interface CustomerRecord extends Customer {
  /** `normalizeEmail(email)`: the unique-per-organization key. */
  emailNormalized: string;
  /** The `byFilter` entries: per folded tag, for the birthday key and per search word (schema 4). */
  filterKeys: FilterKey[];
  /** The folded first name, encoded for code point order (`codePointKey`). */
  firstNameKey: string;
  /** The folded last name, encoded for code point order. */
  lastNameKey: string;
  /** The record's position in its organization's change feed (schema 7). */
  changeSeq: number;
}

/**
 * Which condition a `byFilter` entry serves: folded `t`ag, `b`irthday key, search `w`ord or phone
 * `d`igits suffix. (Schema 2 also had `p`reference entries, schemas 2–3 a birthday `m`onth.)
 */
export type FilterKind = 't' | 'b' | 'w' | 'd';

/** Shortest phone-digit run a digits-only search finds through the index (shorter ones walk). */
export const MIN_INDEXED_DIGITS = 4;

/**
 * The suffixes of a phone's digits of at least {@link MIN_INDEXED_DIGITS} digits: a run of digits
 * appears in the phone exactly when it begins one of them, so a substring search is a prefix range.
 */
export function phoneSuffixes(phone: string | null): string[] {
  const digits = phoneDigits(phone);
  const out: string[] = [];
  for (let start = 0; start + MIN_INDEXED_DIGITS <= digits.length; start++) out.push(digits.slice(start));
  return out;
}

/** One `byFilter` index entry: `[organizationId, kind, value, createdAt, id]`. */
export type FilterKey = [string, FilterKind, string | number, number, string];

/** The database layout as idb's typed schema. */
export interface CustomersDb extends DBSchema, CampaignsDbStores, ConsentDbStores, SyncDbStores {
  customers: {
    key: PrimaryKey;
    value: CustomerRecord;
    indexes: {
      byEmail: [string, string];
      byCreated: [string, number, string];
      byUpdated: [string, number, string];
      byLastName: [string, string, string, string];
      byFirstName: [string, string, string, string];
      byFilter: FilterKey;
      byChange: [string, number, string];
    };
  };
  segments: {
    key: PrimaryKey;
    value: StoredSegment;
    indexes: { byCreated: [string, number, string] };
  };
}

/** The names of the indexes a listing can walk. */
export type ListIndexName = 'byCreated' | 'byUpdated' | 'byLastName' | 'byFirstName' | 'byFilter';

// Stored last, deleted last-first: V8 then rolls each object's shape back instead of turning it into
// a slow dictionary object (which every later property read of the customer would pay for).
const INTERNAL_FIELDS = [
  'changeSeq',
  'lastNameKey',
  'firstNameKey',
  'filterKeys',
  'emailNormalized',
] as const;

/**
 * Builds the stored record of a customer, computing every derived index key.
 * @param customer - The customer as the core hands it over.
 * @param changeSeq - Its position in the organization's change feed.
 * @returns A new record; the input is not changed.
 */
export function toRecord(customer: Customer, changeSeq: number): CustomerRecord {
  const { organizationId: org, createdAt, id } = customer;
  const keys = customerKeys(customer);
  const filterKeys: FilterKey[] = [];
  for (const tag of keys.tagKeys) filterKeys.push([org, 't', tag, createdAt, id]);
  if (keys.birthdayKey !== null) filterKeys.push([org, 'b', keys.birthdayKey, createdAt, id]);
  for (const word of keys.words) filterKeys.push([org, 'w', word, createdAt, id]);
  for (const suffix of phoneSuffixes(customer.phone)) filterKeys.push([org, 'd', suffix, createdAt, id]);
  return {
    ...customer,
    emailNormalized: normalizeEmail(customer.email),
    filterKeys,
    firstNameKey: codePointKey(keys.firstNameKey),
    lastNameKey: codePointKey(keys.lastNameKey),
    changeSeq,
  };
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

/** The version-change transaction of an upgrade. */
export type UpgradeTransaction = IDBPTransaction<CustomersDb, StoreNames<CustomersDb>[], 'versionchange'>;

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
  tx: UpgradeTransaction,
): void {
  // Each step checks what exists, so a database left half-made by an older build still converges.
  if (oldVersion < 1 || !db.objectStoreNames.contains(CUSTOMERS)) {
    const store = db.createObjectStore(CUSTOMERS, { keyPath: ['organizationId', 'id'] });
    store.createIndex('byEmail', ['organizationId', 'emailNormalized'], { unique: true });
    store.createIndex('byCreated', ['organizationId', 'createdAt', 'id']);
  }
  const store = tx.objectStore(CUSTOMERS);
  // Step 2 (or a database left without it).
  if (!store.indexNames.contains('byFilter'))
    store.createIndex('byFilter', 'filterKeys', { multiEntry: true });
  // Step 4.
  if (!store.indexNames.contains('byUpdated'))
    store.createIndex('byUpdated', ['organizationId', 'updatedAt', 'id']);
  if (!store.indexNames.contains('byLastName')) {
    store.createIndex('byLastName', ['organizationId', 'lastNameKey', 'firstNameKey', 'id']);
  }
  if (!store.indexNames.contains('byFirstName')) {
    store.createIndex('byFirstName', ['organizationId', 'firstNameKey', 'lastNameKey', 'id']);
  }
  if (!db.objectStoreNames.contains(SEGMENTS)) {
    const segments = db.createObjectStore(SEGMENTS, { keyPath: ['organizationId', 'id'] });
    segments.createIndex('byCreated', ['organizationId', 'createdAt', 'id']);
  }
  if (oldVersion < 5) createCampaignStores(db as unknown as IDBPDatabase<CampaignsDbStores>);
  if (oldVersion < 6) createConsentStores(db as unknown as IDBPDatabase<ConsentDbStores>);
  if (oldVersion < 7) createSyncStores(db, store);
  // Records of versions 1–3 lack some derived keys (schema 4 recomputes all of them), records before
  // version 6 lack consent, records of versions 1–6 their change-feed number: one pass rewrites each
  // record (a new database has none). One pass, not one per step: two cursors would race.
  if (oldVersion >= 1 && oldVersion < 7) {
    backfill(store, tx, oldVersion < 4).catch(() => {
      // A failed request aborts the version-change transaction; opening reports that error.
    });
  }
}

async function backfill(
  store: IDBPObjectStore<CustomersDb, StoreNames<CustomersDb>[], 'customers', 'versionchange'>,
  tx: UpgradeTransaction,
  recompute: boolean,
) {
  const seqs = new Map<string, number>();
  let cursor = await store.openCursor();
  while (cursor) {
    let record = cursor.value;
    const consented = record.consent !== undefined;
    if (!consented)
      record.consent = { email: UNKNOWN_CONSENT, sms: UNKNOWN_CONSENT, socialDm: UNKNOWN_CONSENT };
    // Rebuilt through `copyCustomer`, so an upgraded record has the same shape (key order) as a new one.
    if (recompute || !consented) record = toRecord(copyCustomer(fromRecord(record)), 0);
    await cursor.update(numberRecord(record, seqs));
    cursor = await cursor.continue();
  }
  const meta = tx.objectStore(SYNC_META);
  for (const [organizationId, value] of seqs) await meta.put({ organizationId, name: 'changeSeq', value });
}
