import { VersionConflictError } from '../errors/customer-error';
import { copyCustomer } from '../model/customer-record';
import type { Customer } from '../model/customer-schema';
import { keysetPage, readKeysetCursor } from './cursor';
import { compileFilter } from './customer-filter';
import { isDescending } from './customer-sort';
import type { NormalizedFilter } from './filter-types';
import { createMemoryCampaignStore } from './memory-campaign-store';
import { createMemoryConsentState } from './memory-consent-store';
import { createMemoryCustomers, INDEX_OF, indexOf } from './memory-customers';
import { createMemoryOutbox } from './memory-outbox';
import { createMemorySegmentStore } from './memory-segment-store';
import type { OutboxStore } from './outbox-store';
import type { CustomerUpdate, ListQuery, ListResult, StorageAdapter, WriteOptions } from './storage-adapter';

/** Options of {@link createMemoryAdapter}. */
export interface MemoryAdapterOptions {
  /**
   * Deliver change events synchronously inside the write call instead of in a microtask.
   * @defaultValue false
   */
  readonly synchronousEvents?: boolean;
}

/** The memory adapter: the whole storage contract, and an outbox for use as a synced adapter's local store. */
export interface MemoryAdapter extends StorageAdapter, OutboxStore {}

/**
 * Creates the embedded in-memory {@link StorageAdapter}: the default store for demos, tests and
 * single-process apps. It implements the whole contract (atomic batches, optimistic concurrency,
 * keyset pagination, change events) and is the reference every other adapter is checked against.
 * Returned customers are copies: mutating them never changes what is stored.
 * @param options - See {@link MemoryAdapterOptions}.
 * @returns A fresh, empty adapter.
 * @example
 * const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org_1' });
 */
export function createMemoryAdapter(options: MemoryAdapterOptions = {}): MemoryAdapter {
  const consent = createMemoryConsentState();
  const { forgetCustomer, ...campaignStore } = createMemoryCampaignStore();
  const { orgs, org, writes } = createMemoryCustomers(options.synchronousEvents ?? false, consent);

  const adapter: MemoryAdapter = {
    name: 'memory',
    ...createMemorySegmentStore(),
    ...createMemoryOutbox(writes),

    async insertMany(organizationId, customers) {
      writes.insert(organizationId, customers);
    },

    async updateMany(organizationId, updates: readonly CustomerUpdate[], { updatedAt }) {
      return writes.update(organizationId, updates, updatedAt).after.map(copyCustomer);
    },

    async get(organizationId, id) {
      const found = orgs.get(organizationId)?.byId.get(id);
      return found ? copyCustomer(found.customer) : undefined;
    },

    async getByEmails(organizationId, emails) {
      const state = orgs.get(organizationId);
      if (!state) return [];
      const out: Customer[] = [];
      for (const email of new Set(emails)) {
        const id = state.idByEmail.get(email);
        const found = id === undefined ? undefined : state.byId.get(id);
        if (found) out.push(copyCustomer(found.customer));
      }
      return out;
    },

    async update(organizationId, id, patch, options: WriteOptions) {
      const update =
        options.expectedVersion === undefined
          ? { id, patch }
          : { id, patch, expectedVersion: options.expectedVersion };
      return copyCustomer(writes.update(organizationId, [update], options.updatedAt).after[0]!);
    },

    async delete(organizationId, id) {
      return writes.remove(organizationId, id) !== undefined;
    },

    async changesSince(organizationId, cursor, limit) {
      const state = org(organizationId);
      return state.log.page(organizationId, cursor, limit, (id) =>
        copyCustomer(state.byId.get(id)!.customer),
      );
    },

    async listConsentHistory(organizationId, customerId) {
      return consent.history(organizationId, customerId);
    },

    async eraseCustomer(organizationId, id, erasure) {
      consent.check(organizationId, erasure.tombstone);
      const current = orgs.get(organizationId)?.byId.get(id)?.customer;
      if (!current) return false;
      if (erasure.expectedVersion !== current.version) {
        throw new VersionConflictError(id, erasure.expectedVersion, current.version);
      }
      // Checked above: from here on nothing can fail, so the erasure is atomic.
      forgetCustomer(organizationId, id);
      consent.erase(organizationId, id, erasure.tombstone);
      writes.remove(organizationId, id);
      return true;
    },

    async findErasures(organizationId, emailHashes) {
      return consent.findErasures(organizationId, emailHashes);
    },

    async hasErasures(organizationId) {
      return consent.hasErasures(organizationId);
    },

    async list(organizationId, query: ListQuery): Promise<ListResult> {
      const after = readKeysetCursor(organizationId, query);
      if (after === null) return keysetPage(organizationId, query, [], false);
      const state = orgs.get(organizationId);
      if (!state) return keysetPage(organizationId, query, [], false);
      const index = indexOf(state, INDEX_OF[query.sort]);
      const descending = isDescending(query.sort);
      const step = descending ? -1 : 1;
      let at: number;
      if (after === undefined) at = descending ? index.length - 1 : 0;
      else at = descending ? index.seek(after, false) - 1 : index.seek(after, true);
      const matches = compileFilter(query.filter);
      const page: Customer[] = [];
      let more = false;
      for (let entry = index.at(at); entry; at += step, entry = index.at(at)) {
        if (!matches(entry.customer, () => entry.keys)) continue;
        if (page.length === query.numItems) {
          more = true;
          break;
        }
        page.push(copyCustomer(entry.customer));
      }
      return keysetPage(organizationId, query, page, more);
    },

    async count(organizationId, filter: NormalizedFilter) {
      const state = orgs.get(organizationId);
      if (!state) return 0;
      if (Object.keys(filter).length === 0) return state.byId.size;
      const matches = compileFilter(filter);
      let n = 0;
      for (const entry of state.byId.values()) if (matches(entry.customer, () => entry.keys)) n++;
      return n;
    },

    subscribe(organizationId, listener) {
      const state = org(organizationId);
      state.listeners.add(listener);
      return () => {
        state.listeners.delete(listener);
      };
    },

    async close() {
      for (const state of orgs.values()) state.listeners.clear();
    },

    ...campaignStore,
  };
  return adapter;
}
