import type { CustomerError } from '@donutauto/core';
import type { SyncStatus, SyncStatusListener } from './sync-types';

/** Everything that changes the sync status. */
export type SyncAction =
  | { readonly type: 'step'; readonly step: 'pushing' | 'pulling'; readonly active: boolean }
  | { readonly type: 'pending'; readonly organizationId: string; readonly count: number }
  | { readonly type: 'reached' }
  | { readonly type: 'failed'; readonly error: CustomerError; readonly offline: boolean }
  | { readonly type: 'synced'; readonly at: number };

/** The status of one synced adapter, changed in one place ({@link StatusStore.dispatch}). */
export interface StatusStore {
  /** The current snapshot. */
  readonly current: SyncStatus;
  /** Applies an action and tells the listeners when the snapshot changed. */
  dispatch(action: SyncAction): void;
  /** Adds a listener; returns its removal. */
  subscribe(listener: SyncStatusListener): () => void;
}

const INITIAL: SyncStatus = {
  online: true,
  pushing: false,
  pulling: false,
  pendingCount: 0,
  lastError: null,
  lastSyncedAt: null,
};

function reduce(status: SyncStatus, pending: Map<string, number>, action: SyncAction): SyncStatus {
  switch (action.type) {
    case 'step':
      return { ...status, [action.step]: action.active };
    case 'pending': {
      pending.set(action.organizationId, action.count);
      let total = 0;
      for (const count of pending.values()) total += count;
      return { ...status, pendingCount: total };
    }
    case 'reached':
      return { ...status, online: true };
    case 'failed':
      return { ...status, lastError: action.error, online: status.online && !action.offline };
    case 'synced':
      return { ...status, online: true, lastError: null, lastSyncedAt: action.at };
  }
}

/**
 * Creates the status store.
 * @returns It, at the initial status (online, idle, nothing pending).
 */
export function createStatusStore(): StatusStore {
  const listeners = new Set<SyncStatusListener>();
  const pending = new Map<string, number>();
  let current = INITIAL;
  return {
    get current() {
      return current;
    },
    dispatch(action) {
      const next = reduce(current, pending, action);
      if (Object.entries(next).every(([k, v]) => current[k as keyof SyncStatus] === v)) return;
      current = next;
      for (const listener of [...listeners]) {
        try {
          listener(next);
        } catch {
          // A failing listener must not stop syncing or the other listeners.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
