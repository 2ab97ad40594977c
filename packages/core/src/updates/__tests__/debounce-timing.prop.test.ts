import { type CustomerPatch, createUpdateQueue } from '@donutauto/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const DELAY = 500;
const MAX_WAIT = 2000;

describe('createUpdateQueue (debounce timing)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves exactly once per debounce window, at the window deadline, with the last value of each field', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            // Mostly typing (gaps under the delay, so maxWaitMs matters), sometimes pauses.
            gap: fc.oneof(
              { weight: 4, arbitrary: fc.integer({ min: 0, max: DELAY - 1 }) },
              { weight: 1, arbitrary: fc.integer({ min: 0, max: 2600 }) },
            ),
            field: fc.constantFrom('notes', 'location'),
          }),
          { minLength: 1, maxLength: 40 },
        ),
        async (keys) => {
          vi.clearAllTimers();
          const origin = Date.now();
          const saves: { at: number; patch: CustomerPatch }[] = [];
          const queue = createUpdateQueue({
            delayMs: DELAY,
            maxWaitMs: MAX_WAIT,
            save: async (_id, patch) => {
              saves.push({ at: Date.now() - origin, patch });
            },
          });
          // The model: a window opens on an edit after the previous one closed, and closes
          // `DELAY` after its last edit or `MAX_WAIT` after its first, whichever is earlier.
          const expected: { at: number; patch: Record<string, string> }[] = [];
          let open: { start: number; last: number; patch: Record<string, string> } | null = null;
          const close = (w: { start: number; last: number; patch: Record<string, string> }) =>
            Math.min(w.last + DELAY, w.start + MAX_WAIT);
          let now = 0;
          for (const [i, key] of keys.entries()) {
            await vi.advanceTimersByTimeAsync(key.gap);
            now += key.gap;
            if (open && now >= close(open)) {
              expected.push({ at: close(open), patch: open.patch });
              open = null;
            }
            open ??= { start: now, last: now, patch: {} };
            open.last = now;
            open.patch[key.field] = `k${i}`;
            expect(queue.set('c1', key.field, `k${i}`)).toBeUndefined();
          }
          if (open) expected.push({ at: close(open), patch: open.patch });
          await vi.advanceTimersByTimeAsync(MAX_WAIT);
          expect(saves).toEqual(expected);
          expect(queue.status('c1').state).toBe('saved');
          await queue.dispose();
        },
      ),
      { numRuns: 300 },
    );
  });
});
