import { type Customer, InvalidArgumentError, normalizeEmail } from '@donutauto/core';
import {
  checkPutEmails,
  type LocalWrite,
  type LocalWriteResults,
  type OutboxDraft,
  type OutboxStore,
} from '@donutauto/core/adapter';
import type { ChangeFeed } from './change-feed';
import { claimChangeSeqs, deleteWithTombstones, type WriteTx, writeTx } from './change-log-idb';
import { CUSTOMERS, toRecord } from './customer-schema-idb';
import { type AfterWrite, insertCustomers, updateCustomers } from './customer-writes';
import { OUTBOX, SYNC_META } from './sync-schema-idb';
import type { TransactionRunner } from './transaction-runner';

/** What the outbox needs from the adapter. */
export interface OutboxContext {
  /** A runner over the write stores. */
  readonly run: TransactionRunner;
  /** The factory's `IDBKeyRange`. */
  readonly keyRange: typeof IDBKeyRange;
  /** The adapter's change events. */
  readonly feed: ChangeFeed;
}

async function metaNumber(tx: WriteTx, org: string, name: 'outboxSeq'): Promise<number> {
  const stored = await tx.objectStore(SYNC_META).get([org, name]);
  return typeof stored?.value === 'number' ? stored.value : 0;
}

/**
 * Deletes one customer (leaving its tombstone), with the adapter's events.
 * @param context - The adapter's runner and feed.
 * @param after - Runs in the same transaction.
 * @returns Whether it existed.
 */
export async function deleteCustomer(
  context: OutboxContext,
  org: string,
  id: string,
  after?: AfterWrite,
): Promise<boolean> {
  const gone = await context.run('readwrite', 'deleting a customer', async (tx) => {
    const removed = await deleteWithTombstones(writeTx(tx), org, [id]);
    await after?.(writeTx(tx), removed);
    return removed.length > 0;
  });
  if (gone) context.feed.emit({ type: 'delete', organizationId: org, ids: [id] });
  return gone;
}

/**
 * The IndexedDB {@link OutboxStore}: entries in the `outbox` store keyed by `[organizationId,
 * seq]`, counters and the server cursor in `syncMeta`. Each write and its entries share one
 * read-write transaction, so a closed tab or a crash keeps both or neither.
 * @param context - The adapter's runner, key range and change events.
 * @returns The outbox methods.
 */
export function createIndexedDbOutbox(context: OutboxContext): OutboxStore {
  const { run, keyRange, feed } = context;
  const entriesOf = (org: string) => keyRange.bound([org, 0], [org, Number.MAX_SAFE_INTEGER]);

  const append = (org: string, maker: (before: readonly Customer[]) => readonly OutboxDraft[]) =>
    (async (tx, before) => {
      const drafts = maker(before);
      if (drafts.length === 0) return;
      let seq = await metaNumber(tx, org, 'outboxSeq');
      const outbox = tx.objectStore(OUTBOX);
      for (const draft of drafts) {
        seq++;
        await outbox.put({ organizationId: org, seq, key: draft.key, change: draft.change });
      }
      await tx.objectStore(SYNC_META).put({ organizationId: org, name: 'outboxSeq', value: seq });
    }) satisfies AfterWrite;

  return {
    async writeWithOutbox<W extends LocalWrite>(
      org: string,
      write: W,
      maker: (before: readonly Customer[]) => readonly OutboxDraft[],
    ) {
      let result: unknown;
      if (write.type === 'insertMany') {
        if (write.customers.length > 0) {
          await insertCustomers(run, org, write.customers, append(org, maker));
          feed.emit({ type: 'insert', organizationId: org, ids: write.customers.map((c) => c.id) });
        }
      } else if (write.type === 'updateMany') {
        const next = await updateCustomers(run, org, write.updates, write.updatedAt, append(org, maker));
        if (next.length > 0) feed.emit({ type: 'update', organizationId: org, ids: next.map((c) => c.id) });
        result = next;
      } else {
        result = await deleteCustomer(context, org, write.id, append(org, maker));
      }
      return result as LocalWriteResults[W['type']];
    },

    async readOutbox(org, limit) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new InvalidArgumentError('limit', 'expected a positive integer');
      }
      return run('readonly', 'reading the outbox', async (tx) => {
        const stores = writeTx(tx);
        const [records, lastSeq] = await Promise.all([
          stores.objectStore(OUTBOX).getAll(entriesOf(org), limit),
          metaNumber(stores, org, 'outboxSeq'),
        ]);
        return { entries: records.map(({ seq, key, change }) => ({ seq, key, change })), lastSeq };
      });
    },

    outboxSize(org) {
      return run('readonly', 'counting the outbox', (tx) =>
        writeTx(tx).objectStore(OUTBOX).count(entriesOf(org)),
      );
    },

    async readSyncCursor(org) {
      const stored = await run('readonly', 'reading the sync cursor', (tx) =>
        writeTx(tx).objectStore(SYNC_META).get([org, 'cursor']),
      );
      return typeof stored?.value === 'string' ? stored.value : null;
    },

    async commitSync(org, commit) {
      const deleting = new Set(commit.delete ?? []);
      const puts = commit.put ?? [];
      const outcome = await run('readwrite', 'applying a sync step', async (tx) => {
        const stores = writeTx(tx);
        if ((await metaNumber(stores, org, 'outboxSeq')) !== commit.ifLastSeq) return undefined;
        const deleted = await deleteWithTombstones(stores, org, [...deleting]);
        const customers = tx.objectStore(CUSTOMERS);
        const byEmail = customers.index('byEmail');
        const holders = new Map<string, string>();
        for (const customer of puts) {
          const email = normalizeEmail(customer.email);
          const stored = await byEmail.getKey([org, email]);
          if (stored) holders.set(email, stored[1]);
        }
        checkPutEmails(puts, deleting, (email) => holders.get(email));
        // Out first, then in: emails moving between the put customers never meet in the index.
        await Promise.all(puts.map((c) => customers.delete([org, c.id])));
        const first = await claimChangeSeqs(stores, org, puts.length);
        await Promise.all(puts.map((c, i) => customers.put(toRecord(c, first + i))));
        const outbox = stores.objectStore(OUTBOX);
        for (const seq of commit.remove ?? []) await outbox.delete([org, seq]);
        for (const entry of commit.replace ?? []) {
          await outbox.put({ organizationId: org, seq: entry.seq, key: entry.key, change: entry.change });
        }
        if (commit.cursor !== undefined) {
          await stores
            .objectStore(SYNC_META)
            .put({ organizationId: org, name: 'cursor', value: commit.cursor });
        }
        return deleted.map((c) => c.id);
      });
      if (outcome === undefined) return false;
      if (outcome.length > 0) feed.emit({ type: 'delete', organizationId: org, ids: outcome });
      if (puts.length > 0) feed.emit({ type: 'update', organizationId: org, ids: puts.map((c) => c.id) });
      return true;
    },
  };
}
