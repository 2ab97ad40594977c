/**
 * The normalized emails seen earlier in an import, with the row that first had each: an
 * open-addressing hash table over typed arrays. A million-row file keeps a million emails; as JS
 * strings in a `Map` they would cost ≈80 MB that every major garbage collection scans, here ≈45 MB
 * of flat buffers it never scans. Lookups and answers are exactly those of a `Map`.
 */
export class EmailIndex {
  /** Slots: two int32s each, the hash (0 = empty), then the record's position in the arena. */
  private table: Int32Array;
  /** Slot count minus one. */
  private mask: number;
  /**
   * The arena: fixed-size pages of records, each an email's length (one byte), its Latin-1 bytes
   * (normalized emails are mostly ASCII), then its first row (int32, little-endian). Growing adds a
   * page; nothing is copied. A record's position is page number × PAGE + offset in the page.
   */
  private readonly pages: Uint8Array[] = [];
  /** Bytes used in the last page. */
  private fill = PAGE;
  /** Emails the arena cannot hold (a character above U+00FF, or longer than 255 characters). */
  private readonly others = new Map<string, number>();
  /** Rows an int32 cannot hold, by record position (the record holds {@link ODD_ROW}). */
  private readonly oddRows = new Map<number, number>();
  /** Number of emails stored. */
  size = 0;
  /** Where {@link touch} leaves what it read, so the reads are not optimized away. */
  private sink = 0;

  constructor() {
    this.table = new Int32Array(2 * 1024);
    this.mask = 1023;
  }

  /**
   * Looks up the first row of an email.
   * @param email - A normalized email.
   * @returns The row, or `undefined` when not seen.
   */
  get(email: string): number | undefined {
    const hash = hashOf(email);
    if (hash === NOT_COMPACT) return this.others.get(email);
    const slot = this.probe(hash, email);
    return slot < 0 ? this.rowAt(this.table[(~slot << 1) + 1]!) : undefined;
  }

  /**
   * Records an email's first row; an email already recorded keeps its row.
   * @param email - A normalized email.
   * @param row - The row that had it first.
   */
  add(email: string, row: number): void {
    this.insert(email, hashOf(email), row);
  }

  private insert(email: string, hash: number, row: number): void {
    if (hash === NOT_COMPACT) {
      if (!this.others.has(email)) {
        this.others.set(email, row);
        this.size++;
      }
      return;
    }
    let slot = this.probe(hash, email);
    if (slot < 0) return;
    if ((this.size + 1) * 2 > this.mask + 1) {
      this.grow();
      slot = this.probe(hash, email);
    }
    this.table[slot << 1] = hash;
    this.table[(slot << 1) + 1] = this.store(email, row);
    this.size++;
  }

  /**
   * Looks a batch of emails up at once: their first table slots are read back to back before any is
   * probed, so the processor fetches them from memory in parallel (a table of a million emails is
   * far larger than the caches: one lookup is otherwise one full memory round trip).
   * @param emails - Normalized emails.
   * @returns The emails found, with their first row.
   */
  lookUpMany(emails: Iterable<string>): Map<string, number> {
    const found = new Map<string, number>();
    const list = [...emails];
    const hashes = this.touch(list);
    for (let i = 0; i < list.length; i++) {
      const email = list[i]!;
      const hash = hashes[i]!;
      let row: number | undefined;
      if (hash === NOT_COMPACT) row = this.others.get(email);
      else {
        const slot = this.probe(hash, email);
        if (slot < 0) row = this.rowAt(this.table[(~slot << 1) + 1]!);
      }
      if (row !== undefined) found.set(email, row);
    }
    return found;
  }

  /**
   * Records a batch of emails with their first rows (as {@link add} each), reading their slots
   * back to back first.
   * @param entries - Normalized emails and their rows.
   */
  addMany(entries: ReadonlyMap<string, number>): void {
    const hashes = this.touch(entries.keys());
    let i = 0;
    for (const [email, row] of entries) this.insert(email, hashes[i++]!, row);
  }

  /** Hashes emails and reads each one's first slot, so later probes find it in the cache. */
  private touch(emails: Iterable<string>): Int32Array {
    const list = Array.isArray(emails) ? (emails as string[]) : [...emails];
    const hashes = new Int32Array(list.length);
    let sink = 0;
    for (let i = 0; i < list.length; i++) {
      const hash = hashOf(list[i]!);
      hashes[i] = hash;
      sink ^= this.table[(hash & this.mask) << 1]!;
    }
    this.sink ^= sink;
    return hashes;
  }

  /** Finds an email's slot: `~slot` (negative) when it is there, else the free slot ending its probe. */
  private probe(hash: number, email: string): number {
    const table = this.table;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const h = table[slot << 1];
      if (h === 0) return slot;
      if (h === hash && this.equals(table[(slot << 1) + 1]!, email)) return ~slot;
    }
  }

  /** Appends a record to the arena. @returns Its position. */
  private store(email: string, row: number): number {
    const size = email.length + 5;
    if (this.fill + size > PAGE) {
      this.pages.push(new Uint8Array(PAGE));
      this.fill = 0;
    }
    const page = this.pages[this.pages.length - 1]!;
    const at = this.fill;
    const position = (this.pages.length - 1) * PAGE + at;
    page[at] = email.length;
    for (let i = 0; i < email.length; i++) page[at + 1 + i] = email.charCodeAt(i);
    const odd = !(Object.is(row | 0, row) && row !== ODD_ROW);
    if (odd) this.oddRows.set(position, row);
    const stored = odd ? ODD_ROW : row;
    const end = at + 1 + email.length;
    page[end] = stored;
    page[end + 1] = stored >>> 8;
    page[end + 2] = stored >>> 16;
    page[end + 3] = stored >>> 24;
    this.fill += size;
    return position;
  }

  private equals(position: number, email: string): boolean {
    const page = this.pages[position >>> PAGE_BITS]!;
    const at = position & (PAGE - 1);
    if (page[at] !== email.length) return false;
    for (let i = 0; i < email.length; i++) if (page[at + 1 + i] !== email.charCodeAt(i)) return false;
    return true;
  }

  /** The first row stored in the record at `position`. */
  private rowAt(position: number): number {
    const page = this.pages[position >>> PAGE_BITS]!;
    const at = (position & (PAGE - 1)) + 1 + page[position & (PAGE - 1)]!;
    const row = page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24);
    return row === ODD_ROW ? this.oddRows.get(position)! : row;
  }

  private grow(): void {
    const old = this.table;
    const mask = (this.mask + 1) * 2 - 1;
    const table = new Int32Array((mask + 1) * 2);
    for (let at = 0; at < old.length; at += 2) {
      const hash = old[at]!;
      if (hash === 0) continue;
      let slot = hash & mask;
      while (table[slot << 1] !== 0) slot = (slot + 1) & mask;
      table[slot << 1] = hash;
      table[(slot << 1) + 1] = old[at + 1]!;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** Bytes per arena page (a record takes at most 260 bytes). */
const PAGE_BITS = 20;
const PAGE = 1 << PAGE_BITS;

/** The row a record holds when its real row is not an int32 (kept in `oddRows`), or is this value. */
const ODD_ROW = -0x80000000;

/** Returned by {@link hashOf} for strings the arena cannot hold. */
const NOT_COMPACT = 0;

/**
 * FNV-1a over the characters, mixed so the low bits (the slot) depend on every character; never 0,
 * which is returned for a string the arena cannot hold.
 */
function hashOf(value: string): number {
  if (value.length > 255) return NOT_COMPACT;
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) return NOT_COMPACT;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash === 0 ? 1 : hash | 0;
}
