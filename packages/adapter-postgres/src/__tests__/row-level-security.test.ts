import { createPostgresAdapter, type PostgresAdapter } from '@donutauto/adapter-postgres';
import { buildCustomer, type CustomerData, createCustomerClient, isCustomerError } from '@donutauto/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

function person(i: number): CustomerData {
  return {
    firstName: `First${i}`,
    lastName: `Last${i}`,
    email: `rls${i}@example.com`,
    phone: null,
    dob: null,
    preferences: [],
    instagramHandle: null,
    tiktokHandle: null,
    twitterHandle: null,
    gender: null,
    location: null,
    notes: null,
    tags: [],
    customFields: {},
  };
}

// Superusers bypass row-level security, so the checks run as a plain role created for the test.
describe.runIf(DATABASE_URL)('enableRowLevelSecurity (server)', () => {
  const schema = freshSchema('rls');
  const role = `${schema}_app`;
  let pool: pg.Pool;
  let owner: PostgresAdapter;

  beforeAll(async () => {
    pool = createPool(4);
    owner = createPostgresAdapter({ db: pool, schema });
    await owner.migrate();
    await owner.enableRowLevelSecurity();
    await owner.enableRowLevelSecurity(); // idempotent
    await pool.query(`CREATE ROLE "${role}" NOLOGIN`);
    await pool.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
    await pool.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${owner.tables.customers} TO "${role}"`);
    let n = 0;
    for (const org of ['org-a', 'org-b']) {
      await owner.insertMany(
        org,
        [1, 2, 3].map((i) => buildCustomer(person(i), org, 1_000 + i, () => `${org}-${n++}`)),
      );
    }
  });

  afterAll(async () => {
    await owner.close();
    await dropSchema(pool, schema);
    await pool.query(`DROP ROLE IF EXISTS "${role}"`);
    await pool.end();
  });

  async function asRole<T>(organizationId: string | null, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL ROLE "${role}"`);
      if (organizationId !== null)
        await client.query("SELECT set_config('donutauto.organization_id', $1, true)", [organizationId]);
      return await fn(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  it('lets a connection set to organization A see only A’s rows, even with hand-written SQL', async () => {
    const table = owner.tables.customers;
    const seen = await asRole('org-a', async (c) => {
      const all = await c.query(`SELECT organization_id FROM ${table}`);
      const asked = await c.query(`SELECT count(*)::int AS n FROM ${table} WHERE organization_id = 'org-b'`);
      const updated = await c.query(`UPDATE ${table} SET notes = 'x' WHERE organization_id = 'org-b'`);
      const deleted = await c.query(`DELETE FROM ${table} WHERE organization_id = 'org-b'`);
      return {
        orgs: all.rows.map((r) => r.organization_id),
        asked: asked.rows[0].n,
        updated: updated.rowCount,
        deleted: deleted.rowCount,
      };
    });
    expect(seen).toEqual({ orgs: ['org-a', 'org-a', 'org-a'], asked: 0, updated: 0, deleted: 0 });
    const unset = await asRole(null, (c) => c.query(`SELECT count(*)::int AS n FROM ${table}`));
    expect(unset.rows[0].n).toBe(0);
  });

  it('refuses to write a row of another organization', async () => {
    const error = await asRole('org-a', (c) =>
      c
        .query(
          `INSERT INTO ${owner.tables.customers} (organization_id, id, first_name, last_name, email, created_at, updated_at)
           VALUES ('org-b', 'sneaky', 'S', 'N', 'sneaky@example.com', 1, 1)`,
        )
        .then(
          () => undefined,
          (e: { code?: string }) => e.code,
        ),
    );
    expect(error).toBe('42501');
  });

  it('works through the adapter for a restricted role with rowLevelSecurity: true', async () => {
    const client = await pool.connect();
    try {
      await client.query(`SET ROLE "${role}"`);
      const restricted = createPostgresAdapter({ db: client, schema, rowLevelSecurity: true, notify: false });
      const customers = createCustomerClient({ adapter: restricted, organizationId: 'org-a' });
      expect(await customers.count()).toBe(3);
      const added = await customers.add({ firstName: 'New', lastName: 'One', email: 'new@example.com' });
      expect((await customers.update(added.id, { notes: 'hi' }, { expectedVersion: 1 })).version).toBe(2);
      expect((await customers.list({ numItems: 10 })).page.every((c) => c.organizationId === 'org-a')).toBe(
        true,
      );
      const other = createCustomerClient({ adapter: restricted, organizationId: 'org-b' });
      expect(await other.count()).toBe(3);
      const withoutSetting = createPostgresAdapter({ db: client, schema, notify: false });
      expect(await withoutSetting.count('org-a', {})).toBe(0);
      await customers.delete(added.id);
      expect(isCustomerError(await customers.get(added.id).catch((e: unknown) => e), 'not_found')).toBe(true);
    } finally {
      await client.query('RESET ROLE');
      client.release();
    }
  });
});
