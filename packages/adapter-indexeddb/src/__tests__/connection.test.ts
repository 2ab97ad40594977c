import { createIndexedDbAdapter, IndexedDbStorageError, SCHEMA_VERSION } from '@donutauto/adapter-indexeddb';
import { type ChangeEvent, isCustomerError } from '@donutauto/core';
import { forceCloseDatabase, IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { customer, openVersion1, rejectionOf } from './customers.fixture';

/** The real fake-indexeddb factory, recording the connections it opens so a test can force-close them. */
function recordingFactory(): { factory: IDBFactory; opened: IDBDatabase[] } {
  const real = new IDBFactory();
  const opened: IDBDatabase[] = [];
  const factory = Object.create(real) as IDBFactory;
  factory.open = (name: string, version?: number) => {
    const request = real.open(name, version);
    request.addEventListener('success', () => opened.push(request.result));
    return request;
  };
  return { factory, opened };
}

function openRaw(factory: IDBFactory, name: string, version: number): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, version);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

describe('createIndexedDbAdapter connection handling', () => {
  it('reopens by itself after the browser force-closes the connection', async () => {
    const { factory, opened } = recordingFactory();
    const adapter = createIndexedDbAdapter({ name: 'force-close', indexedDB: factory, IDBKeyRange });
    const row = customer('org', 1);
    await adapter.insertMany('org', [row]);
    expect(opened.length).toBe(1);
    const [connection] = opened;
    if (!connection) throw new Error('the adapter opened no connection');
    // fake-indexeddb types its parameter loosely; it takes the open connection.
    forceCloseDatabase(connection as unknown as Parameters<typeof forceCloseDatabase>[0]);
    expect(await adapter.get('org', row.id)).toEqual(row);
    expect(opened.length).toBe(2);
    await adapter.close?.();
  });

  it('steps aside for a newer version opened elsewhere and then reports reason version', async () => {
    const factory = new IDBFactory();
    const adapter = createIndexedDbAdapter({ name: 'newer', indexedDB: factory, IDBKeyRange });
    await adapter.insertMany('org', [customer('org', 1)]);
    // A newer release of the app in another tab upgrades; our open connection must not block it.
    const newer = await openRaw(factory, 'newer', SCHEMA_VERSION + 1);
    newer.close();
    const error = await rejectionOf(adapter.count('org', {}));
    expect(isCustomerError(error, 'storage_failed')).toBe(true);
    expect(error).toBeInstanceOf(IndexedDbStorageError);
    expect(error.reason).toBe('version');
    await adapter.close?.();
  });

  it('fails a blocked upgrade with reason blocked instead of hanging, then recovers', async () => {
    const factory = new IDBFactory();
    // An old tab holds version 1 open and ignores `versionchange`.
    const old = await openVersion1(factory, 'blocked');
    const adapter = createIndexedDbAdapter({
      name: 'blocked',
      indexedDB: factory,
      IDBKeyRange,
      blockedTimeoutMs: 100,
    });
    const error = await rejectionOf(adapter.count('org', {}));
    expect(isCustomerError(error, 'storage_failed')).toBe(true);
    expect(error.reason).toBe('blocked');
    old.close();
    await vi.waitFor(async () => expect(await adapter.count('org', {})).toBe(0), { timeout: 2_000 });
    await adapter.insertMany('org', [customer('org', 1)]);
    expect(await adapter.count('org', {})).toBe(1);
    await adapter.close?.();
  });

  it('recovers when another tab deletes the database', async () => {
    const factory = new IDBFactory();
    const adapter = createIndexedDbAdapter({ name: 'deleted', indexedDB: factory, IDBKeyRange });
    const row = customer('org', 1);
    await adapter.insertMany('org', [row]);
    await new Promise<void>((resolve, reject) => {
      const request = factory.deleteDatabase('deleted');
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
    expect(await adapter.get('org', row.id)).toBeUndefined();
    await adapter.insertMany('org', [row]);
    expect(await adapter.get('org', row.id)).toEqual(row);
    await adapter.close?.();
  });

  it('fails every call after close() with reason closed', async () => {
    const adapter = createIndexedDbAdapter({ name: 'closed', indexedDB: new IDBFactory(), IDBKeyRange });
    await adapter.insertMany('org', [customer('org', 1)]);
    await adapter.close?.();
    const error = await rejectionOf(adapter.count('org', {}));
    expect(error).toMatchObject({ code: 'storage_failed', reason: 'closed' });
  });

  it('reports a repeated id as storage_failed and writes nothing of the batch', async () => {
    const adapter = createIndexedDbAdapter({ name: 'ids', indexedDB: new IDBFactory(), IDBKeyRange });
    const row = customer('org', 1);
    await adapter.insertMany('org', [row]);
    const error = await rejectionOf(
      adapter.insertMany('org', [customer('org', 2), { ...row, email: 'other@example.com' }]),
    );
    expect(error.code).toBe('storage_failed');
    expect(await adapter.count('org', {})).toBe(1);
    await adapter.close?.();
  });

  it('refuses to start without an IndexedDB, with reason unavailable', () => {
    const saved = globalThis.indexedDB;
    Reflect.deleteProperty(globalThis, 'indexedDB');
    try {
      expect(() => createIndexedDbAdapter()).toThrow(IndexedDbStorageError);
      expect(() => createIndexedDbAdapter()).toThrow(expect.objectContaining({ reason: 'unavailable' }));
    } finally {
      Object.assign(globalThis, { indexedDB: saved });
    }
  });
});

describe('createIndexedDbAdapter change events', () => {
  it('reaches another adapter on the same database through BroadcastChannel, per organization', async () => {
    const factory = new IDBFactory();
    const writer = createIndexedDbAdapter({ name: 'tabs', indexedDB: factory, IDBKeyRange });
    const reader = createIndexedDbAdapter({ name: 'tabs', indexedDB: factory, IDBKeyRange });
    const seen: ChangeEvent[] = [];
    const foreign: ChangeEvent[] = [];
    reader.subscribe('org', (e) => seen.push(e));
    reader.subscribe('other', (e) => foreign.push(e));
    const row = customer('org', 1);
    await writer.insertMany('org', [row]);
    await writer.update('org', row.id, { notes: 'hi' }, { updatedAt: 5_000 });
    await writer.delete('org', row.id);
    await vi.waitFor(() =>
      expect(seen).toEqual([
        { type: 'insert', organizationId: 'org', ids: [row.id] },
        { type: 'update', organizationId: 'org', ids: [row.id] },
        { type: 'delete', organizationId: 'org', ids: [row.id] },
      ]),
    );
    expect(foreign).toEqual([]);
    await writer.close?.();
    await reader.close?.();
  });

  it('keeps in-tab events but sends nothing across when broadcastChannel is false', async () => {
    const factory = new IDBFactory();
    const writer = createIndexedDbAdapter({
      name: 'solo',
      indexedDB: factory,
      IDBKeyRange,
      broadcastChannel: false,
    });
    const reader = createIndexedDbAdapter({ name: 'solo', indexedDB: factory, IDBKeyRange });
    const local: ChangeEvent[] = [];
    const remote: ChangeEvent[] = [];
    writer.subscribe('org', (e) => local.push(e));
    reader.subscribe('org', (e) => remote.push(e));
    await writer.insertMany('org', [customer('org', 1)]);
    await vi.waitFor(() => expect(local.map((e) => e.type)).toEqual(['insert']));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(remote).toEqual([]);
    await writer.close?.();
    await reader.close?.();
  });
});
