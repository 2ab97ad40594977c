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
import { checkBatchOrganization, checkPutEmails } from './batch-checks';
import type { CustomerSort } from './customer-sort';
import { ChangeLog } from './memory-change-log';
import type { MemoryConsentState } from './memory-consent-store';
import type { MemoryWrites } from './memory-outbox';
import { Entry, SortedEntries } from './sorted-entries';
import type { ChangeEvent, ChangeListener, CustomerUpdate } from './storage-adapter';

/** The keyset index each sort walks (`newest` walks `oldest`'s backwards). */
export type IndexName = 'oldest' | 'recentlyUpdated' | 'lastName' | 'firstName';
export const INDEX_OF: Record<CustomerSort, IndexName> = {
  newest: 'oldest',
  oldest: 'oldest',
  recentlyUpdated: 'recentlyUpdated',
  lastName: 'lastName',
  firstName: 'firstName',
};

export interface OrgState {
  readonly byId: Map<string, Entry>;
  readonly idByEmail: Map<string, string>;
  /**
   * Keyset indexes by name. `oldest` always exists; the others are built when a listing first
   * uses them and kept up to date from then on.
   */
  readonly indexes: Map<IndexName, SortedEntries>;
  readonly listeners: Set<ChangeListener>;
  /** The change feed: each customer's last write, deletions as tombstones. */
  readonly log: ChangeLog;
}

function entryOf(customer: Customer): Entry {
  return new Entry(customer);
}

export function indexOf(state: OrgState, name: IndexName): SortedEntries {
  let index = state.indexes.get(name);
  if (!index) {
    index = new SortedEntries(name);
    index.add([...state.byId.values()]);
    state.indexes.set(name, index);
  }
  return index;
}

/** The memory adapter's customers: the state of each organization and the writes that change it. */
export interface MemoryCustomers {
  /** Each organization's state, created on first use by {@link MemoryCustomers.org}. */
  readonly orgs: Map<string, OrgState>;
  /** The state of an organization, created when absent. */
  org(organizationId: string): OrgState;
  /** The writes, synchronous: each either throws having changed nothing, or completes. */
  readonly writes: MemoryWrites;
}

/**
 * Creates the memory adapter's customer state and writes.
 * @param synchronousEvents - Deliver change events inside the write instead of in a microtask.
 * @param consent - Keeps the consent history every write adds to.
 * @returns The state and the writes.
 */
export function createMemoryCustomers(
  synchronousEvents: boolean,
  consent: Pick<MemoryConsentState, 'record'>,
): MemoryCustomers {
  const orgs = new Map<string, OrgState>();

  function org(organizationId: string): OrgState {
    let state = orgs.get(organizationId);
    if (!state) {
      state = {
        byId: new Map(),
        idByEmail: new Map(),
        indexes: new Map([['oldest', new SortedEntries('oldest')]]),
        listeners: new Set(),
        log: new ChangeLog(),
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
    if (synchronousEvents) deliver();
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

  /** Takes a customer out of the maps and indexes (the caller records the change). */
  function detach(state: OrgState, id: string): Customer | undefined {
    const current = state.byId.get(id);
    if (!current) return undefined;
    state.byId.delete(id);
    state.idByEmail.delete(normalizeEmail(current.customer.email));
    for (const index of state.indexes.values()) index.remove([current]);
    return current.customer;
  }

  /**
   * Stores copies of new customers, records them in the change log and the consent history (against
   * what they replace) and announces them.
   */
  function attach(
    state: OrgState,
    organizationId: string,
    customers: readonly Customer[],
    type: 'insert' | 'update',
    replaced: ReadonlyMap<string, Customer> = new Map(),
  ): void {
    const entries = customers.map((customer) => entryOf(copyCustomer(customer)));
    consent.record(entries.map((e) => ({ previous: replaced.get(e.customer.id), next: e.customer })));
    for (const entry of entries) {
      state.byId.set(entry.customer.id, entry);
      state.idByEmail.set(normalizeEmail(entry.customer.email), entry.customer.id);
    }
    for (const index of state.indexes.values()) index.add(entries);
    const ids = entries.map((e) => e.customer.id);
    state.log.record(ids);
    if (ids.length > 0) emit(state, { type, organizationId, ids });
  }

  // The writes run synchronously (nothing can interleave), so the outbox can pair each with its
  // entries atomically; the async methods below wrap them.
  const writes: MemoryWrites = {
    insert(organizationId, customers) {
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
      attach(state, organizationId, customers, 'insert');
    },

    update(organizationId, updates: readonly CustomerUpdate[], updatedAt) {
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
      const ids = planned.map((p) => p.next.id);
      state.log.record(ids);
      if (planned.length > 0) emit(state, { type: 'update', organizationId, ids });
      return { before: planned.map((p) => copyCustomer(p.previous)), after: planned.map((p) => p.next) };
    },

    remove(organizationId, id) {
      const state = orgs.get(organizationId);
      const current = state ? detach(state, id) : undefined;
      if (!state || !current) return undefined;
      state.log.record([id], true);
      emit(state, { type: 'delete', organizationId, ids: [id] });
      return copyCustomer(current);
    },

    put(organizationId, customers, removing) {
      const state = org(organizationId);
      checkBatchOrganization(organizationId, customers);
      checkPutEmails(customers, removing, (email) => state.idByEmail.get(email));
      // Checked as a whole first: nothing below can fail halfway.
      for (const id of removing) writes.remove(organizationId, id);
      const replaced = new Map<string, Customer>();
      for (const customer of customers) {
        const previous = detach(state, customer.id);
        if (previous) replaced.set(customer.id, previous);
      }
      attach(state, organizationId, customers, 'update', replaced);
    },
  };

  return { orgs, org, writes };
}
