import type {
  CustomerError,
  DuplicatePolicy,
  OutboxStore,
  RetryOptions,
  StorageAdapter,
} from '@donutauto/core';

/** The local store of a synced adapter: a `StorageAdapter` with an outbox (IndexedDB, or memory in tests). */
export type LocalStore = StorageAdapter & OutboxStore;

/**
 * The server side of a synced adapter: any `StorageAdapter` (the HTTP adapter in a browser). With
 * `withIdempotencyKey` (the HTTP adapter has it), each queued write is sent with the key it was
 * recorded with, so a write sent again after a lost answer or a reload is carried out once.
 */
export type RemoteStore = StorageAdapter & {
  /** A view whose writes carry `key`. */
  withIdempotencyKey?(key: string): StorageAdapter;
};

/** What the app sees of syncing, as one immutable snapshot per change. */
export interface SyncStatus {
  /** `false` after a request could not reach the server; `true` again after one did. */
  readonly online: boolean;
  /** Queued writes are being sent. */
  readonly pushing: boolean;
  /** Server changes are being fetched. */
  readonly pulling: boolean;
  /** Writes recorded locally and not yet confirmed by the server. */
  readonly pendingCount: number;
  /** The last failure of a sync step, or `null` after a step succeeded. */
  readonly lastError: CustomerError | null;
  /** When the last full sync (push and pull) ended, epoch ms, or `null` before the first. */
  readonly lastSyncedAt: number | null;
}

/** Receives every new {@link SyncStatus}. */
export type SyncStatusListener = (status: SyncStatus) => void;

/**
 * An edit that did not survive as made, reported through `onConflict`:
 * - `overwritten`: this device's queued edit replaced a value another device (or the server) wrote
 *   after this device last saw the field; the later edit (this one, by server time) wins.
 * - `deleted`: queued edits of a customer that was deleted meanwhile are dropped (deletes win).
 * - `rejected`: the server refused a queued write (a validation rule, an email taken since); it is
 *   dropped and the customer shows the server's state again.
 * - `merged`: a customer added here had an email already on the server; it was merged into that
 *   customer by the duplicate policy, and this device's id for it (`customerId`) is gone.
 */
export type SyncConflict =
  | {
      readonly kind: 'overwritten';
      /** The customer. */
      readonly customerId: string;
      /** The field, or `customFields.<key>` for one custom field. */
      readonly field: string;
      /** The value that was overwritten (the other edit's). */
      readonly overwritten: unknown;
      /** The value written instead (this device's edit). */
      readonly value: unknown;
    }
  | {
      readonly kind: 'deleted';
      /** The deleted customer. */
      readonly customerId: string;
      /** The fields whose edits were dropped. */
      readonly fields: readonly string[];
    }
  | {
      readonly kind: 'rejected';
      /** The customer the write was about. */
      readonly customerId: string;
      /** Why the server refused it. */
      readonly error: CustomerError;
    }
  | {
      readonly kind: 'merged';
      /** The id the customer had on this device. */
      readonly customerId: string;
      /** The server customer it was merged into. */
      readonly intoId: string;
    };

/** Options of `createSyncedAdapter`. */
export interface SyncedAdapterOptions {
  /** Where customers are read and written first: `createIndexedDbAdapter()` in a browser. */
  readonly local: LocalStore;
  /** The server: `createHttpAdapter({ baseUrl })` in a browser. */
  readonly remote: RemoteStore;
  /**
   * The organization synced from the start (others are synced once the app uses them). Without it,
   * nothing syncs until the first call names an organization.
   */
  readonly organizationId?: string;
  /** Receives each edit that did not survive as made (see {@link SyncConflict}). */
  readonly onConflict?: (conflict: SyncConflict) => void;
  /**
   * What happens to a customer added here whose email the server already holds: the import's
   * duplicate policies (`merge` fills the server customer's empty fields, `update` overwrites them
   * with this one's non-empty values, `skip` keeps the server's).
   * @defaultValue 'merge'
   */
  readonly onDuplicate?: DuplicatePolicy;
  /**
   * Sync in the background: after each write, every `intervalMs`, on the server's change events,
   * and when the browser comes back online. `false` leaves syncing to `sync()`.
   * @defaultValue true
   */
  readonly autoSync?: boolean;
  /** Time between background syncs, ms. @defaultValue 30000 */
  readonly intervalMs?: number;
  /**
   * Backoff of background syncs after a failure (`retries` is ignored: background sync never gives up).
   * @defaultValue `{ minDelayMs: 1000, maxDelayMs: 60000 }`
   */
  readonly retry?: RetryOptions;
  /** Clock, epoch ms. @defaultValue Date.now */
  readonly now?: () => number;
}

/** A `StorageAdapter` that works offline and keeps a server in step. */
export interface SyncedAdapter extends StorageAdapter {
  /** The current sync state (a new object after each change, for `useSyncExternalStore`). */
  readonly status: SyncStatus;
  /**
   * Observes the sync state.
   * @param listener - Receives each new status.
   * @returns A function that stops observing.
   */
  subscribeStatus(listener: SyncStatusListener): () => void;
  /**
   * Sends every queued write, then fetches what changed on the server, for each organization in use.
   * @returns When both are done.
   * @throws The first failure (`storage_failed` with `retryable: true` while the server is out of
   *   reach); queued writes stay queued.
   */
  sync(): Promise<void>;
  /** Stops background syncing and releases the local and remote stores' listeners. */
  close(): Promise<void>;
}
