import { InvalidArgumentError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
import type {
  LocalWrite,
  LocalWriteResults,
  OutboxDraft,
  OutboxEntry,
  OutboxStore,
  SyncCommit,
} from './outbox-store';
import type { CustomerUpdate } from './storage-adapter';

/** The memory adapter's writes, synchronous: each either throws having changed nothing, or completes. */
export interface MemoryWrites {
  insert(organizationId: string, customers: readonly Customer[]): void;
  update(
    organizationId: string,
    updates: readonly CustomerUpdate[],
    updatedAt: number,
  ): { before: Customer[]; after: Customer[] };
  /** @returns The removed customer, or `undefined` when there was none. */
  remove(organizationId: string, id: string): Customer | undefined;
  /**
   * Removes the `removing` ids, then stores customers exactly as given.
   * @throws `duplicate_email` when a customer outside `removing` holds a put's email (nothing changed).
   */
  put(organizationId: string, customers: readonly Customer[], removing: ReadonlySet<string>): void;
}

interface OrgOutbox {
  entries: OutboxEntry[];
  lastSeq: number;
  cursor: string | null;
}

/**
 * The memory adapter's {@link OutboxStore}: per organization, the entries in order, the last
 * sequence number and the server cursor. JavaScript runs each write and its entries without
 * interruption, which makes them atomic.
 * @param writes - The adapter's synchronous writes.
 * @returns The outbox methods.
 */
export function createMemoryOutbox(writes: MemoryWrites): OutboxStore {
  const orgs = new Map<string, OrgOutbox>();
  const of = (organizationId: string) => {
    let outbox = orgs.get(organizationId);
    if (!outbox) {
      outbox = { entries: [], lastSeq: 0, cursor: null };
      orgs.set(organizationId, outbox);
    }
    return outbox;
  };
  const append = (outbox: OrgOutbox, drafts: readonly OutboxDraft[]) => {
    for (const draft of drafts) {
      outbox.entries.push(structuredClone({ seq: ++outbox.lastSeq, key: draft.key, change: draft.change }));
    }
  };

  return {
    async writeWithOutbox<W extends LocalWrite>(
      organizationId: string,
      write: W,
      entries: (before: readonly Customer[]) => readonly OutboxDraft[],
    ) {
      const outbox = of(organizationId);
      let result: unknown;
      let before: Customer[] = [];
      if (write.type === 'insertMany') writes.insert(organizationId, write.customers);
      else if (write.type === 'updateMany') {
        const done = writes.update(organizationId, write.updates, write.updatedAt);
        before = done.before;
        result = done.after;
      } else {
        const removed = writes.remove(organizationId, write.id);
        before = removed ? [removed] : [];
        result = removed !== undefined;
      }
      append(outbox, entries(before));
      return result as LocalWriteResults[W['type']];
    },

    async readOutbox(organizationId, limit) {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new InvalidArgumentError('limit', 'expected a positive integer');
      }
      const outbox = of(organizationId);
      return { entries: structuredClone(outbox.entries.slice(0, limit)), lastSeq: outbox.lastSeq };
    },

    async outboxSize(organizationId) {
      return orgs.get(organizationId)?.entries.length ?? 0;
    },

    async readSyncCursor(organizationId) {
      return orgs.get(organizationId)?.cursor ?? null;
    },

    async commitSync(organizationId, commit: SyncCommit) {
      const outbox = of(organizationId);
      if (outbox.lastSeq !== commit.ifLastSeq) return false;
      writes.put(organizationId, commit.put ?? [], new Set(commit.delete ?? []));
      const remove = new Set(commit.remove ?? []);
      const replace = new Map((commit.replace ?? []).map((e) => [e.seq, structuredClone(e)]));
      outbox.entries = outbox.entries.filter((e) => !remove.has(e.seq)).map((e) => replace.get(e.seq) ?? e);
      if (commit.cursor !== undefined) outbox.cursor = commit.cursor;
      return true;
    },
  };
}
