import { createPostgresAdapter, type PostgresAdapter } from '@donutauto/adapter-postgres';
import {
  type ChannelConsent,
  type CustomerFilter,
  createCustomerClient,
  UNKNOWN_CONSENT,
} from '@donutauto/core';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPGlite, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

const org = 'org-consent';
const SUBSCRIBED: ChannelConsent = { state: 'subscribed', at: 1_700_000_000_000, source: 'form', by: 'desk' };
const EVERY_CHANNEL_UNKNOWN = { email: UNKNOWN_CONSENT, sms: UNKNOWN_CONSENT, socialDm: UNKNOWN_CONSENT };

interface Db {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

// A customer whose channels were never recorded is the common case of an import: its consent is
// stored as `{}` (36% of such a row was the three `unknown` channels spelled out), and every read
// and filter treats a channel left out as `unknown`, as it treats rows stored in full before.
function consentStorage(
  label: string,
  open: () => Promise<{ db: Db; adapter: PostgresAdapter; close(): Promise<void> }>,
) {
  describe(`stored consent (${label})`, () => {
    let db: Db;
    let adapter: PostgresAdapter;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ db, adapter, close } = await open());
    });
    afterAll(async () => {
      await close();
    });

    const storedConsent = async (id: string) =>
      (
        (await db.query(`SELECT consent::text AS c FROM ${adapter.tables.customers} WHERE id = $1`, [id]))
          .rows[0] as { c: string }
      ).c;

    it('leaves out the channels nothing was recorded for, and reads them back as unknown', async () => {
      const client = createCustomerClient({ adapter, organizationId: org });
      const report = await client.bulkAddCustomers([
        { firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' },
        { firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com', consent: { email: SUBSCRIBED } },
      ]);
      const [ana, bo] = report.addedIds as [string, string];
      expect(await storedConsent(ana)).toBe('{}');
      expect(JSON.parse(await storedConsent(bo))).toEqual({ email: SUBSCRIBED });
      expect((await client.get(ana)).consent).toEqual(EVERY_CHANNEL_UNKNOWN);
      expect((await client.get(bo)).consent).toEqual({ ...EVERY_CHANNEL_UNKNOWN, email: SUBSCRIBED });
    });

    it('filters a channel left out, one stored in full and one set back to unknown alike', async () => {
      const client = createCustomerClient({ adapter, organizationId: `${org}-filter` });
      const report = await client.bulkAddCustomers([
        { firstName: 'Compact', lastName: 'Row', email: 'compact@example.com' },
        { firstName: 'Full', lastName: 'Row', email: 'full@example.com' },
        { firstName: 'Reset', lastName: 'Row', email: 'reset@example.com', consent: { email: SUBSCRIBED } },
        { firstName: 'Sub', lastName: 'Row', email: 'sub@example.com', consent: { email: SUBSCRIBED } },
      ]);
      const [compact, full, reset, sub] = report.addedIds as [string, string, string, string];
      // A row as migration 6 and earlier writes left it: every channel spelled out.
      await db.query(`UPDATE ${adapter.tables.customers} SET consent = $2::jsonb WHERE id = $1`, [
        full,
        JSON.stringify(EVERY_CHANNEL_UNKNOWN),
      ]);
      await client.update(reset, { consent: { email: UNKNOWN_CONSENT } });
      expect((await client.get(reset)).consent).toEqual(EVERY_CHANNEL_UNKNOWN);
      expect((await client.get(full)).consent).toEqual(EVERY_CHANNEL_UNKNOWN);

      const ids = async (filter: CustomerFilter) =>
        (await client.list({ numItems: 10, sort: 'oldest', filter })).page.map((c) => c.id);
      expect(await ids({ consent: { email: 'unknown' } })).toEqual([compact, full, reset]);
      expect(await ids({ consent: { email: ['subscribed', 'unsubscribed'] } })).toEqual([sub]);
      expect(await ids({ consent: { sms: 'unknown', socialDm: ['unknown'] } })).toEqual([
        compact,
        full,
        reset,
        sub,
      ]);
      expect(await client.count({ consent: { sms: 'subscribed' } })).toBe(0);
    });
  });
}

consentStorage('PGlite, INSERT … unnest', async () => {
  const pglite: PGlite = await createPGlite();
  const adapter = createPostgresAdapter({ db: pglite, schema: freshSchema('consent_storage') });
  await adapter.migrate();
  return {
    db: pglite,
    adapter,
    close: async () => {
      await adapter.close();
      await pglite.close();
    },
  };
});

if (DATABASE_URL) {
  consentStorage('server, COPY', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    const schema = freshSchema('consent_storage');
    const adapter = createPostgresAdapter({ db: pool, schema, copyFrom, notify: false });
    await adapter.migrate();
    return {
      db: pool,
      adapter,
      close: async () => {
        await adapter.close();
        await dropSchema(pool, schema);
        await pool.end();
      },
    };
  });
}
