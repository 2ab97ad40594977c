import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmailIndex } from '../email-index';

// The index's contract, written the obvious way: a Map from email to the first row that claimed it
// (a row finding its own earlier claim, as in a re-plan, is not a duplicate).
function referenceClaims(seen: Map<string, number>, emails: readonly string[], rows: readonly number[]) {
  return emails.map((email, i) => {
    const first = seen.get(email);
    if (first === undefined) {
      seen.set(email, rows[i]!);
      return undefined;
    }
    // The same row (NaN too: a row numbered NaN finds its own claim on a re-plan) is not a duplicate.
    return Object.is(first, rows[i]) || first === rows[i] ? undefined : first;
  });
}

// Emails the byte arena holds, and the ones it cannot: characters above U+00FF, more than 255
// characters. Few distinct values, so batches repeat each other's emails and their own.
const emailOf = fc.oneof(
  fc.integer({ min: 0, max: 40 }).map((n) => `user${n}@example.com`),
  fc.constantFrom('zoë@example.com', 'ŝ@example.com', '用户@example.com', `${'x'.repeat(300)}@example.com`),
  fc.string({ maxLength: 6 }),
);
// Rows as the planner gives them, plus ones an int32 cannot hold.
const rowOf = fc.oneof(
  fc.integer({ min: 2, max: 5000 }),
  fc.constantFrom(2.5, -1, 2 ** 40, Number.MAX_SAFE_INTEGER, Number.NaN, -0),
);

describe('EmailIndex (properties)', () => {
  it('answers every claim and lookup as a Map of first rows does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.tuple(emailOf, rowOf), { maxLength: 30 }), { maxLength: 12 }),
        (batches) => {
          const index = new EmailIndex();
          const seen = new Map<string, number>();
          for (const batch of batches) {
            const emails = batch.map(([email]) => email);
            const rows = batch.map(([, row]) => row);
            expect(index.claimMany(emails, rows)).toEqual(referenceClaims(seen, emails, rows));
          }
          expect(index.size).toBe(seen.size);
          for (const [email, row] of seen) expect(index.get(email)).toBe(row);
          expect(index.get('never@example.com')).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every email of batches larger than an arena page, across many growths', () => {
    // 40,000 emails of ~200 characters: single batches of 10,000 (≈2 MB) are claimed in slices,
    // the 256 parts of the table grow many times, and the arena spans several 1 MiB pages.
    const index = new EmailIndex();
    const seen = new Map<string, number>();
    const long = 'y'.repeat(180);
    for (let start = 0; start < 40_000; start += 10_000) {
      const emails: string[] = [];
      const rows: number[] = [];
      for (let i = start; i < start + 10_000; i++) {
        // Every 5th row repeats an email first seen 7,000 rows earlier (or in its own batch).
        emails.push(`${long}.${i % 5 === 4 && i >= 7_000 ? i - 7_000 : i}@example.com`);
        rows.push(i + 2);
      }
      expect(index.claimMany(emails, rows)).toEqual(referenceClaims(seen, emails, rows));
    }
    expect(index.size).toBe(seen.size);
    expect(index.get(`${long}.123@example.com`)).toBe(125);
  });

  it('takes an email longer than a page, and any expected size, without failing', () => {
    const index = new EmailIndex(Number.NaN);
    const huge = `${'h'.repeat(2_000_000)}@example.com`;
    expect(index.claimMany([huge, 'a@example.com', huge], [2, 3, 4])).toEqual([undefined, undefined, 2]);
    expect(new EmailIndex(Number.POSITIVE_INFINITY).claimMany(['a@example.com'], [2])).toEqual([undefined]);
  });

  it('starts larger when told how many emails to expect, with the same answers', () => {
    const index = new EmailIndex(100_000);
    const emails = Array.from({ length: 3000 }, (_, i) => `c${i % 2500}@example.com`);
    const rows = emails.map((_, i) => i + 2);
    expect(index.claimMany(emails, rows)).toEqual(referenceClaims(new Map(), emails, rows));
  });
});
