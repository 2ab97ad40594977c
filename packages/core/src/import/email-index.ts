/**
 * The normalized emails seen earlier in an import, with the row that first had each: an
 * open-addressing hash table over typed arrays. A 1,000,000-row file keeps a million emails; as
 * JS strings in a `Map` they cost the garbage collector a full scan on every major GC, here they
 * are a few flat buffers it never scans. Each slot is three consecutive int32s (hash, arena
 * offset + 1, row) so a probe touches one cache line.
 */
export class EmailIndex {
  private mask = 1023;
  private slots = new Int32Array(1024 * 3);
  /** Each email as a length byte then its Latin-1 bytes (validated emails are ASCII). */
  private arena = new Uint8Array(64 * 1024);
  private used = 0;
  /** The rare email with a character above U+00FF, longer than 255 characters, or an odd row. */
  private readonly others = new Map<string, number>();
  /** Number of emails stored. */
  size = 0;

  /**
   * Looks up the first row of an email.
   * @param email - A normalized email.
   * @returns The row, or `undefined` when not seen.
   */
  get(email: string): number | undefined {
    const hash = hashOf(email);
    if (hash === NOT_COMPACT) return this.others.get(email);
    const slots = this.slots;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * 3;
      const start = slots[at + 1]!;
      if (start === 0) return undefined;
      if (slots[at] === hash && this.equals(start - 1, email)) return slots[at + 2];
    }
  }

  /**
   * Records the first row of an email; an email already present keeps its row.
   * @param email - A normalized email.
   * @param row - The row that has it.
   */
  add(email: string, row: number): void {
    const hash = hashOf(email);
    if (hash === NOT_COMPACT || !Number.isInteger(row) || Math.abs(row) > 0x7fffffff) {
      if (!this.others.has(email)) {
        this.others.set(email, row);
        this.size++;
      }
      return;
    }
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const slots = this.slots;
    let slot = hash & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const at = slot * 3;
      const start = slots[at + 1]!;
      if (start === 0) break;
      if (slots[at] === hash && this.equals(start - 1, email)) return;
    }
    if (this.used + email.length + 1 > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.used + email.length + 1));
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    const arena = this.arena;
    arena[this.used] = email.length;
    for (let i = 0; i < email.length; i++) arena[this.used + 1 + i] = email.charCodeAt(i);
    const at = slot * 3;
    slots[at] = hash;
    slots[at + 1] = this.used + 1;
    slots[at + 2] = row;
    this.used += email.length + 1;
    this.size++;
  }

  private equals(start: number, email: string): boolean {
    const arena = this.arena;
    if (arena[start] !== email.length) return false;
    for (let i = 0; i < email.length; i++) if (arena[start + 1 + i] !== email.charCodeAt(i)) return false;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    const slots = new Int32Array(capacity * 3);
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 1] === 0) continue;
      let slot = old[at]! & this.mask;
      while (slots[slot * 3 + 1] !== 0) slot = (slot + 1) & this.mask;
      slots[slot * 3] = old[at]!;
      slots[slot * 3 + 1] = old[at + 1]!;
      slots[slot * 3 + 2] = old[at + 2]!;
    }
    this.slots = slots;
  }
}

/** Returned by {@link hashOf} for strings the byte arena cannot hold. */
const NOT_COMPACT = -1;

/** FNV-1a over the characters (as a signed int32, never -1), or `NOT_COMPACT`. */
function hashOf(value: string): number {
  if (value.length > 255) return NOT_COMPACT;
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) return NOT_COMPACT;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return hash === NOT_COMPACT ? 0 : hash | 0;
}
