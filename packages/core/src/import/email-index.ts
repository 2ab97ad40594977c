/**
 * The normalized emails seen earlier in an import, with the row that first had each: an
 * open-addressing hash table over typed arrays. A 1,000,000-row file keeps a million emails; as
 * JS strings in a `Map` they cost the garbage collector a full scan on every major GC, here they
 * are a few flat buffers it never scans.
 *
 * The probed table holds only 32-bit hashes (0 = empty slot), so a miss — the common case, a new
 * email — touches one 4-byte slot; the entry behind a matching hash (row, offset of the email's
 * bytes) is read only then. Entries are numbered in insertion order, so adding one appends to
 * flat arrays.
 */
export class EmailIndex {
  private mask: number;
  /** Per slot: the email's hash, or 0 when empty. */
  private hashes: Int32Array;
  /** Per slot: the entry number. */
  private slotEntry: Int32Array;
  /** Per entry: the row that first had the email. */
  private rows: Int32Array;
  /** Per entry: where the email is in the arena (page number × PAGE + offset in the page). */
  private starts: Int32Array;
  /** Each email as a length byte then its Latin-1 bytes (validated emails are ASCII). */
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
    this.hashes = new Int32Array(capacity);
    this.slotEntry = new Int32Array(capacity);
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
   * Records the first row of an email; an email already present keeps its row.
   * @param email - A normalized email.
   * @param row - The row that has it.
   */
  add(email: string, row: number): void {
    this.claim(email, row);
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
    const length = email.length;
    if (length <= 255 && Number.isInteger(row) && Math.abs(row) <= 0x7fffffff) {
      // Hash the email while copying it to the arena's free end: a new email is then stored by
      // moving the end past it (one pass over its characters instead of two).
      if (this.used + length + 1 > this.page.length) this.nextPage();
      const arena = this.page;
      const start = this.used;
      let hash = 0x811c9dc5;
      let i = 0;
      for (; i < length; i++) {
        const code = email.charCodeAt(i);
        if (code > 0xff) break;
        arena[start + 1 + i] = code;
        hash = Math.imul(hash ^ code, 0x01000193);
      }
      if (i === length) {
        hash = finish(hash);
        const hashes = this.hashes;
        let slot = hash & this.mask;
        for (; ; slot = (slot + 1) & this.mask) {
          const h = hashes[slot];
          if (h === 0) break;
          if (h === hash) {
            const entry = this.slotEntry[slot]!;
            if (this.equals(this.starts[entry]!, email)) {
              const first = this.rows[entry]!;
              return first < row ? first : undefined;
            }
          }
        }
        arena[start] = length;
        this.used += length + 1;
        this.insertAt(slot, hash, (this.pages.length - 1) * PAGE + start, row);
        return undefined;
      }
    }
    const first = this.others.get(email);
    if (first === undefined) {
      this.others.set(email, row);
      this.size++;
      return undefined;
    }
    return first < row ? first : undefined;
  }

  private find(hash: number, email: string): number {
    const hashes = this.hashes;
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const h = hashes[slot];
      if (h === 0) return -1;
      if (h === hash) {
        const entry = this.slotEntry[slot]!;
        if (this.equals(this.starts[entry]!, email)) return entry;
      }
    }
  }

  private insertAt(freeSlot: number, hash: number, start: number, row: number): void {
    let slot = freeSlot;
    if ((this.entries + 1) * 2 > this.mask + 1) {
      this.grow();
      slot = hash & this.mask;
      while (this.hashes[slot] !== 0) slot = (slot + 1) & this.mask;
    }
    const entry = this.entries++;
    this.hashes[slot] = hash;
    this.slotEntry[slot] = entry;
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
    const oldHashes = this.hashes;
    const oldEntries = this.slotEntry;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    const hashes = new Int32Array(capacity);
    const slotEntry = new Int32Array(capacity);
    for (let at = 0; at < oldHashes.length; at++) {
      const hash = oldHashes[at]!;
      if (hash === 0) continue;
      let slot = hash & this.mask;
      while (hashes[slot] !== 0) slot = (slot + 1) & this.mask;
      hashes[slot] = hash;
      slotEntry[slot] = oldEntries[at]!;
    }
    this.hashes = hashes;
    this.slotEntry = slotEntry;
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

/** FNV-1a over the characters, mixed (as a non-zero int32, never -1), or `NOT_COMPACT`. */
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
