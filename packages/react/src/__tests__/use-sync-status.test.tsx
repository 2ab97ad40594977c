import { createMemoryAdapter, type StorageAdapter, StorageError, UNKNOWN_CONSENT } from '@donutauto/core';
import { createSyncedAdapter } from '@donutauto/sync';
import { customerDataFixture } from '@donutauto/testing';
import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useSyncStatus } from '../index';

/** A memory server behind a switch: while `offline`, every call fails as an unreachable server does. */
function switchableServer() {
  const server = createMemoryAdapter();
  const state = { offline: false };
  const remote = new Proxy(server, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'subscribe') return value;
      return (...args: unknown[]) =>
        state.offline
          ? Promise.reject(new StorageError('Could not reach the server', undefined, { retryable: true }))
          : value.apply(target, args);
    },
  }) as StorageAdapter;
  return { server, remote, state };
}

describe('useSyncStatus', () => {
  it('shows pending writes while offline and catches up once the server is back', async () => {
    const { server, remote, state } = switchableServer();
    const adapter = createSyncedAdapter({
      local: createMemoryAdapter(),
      remote,
      organizationId: 'org',
      autoSync: false,
    });
    const { result } = renderHook(() => useSyncStatus(adapter));
    expect(result.current).toMatchObject({ online: true, pendingCount: 0, pushing: false, pulling: false });

    state.offline = true;
    await act(async () => {
      await adapter.insertMany('org', [
        {
          ...customerDataFixture({
            firstName: 'Ana',
            lastName: 'Li',
            email: 'ana@example.com',
          }),
          consent: { email: UNKNOWN_CONSENT, sms: UNKNOWN_CONSENT, socialDm: UNKNOWN_CONSENT },
          id: 'c1',
          organizationId: 'org',
          createdAt: 1,
          updatedAt: 1,
          version: 1,
        },
      ]);
      await adapter.sync().catch(() => {});
    });
    expect(result.current).toMatchObject({
      online: false,
      pendingCount: 1,
      lastError: { code: 'storage_failed' },
    });

    state.offline = false;
    await act(() => adapter.sync());
    expect(result.current).toMatchObject({ online: true, pendingCount: 0, lastError: null });
    expect(result.current.lastSyncedAt).toEqual(expect.any(Number));
    expect(await server.get('org', 'c1')).toMatchObject({ email: 'ana@example.com' });
    await adapter.close();
  });
});
