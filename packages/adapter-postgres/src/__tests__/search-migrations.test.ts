import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { normalizeFilter } from '@donutauto/core/adapter';
import type { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filterSql, SqlParams } from '../sql/filter-sql';
import { sqlNames } from '../sql/sql-names';
import { MIGRATIONS, migrationSql } from '../sql/statements';
import { createSearchPGlite, freshSchema } from './test-databases';

describe('search migrations (PGlite with pg_trgm and btree_gin)', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await createSearchPGlite();
  });
  afterAll(async () => {
    await db.close();
  });

  it('creates the GIN search indexes, organization first, and the planner can use them', async () => {
    const schema = freshSchema('search_idx');
    const adapter = createPostgresAdapter({ db, schema });
    expect(await adapter.migrate()).toEqual({ applied: [1, 2, 3, 4, 5, 6, 7, 8], missingIndexes: [] });
    const { rows } = await db.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%USING gin%' ORDER BY indexname",
      [schema],
    );
    expect(rows.map((r) => r.indexdef.replace(/^.* USING gin /, ''))).toEqual([
      '(organization_id, preference_keys)',
      '(organization_id, tag_keys)',
      '(organization_id, search_words gin_trgm_ops)',
    ]);
    // With sequential scans priced out, each filter's condition alone must be answerable by its index.
    await db.exec('SET enable_seqscan = off');
    const plan = async (sql: string, params: unknown[]) =>
      (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
    const table = adapter.tables.customers;
    expect(await plan(`SELECT id FROM ${table} WHERE search_words LIKE $1`, ['% jos%'])).toContain(
      'customers_words_trgm_idx',
    );
    expect(await plan(`SELECT id FROM ${table} WHERE tag_keys @> $1::text[]`, ['{vip}'])).toContain(
      'customers_tag_keys_idx',
    );
    // A digits search, as the adapter compiles it, is served by the search words' index alone.
    const params = new SqlParams([]);
    const digits = filterSql(normalizeFilter({ text: '555 0100' }), params);
    const digitsPlan = await plan(`SELECT id FROM ${table} WHERE true${digits}`, params.values);
    expect(digits).toContain('phone LIKE');
    expect(digitsPlan).toContain('customers_words_trgm_idx');
    expect(digitsPlan).not.toContain('Seq Scan');
    await db.exec('RESET enable_seqscan');
    expect(await adapter.migrate()).toEqual({ applied: [], missingIndexes: [] });
  });

  it('backfills the derived columns of customers stored before version 2', async () => {
    const schema = freshSchema('backfill');
    const names = sqlNames(schema, '');
    // A database as release 1 left it: only migration 1, with customers in it.
    await db.exec(`CREATE SCHEMA "${schema}"`);
    await db.exec(migrationSql.createLedger(names));
    for (const statement of MIGRATIONS[0]!.statements(names)) await db.exec(statement);
    await db.query(migrationSql.record(names), [1, 'create customers']);
    const people = [
      ['a', 'José', 'Müller', '+15550100100', '{Glazed}', '{VIP}', '--12-30'],
      ['b', 'ΣΟΦΟΣ', 'Ng', null, '{}', '{}', null],
      ['c', 'ana', 'Li', null, '{vegan}', '{}', '1990-01-02'],
    ];
    for (const [i, [id, first, last, phone, prefs, tags, dob]] of people.entries()) {
      await db.query(
        `INSERT INTO ${names.customers} (organization_id, id, first_name, last_name, email, phone, preferences, tags, dob, created_at, updated_at)
         VALUES ('org', $1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
        [id, first, last, `${id}@example.com`, phone, prefs, tags, dob, 1_000 + i],
      );
    }
    const adapter = createPostgresAdapter({ db, schema });
    expect((await adapter.migrate()).applied).toEqual([2, 3, 4, 5, 6, 7, 8]);
    const ids = async (
      filter: Parameters<typeof normalizeFilter>[0],
      sort: 'oldest' | 'lastName' = 'oldest',
    ) =>
      (
        await adapter.list('org', { numItems: 10, cursor: null, filter: normalizeFilter(filter), sort })
      ).page.map((c) => c.id);
    expect(await ids({ text: 'jose muller' })).toEqual(['a']);
    expect(await ids({ text: 'σοφος' })).toEqual(['b']);
    expect(await ids({ text: '555 0100' })).toEqual(['a']);
    expect(await ids({ preferences: { any: ['glazed'] }, tags: { all: ['vip'] } })).toEqual(['a']);
    expect(await ids({ birthdayWithinDays: { days: 5, from: '2025-12-29' } })).toEqual(['a', 'c']);
    expect(await ids({}, 'lastName')).toEqual(['c', 'a', 'b']);
    // The next write of a backfilled customer keeps its keys current.
    await adapter.update('org', 'b', { firstName: 'Zoë' }, { updatedAt: 2_000 });
    expect(await ids({ text: 'zoe ng' })).toEqual(['b']);
    expect(await ids({ text: 'σοφος' })).toEqual([]);
  });
});
