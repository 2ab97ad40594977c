import type { IDBPTransaction, StoreNames } from 'idb';
import type { Connection } from './connection';
import { CUSTOMERS, type CustomersDb } from './customer-schema-idb';
import { toStorageError } from './indexeddb-error';

/** A transaction on one store (typed read-write so writes type-check; read-only bodies only read). */
export type StoreTx<S extends StoreNames<CustomersDb>> = IDBPTransaction<CustomersDb, [S], 'readwrite'>;

/** A transaction on the `customers` store. */
export type CustomersTx = StoreTx<'customers'>;

/** Runs a body in one transaction on one store and resolves once it committed. */
export type TransactionRunner<S extends StoreNames<CustomersDb> = 'customers'> = <T>(
  mode: IDBTransactionMode,
  doing: string,
  body: (tx: StoreTx<S>) => Promise<T>,
) => Promise<T>;

/**
 * Creates the function every adapter method goes through: one transaction per call, committed
 * before the promise resolves; anything the body throws aborts it (nothing is written), and driver
 * errors become `IndexedDbStorageError`s. A transaction that cannot start because the connection
 * just closed is retried once on a reopened connection.
 * @param connection - The connection manager.
 * @param stores - The object stores its transactions cover; the body's `tx` is typed for the first,
 * `S` (a runner over several stores reaches the others through `tx.objectStore`). @defaultValue ['customers']
 * @returns The runner.
 */
export function createTransactionRunner<S extends StoreNames<CustomersDb> = 'customers'>(
  connection: Connection,
  stores: readonly StoreNames<CustomersDb>[] = [CUSTOMERS],
): TransactionRunner<S> {
  return async function run<T>(
    mode: IDBTransactionMode,
    doing: string,
    body: (tx: StoreTx<S>) => Promise<T>,
  ) {
    for (let attempt = 0; ; attempt++) {
      const db = await connection.db();
      let tx: StoreTx<S>;
      try {
        tx = db.transaction([...stores], mode) as unknown as StoreTx<S>;
      } catch (error) {
        if (attempt === 0 && (error as { name?: unknown }).name === 'InvalidStateError') {
          connection.invalidate(db);
          continue;
        }
        throw toStorageError(error, doing);
      }
      const done = tx.done;
      done.catch(() => {});
      try {
        const result = await body(tx);
        await done;
        return result;
      } catch (error) {
        try {
          tx.abort();
        } catch {
          // Already aborted by the failed request, or already finished.
        }
        // A failed commit (quota) reports its reason on the transaction, not on the requests.
        throw toStorageError(tx.error ?? error, doing);
      }
    }
  };
}
