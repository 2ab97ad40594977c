/**
 * The normalized emails seen earlier in an import, with the row that first had each: an
 * open-addressing hash table over typed arrays. A 1,000,000-row file keeps a million emails; as
 * JS strings in a `Map` they cost the garbage collector a full scan on every major GC, here they
 * are a few flat buffers it never scans.
 *
 * Each table slot is a 32-bit hash (0 = empty slot) next to its entry number, so a probe and the
 * insert after it touch one cache line; the entry behind a matching hash (row, offset of the
 * email's bytes) is read only then. Entries are numbered in insertion order, so adding one appends
 * to flat arrays. {@link EmailIndex.claimMany} reads a whole batch's slots ahead of claiming them.
 */
export class EmailIndex {
  private mask: number;
  /** Per slot, two int32s: the email's hash (0 = empty slot), then its entry number (same cache line). */
  private table: Int32Array;
  /** Per entry: the row that first had the email. */
  private rows: Int32Array;
  /** Per entry: where the email is in the arena (page number × PAGE + offset in the page). */
  private starts: Int32Array;
  /**
   * The arena: fixed-size pages, each email as a length byte then its Latin-1 bytes (validated
   * emails are ASCII). Growing adds a page; nothing is ever copied.
   */
  private readonly pages: Uint8Array[] = [];
  /** The page being filled. */
  private page: Uint8Array;
  /** Bytes used in {@link page}. */
  private used = 0;
  private entries = 0;
  /** The rare email with a character above U+00FF, longer than 255 characters, or an odd row. */
  private readonly others = new Map<string, number>();
  /** Hashes of the batch being claimed by {@link claimMany} (reused). */
  private batchHashes = new Int32Array(0);
  /** Where {@link claimMany}'s read-ahead pass leaves its result, so the reads are not dropped. */
  private touched = 0;
  /** Number of emails stored. */
  size = 0;

  /**
   * @param expected - How many emails to make room for up front (it grows past that as needed).
   * @defaultValue 1024
   */
  constructor(expected = 1024) {
    const wanted = Math.min(Math.max(Math.ceil(expected), 512), 1 << 26);
    let capacity = 1024;
    while (capacity < wanted * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.table = new Int32Array(capacity * 2);
    this.rows = new Int32Array(capacity / 2);
    this.starts = new Int32Array(capacity / 2);
    this.page = new Uint8Array(Math.min(PAGE, Math.max(64 * 1024, wanted * 24)));
    this.pages.push(this.page);
  }

  /**
   * Looks up the first row of an email.
   * @param email - A normalized email.
   * @returns The row, or `undefined` when not seen.
   */
  get(email: string): number | undefined {
    const hash = hashOf(email);
    if (hash === NOT_COMPACT) return this.others.get(email);
    const entry = this.find(hash, email);
    if (entry >= 0) return this.rows[entry];
    return this.others.size === 0 ? undefined : this.others.get(email);
  }

  /**
   * Looks an email up and records it when absent, in one probe: the import planner's question
   * "did a row before this one have this email?". Rows are numbered in file order, so a first row
   * at or after `row` (the row's own claim from an earlier planning of its batch) is not "before".
   * @param email - A normalized email.
   * @param row - The row asking; recorded as the email's first row when the email is new.
   * @returns The email's first row when it is before `row`, else `undefined`.
   */
  claim(email: string, row: number): number | undefined {
    return this.claimHashed(email, row, hashOf(email));
  }

  /**
   * {@link claim} for a batch of emails, in order: the same answers as claiming them one by one.
   * The table slots of all the emails are read first, back to back, so the processor fetches them
   * from memory in parallel (a table of a million emails is far larger than the caches: one slot
   * read is otherwise one full memory round trip per email).
   * @param emails - Normalized emails.
   * @param rows - The row of each email (index-aligned).
   * @returns For each email, its first row when it is before the email's row, else `undefined`.
   */
  claimMany(emails: readonly string[], rows: readonly number[]): (number | undefined)[] {
    const count = emails.length;
    if (this.batchHashes.length < count) this.batchHashes = new Int32Array(Math.max(count, 512));
    const hashes = this.batchHashes;
    // Room at the arena's end for every email of the batch, which pass 1 copies there (staging).
    let room = 0;
    for (let i = 0; i < count; i++) room += emails[i]!.length + 1;
    if (room > PAGE) {
      // A batch too large to stage in one page: claimed one by one.
      const out = new Array<number | undefined>(count);
      for (let i = 0; i < count; i++) out[i] = this.claim(emails[i]!, rows[i]!);
      return out;
    }
    while (this.used + room > this.page.length) this.nextPage();
    const arena = this.page;
    // Pass 1: hash each email while copying it to the arena's free end, one after the other (a
    // non-compact email or odd row gets NOT_COMPACT and no room).
    let staged = this.used;
    for (let i = 0; i < count; i++) {
      const email = emails[i]!;
      const length = email.length;
      const row = rows[i]!;
      let hash = NOT_COMPACT;
      if (length <= 255 && Number.isInteger(row) && Math.abs(row) <= 0x7fffffff) {
        let state = 0x811c9dc5;
        let at = 0;
        for (; at < length; at++) {
          const code = email.charCodeAt(at);
          if (code > 0xff) break;
          arena[staged + 1 + at] = code;
          state = Math.imul(state ^ code, 0x01000193);
        }
        if (at === length) {
          hash = finish(state);
          arena[staged] = length;
          staged += length + 1;
        }
      }
      hashes[i] = hash;
    }
    // Pass 2: read every email's first slot back to back, so the cache misses overlap.
    const table = this.table;
    const mask = this.mask;
    let touched = 0;
    for (let i = 0; i < count; i++) touched ^= table[(hashes[i]! & mask) << 1]!;
    this.touched ^= touched;
    // Pass 3: claim in order. A new email keeps its staged bytes (moved down over the bytes of
    // earlier duplicates, if any); a duplicate's staged bytes are dropped.
    const page = (this.pages.length - 1) * PAGE;
    const out = new Array<number | undefined>(count);
    let from = this.used;
    let to = this.used;
    for (let i = 0; i < count; i++) {
      const email = emails[i]!;
      const hash = hashes[i]!;
      if (hash === NOT_COMPACT) {
        out[i] = this.claimOther(email, rows[i]!);
        continue;
      }
      const size = email.length + 1;
      const slot = this.probe(hash, email);
      if (slot < 0) {
        const first = this.rows[this.table[(~slot << 1) + 1]!]!;
        out[i] = first < rows[i]! ? first : undefined;
      } else {
        if (from !== to) arena.copyWithin(to, from, from + size);
        this.insertAt(slot, hash, page + to, rows[i]!);
        to += size;
        out[i] = undefined;
      }
      from += size;
    }
    this.used = to;
    return out;
  }

  /**
   * Finds an email's slot.
   * @returns `~slot` (negative) when the email is there, else the free slot that ends its probe.
   */
  private probe(hash: number, email: string): number {
    const table = this.table;
    let slot = hash & this.mask;
    for (; ; slot = (slot + 1) & this.mask) {
      const h = table[slot << 1];
      if (h === 0) return slot;
      if (h === hash && this.equals(this.starts[table[(slot << 1) + 1]!]!, email)) return ~slot;
    }
  }

  private claimOther(email: string, row: number): number | undefined {
    const first = this.others.get(email);
    if (first === undefined) {
      this.others.set(email, row);
      this.size++;
      return undefined;
    }
    return first < row ? first : undefined;
  }

  private claimHashed(email: string, row: number, hash: number): number | undefined {
    if (hash === NOT_COMPACT || !Number.isInteger(row) || Math.abs(row) > 0x7fffffff) {
      return this.claimOther(email, row);
    }
    const slot = this.probe(hash, email);
    if (slot < 0) {
      const first = this.rows[this.table[(~slot << 1) + 1]!]!;
      return first < row ? first : undefined;
    }
    const length = email.length;
    if (this.used + length + 1 > this.page.length) this.nextPage();
    const arena = this.page;
    const start = this.used;
    arena[start] = length;
    for (let i = 0; i < length; i++) arena[start + 1 + i] = email.charCodeAt(i);
    this.used += length + 1;
    this.insertAt(slot, hash, (this.pages.length - 1) * PAGE + start, row);
    return undefined;
  }

  private find(hash: number, email: string): number {
    const table = this.table;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const h = table[slot << 1];
      if (h === 0) return -1;
      if (h === hash) {
        const entry = table[(slot << 1) + 1]!;
        if (this.equals(this.starts[entry]!, email)) return entry;
      }
    }
  }

