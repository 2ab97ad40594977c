import {
  type CustomerClient,
  type CustomerInput,
  createCustomerClient,
  createMemoryAdapter,
  type StorageAdapter,
} from '@donutauto/core';
import type { ListQuery } from '@donutauto/core/adapter';
import type { ReactNode } from 'react';
import { CustomersProvider } from '../index';

/** Calls made to an adapter, for tests that count writes and reads. */
export interface AdapterCalls {
  readonly updates: { id: string; patch: Record<string, unknown> }[];
  readonly lists: ListQuery[];
  readonly gets: string[];
}

/**
 * A memory adapter that records the calls the tests count; everything else passes through.
 * @returns The adapter and its call log.
 */
export function recordingAdapter(): { adapter: StorageAdapter; calls: AdapterCalls } {
  const inner = createMemoryAdapter();
  const calls: AdapterCalls = { updates: [], lists: [], gets: [] };
  const adapter: StorageAdapter = {
    ...inner,
    name: inner.name,
    insertMany: (org, customers) => inner.insertMany(org, customers),
    updateMany: (org, updates, options) => inner.updateMany(org, updates, options),
    getByEmails: (org, emails) => inner.getByEmails(org, emails),
    delete: (org, id) => inner.delete(org, id),
    count: (org, filter) => inner.count(org, filter),
    subscribe: (org, listener) => inner.subscribe(org, listener),
    update(org, id, patch, options) {
      calls.updates.push({ id, patch: { ...patch } });
      return inner.update(org, id, patch, options);
    },
    list(org, query) {
      calls.lists.push(query);
      return inner.list(org, query);
    },
    get(org, id) {
      calls.gets.push(id);
      return inner.get(org, id);
    },
  };
  return { adapter, calls };
}

/** Two clients of one organization on one adapter: "this tab" and "someone else". */
export function twoClients(adapter: StorageAdapter = createMemoryAdapter()): {
  client: CustomerClient;
  other: CustomerClient;
} {
  let tick = Date.UTC(2026, 0, 1);
  // Distinct, increasing creation times keep list order deterministic.
  const now = () => ++tick;
  return {
    client: createCustomerClient({ adapter, organizationId: 'org', now }),
    other: createCustomerClient({ adapter, organizationId: 'org', now }),
  };
}

/** A wrapper providing `client` to hooks under test. */
export function providerFor(client: CustomerClient) {
  return ({ children }: { children?: ReactNode }) => (
    <CustomersProvider client={client}>{children}</CustomersProvider>
  );
}

/** The n-th test customer. */
export function person(n: number, extra: Partial<CustomerInput> = {}): CustomerInput {
  // Subscribed to email, so the campaign tests' email campaigns reach them.
  return {
    firstName: `First${n}`,
    lastName: `Last${n}`,
    email: `c${n}@example.com`,
    consent: { email: 'subscribed' },
    ...extra,
  };
}
