import {
  createCustomerClient,
  createMemoryAdapter,
  executeImport,
  type ImportIssue,
  type PlannerRow,
  parseCustomerCsv,
  type StorageAdapter,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const HEADER = 'First Name,Last Name,E-mail,Phone,Notes';
/** A file whose every third row (from the first) has no email. */
const fileOf = (n: number) =>
  `${HEADER}\n${Array.from({ length: n }, (_, i) => `F${i},L,${i % 3 === 0 ? '' : `u${i}@example.com`},,n${i}`).join('\n')}\n`;

describe('the import report', () => {
  it('keeps the first maxIssues issues and counts, and streams every issue to onIssue in row order', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const streamed: ImportIssue[] = [];
    const report = await client.importCsv(fileOf(3000), {
      batchSize: 100,
      concurrency: 4,
      onIssue: (issue) => streamed.push(issue),
    });
    expect(report).toMatchObject({ addedCount: 2000, errorCount: 1000, issueCount: 1000 });
    expect(streamed).toHaveLength(1000);
    expect(streamed.map((i) => i.row)).toEqual(Array.from({ length: 1000 }, (_, k) => 2 + 3 * k));
    expect(report.issues).toEqual(streamed);
    const capped = await client.importCsv(fileOf(3000), { batchSize: 100, maxIssues: 10 });
    expect(capped.issueCount).toBe(3000);
    expect(capped.issues.map((i) => [i.row, i.code])).toEqual([
      [2, 'required'],
      [3, 'duplicate_existing'],
      [4, 'duplicate_existing'],
      [5, 'required'],
      [6, 'duplicate_existing'],
      [7, 'duplicate_existing'],
      [8, 'required'],
      [9, 'duplicate_existing'],
      [10, 'duplicate_existing'],
      [11, 'required'],
    ]);
    expect((await client.importCsv(fileOf(30), { maxIssues: 0 })).issues).toEqual([]);
  });

  it('puts the header issues first, in the report and on onIssue', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const streamed: ImportIssue[] = [];
    const report = await client.importCsv(`${HEADER},Shoe\nAna,Li,,,,9\n`, {
      onIssue: (i) => streamed.push(i),
    });
    expect(streamed.map((i) => [i.row, i.code])).toEqual([
      [1, 'unmapped_column'],
      [2, 'required'],
    ]);
    expect(report.issues).toEqual(streamed);
    expect(report.issueCount).toBe(2);
  });

  it('delivers issues and rejected rows in input order when batches finish out of order', async () => {
    const inner = createMemoryAdapter();
    let call = 0;
    // Each write waits less than the one before, so later batches finish first.
    const adapter: StorageAdapter = {
      ...inner,
      async insertMany(org, customers) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, 40 - 10 * call++)));
        return inner.insertMany(org, customers);
      },
    };
    const rows: PlannerRow[] = Array.from({ length: 40 }, (_, i) => ({
      row: i + 2,
      input: { firstName: 'F', lastName: 'L', email: i % 5 === 0 ? 'nope' : `r${i}@example.com` },
    }));
    const batches = [rows.slice(0, 10), rows.slice(10, 20), rows.slice(20, 30), rows.slice(30)];
    const issues: number[] = [];
    const rejected: number[] = [];
    await executeImport({
      adapter,
      organizationId: 'org',
      batches,
      concurrency: 4,
      generateId: (() => {
        let id = 0;
        return () => `id-${id++}`;
      })(),
      onIssue: (issue) => issues.push(issue.row),
      onRejectedRows: (refused) => {
        rejected.push(...refused.map((r) => r.row.row));
      },
    });
    expect(issues).toEqual([2, 7, 12, 17, 22, 27, 32, 37]);
    expect(rejected).toEqual(issues);
  });

  it('lists added ids only when asked for a CSV import, always for a bulk add', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const plain = await client.importCsv(fileOf(6));
    expect(plain.addedIds).toBeUndefined();
    const kept = await client.importCsv(fileOf(9), { keepAddedIds: true });
    expect(kept.addedIds).toHaveLength(kept.addedCount);
    const bulk = await client.bulkAddCustomers([{ firstName: 'A', lastName: 'B', email: 'ab@example.com' }]);
    expect(bulk.addedIds).toHaveLength(1);
  });
});

describe('the rejected rows as CSV', () => {
  it('gives the refused rows with their cells and errors, which import cleanly once fixed', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const text = [
      'First Name;Last Name;E-mail;Phone;Notes',
      'Ana;Li;ana@example.com;;fine',
      ';Ng;bo@example.com;555 0101;"needs; a name"',
      'Cy;Wu;not-an-email;;=HYPERLINK("http://x")',
      'Di;Xu;di@example.com;call me;kept without the phone',
      '',
    ].join('\r\n');
    const chunks: string[] = [];
    const report = await client.importCsv(text, {
      batchSize: 1,
      onRejectedCsv: (chunk) => {
        chunks.push(chunk);
      },
    });
    expect(report).toMatchObject({ addedCount: 2, errorCount: 2 });
    expect(chunks.join('')).toBe(
      [
        'First Name;Last Name;E-mail;Phone;Notes;Import errors',
        ';Ng;bo@example.com;555 0101;"needs; a name";First Name: First name is required',
        `Cy;Wu;not-an-email;;"'=HYPERLINK(""http://x"")";E-mail: Email is not a valid email address`,
        '',
      ].join('\r\n'),
    );
    // The merchant fills the gaps and uploads the file again: its error column is only reported.
    const fixed = chunks.join('').replace('\r\n;Ng;', '\r\nBo;Ng;').replace('not-an-email', 'cy@example.com');
    const again = await client.importCsv(fixed);
    expect(again).toMatchObject({ addedCount: 2, errorCount: 0 });
    expect(again.issues.map((i) => i.code)).toEqual(['unmapped_column']);
    const cy = (await client.list({ numItems: 10 })).page.find((c) => c.email === 'cy@example.com');
    expect(cy?.notes).toBe('=HYPERLINK("http://x")');
  });

  it('is not called when no row is refused', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const chunks: string[] = [];
    await client.importCsv('firstName,lastName,email\nA,B,a@example.com\n', {
      onRejectedCsv: (c) => void chunks.push(c),
    });
    expect(chunks).toEqual([]);
  });

  it('writes the rows a broken quote made unreadable with empty cells and the error naming the lines', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const chunks: string[] = [];
    await client.importCsv('firstName,lastName,email\nA,B,"a@example.com\nC,D,c@example.com\n', {
      onRejectedCsv: (c) => void chunks.push(c),
    });
    expect(chunks.join('')).toMatch(
      /^firstName,lastName,email,Import errors\r\n,,,A quote opened on line 2 is never closed: lines 2–3/,
    );
  });
});

describe('parseCustomerCsv and strict', () => {
  it('refuses an invalid strict value at the call', async () => {
    await expect(parseCustomerCsv('a\n', { strict: 'yes' as never })).rejects.toMatchObject({
      code: 'invalid_argument',
      argument: 'strict',
    });
  });
});
