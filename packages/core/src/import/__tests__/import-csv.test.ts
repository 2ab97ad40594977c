import {
  type Customer,
  createCustomerClient,
  createMemoryAdapter,
  customersToCsv,
  type ImportProgress,
  type StorageAdapter,
} from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const HEADER = 'firstName,lastName,email,phone,preferences,notes';
const fileOf = (n: number, offset = 0) =>
  `${HEADER}\n${Array.from({ length: n }, (_, i) => `F${i + offset},L,user${i + offset}@example.com,,"glazed, vegan",`).join('\n')}\n`;

async function all(adapter: StorageAdapter, org: string): Promise<Customer[]> {
  const out: Customer[] = [];
  let cursor: string | null = null;
  for (;;) {
    const page = await adapter.list(org, { numItems: 1000, cursor, filter: {}, sort: 'oldest' });
    out.push(...page.page);
    if (page.isDone) return out;
    cursor = page.continueCursor;
  }
}

describe('client.importCsv', () => {
  it('imports a file in batches and reports counts, ids, progress and the mapping', async () => {
    const adapter = createMemoryAdapter();
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    const progress: ImportProgress[] = [];
    const report = await client.importCsv(fileOf(1200), {
      batchSize: 500,
      keepAddedIds: true,
      onProgress: (p) => progress.push(p),
    });
    expect(report).toMatchObject({
      addedCount: 1200,
      updatedCount: 0,
      skippedCount: 0,
      errorCount: 0,
      aborted: false,
      dryRun: false,
    });
    expect(report.addedIds).toHaveLength(1200);
    expect(new Set(report.addedIds).size).toBe(1200);
    expect(report.mapping.columns.map((c) => c.target)).toEqual([
      'firstName',
      'lastName',
      'email',
      'phone',
      'preferences',
      'notes',
    ]);
    expect(await client.count()).toBe(1200);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ phase: 'done', rowsRead: 1200, rowsWritten: 1200 });
    expect(last.bytesRead).toBe(last.totalBytes);
    expect(progress.filter((p) => p.phase === 'reading').map((p) => p.rowsRead)).toEqual([500, 1000, 1200]);
  });

  it('adds nothing when the same file is imported again', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    await client.importCsv(fileOf(300));
    const again = await client.importCsv(fileOf(300));
    expect(again).toMatchObject({ addedCount: 0, skippedCount: 300, errorCount: 0 });
    expect(again.issues.every((i) => i.code === 'duplicate_existing' && i.level === 'warning')).toBe(true);
    const merged = await client.importCsv(fileOf(300), { onDuplicate: 'merge' });
    expect(merged).toMatchObject({ addedCount: 0, updatedCount: 0, skippedCount: 300 });
    expect(await client.count()).toBe(300);
  });

  it('ends with exactly the file’s customers when an aborted import is re-run', async () => {
    const adapter = createMemoryAdapter();
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    const controller = new AbortController();
    const first = await client.importCsv(fileOf(2000), {
      batchSize: 100,
      keepAddedIds: true,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'writing' && p.rowsWritten >= 500) controller.abort();
      },
    });
    expect(first.aborted).toBe(true);
    expect(first.addedCount).toBeGreaterThan(0);
    expect(first.addedCount).toBeLessThan(2000);
    const stored = await all(adapter, 'org');
    expect(stored.map((c) => c.id).sort()).toEqual([...first.addedIds!].sort());
    const second = await client.importCsv(fileOf(2000), { batchSize: 100 });
    expect(second.addedCount + first.addedCount).toBe(2000);
    expect(second.skippedCount).toBe(first.addedCount);
    const emails = (await all(adapter, 'org')).map((c) => c.email).sort();
    expect(emails).toEqual(Array.from({ length: 2000 }, (_, i) => `user${i}@example.com`).sort());
  });

  it('writes nothing on a dry run but reports the full plan', async () => {
    const adapter = createMemoryAdapter();
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    await client.importCsv(fileOf(10));
    const text = `${fileOf(20)}Bad,Row,not-an-email,,,\nF1,L,USER1@example.com,,,\n`;
    const report = await client.importCsv(text, { dryRun: true, onDuplicate: 'update', keepAddedIds: true });
    expect(report).toMatchObject({
      dryRun: true,
      addedCount: 10,
      updatedCount: 0,
      skippedCount: 11,
      errorCount: 1,
      addedIds: [],
    });
    expect(await client.count()).toBe(10);
    // Every row's decision: rows 2–11 are stored and unchanged, 12–21 new, 22 an error, 23 repeats 3.
    const stored = new Map((await all(adapter, 'org')).map((c) => [c.email, c.id]));
    expect(report.plan).toEqual({
      inserts: Array.from({ length: 10 }, (_, i) => i + 12),
      updates: [],
      skips: [
        ...Array.from({ length: 10 }, (_, i) => ({
          row: i + 2,
          reason: 'unchanged',
          existingId: stored.get(`user${i}@example.com`),
        })),
        { row: 23, reason: 'duplicate_in_file' },
      ],
      errors: [22],
    });
    // A real import's report has no plan.
    expect((await client.importCsv(fileOf(1))).plan).toBeUndefined();
  });

  it('lists the updates of a dry run with their changes, across batches', async () => {
    const adapter = createMemoryAdapter();
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    await client.importCsv(fileOf(3));
    const [ana] = await all(adapter, 'org');
    const text = `${HEADER}\nF0,L,user0@example.com,5550100,"glazed, vegan",Calls ahead\n${fileOf(5, 1).split('\n').slice(1).join('\n')}`;
    const report = await client.importCsv(text, { dryRun: true, onDuplicate: 'update', batchSize: 2 });
    expect(report.plan?.updates).toEqual([
      { row: 2, id: ana!.id, patch: { phone: '5550100', notes: 'Calls ahead' } },
    ]);
    expect(report.plan?.inserts).toEqual([5, 6, 7]);
    expect(report.plan?.skips.map((s) => [s.row, s.reason])).toEqual([
      [3, 'unchanged'],
      [4, 'unchanged'],
    ]);
    expect(await client.count()).toBe(3);
  });

  it('updates or merges stored customers by email', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    await client.importCsv(`${HEADER}\nAna,Li,ana@example.com,,glazed,Old note\nBo,Ng,bo@example.com,,,\n`);
    const text = `${HEADER}\nAnna,Li,ANA@example.com,5550100,coffee,New note\nBo,Ng,bo@example.com,5550101,,Note\n`;
    const merged = await client.importCsv(text, { onDuplicate: 'merge' });
    expect(merged).toMatchObject({ updatedCount: 2, addedCount: 0 });
    const [ana, bo] = (await client.list({ numItems: 10, sort: 'oldest' })).page;
    expect(ana).toMatchObject({
      firstName: 'Ana',
      phone: '5550100',
      preferences: ['glazed'],
      notes: 'Old note',
    });
    expect(bo).toMatchObject({ phone: '5550101', notes: 'Note' });
    const updated = await client.importCsv(text, { onDuplicate: 'update' });
    expect(updated).toMatchObject({ updatedCount: 1, skippedCount: 1 });
    expect(await client.get(ana!.id)).toMatchObject({
      firstName: 'Anna',
      preferences: ['coffee'],
      notes: 'New note',
    });
  });

  it('never clears stored values with empty cells, with update or merge', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    await client.importCsv(`${HEADER}\nAna,Li,ana@example.com,5550100,glazed,Old note\n`);
    const text = `${HEADER}\nAnna,Li,ana@example.com,,,\n`;
    const updated = await client.importCsv(text, { onDuplicate: 'update' });
    expect(updated).toMatchObject({ updatedCount: 1 });
    const [ana] = (await client.list({ numItems: 10 })).page;
    expect(ana).toMatchObject({
      firstName: 'Anna',
      phone: '5550100',
      preferences: ['glazed'],
      notes: 'Old note',
    });
    const merged = await client.importCsv(text, { onDuplicate: 'merge' });
    expect(merged).toMatchObject({ updatedCount: 0, skippedCount: 1 });
    expect(await client.get(ana!.id)).toMatchObject({ phone: '5550100', notes: 'Old note' });
  });

  it('checks custom fields against the organization definitions and puts header issues first', async () => {
    const client = createCustomerClient({
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      customFields: [{ key: 'visits', type: 'number' }],
    });
    const text =
      'First Name,Last Name,Email,Visits,Shoe Size\nAna,Li,a@example.com,3,9\nBo,Ng,b@example.com,many,8\n';
    const strict = await client.importCsv(text, { strict: true });
    expect(strict.issues.map((i) => [i.row, i.code, i.level])).toEqual([
      [1, 'unmapped_column', 'warning'],
      [3, 'invalid_type', 'error'],
    ]);
    expect(strict.addedCount).toBe(1);
    // Not strict: Bo is added without the bad value.
    const loose = await client.importCsv(text);
    expect(loose.issues.map((i) => [i.row, i.code, i.level])).toEqual([
      [1, 'unmapped_column', 'warning'],
      [2, 'duplicate_existing', 'warning'],
      [3, 'invalid_type', 'warning'],
    ]);
    expect(loose.addedCount).toBe(1);
    const bo = (await client.list({ numItems: 10 })).page.find((c) => c.email === 'b@example.com');
    expect(bo?.customFields).toEqual({});
  });

  it('names the custom column and value an issue is about, not the first custom column', async () => {
    const client = createCustomerClient({
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      customFields: [
        { key: 'tier', type: 'select', options: ['gold', 'silver'] },
        { key: 'visits', type: 'number' },
      ],
    });
    const report = await client.importCsv(
      'First Name,Last Name,Email,Tier,Visits\nAna,Li,a@example.com,gold,many\nBo,Ng,b@example.com,bronze,2\n',
      { strict: true },
    );
    expect(report.issues).toEqual([
      expect.objectContaining({ row: 2, field: 'customFields', column: 'Visits', value: 'many' }),
      expect.objectContaining({ row: 3, field: 'customFields', column: 'Tier', value: 'bronze' }),
    ]);
    expect(report.errorCount).toBe(2);
  });

  it('refuses a row whose required custom field is bad even without strict', async () => {
    const client = createCustomerClient({
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      customFields: [
        { key: 'tier', type: 'select', options: ['gold', 'silver'], required: true },
        { key: 'visits', type: 'number' },
      ],
    });
    const report = await client.importCsv(
      'First Name,Last Name,Email,Tier,Visits\nAna,Li,a@example.com,gold,many\nBo,Ng,b@example.com,bronze,2\n',
    );
    expect(report.issues.map((i) => [i.row, i.column, i.level])).toEqual([
      [2, 'Visits', 'warning'],
      [3, 'Tier', 'error'],
      [3, 'Tier', 'error'],
    ]);
    expect(report).toMatchObject({ addedCount: 1, errorCount: 1 });
  });

  it('writes at most `concurrency` batches at once, and uses that many', async () => {
    for (const concurrency of [1, 3]) {
      const inner = createMemoryAdapter();
      let inflight = 0;
      let peak = 0;
      const adapter: StorageAdapter = {
        ...inner,
        async insertMany(org, customers) {
          inflight++;
          peak = Math.max(peak, inflight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 5));
            await inner.insertMany(org, customers);
          } finally {
            inflight--;
          }
        },
      };
      const client = createCustomerClient({ adapter, organizationId: 'org' });
      const report = await client.importCsv(fileOf(300), { batchSize: 20, concurrency });
      expect(report.addedCount).toBe(300);
      expect((await all(inner, 'org')).length).toBe(300);
      expect(peak).toBe(concurrency);
    }
  });

  it('imports what it exports', async () => {
    const source = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'a' });
    await source.importCsv(fileOf(50));
    let csv = '';
    for await (const chunk of source.exportCsv()) csv += chunk;
    const target = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'b' });
    expect((await target.importCsv(csv)).addedCount).toBe(50);
    const strip = (c: Customer) => ({ ...c, id: '', organizationId: '', createdAt: 0, updatedAt: 0 });
    expect((await target.list({ numItems: 100, sort: 'oldest' })).page.map(strip)).toEqual(
      (await source.list({ numItems: 100, sort: 'oldest' })).page.map(strip),
    );
    expect(customersToCsv([])).toContain('firstName');
  });
});
