import {
  type Customer,
  EDITABLE_FIELDS,
  normalizeEmail,
  type OutboxEntry,
  planImport,
  StorageError,
  type SyncCommit,
} from '@donutauto/core';
import { applyCustomerPatch } from '@donutauto/core/adapter';
import { baseOf, patchFields } from './field-values';
import { localPatch } from './rebase';
import { changeCustomerId, type SyncContext } from './sync-context';
import type { SyncConflict } from './sync-types';

/** What a sync step learned from the server. */
export interface ServerState {
  /** Outbox entries the server has answered: removed. */
  readonly acked?: Iterable<number>;
  /** Customers as the server holds them now. */
  readonly upserts?: readonly Customer[];
  /** Ids the server no longer holds (deletes win: queued edits of them are dropped). */
  readonly deletes?: Iterable<string>;
  /** The change-feed cursor reached. */
  readonly cursor?: string;
  /** Conflicts to report once this state is stored. */
  readonly conflicts?: readonly SyncConflict[];
}

/** How many outbox entries a rebuild considers (the outbox of one tablet rarely holds more). */
const OUTBOX_WINDOW = 10_000;

/**
 * Stores what the server said: removes answered entries, deletes what the server deleted, and
 * puts each server customer with this device's queued edits applied on top, in one `commitSync`.
 * A server customer whose email a customer added here (and not yet sent) holds absorbs it by the
 * duplicate policy: the local insert becomes an edit of the server customer, later queued edits
 * follow it. When a write was recorded meanwhile, the commit is planned again.
 * @param context - The sync context.
 * @param org - The organization.
 * @param state - What the server said.
 * @throws `storage_failed` when the local store keeps changing (or a remote read fails).
 */
export async function applyServerState(context: SyncContext, org: string, state: ServerState): Promise<void> {
  const acked = new Set(state.acked ?? []);
  for (let attempt = 0; attempt < 20; attempt++) {
    const { entries, lastSeq } = await context.local.readOutbox(org, OUTBOX_WINDOW);
    const plan = await planCommit(context, org, entries, acked, state);
    if (await context.local.commitSync(org, { ifLastSeq: lastSeq, ...plan.commit })) {
      for (const conflict of [...(state.conflicts ?? []), ...plan.conflicts]) context.report(conflict);
      return;
    }
  }
  throw new StorageError(
    'The local store kept changing while syncing; the next sync tries again',
    undefined,
    {
      retryable: true,
    },
  );
}

type Plan = { commit: Omit<SyncCommit, 'ifLastSeq'>; conflicts: SyncConflict[] };

async function planCommit(
  context: SyncContext,
  org: string,
  entries: readonly OutboxEntry[],
  acked: ReadonlySet<number>,
  state: ServerState,
): Promise<Plan> {
  const remove = new Set<number>(entries.filter((e) => acked.has(e.seq)).map((e) => e.seq));
  const replace = new Map<number, OutboxEntry>();
  const conflicts: SyncConflict[] = [];
  const localDeletes = new Set<string>();
  const puts = new Map<string, Customer>();
  const queued = (id: string) =>
    entries
      .filter((e) => !remove.has(e.seq))
      .map((e) => replace.get(e.seq) ?? e)
      .filter((e) => changeCustomerId(e.change) === id);

  const serverDeletes = new Set(state.deletes ?? []);
  for (const id of serverDeletes) {
    localDeletes.add(id);
    const fields = new Set<string>();
    for (const entry of queued(id)) {
      remove.add(entry.seq);
      if (entry.change.type === 'update') for (const f of patchFields(entry.change.patch)) fields.add(f);
    }
    if (fields.size > 0) conflicts.push({ kind: 'deleted', customerId: id, fields: [...fields] });
  }

  const pending = [...(state.upserts ?? [])];
  for (let guard = 0; pending.length > 0 && guard < 10_000; guard++) {
    const server = pending.shift()!;
    if (serverDeletes.has(server.id)) continue;
    const holder = await emailHolder(context, org, server, puts, localDeletes);
    if (holder) {
      const own = queued(holder.id);
      const insert = own.find((e) => e.change.type === 'insert');
      if (insert) {
        conflicts.push(absorb(context, holder, server, insert, own, replace, remove));
      } else {
        // The server moved this customer's email to `server` since it was last fetched here.
        const fresh = await context.remote.get(org, holder.id);
        if (fresh) pending.push(fresh);
      }
      localDeletes.add(holder.id);
      puts.delete(holder.id);
    }
    const own = queued(server.id);
    if (own.some((e) => e.change.type === 'delete')) continue; // stays deleted here until sent
    puts.set(server.id, withQueuedEdits(server, own, puts));
  }
  return {
    commit: {
      remove: [...remove],
      replace: [...replace.values()],
      put: [...puts.values()],
      delete: [...localDeletes].filter((id) => !puts.has(id)),
      ...(state.cursor === undefined ? {} : { cursor: state.cursor }),
    },
    conflicts,
  };
}

