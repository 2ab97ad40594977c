/**
 * The normalized emails seen earlier in an import, with the row that first had each: an
 * open-addressing hash table over typed arrays. A 1,000,000-row file keeps a million emails; as
 * JS strings in a `Map` they cost the garbage collector a full scan on every major GC, here they
 * are flat buffers it never scans.
 *
 * The table is split by the top bits of the hash into {@link PARTS} small tables that grow on their
 * own: growing one rehashes a few thousand slots that fit in the cache, where one big table would
 * rehash every email at once into a new multi-megabyte buffer. Each slot is a 32-bit hash
 * (0 = empty) next to where the email's record is in the arena, so a probe and the insert after it
 * touch one cache line; the record (the email's bytes and its first row) is read only behind a
 * matching hash. {@link EmailIndex.claimMany} reads a whole batch's slots ahead of claiming them.
 */
export class EmailIndex {
  /** Per part, its slots: two int32s each, the hash (0 = empty slot), then the record's position. */
  private readonly tables: Int32Array[] = [];
  /** Per part, its slot count minus one. */
  private readonly masks = new Int32Array(PARTS);
  /** Per part, the slots in use. */
  private readonly used = new Int32Array(PARTS);
  /**
   * The arena: fixed-size pages of records, each an email's length (one byte), its Latin-1 bytes
   * (validated emails are ASCII), then its first row (int32, little-endian). Growing adds a page;
   * nothing is ever copied. A record's position is page number × PAGE + offset in the page.
   */
  private readonly pages: Uint8Array[] = [];
  /** The page being filled. */
  private page: Uint8Array;
  /** Bytes used in {@link page}. */
  private fill = 0;
  /** The rare email with a character above U+00FF or longer than 255 characters. */
  private readonly others = new Map<string, number>();
  /** Rows an int32 cannot hold, by record position (the record holds {@link ODD_ROW}). */
  private readonly oddRows = new Map<number, number>();
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
    const wanted =
      Math.min(Math.max(Number.isFinite(expected) ? Math.ceil(expected) : 0, 512), 1 << 26) / PARTS;
    let capacity = 16;
    while (capacity < wanted * 2) capacity *= 2;
    for (let part = 0; part < PARTS; part++) {
      this.tables.push(new Int32Array(capacity * 2));
      this.masks[part] = capacity - 1;
    }
    this.page = new Uint8Array(Math.min(PAGE, Math.max(64 * 1024, wanted * PARTS * 24)));
    this.pages.push(this.page);
  }

  /**
   * Looks up the first row of an email.
   * @param email - A normalized email.
   * @returns The row, or `undefined` when not seen.
   */
  get(email: string): number | undefined {
    const hash = hashOf(email);
    if (hash !== NOT_COMPACT) {
      const slot = this.probe(hash, email);
      if (slot < 0) return this.rowAt(this.tables[hash >>> PART_SHIFT]![(~slot << 1) + 1]!);
    }
    return this.others.size === 0 ? undefined : this.others.get(email);
  }

  /**
   * For each email of a batch, in order, the import planner's question "did another row have this
   * email first?", recording the email when it is new. A first row equal to the row asking is the
   * row's own claim from an earlier planning of its batch (a re-plan), so it is not a duplicate;
   * the answer never depends on how the rows are numbered otherwise.
   *
   * The table slots of all the emails are read first, back to back, so the processor fetches them
   * from memory in parallel (a table of a million emails is far larger than the caches: one slot
   * read is otherwise one full memory round trip per email).
   * @param emails - Normalized emails.
   * @param rows - The row of each email (index-aligned); recorded as the email's first row when new.
   * @returns For each email, its first row when that is another row, else `undefined`.
   */
  claimMany(emails: readonly string[], rows: readonly number[]): (number | undefined)[] {
    const count = emails.length;
    if (this.batchHashes.length < count) this.batchHashes = new Int32Array(Math.max(count, 512));
    const hashes = this.batchHashes;
    // Room at the arena's end for every record of the batch, which pass 1 starts there (staging).
    let room = 0;
    for (let i = 0; i < count; i++) {
      // An email longer than a record holds takes no room (it is kept in `others`).
      const length = emails[i]!.length;
      if (length <= 255) room += length + RECORD_EXTRA;
    }
    if (room > PAGE) {
      // A batch too large to stage in one page: claimed in slices that fit.
      const half = count >>> 1;
      return [
        ...this.claimMany(emails.slice(0, half), rows.slice(0, half)),
        ...this.claimMany(emails.slice(half), rows.slice(half)),
      ];
    }
    if (this.fill + room > this.page.length) this.nextPage(room);
    const arena = this.page;
    // Pass 1: hash each email while copying it to the arena's free end, one after the other (an
    // email the arena cannot hold gets NOT_COMPACT and no room).
    let staged = this.fill;
    for (let i = 0; i < count; i++) {
      const email = emails[i]!;
      const length = email.length;
      let hash = NOT_COMPACT;
      if (length <= 255) {
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
          staged += length + RECORD_EXTRA;
        }
      }
      hashes[i] = hash;
    }
    // Pass 2: read every email's first slot back to back, so the cache misses overlap.
    const tables = this.tables;
    const masks = this.masks;
    let touched = 0;
    for (let i = 0; i < count; i++) {
      const hash = hashes[i]!;
      const part = hash >>> PART_SHIFT;
      touched ^= tables[part]![(hash & masks[part]!) << 1]!;
    }
    this.touched ^= touched;
    // Pass 3: claim in order. A new email keeps its staged record (moved down over the records of
    // earlier duplicates, if any) and gets its row; a duplicate's staged record is dropped.
    const base = (this.pages.length - 1) * PAGE;
    const out = new Array<number | undefined>(count);
    let from = this.fill;
    let to = this.fill;
    for (let i = 0; i < count; i++) {
      const email = emails[i]!;
      const hash = hashes[i]!;
      if (hash === NOT_COMPACT) {
        out[i] = this.claimOther(email, rows[i]!);
        continue;
      }
      const size = email.length + RECORD_EXTRA;
      const slot = this.probe(hash, email);
      if (slot < 0) {
        const first = this.rowAt(this.tables[hash >>> PART_SHIFT]![(~slot << 1) + 1]!);
        out[i] = sameRow(first, rows[i]!) ? undefined : first;
      } else {
        if (from !== to) arena.copyWithin(to, from, from + size - 4);
        const row = rows[i]!;
        if (Object.is(row | 0, row) && row !== ODD_ROW) writeRow(arena, to + size - 4, row);
        else {
          writeRow(arena, to + size - 4, ODD_ROW);
          this.oddRows.set(base + to, row);
        }
        this.insertAt(slot, hash, base + to);
        to += size;
        out[i] = undefined;
      }
      from += size;
    }
    this.fill = to;
    return out;
  }

  /**
   * Finds an email's slot in its part.
   * @returns `~slot` (negative) when the email is there, else the free slot that ends its probe.
   */
  private probe(hash: number, email: string): number {
    const part = hash >>> PART_SHIFT;
    const table = this.tables[part]!;
    const mask = this.masks[part]!;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const h = table[slot << 1];
      if (h === 0) return slot;
      if (h === hash && this.equals(table[(slot << 1) + 1]!, email)) return ~slot;
    }
  }

  private claimOther(email: string, row: number): number | undefined {
    const first = this.others.get(email);
    if (first === undefined) {
      this.others.set(email, row);
      this.size++;
      return undefined;
    }
    return sameRow(first, row) ? undefined : first;
  }

  private insertAt(freeSlot: number, hash: number, position: number): void {
    const part = hash >>> PART_SHIFT;
    let slot = freeSlot;
    if ((this.used[part]! + 1) * 2 > this.masks[part]! + 1) {
      this.grow(part);
      const mask = this.masks[part]!;
      const table = this.tables[part]!;
      slot = hash & mask;
      while (table[slot << 1] !== 0) slot = (slot + 1) & mask;
    }
    const table = this.tables[part]!;
    table[slot << 1] = hash;
    table[(slot << 1) + 1] = position;
    this.used[part] = this.used[part]! + 1;
    this.size++;
  }

  /** Starts a page with room for at least `room` bytes. */
  private nextPage(room: number): void {
    if (this.page.length < PAGE) {
      // The first page may start small: it grows (by copying) up to a full page first.
      let length = this.page.length * 4;
      while (length < this.fill + room) length *= 4;
      const next = new Uint8Array(Math.min(PAGE, length));
      next.set(this.page.subarray(0, this.fill));
      this.page = next;
      this.pages[this.pages.length - 1] = next;
      if (this.fill + room <= next.length) return;
    }
    this.page = new Uint8Array(PAGE);
    this.pages.push(this.page);
    this.fill = 0;
  }

  private equals(position: number, email: string): boolean {
    const arena = this.pages[position >>> PAGE_BITS]!;
    const at = position & (PAGE - 1);
    if (arena[at] !== email.length) return false;
    for (let i = 0; i < email.length; i++) if (arena[at + 1 + i] !== email.charCodeAt(i)) return false;
    return true;
  }

  /** The first row stored in the record at `position`. */
  private rowAt(position: number): number {
    const arena = this.pages[position >>> PAGE_BITS]!;
    const at = (position & (PAGE - 1)) + 1 + arena[position & (PAGE - 1)]!;
    const row = arena[at]! | (arena[at + 1]! << 8) | (arena[at + 2]! << 16) | (arena[at + 3]! << 24);
    return row === ODD_ROW ? this.oddRows.get(position)! : row;
  }

  private grow(part: number): void {
    const old = this.tables[part]!;
    const capacity = (this.masks[part]! + 1) * 2;
    const mask = capacity - 1;
    const table = new Int32Array(capacity * 2);
    for (let at = 0; at < old.length; at += 2) {
      const hash = old[at]!;
      if (hash === 0) continue;
      let slot = hash & mask;
      while (table[slot << 1] !== 0) slot = (slot + 1) & mask;
      table[slot << 1] = hash;
      table[(slot << 1) + 1] = old[at + 1]!;
    }
    this.tables[part] = table;
    this.masks[part] = mask;
  }
}

/** How many parts the table is split into (by the top bits of the hash). */
const PARTS = 256;
const PART_SHIFT = 24;

/** Bytes of a record besides the email's own: its length byte and its row. */
const RECORD_EXTRA = 5;

/** Bytes per arena page (a record takes at most 260, so one always fits in a fresh page). */
const PAGE_BITS = 20;
const PAGE = 1 << PAGE_BITS;

/** The row a record holds when its real row is not an int32 (kept in `oddRows`), or is this value. */
const ODD_ROW = -0x80000000;

/** Returned by {@link hashOf} for strings the byte arena cannot hold. */
const NOT_COMPACT = -1;

/** Whether two row numbers are the same row (`NaN` included: a re-plan finds its own claim). */
function sameRow(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

function writeRow(arena: Uint8Array, at: number, row: number): void {
  arena[at] = row;
  arena[at + 1] = row >>> 8;
  arena[at + 2] = row >>> 16;
  arena[at + 3] = row >>> 24;
}

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

/** Mixes the FNV state's high bits into the low ones (the parts and slots are indexed by them). */
function finish(state: number): number {
  let hash = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  hash ^= hash >>> 13;
  return hash === NOT_COMPACT || hash === 0 ? 1 : hash | 0;
}
