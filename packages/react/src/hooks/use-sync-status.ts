import { useCallback, useSyncExternalStore } from 'react';

/**
 * What {@link useSyncStatus} reads: the synced adapter of `@donutauto/sync` (typed structurally,
 * so this package does not depend on it).
 */
export interface SyncStatusSource<S> {
  /** The current status: a new object after each change. */
  readonly status: S;
  /**
   * Observes the status.
   * @param listener - Receives each new status.
   * @returns A function that stops observing.
   */
  subscribeStatus(listener: (status: S) => void): () => void;
}

/**
 * The sync state of an offline-capable adapter (`createSyncedAdapter`): online, pushing, pulling,
 * the number of writes waiting for the server and the last error; the component re-renders when it
 * changes. Pass the adapter itself (the provider holds a client, not the adapter).
 * @param source - The synced adapter.
 * @returns Its current status.
 * @example
 * const { online, pendingCount } = useSyncStatus(adapter);
 * return <span>{online ? 'Online' : `Offline — ${pendingCount} changes waiting`}</span>;
 */
export function useSyncStatus<S>(source: SyncStatusSource<S>): S {
  const subscribe = useCallback((onChange: () => void) => source.subscribeStatus(() => onChange()), [source]);
  const read = useCallback(() => source.status, [source]);
  return useSyncExternalStore(subscribe, read, read);
}
