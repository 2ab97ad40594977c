import type { Customer, CustomerPatch } from '../model/customer-schema';
import type { CampaignStore } from './campaign-store';
import type { ChangeFeedStore } from './change-feed';
import type { ConsentStore } from './consent-store';
import type { CustomerSort } from './customer-sort';
import type { NormalizedFilter } from './filter-types';
import type { SegmentStore } from './segment-store';

export type { CustomerSort } from './customer-sort';
export type { CustomerFilter, NormalizedFilter } from './filter-types';

/** Largest page a client serves (`ListQuery.numItems`, CSV export pages). */
export const MAX_PAGE_SIZE = 1000;

/** A page request as adapters receive it: already checked by the client. */
export interface ListQuery {
  /** Page size, 1 to {@link MAX_PAGE_SIZE}. */
  readonly numItems: number;
  /** Opaque cursor returned as `continueCursor` by the previous page, or `null` for the first page. */
  readonly cursor: string | null;
  /** Conditions in canonical form (see `normalizeFilter`). */
  readonly filter: NormalizedFilter;
  /** Order of the listing. */
  readonly sort: CustomerSort;
}

/** One page of customers, in Convex's page shape. */
export interface ListResult {
  /** The customers of this page. */
  readonly page: Customer[];
  /** Pass this as `cursor` to get the next page. Meaningful only while `isDone` is `false`. */
  readonly continueCursor: string;
  /** `true` when there are no more customers after this page. */
  readonly isDone: boolean;
}

/** One update in an `updateMany` batch. */
export interface CustomerUpdate {
  /** The customer's id. */
  readonly id: string;
  /** Normalized fields to change. */
  readonly patch: CustomerPatch;
  /** When set, the update applies only if the stored version equals it. */
  readonly expectedVersion?: number;
}

/** Options of a single write. */
export interface WriteOptions {
  /** When set, the update applies only if the stored version equals it (optimistic concurrency). */
  readonly expectedVersion?: number;
  /** The `updatedAt` to store, epoch ms. */
  readonly updatedAt: number;
}

/** A change an adapter announces to its subscribers. */
export interface ChangeEvent {
  /** What happened. */
  readonly type: 'insert' | 'update' | 'delete';
  /** The organization whose customers changed. */
  readonly organizationId: string;
  /**
   * Ids of the changed customers. An adapter that cannot deliver every id (a transport size limit)
   * sends an empty list, meaning "some customers changed; refetch".
   */
  readonly ids: readonly string[];
}

/** Receives change events. */
export type ChangeListener = (event: ChangeEvent) => void;

/**
 * The storage contract every adapter implements. Every method takes the organization id and can
 * never read or change another organization's rows. Customers arrive fully built and normalized
 * (ids and timestamps are set by the client); adapters store and return them as given. The objects
 * passed in stay the caller's: an adapter that keeps customers in memory keeps copies, and every
 * customer it returns is a fresh object.
 *
 * Writes that change a customer's consent also append its consent history, in the same atomic write
 * (see {@link ConsentStore}).
 *
 * Errors: adapters throw the core's typed errors — `duplicate_email` (with the batch `index`),
 * `not_found`, `version_conflict`, `invalid_cursor` — and wrap driver failures in `storage_failed`.
 */
export interface StorageAdapter extends SegmentStore, CampaignStore, ConsentStore, ChangeFeedStore {
  /** A short name for logs and reports, e.g. `memory`, `postgres`, `indexeddb`. */
  readonly name: string;

  /**
   * Inserts a batch atomically: either every customer is stored or none is.
   * @param organizationId - The tenant.
   * @param customers - Complete customers of this organization.
   * @throws `duplicate_email` naming the batch `index` when an email is already stored or repeats
   * in the batch (nothing is written); `storage_failed` for backend failures.
   */
  insertMany(organizationId: string, customers: readonly Customer[]): Promise<void>;

  /**
   * Applies a batch of updates atomically, bumping each `version` by one.
   * @param organizationId - The tenant.
   * @param updates - The updates; each id at most once.
   * @param options - The `updatedAt` to store.
   * @returns The stored customers after the update, in input order.
   * @throws `not_found`, `version_conflict` or `duplicate_email` (nothing is written).
   */
  updateMany(
    organizationId: string,
    updates: readonly CustomerUpdate[],
    options: { readonly updatedAt: number },
  ): Promise<Customer[]>;

  /**
   * Reads one customer.
   * @returns The customer, or `undefined` when absent in this organization.
   */
  get(organizationId: string, id: string): Promise<Customer | undefined>;

  /**
   * Reads the customers holding any of these emails.
   * @param emails - Emails normalized with `normalizeEmail`.
   * @returns The matching customers, in no particular order.
   */
  getByEmails(organizationId: string, emails: readonly string[]): Promise<Customer[]>;

  /**
   * Updates one customer, bumping `version` by one.
   * @returns The stored customer after the update.
   * @throws `not_found`, `version_conflict` (when `expectedVersion` differs) or `duplicate_email`.
   */
  update(organizationId: string, id: string, patch: CustomerPatch, options: WriteOptions): Promise<Customer>;

  /**
   * Deletes one customer.
   * @returns `true` when it existed.
   */
  delete(organizationId: string, id: string): Promise<boolean>;

  /**
   * Lists one page in the query's sort, keyset-paginated on the sort's key (see `CustomerSort`):
   * stable while rows are inserted, and the cost of a page does not grow with its depth.
   * @throws `invalid_cursor` for a cursor that is malformed, tampered with, or was issued for
   * another organization, filter or sort.
   */
  list(organizationId: string, query: ListQuery): Promise<ListResult>;

  /**
   * Counts the customers matching a filter.
   * @param filter - Conditions in canonical form (see `normalizeFilter`).
   */
  count(organizationId: string, filter: NormalizedFilter): Promise<number>;

  /**
   * Subscribes to changes of one organization's customers.
   * @returns A function that unsubscribes.
   */
  subscribe(organizationId: string, listener: ChangeListener): () => void;

  /** Releases connections and listeners the adapter opened itself. */
  close?(): Promise<void>;
}
