import { act, cleanup, renderHook } from '@testing-library/react';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useCustomerEditor } from '../index';
import { person, providerFor, twoClients } from './fixture';

const FIELDS = ['firstName', 'location', 'notes', 'gender'] as const;
type Step =
  | { readonly kind: 'type'; readonly field: (typeof FIELDS)[number]; readonly text: string }
  | { readonly kind: 'wait'; readonly ms: number }
  | { readonly kind: 'remote'; readonly field: (typeof FIELDS)[number]; readonly text: string };

const word = fc.stringMatching(/^[a-z]{1,6}$/);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('type' as const),
      field: fc.constantFrom(...FIELDS),
      text: word,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 2_500 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('remote' as const),
      field: fc.constantFrom(...FIELDS),
      text: word,
    }),
  },
);

describe('useCustomerEditor (property)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps what was typed on screen, stores the last value typed in each field, and reports every remote change to a field with unsaved edits', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
        const { client, other } = twoClients();
        const ana = await client.add(person(1));
        const { result, unmount } = renderHook(() => useCustomerEditor(ana.id), {
          wrapper: providerFor(client),
        });
        await act(() => vi.advanceTimersByTimeAsync(0));
        const typed = new Map<string, string>();
        const conflicted = new Set<string>();
        for (const s of steps) {
          if (s.kind === 'type') {
            act(() => {
              result.current.setField(s.field, s.text);
            });
            typed.set(s.field, s.text);
            expect(result.current.values[s.field]).toBe(s.text);
          } else if (s.kind === 'wait') {
            await act(() => vi.advanceTimersByTimeAsync(s.ms));
          } else {
            // Let any save in flight land first: what is still pending then waits for a timer.
            await act(() => vi.advanceTimersByTimeAsync(0));
            const pendingHere = result.current.pendingFields.includes(s.field);
            const before = (await client.get(ana.id))[s.field];
            await act(async () => {
              await other.update(ana.id, { [s.field]: s.text });
              await vi.advanceTimersByTimeAsync(0);
            });
            // A remote write of the very value being saved here is no conflict.
            if (pendingHere && s.text !== before && s.text !== typed.get(s.field)) conflicted.add(s.field);
            for (const c of result.current.conflict?.fields ?? []) expect(c.mine).toBe(typed.get(c.field));
          }
        }
        await act(() => result.current.flush());
        for (const field of conflicted) {
          expect(result.current.conflict?.fields.map((c) => c.field)).toContain(field);
        }
        unmount();
        await vi.advanceTimersByTimeAsync(0);
        const stored = await client.get(ana.id);
        // Every field typed here holds its last typed value unless another client wrote it after the
        // edit was stored (then the form showed theirs).
        for (const [field, text] of typed) {
          const remoteAfter = steps.findLastIndex((s) => s.kind === 'remote' && s.field === field);
          const lastTyped = steps.findLastIndex((s) => s.kind === 'type' && s.field === field);
          if (remoteAfter < lastTyped) expect(stored[field as (typeof FIELDS)[number]]).toBe(text);
        }
        cleanup();
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});
