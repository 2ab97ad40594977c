import {
  type Customer,
  isCustomerError,
  normalizeEmail,
  type OutboxEntry,
  StorageError,
  uuidv7,
} from '@donutauto/core';
import { hashString } from '@donutauto/core/adapter';
import { patchFields, sameValue } from './field-values';
import { rebaseEdit } from './rebase';
import { applyServerState } from './server-state';
import { isRejection, isTransient, keyed, type SyncContext } from './sync-context';
import type { SyncConflict } from './sync-types';

/** Largest number of queued inserts sent in one `insertMany`. */
const INSERT_BATCH = 100;
/** Rebases of one edit before it waits for the next sync (another device keeps winning the race). */
const MAX_REBASES = 5;

/**
 * Sends the organization's queued writes, oldest first, until the outbox is empty. Each answered
 * write is removed from the outbox together with what the answer says about its customer.
 * @param context - The sync context.
 * @param org - The organization.
 * @throws The first transient failure (the server is out of reach, the session expired); the
 *   writes not yet answered stay queued.
 */
export async function pushOutbox(context: SyncContext, org: string): Promise<void> {
  let previous = '';
  for (;;) {
    const { entries } = await context.local.readOutbox(org, INSERT_BATCH);
    const head = entries[0];
    if (!head) return;
    // Every step removes or rewrites the head; the same head twice in a row means no progress.
    const fingerprint = JSON.stringify(head);
    if (fingerprint === previous) {
      throw new StorageError('A queued write could not be settled; the next sync tries again', undefined, {
        retryable: true,
      });
    }
    previous = fingerprint;
    if (head.change.type === 'insert') {
      const end = entries.findIndex((e) => e.change.type !== 'insert');
      await pushInserts(context, org, end === -1 ? entries : entries.slice(0, end));
    } else if (head.change.type === 'update') {
      await pushEdit(context, org, head);
    } else {
      await keyed(context, head.key).delete(org, head.change.id);
      await applyServerState(context, org, { acked: [head.seq], deletes: [head.change.id] });
    }
  }
}

function insertOf(entry: OutboxEntry): Customer {
  if (entry.change.type !== 'insert') throw new TypeError('not an insert');
  return entry.change.customer;
}

/** Sends a run of queued inserts as one batch; when the server refuses it, one by one. */
async function pushInserts(context: SyncContext, org: string, group: readonly OutboxEntry[]): Promise<void> {
  // One key per batch composition: a batch sent again as it was replays; another one is new.
  const key =
    group.length === 1 ? group[0]!.key : `${group[0]!.key}+${hashString(group.map((e) => e.key).join(' '))}`;
  try {
    await keyed(context, key).insertMany(org, group.map(insertOf));
    await applyServerState(context, org, { acked: group.map((e) => e.seq) });
    return;
  } catch (error) {
    if (isTransient(error)) throw error;
    // Refused as a batch (an email or id already stored, one bad customer): find which, one by one.
  }
  const acked: number[] = [];
  const upserts: Customer[] = [];
  const deletes: string[] = [];
  const conflicts: SyncConflict[] = [];
  try {
    for (const entry of group) {
      const customer = insertOf(entry);
      try {
        await keyed(context, entry.key).insertMany(org, [customer]);
        acked.push(entry.seq);
      } catch (error) {
        if (isTransient(error)) throw error;
        // Stored already (an earlier attempt's answer was lost), or another customer holds the email.
        const [byEmail] = isCustomerError(error, 'duplicate_email')
          ? await context.remote.getByEmails(org, [normalizeEmail(customer.email)])
          : [];
        const byId = await context.remote.get(org, customer.id);
        if (byId) {
          acked.push(entry.seq);
          upserts.push(byId);
        } else if (byEmail) {
          upserts.push(byEmail); // applyServerState merges the local customer into it
        } else if (isRejection(error)) {
          acked.push(entry.seq);
          deletes.push(customer.id);
          conflicts.push({ kind: 'rejected', customerId: customer.id, error });
        } else {
          throw error;
        }
      }
    }
  } finally {
    if (acked.length + upserts.length + deletes.length > 0) {
      await applyServerState(context, org, { acked, upserts, deletes, conflicts });
    }
  }
}

/** Sends one queued edit; on a version conflict, moves it onto the server's current customer. */
async function pushEdit(context: SyncContext, org: string, entry: OutboxEntry): Promise<void> {
  const change = entry.change;
  if (change.type !== 'update') throw new TypeError('not an update');
  let patch = change.patch;
  let expectedVersion = change.expectedVersion;
  let key = entry.key;
  let conflicts: SyncConflict[] = [];
  for (let rebases = 0; ; rebases++) {
    try {
      // The edit's own time: an attempt sent again carries the same body, so it replays.
      const stored = await keyed(context, key).update(org, change.id, patch, {
        expectedVersion,
        updatedAt: change.updatedAt,
      });
      return applyServerState(context, org, { acked: [entry.seq], upserts: [stored], conflicts });
    } catch (error) {
      if (isTransient(error)) throw error;
      if (isCustomerError(error, 'idempotency_conflict') && rebases < MAX_REBASES) {
        key = `${entry.key}:${uuidv7()}`; // the key was spent on another body: send under a new one
        continue;
      }
      const notFound = isCustomerError(error, 'not_found');
      if (!notFound && !isCustomerError(error, 'version_conflict') && !isRejection(error)) throw error;
      const server = await context.remote.get(org, change.id);
      if (!server) {
        // Deletes win: the edit goes (applyServerState reports the other queued edits of it).
        const fields = patchFields(change.patch);
        return applyServerState(context, org, {
          acked: [entry.seq],
          deletes: [change.id],
          conflicts: [{ kind: 'deleted', customerId: change.id, fields }],
        });
      }
      if (isRejection(error)) {
        return applyServerState(context, org, {
          acked: [entry.seq],
          upserts: [server],
          conflicts: [{ kind: 'rejected', customerId: change.id, error }],
        });
      }
      if (rebases >= MAX_REBASES) throw error;
      const rebased = rebaseEdit(change, server);
      if (patchFields(rebased.patch).every((f) => sameValue(server[f], rebased.patch[f]))) {
        // Nothing left to write (an earlier attempt wrote it, or a fill found every field set).
        return applyServerState(context, org, { acked: [entry.seq], upserts: [server] });
      }
      patch = rebased.patch;
      conflicts = rebased.conflicts;
      expectedVersion = server.version;
      key = `${entry.key}:v${server.version}`;
    }
  }
}
