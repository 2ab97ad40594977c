let lastMs = -1;
let counter = 0;
/** Random bytes are drawn in blocks: one `getRandomValues` call per 512 ids instead of one per id. */
const pool = new Uint8Array(4096);
let poolOffset = pool.length;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

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
  lastMs = ms;
  const at = randomBytes(8);
  const timeHex = ms.toString(16).padStart(12, '0');
  const variant = HEX[(pool[at]! & 0x3f) | 0x80]!;
  let tail = '';
  for (let i = 1; i < 8; i++) tail += HEX[pool[at + i]!]!;
  return `${timeHex.slice(0, 8)}-${timeHex.slice(8, 12)}-7${counter.toString(16).padStart(3, '0')}-${variant}${tail.slice(0, 2)}-${tail.slice(2, 14)}`;
}