/** The local customer, other than `server` itself, holding `server`'s email (once this commit applies). */
async function emailHolder(
  context: SyncContext,
  org: string,
  server: Customer,
  puts: ReadonlyMap<string, Customer>,
  localDeletes: ReadonlySet<string>,
): Promise<Customer | undefined> {
  const email = normalizeEmail(server.email);
  const [found] = await context.local.getByEmails(org, [email]);
  if (!found || found.id === server.id || localDeletes.has(found.id)) return undefined;
  const moving = puts.get(found.id);
  if (moving && normalizeEmail(moving.email) !== email) return undefined;
  return found;
}

/** The server's customer with this device's queued edits on top, as the server will hold it once they are sent. */
function withQueuedEdits(
  server: Customer,
  entries: readonly OutboxEntry[],
  puts: ReadonlyMap<string, Customer>,
): Customer {
  let view = server;
  for (const { change } of entries) {
    if (change.type !== 'update') continue;
    const patch = localPatch(view, change.patch, change.mode);
    const next = applyCustomerPatch(view, patch, change.updatedAt);
    // A queued email change that another customer's email now blocks is left to the server to refuse.
    const taken = [...puts.values()].some(
      (c) => c.id !== server.id && normalizeEmail(c.email) === normalizeEmail(next.email),
    );
    view = taken ? applyCustomerPatch(view, { ...patch, email: view.email }, change.updatedAt) : next;
  }
  return view;
}

/**
 * Merges a customer added here into the server customer holding its email, by the duplicate
 * policy: its insert becomes an edit of the server customer (or goes, when the policy keeps the
 * server's values), and its queued edits and deletion follow the server customer's id.
 */
function absorb(
  context: SyncContext,
  holder: Customer,
  server: Customer,
  insert: OutboxEntry,
  own: readonly OutboxEntry[],
  replace: Map<number, OutboxEntry>,
  remove: Set<number>,
): SyncConflict {
  const added = insert.change.type === 'insert' ? insert.change.customer : holder;
  const input: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) input[field] = added[field];
  const plan = planImport({
    rows: [{ row: 1, input }],
    seenEmails: new Map(),
    existing: [server],
    onDuplicate: context.onDuplicate,
  });
  const action = plan.actions[0];
  if (action?.kind === 'update') {
    replace.set(insert.seq, {
      seq: insert.seq,
      key: `${insert.key}:merge`,
      change: {
        type: 'update',
        id: server.id,
        patch: action.patch,
        base: baseOf(server, action.patch),
        expectedVersion: server.version,
        updatedAt: context.now(),
        ...(context.onDuplicate === 'merge' ? { mode: 'fill' as const } : {}),
      },
    });
  } else {
    remove.add(insert.seq);
  }
  for (const entry of own) {
    if (entry.seq === insert.seq) continue;
    const change =
      entry.change.type === 'update'
        ? { ...entry.change, id: server.id }
        : ({ type: 'delete', id: server.id } as const);
    replace.set(entry.seq, { ...entry, change });
  }
  return { kind: 'merged', customerId: holder.id, intoId: server.id };
}
