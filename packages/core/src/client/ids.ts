let lastMs = -1;
let counter = 0;
/** Random bytes are drawn in blocks: one `getRandomValues` call per 512 ids instead of one per id. */
const pool = /* @__PURE__ */ new Uint8Array(4096);
let poolOffset = pool.length;
/** Any pattern: testing an id against it flattens the id (see `uuidv7`). */
const FLATTEN = /-/;
/** The time part of the last id (`xxxxxxxx-xxxx-7`) and its millisecond. */
let prefix = '';
let prefixMs = -1;
const HEX = /* @__PURE__ */ Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function randomBytes(n: number): number {
  if (poolOffset + n > pool.length) {
    globalThis.crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += n;
  return at;
}

/**
 * Generates a UUID version 7: time-ordered, so ids sort by creation time (keyset indexes grow at
 * their end) and stay unique across processes. Monotonic within a process: ids made in the same
 * millisecond carry an increasing 12-bit counter.
 * @param now - Current time in epoch ms.
 * @returns A lower-case UUID string.
 */
export function uuidv7(now: number = Date.now()): string {
  let ms = Math.max(now, lastMs);
  if (ms === lastMs) {
    counter++;
    if (counter > 0xfff) {
      ms = lastMs + 1;
      counter = 0;
    }
  } else counter = 0;
  if (ms !== prefixMs) {
    // Ids made in the same millisecond (a whole import batch) share the time part.
    const timeHex = ms.toString(16).padStart(12, '0');
    prefix = `${timeHex.slice(0, 8)}-${timeHex.slice(8, 12)}-7`;
    prefixMs = ms;
  }
  lastMs = ms;
  const at = randomBytes(8);
  const p = pool;
  const id =
    `${prefix}${HEX[counter >>> 8]!.charAt(1)}${HEX[counter & 0xff]}-${HEX[(p[at]! & 0x3f) | 0x80]}` +
    `${HEX[p[at + 1]!]}-${HEX[p[at + 2]!]}${HEX[p[at + 3]!]}${HEX[p[at + 4]!]}${HEX[p[at + 5]!]}` +
    `${HEX[p[at + 6]!]}${HEX[p[at + 7]!]}`;
  // Joining the parts makes a tree of string pieces; a regex test makes the engine (V8) copy it into
  // one flat string, so an id kept by a store or a report takes ~56 bytes instead of ~400.
  FLATTEN.test(id);
  return id;
}
