/**
 * The normalized emails seen earlier in an import, with the row that first had each: an
 * open-addressing hash table over typed arrays. A 1,000,000-row file keeps a million emails; as
 * JS strings in a `Map` they cost the garbage collector a full scan on every major GC, here they
 * are a few flat buffers it never scans.
 */
export class EmailIndex {
  private mask = 1023;
  private hashes = new Uint32Array(1024);
  /** Start of each slot's email in `arena`, plus one (0 = empty slot). */
  private starts = new Int32Array(1024);
  private lengths = new Uint8Array(1024);
  private rows = new Int32Array(1024);
  /** Emails as Latin-1 bytes (validated emails are ASCII). */
  private arena = new Uint8Array(64 * 1024);
  /** The rare email with a character above U+00FF, or longer than 255 characters. */
  private readonly others = new Map<string, number>();
  private used = 0;
  /** Number of emails stored. */
  size = 0;

  /**
   * Looks up the first row of an email.
   * @param email - A normalized email (at most 65535 characters).
   * @returns The row, or `undefined` when not seen.
   */
  get(email: string): number | undefined {
    if (!compact(email)) return this.others.get(email);
    const hash = hashOf(email);
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const start = this.starts[slot]!;
      if (start === 0) return undefined;
      if (this.hashes[slot] === hash && this.equals(slot, start - 1, email)) return this.rows[slot];
    }
  }

  /**
   * Records the first row of an email; an email already present keeps its row.
   * @param email - A normalized email.
   * @param row - The row that has it.
   */
  add(email: string, row: number): void {
    if (!compact(email) || !Number.isInteger(row) || Math.abs(row) > 0x7fffffff) {
      if (!this.others.has(email)) {
        this.others.set(email, row);
        this.size++;
      }
      return;
    }
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const hash = hashOf(email);
    let slot = hash & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const start = this.starts[slot]!;
      if (start === 0) break;
      if (this.hashes[slot] === hash && this.equals(slot, start - 1, email)) return;
    }
    if (this.used + email.length > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.used + email.length));
      next.set(this.arena.subarray(0, this.used));
      this.arena = next;
    }
    for (let i = 0; i < email.length; i++) this.arena[this.used + i] = email.charCodeAt(i);
    this.hashes[slot] = hash;
    this.starts[slot] = this.used + 1;
    this.lengths[slot] = email.length;
    this.rows[slot] = row;
    this.used += email.length;
    this.size++;
  }

  private equals(slot: number, start: number, email: string): boolean {
    if (this.lengths[slot] !== email.length) return false;
    const arena = this.arena;
    for (let i = 0; i < email.length; i++) if (arena[start + i] !== email.charCodeAt(i)) return false;
    return true;
  }

  private grow(): void {
    const { hashes, starts, lengths, rows } = this;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.hashes = new Uint32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.lengths = new Uint8Array(capacity);
    this.rows = new Int32Array(capacity);
    for (let old = 0; old < starts.length; old++) {
      if (starts[old] === 0) continue;
      let slot = hashes[old]! & this.mask;
      while (this.starts[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hashes[slot] = hashes[old]!;
      this.starts[slot] = starts[old]!;
      this.lengths[slot] = lengths[old]!;
      this.rows[slot] = rows[old]!;
    }
  }
}

/** Fits the byte arena: at most 255 Latin-1 characters. */
function compact(email: string): boolean {
  if (email.length > 255) return false;
  for (let i = 0; i < email.length; i++) if (email.charCodeAt(i) > 0xff) return false;
  return true;
}

/** FNV-1a over UTF-16 code units. */
function hashOf(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
