import type { Customer, CustomerPatch } from '../model/customer-schema';
import type { CustomerUpdate } from './storage-adapter';

/**
 * One change of one customer waiting to be sent to a server, as a synced adapter records it. Plain
 * JSON data: stores keep it as given and return copies.
 */
export type OutboxChange =
  | {
      /** A new customer. */
      readonly type: 'insert';
      /** The customer as inserted locally. */
      readonly customer: Customer;
    }
  | {
      /** An edit of some fields. */
      readonly type: 'update';
      /** The customer's id. */
      readonly id: string;
      /** The fields changed, normalized. */
      readonly patch: CustomerPatch;
      /** The same fields' values before the edit (what the editor saw): overwritten edits are found by them. */
      readonly base: CustomerPatch;
      /** The local version the edit was made on. */
      readonly expectedVersion: number;
      /** When the edit was made (the writer's clock), epoch ms. */
      readonly updatedAt: number;
      /**
       * `fill`: set only the fields the server holds empty (a duplicate merged by the import's
       * `merge` policy); otherwise every field of the patch is written.
       */
      readonly mode?: 'fill';
    }
  | {
      /** A deletion. */
      readonly type: 'delete';
      /** The deleted customer's id. */
      readonly id: string;
    };

/** An outbox entry before the store numbers it. */
export interface OutboxDraft {
  /** The idempotency key the change is sent with, on every attempt. */
  readonly key: string;
  /** The change. */
  readonly change: OutboxChange;
}

/** A stored outbox entry. */
export interface OutboxEntry extends OutboxDraft {
  /** Its position: increasing per organization, never reused. */
  readonly seq: number;
}

/** A customer write a local store performs together with its outbox entries. */
export type LocalWrite =
  | {
      /** `insertMany`. */
      readonly type: 'insertMany';
      /** Complete customers of the organization. */
      readonly customers: readonly Customer[];
    }
  | {
      /** `updateMany`. */
      readonly type: 'updateMany';
      /** The updates, each id at most once. */
      readonly updates: readonly CustomerUpdate[];
      /** The `updatedAt` to store. */
      readonly updatedAt: number;
    }
  | {
      /** `delete`. */
      readonly type: 'delete';
      /** The customer's id. */
      readonly id: string;
    };

/** What a {@link LocalWrite} resolves to, as the `StorageAdapter` method of the same name. */
export interface LocalWriteResults {
  /** Nothing. */
  readonly insertMany: undefined;
  /** The stored customers after the update, in input order. */
  readonly updateMany: Customer[];
  /** Whether the customer existed. */
  readonly delete: boolean;
}

/**
 * Makes the outbox entries of a write, inside its transaction.
 * @param before - The stored customers the write replaced, in the write's order (`updateMany`: one
 *   per update; `delete`: the deleted customer, or none when it did not exist; `insertMany`: none).
 * @returns The entries to append, in order.
 */
export type OutboxEntryMaker = (before: readonly Customer[]) => readonly OutboxDraft[];

/** What the outbox holds for one organization. */
export interface OutboxRead {
  /** The oldest entries, in order. */
  readonly entries: OutboxEntry[];
  /** The `seq` of the last entry ever appended (0 before the first): a {@link SyncCommit} guard. */
  readonly lastSeq: number;
}

/** One atomic step of a sync: the outbox and customers brought up to date with the server. */
export interface SyncCommit {
  /**
   * Applies only when the outbox's `lastSeq` still equals this (no write was recorded since the
   * caller read it); otherwise nothing is written and `commitSync` resolves `false`.
   */
  readonly ifLastSeq: number;
  /** Entries to remove (sent and answered). */
  readonly remove?: readonly number[];
  /** Entries to rewrite in place, matched by `seq` (an id that changed, a change turned into another). */
  readonly replace?: readonly OutboxEntry[];
  /** Customers to store exactly as given (version and timestamps included), replacing any with their id. */
  readonly put?: readonly Customer[];
  /** Ids of customers to remove. */
  readonly delete?: readonly string[];
  /** The server's change-feed cursor to keep (`undefined` keeps the stored one). */
  readonly cursor?: string;
}

/**
 * The local side of offline sync: a durable outbox of the writes made while a server may be out of
 * reach, and the bookkeeping of catching up with it. Not part of `StorageAdapter` (a server store
 * has no outbox): the memory and IndexedDB adapters implement it, and `createSyncedAdapter` needs
 * it from its `local` store.
 */
export interface OutboxStore {
  /**
   * Performs one customer write and appends its outbox entries in the same transaction: both
   * happen, or neither does. Change events are emitted as for the plain method.
   * @param organizationId - The tenant.
   * @param write - The write, with the plain method's arguments.
   * @param entries - Makes the entries from the customers the write replaced; must not throw.
   * @returns What the plain method returns.
   * @throws What the plain method throws (nothing is written, no entry appended).
   */
  writeWithOutbox<W extends LocalWrite>(
    organizationId: string,
    write: W,
    entries: OutboxEntryMaker,
  ): Promise<LocalWriteResults[W['type']]>;

  /**
   * Reads the oldest outbox entries.
   * @param limit - Largest number of entries to return (at least 1).
   */
  readOutbox(organizationId: string, limit: number): Promise<OutboxRead>;

  /** The number of entries in the organization's outbox. */
  outboxSize(organizationId: string): Promise<number>;

  /**
   * The server cursor kept by the last {@link SyncCommit} that set one.
   * @returns It, or `null` before the first.
   */
  readSyncCursor(organizationId: string): Promise<string | null>;

  /**
   * Applies a sync step atomically, if the outbox is as the caller read it. Deletes apply before
   * puts; a put whose email another stored customer holds (one not deleted by this commit) fails.
   * Change events are emitted for the customers it changes.
   * @returns `true` when applied; `false` when the outbox changed since (nothing is written).
   * @throws `duplicate_email` (nothing is written); `storage_failed`.
   */
  commitSync(organizationId: string, commit: SyncCommit): Promise<boolean>;
}
