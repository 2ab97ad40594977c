import {
  DuplicateEmailError,
  InvalidArgumentError,
  NotFoundError,
  StorageError,
  VersionConflictError,
} from '../errors/customer-error';
import { applyCustomerPatch, copyCustomer } from '../model/customer-record';
import type { Customer, CustomerPatch } from '../model/customer-schema';
import { normalizeEmail } from '../model/normalize';
import { checkBatchOrganization } from './batch-checks';
import { keysetPage, readKeysetCursor } from './cursor';
import { compileFilter } from './customer-filter';
import { type CustomerSort, isDescending } from './customer-sort';
import type { NormalizedFilter } from './filter-types';
import { createMemoryCampaignStore } from './memory-campaign-store';
import { createMemoryConsentState } from './memory-consent-store';
import { createMemorySegmentStore } from './memory-segment-store';
import { Entry, SortedEntries } from './sorted-entries';
import type {
  ChangeEvent,
  ChangeListener,
  CustomerUpdate,
  ListQuery,
  ListResult,
  StorageAdapter,
  WriteOptions,
} from './storage-adapter';

/** The keyset index each sort walks (`newest` walks `oldest`'s backwards). */
type IndexName = 'oldest' | 'recentlyUpdated' | 'lastName' | 'firstName';
const INDEX_OF: Record<CustomerSort, IndexName> = {
  newest: 'oldest',
  oldest: 'oldest',
  recentlyUpdated: 'recentlyUpdated',
  lastName: 'lastName',
  firstName: 'firstName',
};

interface OrgState {
  readonly byId: Map<string, Entry>;
  readonly idByEmail: Map<string, string>;
  /**
   * Keyset indexes by name. `oldest` always exists; the others are built when a listing first
   * uses them and kept up to date from then on.
   */
  readonly indexes: Map<IndexName, SortedEntries>;
  readonly listeners: Set<ChangeListener>;
}

function entryOf(customer: Customer): Entry {
  return new Entry(customer);
}

function indexOf(state: OrgState, name: IndexName): SortedEntries {
  let index = state.indexes.get(name);
  if (!index) {
    index = new SortedEntries(name);
    index.add([...state.byId.values()]);
    state.indexes.set(name, index);
  }
  return index;
}

