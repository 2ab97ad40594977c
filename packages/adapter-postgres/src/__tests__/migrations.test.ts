import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient, isCustomerError, normalizeEmail } from '@donutauto/core';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlNames } from '../sql/sql-names';
import { MIGRATIONS, migrationSql } from '../sql/statements';
import { createPGlite, createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

function invalidArgument(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isCustomerError(error, 'invalid_argument') ? error.code : String(error);
  }
  return undefined;
}

describe('createPostgresAdapter options', () => {
  it('refuses schema and tablePrefix values that are not plain identifiers', () => {
    const db = { query: async () => ({ rows: [] }), on: () => undefined };
    for (const schema of ['', 'bad-name', 'x"; DROP TABLE y; --', '1abc', 'a'.repeat(64)]) {
      expect(invalidArgument(() => createPostgresAdapter({ db, schema }))).toBe('invalid_argument');
    }
    for (const tablePrefix of ['has space', 'a.b', 'x"', 'a'.repeat(31)]) {
      expect(invalidArgument(() => createPostgresAdapter({ db, tablePrefix }))).toBe('invalid_argument');
    }
    expect(
      invalidArgument(() => createPostgresAdapter({ db, schema: 'Tenant_1', tablePrefix: 'pos_' })),
    ).toBe(undefined);
  });
});

