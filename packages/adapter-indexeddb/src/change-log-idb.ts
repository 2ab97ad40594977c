import type { Customer } from '@donutauto/core';
import {
  type ChangePage,
  type CustomerChange,
  encodeChangeCursor,
  readSequenceCursor,
} from '@donutauto/core/adapter';
import type { IDBPTransaction } from 'idb';
import { CUSTOMERS, type CustomerRecord, type CustomersDb, fromRecord } from './customer-schema-idb';
import { SYNC_META, TOMBSTONES, type WRITE_STORES } from './sync-schema-idb';
import type { CustomersTx, TransactionRunner } from './transaction-runner';

/** A transaction over every store a customer write touches. */
export type WriteTx = IDBPTransaction<CustomersDb, (typeof WRITE_STORES)[number][], 'readwrite'>;

/** The write transaction behind a runner's customers-typed `tx` (the runner spans {@link WRITE_STORES}). */
export function writeTx(tx: CustomersTx): WriteTx {
  return tx as unknown as WriteTx;
}

/**
 * Reserves `count` consecutive change-feed numbers of an organization inside a write transaction
 * (read-write transactions on these stores never overlap, so the counter cannot race).
 * @returns The first number.
 */
export async function claimChangeSeqs(tx: WriteTx, org: string, count: number): Promise<number> {
  const meta = tx.objectStore(SYNC_META);
  const stored = await meta.get([org, 'changeSeq']);
  const first = (typeof stored?.value === 'number' ? stored.value : 0) + 1;
  await meta.put({ organizationId: org, name: 'changeSeq', value: first + count - 1 });
  return first;
}

/**
 * Deletes customers by id, leaving a tombstone for each one that existed.
 * @returns The deleted customers.
 */
export async function deleteWithTombstones(
  tx: WriteTx,
  org: string,
  ids: readonly string[],
): Promise<Customer[]> {
  const store = tx.objectStore('customers');
  const found = (await Promise.all(ids.map((id) => store.get([org, id])))).filter(
    (r): r is CustomerRecord => r !== undefined,
  );
  if (found.length === 0) return [];
  const first = await claimChangeSeqs(tx, org, found.length);
  const tombstones = tx.objectStore(TOMBSTONES);
  await Promise.all(
    found.flatMap((record, i) => [
      store.delete([org, record.id]),
      tombstones.put({ organizationId: org, id: record.id, changeSeq: first + i }),
    ]),
  );
  return found.map(fromRecord);
}

/**
 * Reads one page of an organization's change feed: customers and tombstones after the cursor's
 * number, merged in number order, in one read-only transaction.
 * @param run - A runner over the customers and tombstones stores.
 * @param keyRange - The factory's `IDBKeyRange`.
 */
export async function readChanges(
  run: TransactionRunner,
  keyRange: typeof IDBKeyRange,
  org: string,
  cursor: string | null,
  limit: number,
): Promise<ChangePage> {
  const after = readSequenceCursor(org, 'indexeddb', cursor, limit);
  const range = keyRange.bound([org, after, []], [org, Number.MAX_SAFE_INTEGER, []], true, false);
  const [live, dead] = await run('readonly', 'reading the change feed', async (tx) => {
    const tombstones = writeTx(tx).objectStore(TOMBSTONES).index('byChange');
    return Promise.all([
      tx
        .objectStore(CUSTOMERS)
        .index('byChange')
        .getAll(range, limit + 1),
      tombstones.getAll(range, limit + 1),
    ]);
  });
  const merged: { seq: number; change: CustomerChange }[] = [
    ...live.map((r) => ({ seq: r.changeSeq, change: { type: 'upsert' as const, customer: fromRecord(r) } })),
    ...dead.map((t) => ({ seq: t.changeSeq, change: { type: 'delete' as const, id: t.id } })),
  ].sort((a, b) => a.seq - b.seq);
  const page = merged.slice(0, limit);
  const last = page[page.length - 1]?.seq ?? after;
  return {
    changes: page.map((p) => p.change),
    cursor: encodeChangeCursor(org, 'indexeddb', [last]),
    isDone: merged.length <= limit,
  };
}
