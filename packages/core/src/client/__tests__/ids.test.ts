import { uuidv7 } from '@donutauto/core';
import { describe, expect, it } from 'vitest';

describe('uuidv7', () => {
  it('makes RFC 9562 version-7 UUIDs that sort by creation, also within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 1000)));
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('encodes the millisecond and a per-millisecond counter', () => {
    const ms = 1_750_000_123_456;
    const ids = Array.from({ length: 300 }, () => uuidv7(ms + 10_000_000));
    for (const [i, id] of ids.entries()) {
      expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms + 10_000_000);
      expect(Number.parseInt(id.slice(15, 18), 16)).toBe(i);
    }
  });

  it('never goes backwards when the clock does', () => {
    const later = uuidv7(1_800_000_000_000);
    const earlierClock = uuidv7(1_700_000_000_000);
    expect(earlierClock > later).toBe(true);
  });
});
