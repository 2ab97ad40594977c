import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomerClient, isCustomerError, normalizeEmail } from '@donutauto/core';
import { normalizeFilter } from '@donutauto/core/adapter';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterSql, SqlParams } from '../sql/filter-sql';
import { sqlNames } from '../sql/sql-names';
import { MIGRATIONS, migrationSql } from '../sql/statements';
import {
  createPGlite,
  createPool,
  createSearchPGlite,
  DATABASE_URL,
  dropSchema,
  freshSchema,
} from './test-databases';

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
    const searchIndexes = ['words_trgm_idx', 'pref_keys_idx', 'tag_keys_idx'];
    const missingIndexes = searchIndexes.map((suffix) => `pos_customers_${suffix}`);
    expect(await adapter.migrate()).toEqual({ applied: [1, 2, 3, 4, 5, 6, 7, 8], missingIndexes });
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
      { version: 8, name: 'drop the phone trigram index' },
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
    expect((await adapter.migrate()).applied).toEqual([2, 3, 4, 5, 6, 7, 8]);
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

/**
 * Version 8 on a database migrated to version 7 by the release before it, which also built a
 * trigram index on the phone: the index goes, and digits searches find the same customers.
 */
async function upgradeDropsPhoneIndex(db: PGlite | pg.Pool, schema: string): Promise<void> {
  const names = sqlNames(schema, '');
  const runner = db as { query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }> };
  const query = async <R>(text: string, params?: unknown[]) =>
    (await runner.query(text, params)) as { rows: R[] };
  await query(migrationSql.createSchema(names));
  await query(migrationSql.createLedger(names));
  for (const migration of MIGRATIONS.filter((m) => m.version <= 7)) {
    for (const statement of migration.statements(names)) await query(statement);
    await query(migrationSql.record(names), [migration.version, migration.name]);
  }
  for (const extension of ['pg_trgm', 'btree_gin'])
    await query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
  for (const [suffix, columns] of [
    ['words_trgm_idx', 'organization_id, search_words gin_trgm_ops'],
    ['phone_trgm_idx', 'organization_id, phone gin_trgm_ops'],
    ['pref_keys_idx', 'organization_id, preference_keys'],
    ['tag_keys_idx', 'organization_id, tag_keys'],
  ]) {
    await query(`CREATE INDEX "customers_${suffix}" ON ${names.customers} USING gin (${columns})`);
  }
  const gin = async () =>
    (
      await query<{ indexname: string }>(
        "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%USING gin%' ORDER BY indexname",
        [schema],
      )
    ).rows.map((r) => r.indexname);
  expect(await gin()).toContain('customers_phone_trgm_idx');

  const adapter = createPostgresAdapter({ db, schema, notify: false });
  const client = createCustomerClient({ adapter, organizationId: 'org' });
  const phone = await client.add({
    firstName: 'Ana',
    lastName: 'Li',
    email: 'ana@example.com',
    phone: '+15550100100',
  });
  // The digits inside a word of the email, not at its start, and in the notes: no phone match.
  await client.add({ firstName: 'Bo', lastName: 'Ng', email: 'x5550100@example.com', notes: '555 0100' });
  const prefix = await client.add({ firstName: 'Cy', lastName: 'Ho', email: '5550100@example.com' });

  expect(await adapter.migrate()).toEqual({ applied: [8], missingIndexes: [] });
  expect(await gin()).toEqual([
    'customers_pref_keys_idx',
    'customers_tag_keys_idx',
    'customers_words_trgm_idx',
  ]);
  const ids = async (text: string) =>
    (await client.list({ numItems: 10, filter: { text }, sort: 'oldest' })).page.map((c) => c.id);
  expect(await ids('555 0100')).toEqual([phone.id]);
  expect(await ids('0100100')).toEqual([phone.id]);
  expect(await ids('5550100')).toEqual([phone.id, prefix.id]);
  // The condition alone (an empty-ish table would rather walk the organization's rows).
  const params = new SqlParams([]);
  const where = filterSql(normalizeFilter({ text: '0100100' }), params);
  await query('SET enable_seqscan = off');
  const plan = await query<{ 'QUERY PLAN': string }>(
    `EXPLAIN SELECT id FROM ${names.customers} WHERE true${where}`,
    params.values,
  );
  await query('RESET enable_seqscan');
  expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('customers_words_trgm_idx');
  expect(await adapter.migrate()).toEqual({ applied: [], missingIndexes: [] });
  await adapter.close();
}

describe('migrate version 8 (PGlite with pg_trgm and btree_gin)', () => {
  it('drops the phone trigram index of an upgraded schema; digits searches find the same rows', async () => {
    const db = await createSearchPGlite();
    try {
      await upgradeDropsPhoneIndex(db, freshSchema('phone_idx'));
    } finally {
      await db.close();
    }
  });
});

describe.runIf(DATABASE_URL)('migrate (server)', () => {
  it('applies each migration once when several processes migrate at the same time', async () => {
    const schema = freshSchema('concurrent');
    const pools = Array.from({ length: 6 }, () => createPool(2));
    try {
      const results = await Promise.all(pools.map((db) => createPostgresAdapter({ db, schema }).migrate()));
      expect(results.filter((r) => r.applied.length > 0)).toEqual([
        { applied: [1, 2, 3, 4, 5, 6, 7, 8], missingIndexes: [] },
      ]);
      const ledger = await pools[0]!.query(`SELECT count(*)::int AS n FROM "${schema}"."schema_migrations"`);
      expect(ledger.rows[0]).toEqual({ n: 8 });
    } finally {
      await dropSchema(pools[0]!, schema);
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('drops the phone trigram index of an upgraded schema; digits searches find the same rows', async () => {
    const schema = freshSchema('phone_idx');
    const db = createPool(2);
    try {
      await upgradeDropsPhoneIndex(db, schema);
    } finally {
      await dropSchema(db, schema);
      await db.end();
    }
  });
});