  private insertAt(freeSlot: number, hash: number, start: number, row: number): void {
    let slot = freeSlot;
    if ((this.entries + 1) * 2 > this.mask + 1) {
      this.grow();
      slot = hash & this.mask;
      while (this.table[slot << 1] !== 0) slot = (slot + 1) & this.mask;
    }
    const entry = this.entries++;
    this.table[slot << 1] = hash;
    this.table[(slot << 1) + 1] = entry;
    this.rows[entry] = row;
    this.starts[entry] = start;
    this.size++;
  }

  private nextPage(): void {
    if (this.page.length < PAGE) {
      // The first page may start small: it grows (by copying) up to a full page first.
      const next = new Uint8Array(Math.min(PAGE, this.page.length * 4));
      next.set(this.page.subarray(0, this.used));
      this.page = next;
      this.pages[this.pages.length - 1] = next;
      return;
    }
    this.page = new Uint8Array(PAGE);
    this.pages.push(this.page);
    this.used = 0;
  }

  private equals(start: number, email: string): boolean {
    const arena = this.pages[start >>> PAGE_BITS]!;
    const at = start & (PAGE - 1);
    if (arena[at] !== email.length) return false;
    for (let i = 0; i < email.length; i++) if (arena[at + 1 + i] !== email.charCodeAt(i)) return false;
    return true;
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    const table = new Int32Array(capacity * 2);
    for (let at = 0; at < old.length; at += 2) {
      const hash = old[at]!;
      if (hash === 0) continue;
      let slot = hash & this.mask;
      while (table[slot << 1] !== 0) slot = (slot + 1) & this.mask;
      table[slot << 1] = hash;
      table[(slot << 1) + 1] = old[at + 1]!;
    }
    this.table = table;
    const rows = new Int32Array(capacity / 2);
    rows.set(this.rows);
    this.rows = rows;
    const starts = new Int32Array(capacity / 2);
    starts.set(this.starts);
    this.starts = starts;
  }
}

/** Bytes per arena page (an email takes at most 256, so one always fits in a fresh page). */
const PAGE_BITS = 20;
const PAGE = 1 << PAGE_BITS;

/** Returned by {@link hashOf} for strings the byte arena cannot hold. */
const NOT_COMPACT = -1;

/**
 * FNV-1a over the characters, mixed (as a non-zero int32, never -1), or `NOT_COMPACT` for a string
 * the byte arena cannot hold (longer than 255 characters, or a character above U+00FF).
 */
function hashOf(value: string): number {
  if (value.length > 255) return NOT_COMPACT;
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) return NOT_COMPACT;
    hash = Math.imul(hash ^ code, 0x01000193);
  }
  return finish(hash);
}

/** Mixes the FNV state's high bits into the low ones (the table is indexed by the low bits). */
function finish(state: number): number {
  let hash = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash === NOT_COMPACT || hash === 0 ? 1 : hash | 0;
}