describe('migrate (PGlite)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await createPGlite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates the schema, records versions and is idempotent', async () => {
    const schema = freshSchema('migrate');
    const adapter = createPostgresAdapter({ db, schema, tablePrefix: 'pos_' });
    // This PGlite has no pg_trgm / btree_gin: the search indexes are reported missing, nothing fails.
    const searchIndexes = ['words_trgm_idx', 'phone_trgm_idx', 'pref_keys_idx', 'tag_keys_idx'];
    const missingIndexes = searchIndexes.map((suffix) => `pos_customers_${suffix}`);
    expect(await adapter.migrate()).toEqual({ applied: [1, 2, 3, 4, 5, 6, 7], missingIndexes });
    expect(await adapter.migrate()).toEqual({ applied: [], missingIndexes });
    const ledger = await db.query<{ version: number; name: string }>(
      `SELECT version, name FROM ${adapter.tables.migrations} ORDER BY version`,
    );
    expect(ledger.rows).toEqual([
      { version: 1, name: 'create customers' },
      { version: 2, name: 'search and sort keys' },
      { version: 3, name: 'create segments' },
      { version: 4, name: 'create campaign runs and campaigns' },
      { version: 5, name: 'email key written by the SDK' },
      { version: 6, name: 'consent, consent history and erasure tombstones' },
      { version: 7, name: 'change feed' },
    ]);
    const indexes = await db.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename IN ('pos_customers', 'pos_segments') ORDER BY indexname",
      [schema],
    );
    const defs = indexes.rows.map((r) => r.indexdef);
    expect(defs.length).toBe(10);
    // The organization id leads every index.
    for (const def of defs) expect(def).toMatch(/\(organization_id, /);
    expect(
      defs.some((d) => d.includes('(organization_id, email_key)') && d.startsWith('CREATE UNIQUE')),
    ).toBe(true);
    expect(defs.some((d) => d.includes('lower(email)'))).toBe(false);
    for (const keys of [
      'created_at DESC, id DESC',
      'updated_at DESC, id DESC',
      'last_name_key, first_name_key, id',
      'first_name_key, last_name_key, id',
      'birthday_key)',
      'change_xid, id)',
    ]) {
      expect(defs.filter((d) => d.includes(`(organization_id, ${keys}`))).toHaveLength(1);
    }
  });

  it('version 5 keys existing rows by their normalized email and compares keys from then on', async () => {
    const schema = freshSchema('email_key');
    const names = sqlNames(schema, '');
    // A database left at version 1, holding customers written by that version (ASCII emails).
    await db.query(migrationSql.createSchema(names));
    await db.query(migrationSql.createLedger(names));
    for (const statement of MIGRATIONS[0]!.statements(names)) await db.query(statement);
    await db.query(migrationSql.record(names), [1, 'create customers']);
    await db.query(
      `INSERT INTO ${names.customers} (organization_id, id, first_name, last_name, email, created_at, updated_at)
       VALUES ('org', 'a', 'Ana', 'Li', 'Ana.Li@Example.COM', 1, 1), ('org', 'b', 'Bo', 'Ng', 'bo@example.com', 2, 2)`,
    );
    const adapter = createPostgresAdapter({ db, schema });
    expect((await adapter.migrate()).applied).toEqual([2, 3, 4, 5, 6, 7]);
    const keys = await db.query<{ id: string; email_key: string }>(
      `SELECT id, email_key FROM ${names.customers} ORDER BY id`,
    );
    expect(keys.rows).toEqual([
      { id: 'a', email_key: 'ana.li@example.com' },
      { id: 'b', email_key: 'bo@example.com' },
    ]);
    expect((await adapter.getByEmails('org', ['ana.li@example.com'])).map((c) => c.email)).toEqual([
      'Ana.Li@Example.COM',
    ]);
    const client = createCustomerClient({ adapter, organizationId: 'org' });
    const duplicate = await client
      .add({ firstName: 'A', lastName: 'L', email: 'ANA.LI@example.com' })
      .catch((e) => e);
    expect(isCustomerError(duplicate, 'duplicate_email')).toBe(true);
    // Keys the database's lower() gets wrong: JavaScript lower-cases a final Σ to ς.
    const greek = await client.add({ firstName: 'Ο', lastName: 'Σ', email: 'ΟΔΥΣΣΕΑΣ@example.gr' });
    const key = normalizeEmail(greek.email);
    expect(key.at(-12)).toBe('ς');
    expect((await adapter.getByEmails('org', [key])).map((c) => c.id)).toEqual([greek.id]);
    const same = await client
      .add({ firstName: 'Ο', lastName: 'Σ', email: key.toUpperCase() })
      .catch((e) => e);
    expect(isCustomerError(same, 'duplicate_email')).toBe(true);
    await adapter.close();
  });

  it('keeps tables of different prefixes in one schema apart', async () => {
    const schema = freshSchema('prefix');
    const a = createPostgresAdapter({ db, schema, tablePrefix: 'a_' });
    const b = createPostgresAdapter({ db, schema, tablePrefix: 'b_' });
    await Promise.all([a.migrate(), b.migrate(), a.migrate()]);
    expect(a.tables.customers).not.toBe(b.tables.customers);
    const tables = await db.query<{ tablename: string }>(
      'SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename',
      [schema],
    );
    expect(tables.rows.map((r) => r.tablename)).toEqual([
      'a_campaign_runs',
      'a_campaigns',
      'a_consent_history',
      'a_customer_tombstones',
      'a_customers',
      'a_erasures',
      'a_schema_migrations',
      'a_segments',
      'b_campaign_runs',
      'b_campaigns',
      'b_consent_history',
      'b_customer_tombstones',
      'b_customers',
      'b_erasures',
      'b_schema_migrations',
      'b_segments',
    ]);
  });

  it('creates the campaign tables with the organization id leading every key and index', async () => {
    const schema = freshSchema('campaign_tables');
    const adapter = createPostgresAdapter({ db, schema });
    await adapter.migrate();
    expect(adapter.tables).toMatchObject({
      campaigns: `"${schema}"."campaigns"`,
      campaignRuns: `"${schema}"."campaign_runs"`,
    });
    const indexes = await db.query<{ tablename: string; indexdef: string }>(
      "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename LIKE 'campaign%' ORDER BY indexname",
      [schema],
    );
    const defs = indexes.rows.map((r) => r.indexdef);
    expect(indexes.rows.filter((r) => r.tablename === 'campaigns').length).toBe(6);
    expect(indexes.rows.filter((r) => r.tablename === 'campaign_runs').length).toBe(2);
    for (const def of defs) expect(def).toMatch(/USING btree \(organization_id, /);
    expect(
      defs.some(
        (d) =>
          d.startsWith('CREATE UNIQUE') &&
          d.includes('(organization_id, run_id, customer_id, content_type, platform)'),
      ),
    ).toBe(true);
  });
});

describe.runIf(DATABASE_URL)('migrate (server)', () => {
  it('applies each migration once when several processes migrate at the same time', async () => {
    const schema = freshSchema('concurrent');
    const pools = Array.from({ length: 6 }, () => createPool(2));
    try {
      const results = await Promise.all(pools.map((db) => createPostgresAdapter({ db, schema }).migrate()));
      expect(results.filter((r) => r.applied.length > 0)).toEqual([
        { applied: [1, 2, 3, 4, 5, 6, 7], missingIndexes: [] },
      ]);
      const ledger = await pools[0]!.query(`SELECT count(*)::int AS n FROM "${schema}"."schema_migrations"`);
      expect(ledger.rows[0]).toEqual({ n: 7 });
    } finally {
      await dropSchema(pools[0]!, schema);
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
