import { createMemoryAdapter } from '@donutauto/core';
import { createSyncedAdapter } from '@donutauto/sync';
import { runAdapterConformance } from '@donutauto/testing';

// The synced adapter is a StorageAdapter like any other: the whole suite, with background sync on.
runAdapterConformance({
  name: 'synced (memory local, memory remote)',
  factory: () => createSyncedAdapter({ local: createMemoryAdapter(), remote: createMemoryAdapter() }),
  teardown: (adapter) => adapter.close?.(),
  capabilities: { equivalenceRuns: 25 },
});
