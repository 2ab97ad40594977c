import { createMemoryAdapter, executeImport, type PlannerRow, planImport } from '@donutauto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The executor dedupes a file's emails through its typed-array index (one `claim` per email); the
// planner alone, given a `Map`, is the reference. Both must skip exactly the same rows.
const emailOf = fc
  .tuple(fc.integer({ min: 0, max: 60 }), fc.constantFrom('', ' ', 'UP'))
  .map(([n, variant]) =>
    variant === 'UP' ? `User${n}@Example.COM` : `${variant}user${n}@example.com${variant}`,
  );

function reference(rows: readonly PlannerRow[], size: number) {
  const seen = new Map<string, number>();
  const actions = [];
  const issues = [];
  for (let start = 0; start < rows.length; start += size) {
    const plan = planImport({ rows: rows.slice(start, start + size), seenEmails: seen, existing: [] });
    for (const [email, row] of plan.newEmails) seen.set(email, row);
    actions.push(...plan.actions);
    issues.push(...plan.issues);
  }
  return { actions, issues };
}

async function run(rows: readonly PlannerRow[], size: number, dryRun = false) {
  const batches: PlannerRow[][] = [];
  for (let start = 0; start < rows.length; start += size) batches.push(rows.slice(start, start + size));
  let id = 0;
  return executeImport({
    adapter: createMemoryAdapter(),
    organizationId: 'org',
    batches,
    dryRun,
    maxIssues: Number.POSITIVE_INFINITY,
    generateId: () => `id-${id++}`,
  });
}

describe('in-file duplicates across batches (properties)', () => {
  it('skips the same rows, naming the same first rows, as planning with a Map', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(emailOf, { maxLength: 120 }),
        fc.integer({ min: 1, max: 17 }),
        async (emails, size) => {
          const rows = emails.map((email, i) => ({
            row: i + 2,
            input: { firstName: 'A', lastName: 'B', email },
          }));
          const expected = reference(rows, size);
          const report = await run(rows, size);
          expect(report.issues).toEqual(expected.issues);
          expect(report.addedCount).toBe(expected.actions.filter((a) => a.kind === 'insert').length);
          expect(report.skippedCount).toBe(expected.actions.filter((a) => a.kind === 'skip').length);
          // A dry run plans the same and lists every row's decision once, in row order.
          const dry = await run(rows, size, true);
          expect(dry.issues).toEqual(expected.issues);
          const plan = dry.plan!;
          expect(plan.inserts).toEqual(expected.actions.filter((a) => a.kind === 'insert').map((a) => a.row));
          expect(plan.skips).toEqual(
            expected.actions.flatMap((a) => (a.kind === 'skip' ? [{ row: a.row, reason: a.reason }] : [])),
          );
          expect(plan.updates).toEqual([]);
          expect(plan.errors).toEqual([]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('finds a repeated email whatever numbers the caller gives its rows', async () => {
    // Rows from a caller's own pipeline need not be small integers.
    const rows = [2.5, 3, 2 ** 40, -7].map((row) => ({
      row,
      input: { firstName: 'A', lastName: 'B', email: 'same@example.com' },
    }));
    const report = await executeImport({
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      batches: [rows.slice(0, 1), rows.slice(1)],
      dryRun: true,
      generateId: () => 'id',
    });
    expect(report.addedCount).toBe(1);
    expect(report.issues.map((issue) => [issue.row, issue.code])).toEqual([
      [-7, 'duplicate_in_file'],
      [3, 'duplicate_in_file'],
      [2 ** 40, 'duplicate_in_file'],
    ]);
    expect(report.plan?.inserts).toEqual([2.5]);
    // Lists follow the input, not the row numbers.
    const reversed = await executeImport({
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      batches: [
        [{ row: 10, input: { firstName: 'A', lastName: 'B', email: 'x@example.com' } }],
        [{ row: 5, input: { firstName: 'A', lastName: 'B', email: 'y@example.com' } }],
      ],
      dryRun: true,
      generateId: () => 'id',
    });
    expect(reversed.plan?.inserts).toEqual([10, 5]);
    expect(report.plan?.skips.map((skip) => skip.row)).toEqual([3, 2 ** 40, -7]);
  });

  it('keeps every email of a file far larger than the index starts out', async () => {
    // 30,000 rows (the index starts at 1,024 slots and grows many times; ≈1.7 MB of emails span
    // two arena pages), every 7th repeating one seen 5,000 rows earlier.
    const rows = Array.from({ length: 30_000 }, (_, i) => ({
      row: i + 2,
      input: {
        firstName: 'A',
        lastName: 'B',
        email: `${'x'.repeat(40)}.${i % 7 === 6 && i >= 5_000 ? i - 5_000 : i}@example.com`,
      },
    }));
    const expected = reference(rows, 500);
    const report = await run(rows, 500);
    expect(report.skippedCount).toBe(expected.actions.filter((a) => a.kind === 'skip').length);
    expect(report.skippedCount).toBeGreaterThan(3_000);
    expect(report.issues).toEqual(expected.issues);
  });
});
