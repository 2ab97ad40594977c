import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { createMemoryAdapter, normalizeEmail, type StorageAdapter } from '@donutauto/core';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { customer } from './customers.fixture';

const ids = async (adapter: StorageAdapter, emails: string[]) =>
  (await adapter.getByEmails('org', emails)).map((c) => c.id).sort();

describe('getByEmails', () => {
  it('finds the same customers as the memory adapter whether the emails span few or many stored rows', async () => {
    const adapter = createIndexedDbAdapter({ name: 'emails', indexedDB: new IDBFactory(), IDBKeyRange });
    const reference = createMemoryAdapter();
    const rows = Array.from({ length: 60 }, (_, i) =>
      customer('org', i, { email: `p${String(i).padStart(3, '0')}@ex.com` }),
    );
    await adapter.insertMany('org', rows);
    await reference.insertMany('org', rows);
    const cases = [
      // Two emails at both ends: 60 stored rows between them (more than 2 × 2 + 1), so point reads.
      ['p000@ex.com', 'p059@ex.com'],
      // Misses spread wide: the span holds 50 stored rows, so point reads.
      ['p010@ex.com', 'p011@ex.com', 'p012@ex.com', 'p0105@ex.com', 'zzz@ex.com'],
      // Neighbours and a miss: 3 stored rows in the span, so one range read.
      ['p010@ex.com', 'p011@ex.com', 'p012@ex.com', 'p0105@ex.com'],
      // A range read whose span holds rows nobody asked for (p011, p012): they are left out.
      ['p010@ex.com', 'p013@ex.com'],
      ['nobody@ex.com'],
      ['P005@EX.COM'].map(normalizeEmail),
      [],
    ];
    for (const emails of cases) expect(await ids(adapter, emails)).toEqual(await ids(reference, emails));
    expect(await adapter.getByEmails('empty-org', ['p000@ex.com'])).toEqual([]);
    const [found] = await adapter.getByEmails('org', ['p007@ex.com']);
    expect(found).toEqual(rows[7]);
    await adapter.close?.();
  });
});
