import { createHttpAdapter } from '@donutauto/adapter-http';
import { type Customer, createMemoryAdapter, type MemoryAdapter, type StorageAdapter } from '@donutauto/core';
import { createCustomersHandler } from '@donutauto/server';
import { createSyncedAdapter, type SyncConflict, type SyncedAdapter } from '@donutauto/sync';
import { type Network, network, tabletFetch } from './network';

/** One organization's server: a real handler over a storage adapter. */
export interface Server {
  readonly adapter: StorageAdapter;
  readonly handler: (request: Request) => Promise<Response>;
}

/**
 * A real handler over `adapter`, authorizing every request for `org`.
 * @param adapter - The server's store.
 * @param org - The only organization.
 */
export function serverOf(adapter: StorageAdapter, org: string): Server {
  const handler = createCustomersHandler({ adapter, authorize: () => org, onError: () => {} });
  return { adapter, handler };
}

/** A tablet: its own local store and network, and a synced adapter it can re-create (a reload). */
export interface Tablet {
  readonly local: MemoryAdapter;
  readonly net: Network;
  readonly conflicts: SyncConflict[];
  adapter: SyncedAdapter;
  /** Closes the synced adapter and makes a new one over the same local store. */
  reload(): Promise<void>;
}

/**
 * Creates a tablet syncing `org` with `server` over HTTP, without background syncing.
 * @param server - The server.
 * @param org - The organization.
 */
export function tablet(server: Server, org: string): Tablet {
  const local = createMemoryAdapter();
  const net = network();
  const conflicts: SyncConflict[] = [];
  const make = () =>
    createSyncedAdapter({
      local,
      remote: createHttpAdapter({
        baseUrl: 'http://server.test/api',
        fetch: tabletFetch(server.handler, net),
        retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 },
      }),
      organizationId: org,
      autoSync: false,
      onConflict: (conflict) => conflicts.push(conflict),
    });
  const t: Tablet = {
    local,
    net,
    conflicts,
    adapter: make(),
    async reload() {
      await t.adapter.close();
      t.adapter = make();
    },
  };
  return t;
}

/** Every customer of an organization, by id. */
export async function allCustomers(adapter: StorageAdapter, org: string): Promise<Customer[]> {
  const out: Customer[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await adapter.list(org, { numItems: 1000, cursor, filter: {}, sort: 'oldest' });
    out.push(...page.page);
    if (page.isDone) return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    cursor = page.continueCursor;
  }
}
