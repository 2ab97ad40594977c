import { type Customer, type CustomerData, uuidv7 } from '@donutauto/core';
import { birthdayMonth, buildCustomer } from '@donutauto/core/adapter';
import { customerDataFixture } from '@donutauto/testing';

/** A complete customer of `org`, number `i`, with optional overrides. */
export function customer(
  org: string,
  i: number,
  extra: Partial<CustomerData> = {},
  createdAt = 1_000 + i,
): Customer {
  const data = customerDataFixture(
    { firstName: `First${i}`, lastName: `Last${i}`, email: `person${i}@example.com` },
    extra,
  );
  return buildCustomer(data, org, createdAt, uuidv7);
}

/** A customer as releases before schema 6 stored it: without consent. */
function withoutConsent(c: Customer): Omit<Customer, 'consent'> {
  const { consent: _consent, ...rest } = c;
  return rest;
}

/** Resolves with the rejection of `promise`, failing when it fulfils. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Opens `name` at schema version 1 exactly as release 1 of the adapter laid it out (a frozen copy of
 * that layout, independent of today's upgrade code), for upgrade tests and "old tab" scenarios.
 */
export function openVersion1(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore('customers', { keyPath: ['organizationId', 'id'] });
      store.createIndex('byEmail', ['organizationId', 'emailNormalized'], { unique: true });
      store.createIndex('byCreated', ['organizationId', 'createdAt', 'id']);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Writes customers as release 1 stored them: the customer plus `emailNormalized`. */
export function putVersion1(db: IDBDatabase, customers: readonly Customer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('customers', 'readwrite');
    for (const c of customers)
      tx.objectStore('customers').put({
        ...withoutConsent(c),
        emailNormalized: c.email.trim().toLowerCase(),
      });
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/**
 * Opens `name` at schema version 2 or 3 exactly as those releases laid it out (frozen copy): version
 * 1 plus the multi-entry `byFilter` index over `filterKeys` (version 3 only changed what
 * `filterKeys` holds).
 */
function openFilterLayout(factory: IDBFactory, name: string, version: 2 | 3): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, version);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore('customers', { keyPath: ['organizationId', 'id'] });
      store.createIndex('byEmail', ['organizationId', 'emailNormalized'], { unique: true });
      store.createIndex('byCreated', ['organizationId', 'createdAt', 'id']);
      store.createIndex('byFilter', 'filterKeys', { multiEntry: true });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Writes customers as releases 2 and 3 stored them: `emailNormalized` plus `filterKeys` with an
 * entry per tag as written (`'t'`), for the birthday month (`'m'`) and, in version 2, per
 * preference (`'p'`).
 */
function putFilterLayout(db: IDBDatabase, customers: readonly Customer[], version: 2 | 3): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('customers', 'readwrite');
    for (const c of customers) {
      const org = c.organizationId;
      const filterKeys: unknown[] = [
        ...c.tags.map((tag) => [org, 't', tag, c.createdAt, c.id]),
        ...(version === 2
          ? c.preferences.map((preference) => [org, 'p', preference, c.createdAt, c.id])
          : []),
        ...(c.dob === null ? [] : [[org, 'm', birthdayMonth(c.dob), c.createdAt, c.id]]),
      ];
      tx.objectStore('customers').put({
        ...withoutConsent(c),
        emailNormalized: c.email.trim().toLowerCase(),
        filterKeys,
      });
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** Opens `name` at schema version 2 as release 2 laid it out. */
export const openVersion2 = (factory: IDBFactory, name: string) => openFilterLayout(factory, name, 2);
/** Writes customers as release 2 stored them (tag, preference and month entries). */
export const putVersion2 = (db: IDBDatabase, customers: readonly Customer[]) =>
  putFilterLayout(db, customers, 2);
/** Opens `name` at schema version 3 as release 3 laid it out. */
export const openVersion3 = (factory: IDBFactory, name: string) => openFilterLayout(factory, name, 3);
/** Writes customers as release 3 stored them (tag and month entries). */
export const putVersion3 = (db: IDBDatabase, customers: readonly Customer[]) =>
  putFilterLayout(db, customers, 3);

/** Every earlier release's layout, by schema version: how to open it and how it stored customers. */
export const LEGACY_LAYOUTS = {
  1: { open: openVersion1, put: putVersion1 },
  2: { open: openVersion2, put: putVersion2 },
  3: { open: openVersion3, put: putVersion3 },
} as const;
