import { createCustomerClient, createMemoryAdapter, parseCustomerCsv } from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const header = 'firstName,lastName,email,notes,tags,custom.tier\r\n';
const rows = [
  'Ana,Li,ana@example.com,fine,vip,gold',
  'Bo,Ng,bo@example.com,"nul \u0000 here",,',
  'Cy,Ox,cy@example.com,,"ok, sur\uD800rogate",',
  'Di,Po,di@example.com,,,"lone \uDC00"',
  'Ed,Qu,ed@example.com,also fine,,',
];
const csv = header + rows.map((r) => `${r}\r\n`).join('');

describe('text no backend can store', () => {
  it('makes an imported row with U+0000 or a lone surrogate a row error, importing the others', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    for (let run = 0; run < 2; run++) {
      const report = await client.importCsv(csv);
      expect(report.addedCount).toBe(run === 0 ? 2 : 0);
      expect(report.errorCount).toBe(3);
      const errors = report.issues.filter((i) => i.level === 'error');
      expect(errors.map((i) => [i.row, i.field, i.code, i.level])).toEqual([
        [3, 'notes', 'invalid_character', 'error'],
        [4, 'tags', 'invalid_character', 'error'],
        [5, 'customFields', 'invalid_character', 'error'],
      ]);
    }
    const parsed = await parseCustomerCsv(csv);
    expect(parsed.customers.map((c) => c.email)).toEqual(['ana@example.com', 'ed@example.com']);
  });

  it('reports them in bulk adds and refuses them in add and update', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const result = await client.bulkAddCustomers([
      { firstName: 'A\u0000', lastName: 'Li', email: 'a@example.com' },
      { firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com', preferences: ['\uD83D'] },
      { firstName: 'Cy', lastName: 'Ox', email: 'cy@example.com', notes: 'emoji 🍩 is fine' },
    ]);
    expect(result.addedCount).toBe(1);
    expect(result.issues.map((i) => [i.index, i.field, i.code])).toEqual([
      [0, 'firstName', 'invalid_character'],
      [1, 'preferences', 'invalid_character'],
    ]);
    const [id] = result.addedIds;
    const error = await client.update(id!, { location: 'x\u0000' }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'validation_failed',
      issues: [{ path: ['location'], code: 'invalid_character' }],
    });
    expect((error as Error).message).toContain('U+0000 (NUL) at character 2');
  });
});
