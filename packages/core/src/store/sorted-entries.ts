import type { Customer } from '../model/customer-schema';
import { type CustomerKeys, customerKeys } from './customer-keys';
import { type CustomerSort, comparePositions, type SortPosition, sortPosition } from './customer-sort';

/**
 * A stored customer with its derived keys, computed the first time a filter or a name sort needs
 * them (an import that is never searched does not pay for folding every name).
 */
export class Entry {
  /** The stored customer (never handed out: callers get copies). */
  readonly customer: Customer;
  #keys: CustomerKeys | undefined;

  /** @param customer - The stored customer. */
  constructor(customer: Customer) {
    this.customer = customer;
  }

  /** Its derived keys. */
  get keys(): CustomerKeys {
    this.#keys ??= customerKeys(this.customer);
    return this.#keys;
  }
}

/** Below this many entries a batch is inserted one by one; above, merged in one pass. */
const MERGE_THRESHOLD = 32;

/**
 * Entries kept in ascending order of one sort's key: the memory adapter's keyset index. Finding a
 * cursor's place is a binary search, so a page costs the same at any depth; a batch of writes is
 * merged in one pass instead of one array splice per row.
 */
export class SortedEntries {
  private items: Entry[] = [];
  readonly #sort: CustomerSort;

  /** @param sort - The sort whose key orders the entries (`newest` and `oldest` share one order). */
  constructor(sort: CustomerSort) {
    this.#sort = sort;
  }

  /** How many entries it holds. */
  get length(): number {
    return this.items.length;
  }

  /** The entry at an index, or `undefined` outside `[0, length)`. */
  at(index: number): Entry | undefined {
    return this.items[index];
  }

  /** The sort key of an entry. */
  position(entry: Entry): SortPosition {
    const sort = this.#sort;
    // Only the name sorts read the derived keys.
    return sortPosition(
      sort,
      entry.customer,
      sort === 'lastName' || sort === 'firstName' ? entry.keys : undefined,
    );
  }

  /**
   * Index of the first entry whose key is `>= position` (or `> position` when `after`).
   * @param position - A key of this sort.
   * @param after - Skip entries equal to `position`.
   */
  seek(position: SortPosition, after: boolean): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const order = comparePositions(this.position(this.items[mid]!), position);
      if (order < 0 || (after && order === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Adds entries whose keys are not held yet. */
  add(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const sorted = [...entries].sort((a, b) => comparePositions(this.position(a), this.position(b)));
    const last = this.items[this.items.length - 1];
    if (!last || comparePositions(this.position(last), this.position(sorted[0]!)) < 0) {
      for (const entry of sorted) this.items.push(entry);
    } else if (sorted.length < MERGE_THRESHOLD) {
      for (const entry of sorted) this.items.splice(this.seek(this.position(entry), false), 0, entry);
    } else {
      this.items = merge(this.items, sorted, (a, b) => comparePositions(this.position(a), this.position(b)));
    }
  }

  /** Removes these entries (found by key). */
  remove(entries: readonly Entry[]): void {
    if (entries.length < MERGE_THRESHOLD) {
      for (const entry of entries) {
        const index = this.seek(this.position(entry), false);
        if (this.items[index]?.customer.id === entry.customer.id) this.items.splice(index, 1);
      }
      return;
    }
    const gone = new Set(entries.map((e) => e.customer.id));
    this.items = this.items.filter((e) => !gone.has(e.customer.id));
  }

  /** Replaces entries by their next state: in place when the key is unchanged, else re-sorted. */
  replace(changes: readonly { readonly previous: Entry; readonly next: Entry }[]): void {
    const moved: { readonly previous: Entry; readonly next: Entry }[] = [];
    for (const change of changes) {
      const at = this.position(change.previous);
      if (comparePositions(at, this.position(change.next)) !== 0) {
        moved.push(change);
        continue;
      }
      const index = this.seek(at, false);
      if (this.items[index]?.customer.id === change.previous.customer.id) this.items[index] = change.next;
    }
    if (moved.length === 0) return;
    this.remove(moved.map((c) => c.previous));
    this.add(moved.map((c) => c.next));
  }
}

function merge<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  const out = new Array<T>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = compare(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
