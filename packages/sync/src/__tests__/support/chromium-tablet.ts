// Browser entry of the Chromium test: a tablet page whose customers live in IndexedDB and sync
// with the server that served the page, through the HTTP adapter.
import { createHttpAdapter } from '@donutauto/adapter-http';
import { createIndexedDbAdapter } from '@donutauto/adapter-indexeddb';
import { type CustomerInput, type CustomerPatchInput, createCustomerClient } from '@donutauto/core';
import { createSyncedAdapter } from '@donutauto/sync';

const ORG = 'org_shop';
const adapter = createSyncedAdapter({
  local: createIndexedDbAdapter({ name: 'tablet' }),
  remote: createHttpAdapter({
    baseUrl: '/api',
    retry: { retries: 0 },
    reconnect: { minDelayMs: 100, maxDelayMs: 500 },
  }),
  organizationId: ORG,
  intervalMs: 1_000,
  retry: { minDelayMs: 100, maxDelayMs: 500 },
});
const client = createCustomerClient({ adapter, organizationId: ORG });

Object.assign(globalThis, {
  __tablet: {
    add: (input: CustomerInput) => client.add(input),
    update: (id: string, patch: CustomerPatchInput) => client.update(id, patch),
    list: async () => (await client.list({ numItems: 100, sort: 'oldest' })).page,
    status: () => adapter.status,
  },
});
