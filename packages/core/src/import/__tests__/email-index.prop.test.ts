import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmailIndex } from '../email-index';

// Emails the byte arena holds, and the ones it cannot: characters above U+00FF, more than 255
// characters. Few distinct values, so later adds repeat earlier emails.
const emailOf = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((n) => `user${n}@example.com`),
  fc.constantFrom('zoë@example.com', 'ŝ@example.com', '用户@example.com', `${'x'.repeat(300)}@example.com`),
  fc.string({ maxLength: 6 }),
);
// Rows as the planner gives them, plus ones an int32 cannot hold.
const rowOf = fc.oneof(
  fc.integer({ min: 2, max: 5000 }),
  fc.constantFrom(2.5, -1, 2 ** 40, Number.MAX_SAFE_INTEGER, Number.NaN, -0, -0x80000000),
);

describe('EmailIndex (properties)', () => {
  it('answers every lookup as a Map of first rows does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(emailOf, rowOf), { maxLength: 200 }), (adds) => {
        const index = new EmailIndex();
        const seen = new Map<string, number>();
        for (const [email, row] of adds) {
          expect(index.get(email)).toBe(seen.get(email));
          index.add(email, row);
          if (!seen.has(email)) seen.set(email, row);
        }
        expect(index.size).toBe(seen.size);
        for (const [email, row] of seen) expect(index.get(email)).toBe(row);
        expect(index.get('never@example.com')).toBeUndefined();
      }),
      { numRuns: 300 },
    );
  });

  it('looks up and adds a batch at a time as one email at a time does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(emailOf, rowOf), { maxLength: 40 }), { maxLength: 10 }),
        (batches) => {
          const index = new EmailIndex();
          const seen = new Map<string, number>();
          for (const batch of batches) {
            const emails = batch.map(([email]) => email);
            const expected = new Map(
              emails.flatMap((e) => (seen.has(e) ? [[e, seen.get(e)!] as const] : [])),
            );
            expect(index.lookUpMany(emails)).toEqual(expected);
            const fresh = new Map<string, number>();
            for (const [email, row] of batch)
              if (!seen.has(email) && !fresh.has(email)) fresh.set(email, row);
            index.addMany(fresh);
            for (const [email, row] of fresh) seen.set(email, row);
          }
          expect(index.size).toBe(seen.size);
          for (const [email, row] of seen) expect(index.get(email)).toBe(row);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every email across many growths and arena pages', () => {
    // 40,000 emails of ~200 characters: the table grows many times and the arena spans several
    // 1 MiB pages; every 5th add repeats an email first seen 7,000 adds earlier.
    const index = new EmailIndex();
    const seen = new Map<string, number>();
    const long = 'y'.repeat(180);
    for (let i = 0; i < 40_000; i++) {
      const email = `${long}.${i % 5 === 4 && i >= 7_000 ? i - 7_000 : i}@example.com`;
      index.add(email, i + 2);
      if (!seen.has(email)) seen.set(email, i + 2);
    }
    expect(index.size).toBe(seen.size);
    for (const [email, row] of seen) expect(index.get(email)).toBe(row);
  });

  it('takes an email longer than a page', () => {
    const index = new EmailIndex();
    const huge = `${'h'.repeat(2_000_000)}@example.com`;
    index.add(huge, 2);
    index.add('a@example.com', 3);
    index.add(huge, 4);
    expect([index.get(huge), index.get('a@example.com'), index.size]).toEqual([2, 3, 2]);
  });
});
