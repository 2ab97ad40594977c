let lastMs = -1;
let counter = 0;

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
  const random = new Uint8Array(8);
  globalThis.crypto.getRandomValues(random);
  const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
  const timeHex = hex(ms, 12);
  const variant = (random[0]! & 0x3f) | 0x80;
  let tail = '';
  for (let i = 1; i < 8; i++) tail += hex(random[i]!, 2);
  return `${timeHex.slice(0, 8)}-${timeHex.slice(8, 12)}-7${hex(counter, 3)}-${hex(variant, 2)}${tail.slice(0, 2)}-${tail.slice(2, 14)}`;
}