/** Options of {@link createMemoryAdapter}. */
export interface MemoryAdapterOptions {
  /**
   * Deliver change events synchronously inside the write call instead of in a microtask.
   * @defaultValue false
   */
  readonly synchronousEvents?: boolean;
}

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
export function createMemoryAdapter(options: MemoryAdapterOptions = {}): StorageAdapter {
  const orgs = new Map<string, OrgState>();
  const consent = createMemoryConsentState();
  const { forgetCustomer, ...campaignStore } = createMemoryCampaignStore();

  function org(organizationId: string): OrgState {
    let state = orgs.get(organizationId);
    if (!state) {
      state = {
        byId: new Map(),
        idByEmail: new Map(),
        indexes: new Map([['oldest', new SortedEntries('oldest')]]),
        listeners: new Set(),
      };
      orgs.set(organizationId, state);
    }
    return state;
  }

  function emit(state: OrgState, event: ChangeEvent): void {
    if (state.listeners.size === 0) return;
    const deliver = () => {
      for (const listener of [...state.listeners]) {
        try {
          listener(event);
        } catch {
          // A failing subscriber must not break the write or other subscribers.
        }
      }
    };
    if (options.synchronousEvents) deliver();
    else queueMicrotask(deliver);
  }

  function applyPatch(state: OrgState, current: Customer, patch: CustomerPatch, updatedAt: number): Customer {
    const next = applyCustomerPatch(current, patch, updatedAt);
    const oldEmail = normalizeEmail(current.email);
    const newEmail = normalizeEmail(next.email);
    if (oldEmail !== newEmail) {
      const holder = state.idByEmail.get(newEmail);
      if (holder !== undefined && holder !== current.id)
        throw new DuplicateEmailError(newEmail, { existingId: holder });
    }
    return next;
  }

  function store(state: OrgState, changes: readonly { previous: Customer; next: Customer }[]): void {
    const entries = changes.map(({ previous, next }) => ({
      previous: state.byId.get(previous.id)!,
      next: entryOf(next),
    }));
    for (const { previous, next } of entries) {
      const oldEmail = normalizeEmail(previous.customer.email);
      const newEmail = normalizeEmail(next.customer.email);
      if (oldEmail !== newEmail) {
        state.idByEmail.delete(oldEmail);
        state.idByEmail.set(newEmail, next.customer.id);
      }
      state.byId.set(next.customer.id, next);
    }
    for (const index of state.indexes.values()) index.replace(entries);
    consent.record(changes);
  }

  function remove(state: OrgState, organizationId: string, current: Entry): void {
    const id = current.customer.id;
    state.byId.delete(id);
    state.idByEmail.delete(normalizeEmail(current.customer.email));
    for (const index of state.indexes.values()) index.remove([current]);
    emit(state, { type: 'delete', organizationId, ids: [id] });
  }

  const adapter: StorageAdapter = {
    name: 'memory',
    ...createMemorySegmentStore(),

    async insertMany(organizationId, customers) {
      const state = org(organizationId);
      checkBatchOrganization(organizationId, customers);
      const batchEmails = new Map<string, number>();
      const batchIds = new Set<string>();
      customers.forEach((customer, index) => {
        const email = normalizeEmail(customer.email);
        const holder = state.idByEmail.get(email);
        if (holder !== undefined) throw new DuplicateEmailError(email, { index, existingId: holder });
        if (batchEmails.has(email)) throw new DuplicateEmailError(email, { index });
        batchEmails.set(email, index);
        if (state.byId.has(customer.id) || batchIds.has(customer.id)) {
          throw new StorageError(
            `Customer id ${JSON.stringify(customer.id)} already exists (batch row ${index})`,
          );
        }
        batchIds.add(customer.id);
      });
      // Validated as a whole: from here on nothing can fail, so the batch is atomic.
      const entries = customers.map((customer) => entryOf(copyCustomer(customer)));
      const ids: string[] = [];
      for (const entry of entries) {
        state.byId.set(entry.customer.id, entry);
        state.idByEmail.set(normalizeEmail(entry.customer.email), entry.customer.id);
        ids.push(entry.customer.id);
      }
      for (const index of state.indexes.values()) index.add(entries);
      consent.record(entries.map((entry) => ({ previous: undefined, next: entry.customer })));
      if (ids.length > 0) emit(state, { type: 'insert', organizationId, ids });
    },

    async updateMany(organizationId, updates: readonly CustomerUpdate[], { updatedAt }) {
      const state = org(organizationId);
      const seen = new Set<string>();
      const planned: { previous: Customer; next: Customer }[] = [];
      const claimed = new Map<string, string>();
      for (const update of updates) {
        if (seen.has(update.id))
          throw new InvalidArgumentError('updates', `id ${JSON.stringify(update.id)} appears twice`);
        seen.add(update.id);
        const current = state.byId.get(update.id)?.customer;
        if (!current) throw new NotFoundError(update.id);
        if (update.expectedVersion !== undefined && update.expectedVersion !== current.version) {
          throw new VersionConflictError(update.id, update.expectedVersion, current.version);
        }
        const next = applyPatch(state, current, update.patch, updatedAt);
        const email = normalizeEmail(next.email);
        const other = claimed.get(email);
        if (other !== undefined && other !== next.id)
          throw new DuplicateEmailError(email, { existingId: other });
        claimed.set(email, next.id);
        planned.push({ previous: current, next });
      }
      // applyPatch already refused emails held by customers outside this update, and moving an
      // email between customers of one batch (as PostgreSQL must): stores apply one by one.
      store(state, planned);
      if (planned.length > 0)
        emit(state, { type: 'update', organizationId, ids: planned.map((p) => p.next.id) });
      return planned.map((p) => copyCustomer(p.next));
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
      const state = org(organizationId);
      const current = state.byId.get(id)?.customer;
      if (!current) throw new NotFoundError(id);
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new VersionConflictError(id, options.expectedVersion, current.version);
      }
      const next = applyPatch(state, current, patch, options.updatedAt);
      store(state, [{ previous: current, next }]);
      emit(state, { type: 'update', organizationId, ids: [id] });
      return copyCustomer(next);
    },

    async delete(organizationId, id) {
      const state = orgs.get(organizationId);
      const current = state?.byId.get(id);
      if (!state || !current) return false;
      remove(state, organizationId, current);
      return true;
    },

    async listConsentHistory(organizationId, customerId) {
      return consent.history(organizationId, customerId);
    },

    async eraseCustomer(organizationId, id, erasure) {
      consent.check(organizationId, erasure.tombstone);
      const state = orgs.get(organizationId);
      const current = state?.byId.get(id);
      if (!state || !current) return false;
      if (erasure.expectedVersion !== current.customer.version) {
        throw new VersionConflictError(id, erasure.expectedVersion, current.customer.version);
      }
      // Checked above: from here on nothing can fail, so the erasure is atomic.
      forgetCustomer(organizationId, id);
      consent.erase(organizationId, id, erasure.tombstone);
      remove(state, organizationId, current);
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
