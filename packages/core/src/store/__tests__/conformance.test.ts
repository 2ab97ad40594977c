import { createMemoryAdapter } from '@donutauto/core';
import { runAdapterConformance } from '@donutauto/testing';

runAdapterConformance({
  name: 'memory',
  factory: () => createMemoryAdapter(),
  capabilities: { outbox: true, equivalenceRuns: 100 },
});
