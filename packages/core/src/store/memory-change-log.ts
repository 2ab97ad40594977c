import type { Customer } from '../model/customer-schema';
import { encodeChangeCursor, readSequenceCursor } from './change-cursor';
import type { ChangePage, CustomerChange } from './change-feed';

interface LogEntry {
  readonly seq: number;
  readonly id: string;
}

/**
 * The memory adapter's change feed of one organization: the sequence number of each customer's
 * last write (or deletion, kept as a tombstone), in write order.
 */
export class ChangeLog {
  #seq = 0;
  /** id → its latest entry and whether that was a deletion. */
  readonly #latest = new Map<string, { seq: number; deleted: boolean }>();
  /** Every entry in sequence order; superseded ones are skipped on read and compacted away. */
  #entries: LogEntry[] = [];

  /** Records a write (or, with `deleted`, a deletion) of each id, in order. */
  record(ids: Iterable<string>, deleted = false): void {
    for (const id of ids) {
      const seq = ++this.#seq;
      this.#latest.set(id, { seq, deleted });
      this.#entries.push({ seq, id });
    }
    if (this.#entries.length > 2 * this.#latest.size + 64) {
      this.#entries = this.#entries.filter((e) => this.#latest.get(e.id)?.seq === e.seq);
    }
  }

  /**
   * Reads one page of the feed.
   * @param organizationId - The tenant (cursors are bound to it).
   * @param cursor - The caller's cursor.
   * @param limit - The page size.
   * @param read - Returns a copy of a stored customer.
   */
  page(
    organizationId: string,
    cursor: string | null,
    limit: number,
    read: (id: string) => Customer,
  ): ChangePage {
    const after = readSequenceCursor(organizationId, 'memory', cursor, limit);
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#entries[mid]!.seq <= after) lo = mid + 1;
      else hi = mid;
    }
    const changes: CustomerChange[] = [];
    let last = after;
    let isDone = true;
    for (let i = lo; i < this.#entries.length; i++) {
      const entry = this.#entries[i]!;
      const latest = this.#latest.get(entry.id);
      if (latest?.seq !== entry.seq) continue;
      if (changes.length === limit) {
        isDone = false;
        break;
      }
      changes.push(
        latest.deleted ? { type: 'delete', id: entry.id } : { type: 'upsert', customer: read(entry.id) },
      );
      last = entry.seq;
    }
    return { changes, cursor: encodeChangeCursor(organizationId, 'memory', [last]), isDone };
  }
}
