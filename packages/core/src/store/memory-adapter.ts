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
import { compareCustomerKeys, matchesFilter } from './customer-filter';
import { createMemoryCampaignStore } from './memory-campaign-store';
import type {
  ChangeEvent,
  ChangeListener,
  CustomerFilter,
  CustomerUpdate,
  ListQuery,
  ListResult,
  StorageAdapter,
  WriteOptions,
} from './storage-adapter';

interface OrgState {
  readonly byId: Map<string, Customer>;
  readonly idByEmail: Map<string, string>;
  /** Customers ascending by (createdAt, id): the keyset index. */
  readonly ordered: Customer[];
  readonly listeners: Set<ChangeListener>;
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

  function org(organizationId: string): OrgState {
    let state = orgs.get(organizationId);
    if (!state) {
      state = { byId: new Map(), idByEmail: new Map(), ordered: [], listeners: new Set() };
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

  function store(state: OrgState, previous: Customer, next: Customer): void {
    const oldEmail = normalizeEmail(previous.email);
    const newEmail = normalizeEmail(next.email);
    if (oldEmail !== newEmail) {
      state.idByEmail.delete(oldEmail);
      state.idByEmail.set(newEmail, next.id);
    }
    state.byId.set(next.id, next);
    const index = findIndex(state.ordered, next.createdAt, next.id);
    state.ordered[index] = next;
  }

  const adapter: StorageAdapter = {
    name: 'memory',

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
      let appendOnly = true;
      const last = state.ordered[state.ordered.length - 1];
      let prev = last ? { createdAt: last.createdAt, id: last.id } : undefined;
      for (const customer of customers) {
        if (prev && compareCustomerKeys(prev.createdAt, prev.id, customer.createdAt, customer.id) >= 0) {
          appendOnly = false;
          break;
        }
        prev = customer;
      }
      const ids: string[] = [];
      for (const customer of customers) {
        const copy = copyCustomer(customer);
        state.byId.set(copy.id, copy);
        state.idByEmail.set(normalizeEmail(copy.email), copy.id);
        if (appendOnly) state.ordered.push(copy);
        else state.ordered.splice(findIndex(state.ordered, copy.createdAt, copy.id), 0, copy);
        ids.push(copy.id);
      }
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
        const current = state.byId.get(update.id);
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
      for (const { previous, next } of planned) store(state, previous, next);
      if (planned.length > 0)
        emit(state, { type: 'update', organizationId, ids: planned.map((p) => p.next.id) });
      return planned.map((p) => copyCustomer(p.next));
    },

    async get(organizationId, id) {
      const found = orgs.get(organizationId)?.byId.get(id);
      return found ? copyCustomer(found) : undefined;
    },

    async getByEmails(organizationId, emails) {
      const state = orgs.get(organizationId);
      if (!state) return [];
      const out: Customer[] = [];
      for (const email of new Set(emails)) {
        const id = state.idByEmail.get(email);
        const found = id === undefined ? undefined : state.byId.get(id);
        if (found) out.push(copyCustomer(found));
      }
      return out;
    },

    async update(organizationId, id, patch, options: WriteOptions) {
      const state = org(organizationId);
      const current = state.byId.get(id);
      if (!current) throw new NotFoundError(id);
      if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
        throw new VersionConflictError(id, options.expectedVersion, current.version);
      }
      const next = applyPatch(state, current, patch, options.updatedAt);
      store(state, current, next);
      emit(state, { type: 'update', organizationId, ids: [id] });
      return copyCustomer(next);
    },

    async delete(organizationId, id) {
      const state = orgs.get(organizationId);
      const current = state?.byId.get(id);
      if (!state || !current) return false;
      state.byId.delete(id);
      state.idByEmail.delete(normalizeEmail(current.email));
      state.ordered.splice(findIndex(state.ordered, current.createdAt, current.id), 1);
      emit(state, { type: 'delete', organizationId, ids: [id] });
      return true;
    },

    async list(organizationId, query: ListQuery): Promise<ListResult> {
      const after = readKeysetCursor(organizationId, query);
      if (after === null) return keysetPage(organizationId, query, [], false);
      const ordered = orgs.get(organizationId)?.ordered ?? [];
      const newest = query.sort === 'newest';
      const page: Customer[] = [];
      let index: number;
      if (after === undefined) index = newest ? ordered.length - 1 : 0;
      else {
        const [createdAt, id] = after;
        const at = findIndex(ordered, createdAt, id);
        const exact = ordered[at]?.createdAt === createdAt && ordered[at]?.id === id;
        index = newest ? at - 1 : exact ? at + 1 : at;
      }
      const step = newest ? -1 : 1;
      let more = false;
      for (; index >= 0 && index < ordered.length; index += step) {
        const customer = ordered[index]!;
        if (!matchesFilter(customer, query.filter)) continue;
        if (page.length === query.numItems) {
          more = true;
          break;
        }
        page.push(copyCustomer(customer));
      }
      return keysetPage(organizationId, query, page, more);
    },

    async count(organizationId, filter: CustomerFilter) {
      const state = orgs.get(organizationId);
      if (!state) return 0;
      if (Object.keys(filter).length === 0) return state.byId.size;
      let n = 0;
      for (const customer of state.ordered) if (matchesFilter(customer, filter)) n++;
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

    ...createMemoryCampaignStore(),
  };
  return adapter;
}

/** Index of the first customer whose key is >= (createdAt, id) in an ascending array. */
function findIndex(ordered: readonly Customer[], createdAt: number, id: string): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = ordered[mid]!;
    if (compareCustomerKeys(c.createdAt, c.id, createdAt, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
