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
      tx.objectStore('customers').put({ ...c, emailNormalized: c.email.trim().toLowerCase() });
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/**
 * Opens `name` at schema version 2 exactly as release 2 laid it out (frozen copy): version 1 plus
 * the multi-entry `byFilter` index over `filterKeys`. Release 3 kept that layout (only the keys
 * changed), so `version` 3 opens a release 3 database.
 */
export function openVersion2(factory: IDBFactory, name: string, version: 2 | 3 = 2): Promise<IDBDatabase> {
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
 * Writes customers as release 2 stored them: `emailNormalized` plus `filterKeys` with an entry per
 * tag (`'t'`), per preference (`'p'`) and for the birthday month (`'m'`).
 */
export function putVersion2(db: IDBDatabase, customers: readonly Customer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('customers', 'readwrite');
    for (const c of customers) {
      const org = c.organizationId;
      const filterKeys: unknown[] = [
        ...c.tags.map((tag) => [org, 't', tag, c.createdAt, c.id]),
        ...c.preferences.map((preference) => [org, 'p', preference, c.createdAt, c.id]),
        ...(c.dob === null ? [] : [[org, 'm', birthdayMonth(c.dob), c.createdAt, c.id]]),
      ];
      tx.objectStore('customers').put({ ...c, emailNormalized: c.email.trim().toLowerCase(), filterKeys });
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}

/** Opens `name` at schema version 3 exactly as release 3 laid it out (release 2's layout). */
export function openVersion3(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return openVersion2(factory, name, 3);
}

/** Writes customers as release 3 stored them: `filterKeys` per tag (`'t'`) and birthday month (`'m'`). */
export function putVersion3(db: IDBDatabase, customers: readonly Customer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tx = db.transaction('customers', 'readwrite');
    for (const c of customers) {
      const org = c.organizationId;
      const filterKeys: unknown[] = [
        ...c.tags.map((tag) => [org, 't', tag, c.createdAt, c.id]),
        ...(c.dob === null ? [] : [[org, 'm', birthdayMonth(c.dob), c.createdAt, c.id]]),
      ];
      tx.objectStore('customers').put({ ...c, emailNormalized: c.email.trim().toLowerCase(), filterKeys });
    }
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
