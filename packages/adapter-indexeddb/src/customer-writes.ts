import {
  type Customer,
  DuplicateEmailError,
  NotFoundError,
  normalizeEmail,
  StorageError,
  VersionConflictError,
} from '@donutauto/core';
import {
  applyCustomerPatch,
  type ConsentHistoryEntry,
  type CustomerUpdate,
  checkBatchOrganization,
  checkDistinctIds,
  consentHistoryOf,
} from '@donutauto/core/adapter';
import { unwrap } from 'idb';
import { claimChangeSeqs, type WriteTx, writeTx } from './change-log-idb';
import { CONSENT_HISTORY } from './consent-schema-idb';
import { CUSTOMERS, type CustomerRecord, fromRecord, toRecord } from './customer-schema-idb';
import { toStorageError } from './indexeddb-error';
import type { TransactionRunner } from './transaction-runner';

const ignore = () => {};

/** Writes consent history entries in the customer write's transaction (the runner covers the store). */
function putHistory(tx: IDBTransaction, entries: readonly ConsentHistoryEntry[]): void {
  if (entries.length === 0) return;
  const store = tx.objectStore(CONSENT_HISTORY);
  for (const entry of entries) store.put(entry);
}

/**
 * Work done in a write's own transaction once the write succeeded (the outbox's entries).
 * @param tx - The write transaction.
 * @param before - The customers the write replaced, in the write's order.
 */
export type AfterWrite = (tx: WriteTx, before: readonly Customer[]) => Promise<void>;

/**
 * Adds a batch in one read-write transaction. A unique-index failure aborts the whole transaction;
 * the row is then named from a fresh read.
 * @param run - The transaction runner (over the write stores).
 * @param org - The tenant.
 * @param customers - Complete customers of `org`.
 * @param after - Runs in the same transaction, after the rows were added.
 * @throws `duplicate_email` with the batch `index`; `storage_failed` for a repeated id or a driver failure.
 */
export async function insertCustomers(
  run: TransactionRunner,
  org: string,
  customers: readonly Customer[],
  after?: AfterWrite,
): Promise<void> {
  checkBatchOrganization(org, customers);
  const records: CustomerRecord[] = new Array(customers.length);
  for (let i = 0; i < customers.length; i++) {
    records[i] = toRecord(customers[i] as Customer, 0);
  }
  const history = customers.flatMap((c) => consentHistoryOf(undefined, c));
  let failedAt = -1;
  let cause: unknown;
  try {
    await run('readwrite', 'inserting customers', async (tx) => {
      const first = await claimChangeSeqs(writeTx(tx), org, records.length);
      for (let i = 0; i < records.length; i++) (records[i] as CustomerRecord).changeSeq = first + i;
      // Raw requests, issued at once (they run in order), with one shared error handler and no
      // promise per row: the runner awaits the transaction. The first constraint failure is the row
      // to name; the failure then aborts the transaction.
      const store = unwrap(tx).objectStore(CUSTOMERS);
      const requests: IDBRequest[] = new Array(records.length);
      const onError = (event: Event) => {
        const request = event.target as IDBRequest;
        if (failedAt < 0 && request.error?.name === 'ConstraintError') {
          failedAt = requests.indexOf(request);
          cause = request.error;
        }
      };
      for (let i = 0; i < records.length; i++) {
        const request = store.add(records[i] as CustomerRecord);
        request.onerror = onError;
        requests[i] = request;
      }
      putHistory(unwrap(tx), history);
      await after?.(writeTx(tx), []);
    });
  } catch (error) {
    if (failedAt >= 0) throw await explainConflict(run, org, customers, failedAt, cause);
    throw error;
  }
}

async function explainConflict(
  run: TransactionRunner,
  org: string,
  customers: readonly Customer[],
  index: number,
  cause: unknown,
): Promise<Error> {
  const row = customers[index];
  if (!row) return toStorageError(cause, 'inserting customers');
  const email = normalizeEmail(row.email);
  const holder = await run('readonly', 'inserting customers', (tx) =>
    tx.objectStore(CUSTOMERS).index('byEmail').getKey([org, email]),
  );
  if (holder) return new DuplicateEmailError(email, { index, existingId: holder[1], cause });
  if (customers.slice(0, index).some((c) => normalizeEmail(c.email) === email)) {
    return new DuplicateEmailError(email, { index, cause });
  }
  return new StorageError(`Customer id ${JSON.stringify(row.id)} already exists (batch row ${index})`, cause);
}

/**
 * Reads, checks and writes a batch of updates in one read-write transaction, with the memory
 * adapter's order of checks (not found, version, email).
 * @param run - The transaction runner.
 * @param org - The tenant.
 * @param updates - Each id at most once.
 * @param updatedAt - The `updatedAt` to store.
 * @param after - Runs in the same transaction, after the rows were written.
 * @returns The stored customers after the update, in input order.
 * @throws `invalid_argument`, `not_found`, `version_conflict` or `duplicate_email` (nothing is written).
 */
export async function updateCustomers(
  run: TransactionRunner,
  org: string,
  updates: readonly CustomerUpdate[],
  updatedAt: number,
  after?: AfterWrite,
): Promise<Customer[]> {
  checkDistinctIds(updates);
  return run('readwrite', 'updating customers', async (tx) => {
    const store = tx.objectStore(CUSTOMERS);
    const byEmail = store.index('byEmail');
    // Issue every read at once, then check them in input order. Reads left pending when a check
    // fails end with the aborted transaction; nobody awaits them.
    const currents = updates.map((u) => store.get([org, u.id]));
    const holders = updates.map((u) =>
      u.patch.email === undefined ? undefined : byEmail.getKey([org, normalizeEmail(u.patch.email)]),
    );
    for (const p of [...currents, ...holders]) p?.catch(ignore);
    const planned: Customer[] = [];
    const history: ConsentHistoryEntry[] = [];
    const before: Customer[] = [];
    const claimed = new Map<string, string>();
    for (const [i, update] of updates.entries()) {
      const record = await currents[i];
      if (!record) throw new NotFoundError(update.id);
      // Read before `fromRecord`, which strips the derived keys from the record itself.
      const storedEmail = record.emailNormalized;
      const current = fromRecord(record);
      before.push(current);
      if (update.expectedVersion !== undefined && update.expectedVersion !== current.version) {
        throw new VersionConflictError(update.id, update.expectedVersion, current.version);
      }
      const next = applyCustomerPatch(current, update.patch, updatedAt);
      const email = normalizeEmail(next.email);
      if (email !== storedEmail) {
        const holder = await holders[i];
        if (holder && holder[1] !== current.id)
          throw new DuplicateEmailError(email, { existingId: holder[1] });
      }
      const other = claimed.get(email);
      if (other !== undefined && other !== next.id)
        throw new DuplicateEmailError(email, { existingId: other });
      claimed.set(email, next.id);
      planned.push(next);
      history.push(...consentHistoryOf(current, next));
    }
    putHistory(unwrap(tx), history);
    const first = await claimChangeSeqs(writeTx(tx), org, planned.length);
    await Promise.all(planned.map((c, i) => store.put(toRecord(c, first + i))));
    await after?.(writeTx(tx), before);
    return planned;
  });
}
