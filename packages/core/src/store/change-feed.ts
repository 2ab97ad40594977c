import type { Customer } from '../model/customer-schema';

/** Largest `limit` of one `changesSince` page. */
export const MAX_CHANGE_PAGE = 1000;

/**
 * One entry of an organization's change feed: a customer as it is stored now, or the id of one
 * that was deleted.
 */
export type CustomerChange =
  | {
      /** The customer was inserted or updated; `customer` is its state when the page was read. */
      readonly type: 'upsert';
      /** The stored customer. */
      readonly customer: Customer;
    }
  | {
      /** The customer was deleted. */
      readonly type: 'delete';
      /** The deleted customer's id. */
      readonly id: string;
    };

/** One page of the change feed. */
export interface ChangePage {
  /** Changes in feed order, each customer at most once. */
  readonly changes: CustomerChange[];
  /** Pass this as `cursor` to read what changed after this page (also when `isDone`). */
  readonly cursor: string;
  /** `true` when nothing more is in the feed right now (later writes appear after `cursor`). */
  readonly isDone: boolean;
}

/**
 * The change-feed part of the storage contract (`StorageAdapter` extends it): what changed in one
 * organization since a cursor, so a replica (an offline tablet) catches up without reading every
 * customer again. The feed holds the latest state of each changed customer, not every write: a
 * customer written three times since the cursor appears once, at the position of its last write.
 * Deletions are kept as tombstones, so a reader learns of them however late it asks.
 */
export interface ChangeFeedStore {
  /**
   * Reads the changes after `cursor`, oldest first.
   * @param organizationId - The tenant.
   * @param cursor - A `cursor` returned by an earlier page, or `null` to read from the beginning
   *   (every stored customer, and the tombstones of deleted ones).
   * @param limit - Largest number of changes to return, 1 to {@link MAX_CHANGE_PAGE}.
   * @returns The page. A change whose write has resolved appears in the feed once every write that
   *   started before it has finished (PostgreSQL: once older transactions have ended); it is never
   *   skipped.
   * @throws `invalid_cursor` for a cursor that is malformed, altered, or was issued by another
   *   organization's feed or another kind of store; `invalid_argument` for a bad `limit`.
   */
  changesSince(organizationId: string, cursor: string | null, limit: number): Promise<ChangePage>;
}
