import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { runAdapterConformance } from '@donutauto/testing';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';

runAdapterConformance({
  name: 'indexeddb (fake-indexeddb)',
  factory: () => createIndexedDbAdapter({ name: 'conformance', indexedDB: new IDBFactory(), IDBKeyRange }),
  teardown: (adapter) => adapter.close?.(),
  capabilities: { outbox: true, equivalenceRuns: 50 },
});
