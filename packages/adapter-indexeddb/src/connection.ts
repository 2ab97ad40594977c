import { type IDBPDatabase, wrap } from 'idb';
import {
  type CustomersDb,
  SCHEMA_VERSION,
  type UpgradeTransaction,
  upgradeCustomersDb,
} from './customer-schema-idb';
import { IndexedDbStorageError, toStorageError } from './indexeddb-error';

/** What {@link createConnection} needs. */
export interface ConnectionOptions {
  /** The database name. */
  readonly name: string;
  /** The IndexedDB factory to open it with. */
  readonly factory: IDBFactory;
  /** How long a blocked upgrade may wait before failing with reason `blocked`. */
  readonly blockedTimeoutMs: number;
}

/** Opens the database lazily, reopens it after the browser closed it, and never waits forever. */
export interface Connection {
  /** The open database, opening (or reopening) it when needed. */
  db(): Promise<IDBPDatabase<CustomersDb>>;
  /** Forgets a connection that turned out to be closed, so the next call reopens. */
  invalidate(db: IDBPDatabase<CustomersDb>): void;
  /** Closes for good: later calls fail with reason `closed`. */
  close(): void;
}

/**
 * Creates the connection manager. idb's `openDB` always uses the global `indexedDB`, so this opens
 * through the injected factory and hands the request to idb's `wrap`, with the same `upgrade`,
 * `blocked`, `blocking` and `terminated` hooks `openDB` offers.
 * @param options - Database name, factory and how long to wait for a blocked upgrade.
 * @returns The connection manager.
 */
export function createConnection(options: ConnectionOptions): Connection {
  let current: Promise<IDBPDatabase<CustomersDb>> | undefined;
  let closed = false;

  function open(): Promise<IDBPDatabase<CustomersDb>> {
    let request: IDBOpenDBRequest;
    try {
      request = options.factory.open(options.name, SCHEMA_VERSION);
    } catch (error) {
      return Promise.reject(toStorageError(error, `opening database ${JSON.stringify(options.name)}`));
    }
    let gaveUp = false;
    const opened = wrap(request) as unknown as Promise<IDBPDatabase<CustomersDb>>;
    request.addEventListener('upgradeneeded', (event) => {
      const tx = request.transaction;
      if (!tx) return;
      const upgradeTx = wrap(tx) as unknown as UpgradeTransaction;
      // idb creates a `done` promise for every wrapped transaction; an aborted upgrade is reported by open.
      upgradeTx.done.catch(() => {});
      upgradeCustomersDb(
        wrap(request.result) as unknown as IDBPDatabase<CustomersDb>,
        event.oldVersion,
        upgradeTx,
      );
    });
    return new Promise<IDBPDatabase<CustomersDb>>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      request.addEventListener('blocked', () => {
        // Another tab keeps an older version open and ignores `versionchange`: fail, do not hang.
        timer ??= setTimeout(() => {
          gaveUp = true;
          reject(
            new IndexedDbStorageError(
              'blocked',
              `Upgrading database ${JSON.stringify(options.name)} to version ${SCHEMA_VERSION} is blocked by another tab; close the other tabs of this app and retry`,
            ),
          );
        }, options.blockedTimeoutMs);
      });
      opened.then(
        (db) => {
          if (timer !== undefined) clearTimeout(timer);
          if (gaveUp || closed) {
            // The caller already got an error (or the adapter was closed): do not leak the late connection.
            db.close();
            return;
          }
          // Another tab wants to upgrade or delete the database: step aside, reopen on next use.
          db.addEventListener('versionchange', () => {
            db.close();
            forget(db);
          });
          // The browser closed the connection (storage cleared, disk error): reopen on next use.
          db.addEventListener('close', () => forget(db));
          resolve(db);
        },
        (error: unknown) => {
          if (timer !== undefined) clearTimeout(timer);
          reject(toStorageError(error, `opening database ${JSON.stringify(options.name)}`));
        },
      );
    });
  }

  let currentDb: IDBPDatabase<CustomersDb> | undefined;

  function forget(db: IDBPDatabase<CustomersDb>): void {
    if (currentDb !== db) return;
    currentDb = undefined;
    current = undefined;
  }

  return {
    db() {
      if (closed) {
        return Promise.reject(new IndexedDbStorageError('closed', 'The IndexedDB adapter was closed'));
      }
      if (current === undefined) {
        const attempt = open();
        current = attempt;
        attempt.then(
          (db) => {
            if (current === attempt) currentDb = db;
          },
          () => {
            // A failed open is not cached: the next call tries again (recovery after a blocked upgrade).
            if (current === attempt) current = undefined;
          },
        );
      }
      return current;
    },
    invalidate(db) {
      forget(db);
    },
    close() {
      closed = true;
      const last = current;
      current = undefined;
      currentDb = undefined;
      last?.then(
        (db) => db.close(),
        () => {},
      );
    },
  };
}
