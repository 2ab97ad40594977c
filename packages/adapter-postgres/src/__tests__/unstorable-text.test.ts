import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient } from '@donutauto/core';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPGlite, freshSchema } from './test-databases';

// PostgreSQL cannot store U+0000 and turns a lone surrogate into U+FFFD: the model refuses both per
// row, so one such cell never fails (or silently alters) a whole batch.
describe('text PostgreSQL cannot store (PGlite)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await createPGlite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('imports every other row of a batch holding U+0000 or a lone surrogate, and re-runs cleanly', async () => {
    const adapter = createPostgresAdapter({ db, schema: freshSchema('unstorable') });
    await adapter.migrate();
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    const csv =
      'firstName,lastName,email,notes\r\n' +
      'Ana,Li,ana@example.com,fine\r\n' +
      'Bo,Ng,bo@example.com,"nul \u0000 here"\r\n' +
      'Cy,Ox,cy@example.com,"lone \uD800 half"\r\n' +
      'Di,Po,di@example.com,👋🏽 fine\r\n';
    for (const added of [2, 0]) {
      const report = await client.importCsv(csv);
      expect(report.addedCount).toBe(added);
      expect(report.issues.filter((i) => i.level === 'error').map((i) => [i.row, i.code])).toEqual([
        [3, 'invalid_character'],
        [4, 'invalid_character'],
      ]);
    }
    const { page } = await client.list({ numItems: 10, sort: 'oldest' });
    expect(page.map((c) => c.notes)).toEqual(['fine', '👋🏽 fine']);
  });
});
