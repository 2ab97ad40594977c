import {
  createPostgresAdapter,
  type PostgresAdapter,
  type PostgresDatabase,
} from '@donutauto/adapter-postgres';
import { type CustomerData, createCustomerClient, isCustomerError } from '@donutauto/core';
import { buildCustomer } from '@donutauto/core/adapter';
import { campaignRecordFixture, campaignRunFixture, customerDataFixture } from '@donutauto/testing';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPGlite, createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

function person(i: number): CustomerData {
  return customerDataFixture({ firstName: `First${i}`, lastName: `Last${i}`, email: `rls${i}@example.com` });
}

/** One session of the database: a checked-out pg client, or the PGlite instance itself. */
interface Session {
  query(
    text: string,
    params?: unknown[],
  ): Promise<{ rows: unknown[]; rowCount?: number | null; affectedRows?: number }>;
}

/** Where the suite runs: owner access, a dedicated session, and cleanup. */
interface Backend {
  readonly db: PostgresDatabase & Session;
  session<T>(fn: (s: Session & PostgresDatabase) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const affected = (r: { rowCount?: number | null; affectedRows?: number }) =>
  r.rowCount ?? r.affectedRows ?? 0;
type Row = Record<string, unknown>;

// Superusers bypass row-level security, so the checks run as a plain role created for the test.
function rowLevelSecuritySuite(name: string, open: () => Promise<Backend>) {
  describe(`enableRowLevelSecurity (${name})`, () => {
    const schema = freshSchema('rls');
    const role = `${schema}_app`;
    let backend: Backend;
    let owner: PostgresAdapter;

    beforeAll(async () => {
      backend = await open();
      owner = createPostgresAdapter({ db: backend.db, schema });
      await owner.migrate();
      await owner.enableRowLevelSecurity();
      await owner.enableRowLevelSecurity(); // idempotent
      await backend.db.query(`CREATE ROLE "${role}" NOLOGIN`);
      await backend.db.query(`GRANT USAGE ON SCHEMA "${schema}" TO "${role}"`);
      await backend.db.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${owner.tables.customers}, ${owner.tables.tombstones} TO "${role}"`,
      );
      await backend.db.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${owner.tables.campaigns}, ${owner.tables.campaignRuns} TO "${role}"`,
      );
      await backend.db.query(
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ${owner.tables.consentHistory}, ${owner.tables.erasures} TO "${role}"`,
      );
      let n = 0;
      for (const org of ['org-a', 'org-b']) {
        await owner.insertMany(
          org,
          [1, 2, 3].map((i) => buildCustomer(person(i), org, 1_000 + i, () => `${org}-${n++}`)),
        );
      }
    }, 120_000);

    afterAll(async () => {
      await owner.close();
      await dropSchema(backend.db, schema);
      await backend.db.query(`DROP ROLE IF EXISTS "${role}"`);
      await backend.close();
    });

    function asRole<T>(organizationId: string | null, fn: (s: Session) => Promise<T>): Promise<T> {
      return backend.session(async (s) => {
        await s.query('BEGIN');
        try {
          await s.query(`SET LOCAL ROLE "${role}"`);
          if (organizationId !== null)
            await s.query("SELECT set_config('donutauto.organization_id', $1, true)", [organizationId]);
          return await fn(s);
        } finally {
          await s.query('ROLLBACK');
        }
      });
    }

    it('lets a connection set to organization A see only A’s rows, even with hand-written SQL', async () => {
      const table = owner.tables.customers;
      const seen = await asRole('org-a', async (s) => {
        const all = await s.query(`SELECT organization_id FROM ${table}`);
        const asked = await s.query(
          `SELECT count(*)::int AS n FROM ${table} WHERE organization_id = 'org-b'`,
        );
        const updated = await s.query(`UPDATE ${table} SET notes = 'x' WHERE organization_id = 'org-b'`);
        const deleted = await s.query(`DELETE FROM ${table} WHERE organization_id = 'org-b'`);
        return {
          orgs: (all.rows as Row[]).map((r) => r.organization_id),
          asked: (asked.rows as Row[])[0]?.n,
          updated: affected(updated),
          deleted: affected(deleted),
        };
      });
      expect(seen).toEqual({ orgs: ['org-a', 'org-a', 'org-a'], asked: 0, updated: 0, deleted: 0 });
      const unset = await asRole(null, (s) => s.query(`SELECT count(*)::int AS n FROM ${table}`));
      expect((unset.rows as Row[])[0]?.n).toBe(0);
    });

    it('isolates the tombstones of deleted customers the same way', async () => {
      for (const org of ['org-a', 'org-b']) {
        await owner.insertMany(org, [buildCustomer(person(9), org, 2_000, () => `gone-${org}`)]);
        await owner.delete(org, `gone-${org}`);
      }
      const seen = await asRole('org-a', (s) =>
        s.query(`SELECT organization_id, id FROM ${owner.tables.tombstones}`),
      );
      expect(seen.rows).toEqual([{ organization_id: 'org-a', id: 'gone-org-a' }]);
    });

    it('isolates campaign runs and campaigns the same way', async () => {
      for (const org of ['org-a', 'org-b']) {
        const run = campaignRunFixture(org, 1, `run-${org}`);
        await owner.insertCampaignRun(org, run);
        await owner.insertCampaigns(org, [campaignRecordFixture(org, run.id, { id: `campaign-${org}` })]);
      }
      const seen = await asRole('org-a', async (s) => {
        const runs = await s.query(`SELECT organization_id FROM ${owner.tables.campaignRuns}`);
        const campaigns = await s.query(`SELECT organization_id FROM ${owner.tables.campaigns}`);
        const updated = await s.query(
          `UPDATE ${owner.tables.campaigns} SET status = 'failed' WHERE organization_id = 'org-b'`,
        );
        return {
          runs: (runs.rows as Row[]).map((r) => r.organization_id),
          campaigns: (campaigns.rows as Row[]).map((r) => r.organization_id),
          updated: affected(updated),
        };
      });
      expect(seen).toEqual({ runs: ['org-a'], campaigns: ['org-a'], updated: 0 });
      await backend.session(async (s) => {
        await s.query(`SET ROLE "${role}"`);
        try {
          const restricted = createPostgresAdapter({ db: s, schema, rowLevelSecurity: true, notify: false });
          expect((await restricted.getCampaignRun('org-b', 'run-org-b'))?.counts.total).toBe(1);
          const claimed = await restricted.claimCampaigns('org-b', {
            runId: 'run-org-b',
            statuses: ['queued'],
            limit: 5,
            now: 2,
            status: 'in_progress',
            leaseOwner: 'me',
            leaseExpiresAt: 10,
          });
          expect(claimed.map((c) => c.id)).toEqual(['campaign-org-b']);
        } finally {
          await s.query('RESET ROLE');
        }
      });
    });

    it('refuses to write a row of another organization', async () => {
      const code = await asRole('org-a', (s) =>
        s
          .query(
            `INSERT INTO ${owner.tables.customers} (organization_id, id, first_name, last_name, email, created_at, updated_at)
             VALUES ('org-b', 'sneaky', 'S', 'N', 'sneaky@example.com', 1, 1)`,
          )
          .then(
            () => undefined,
            (e: { code?: string }) => e.code,
          ),
      );
      expect(code).toBe('42501');
    });

    // COPY exists only on the real server (PGlite has no COPY protocol).
    if (name === 'server') {
      it('refuses COPY FROM for a role the policy applies to (why copyFrom and rowLevelSecurity exclude each other)', async () => {
        const code = await asRole(
          'org-a',
          (s) =>
            new Promise<unknown>((resolve) => {
              const stream = (s as unknown as pg.PoolClient).query(
                copyFrom(`COPY ${owner.tables.customers} (organization_id, id) FROM STDIN`),
              );
              stream.on('error', (e: { code?: string }) => resolve(e.code));
              stream.on('finish', () => resolve('accepted'));
              stream.end('org-a\tcopied\n');
            }),
        );
        expect(code).toBe('0A000');
      });
    }

    it('works through the adapter for a restricted role with rowLevelSecurity: true', async () => {
      await backend.session(async (s) => {
        await s.query(`SET ROLE "${role}"`);
        try {
          const restricted = createPostgresAdapter({ db: s, schema, rowLevelSecurity: true, notify: false });
          const customers = createCustomerClient({ adapter: restricted, organizationId: 'org-a' });
          expect(await customers.count()).toBe(3);
          const added = await customers.add({ firstName: 'New', lastName: 'One', email: 'new@example.com' });
          expect((await customers.update(added.id, { notes: 'hi' }, { expectedVersion: 1 })).version).toBe(2);
          expect(
            (await customers.list({ numItems: 10 })).page.every((c) => c.organizationId === 'org-a'),
          ).toBe(true);
          expect(await createCustomerClient({ adapter: restricted, organizationId: 'org-b' }).count()).toBe(
            3,
          );
          const withoutSetting = createPostgresAdapter({ db: s, schema, notify: false });
          expect(await withoutSetting.count('org-a', {})).toBe(0);
          await customers.delete(added.id);
          expect(isCustomerError(await customers.get(added.id).catch((e: unknown) => e), 'not_found')).toBe(
            true,
          );
        } finally {
          await s.query('RESET ROLE');
        }
      });
    });
  });
}

describe('rowLevelSecurity with copyFrom', () => {
  it('is refused at creation with invalid_argument: PostgreSQL refuses COPY FROM under row-level security', () => {
    const db = { query: async () => ({ rows: [] }), on: () => undefined };
    const copyFrom = () => ({ end: () => undefined, on: () => undefined });
    let error: unknown;
    try {
      createPostgresAdapter({ db, rowLevelSecurity: true, copyFrom });
    } catch (caught) {
      error = caught;
    }
    expect(isCustomerError(error, 'invalid_argument') ? error.argument : error).toBe('copyFrom');
    expect(String((error as Error).message)).toMatch(/row-level security/);
    // Each alone is fine.
    expect(createPostgresAdapter({ db, copyFrom }).name).toBe('postgres');
    expect(createPostgresAdapter({ db, rowLevelSecurity: true }).name).toBe('postgres');
    expect(createPostgresAdapter({ db, rowLevelSecurity: false, copyFrom }).name).toBe('postgres');
  });
});

rowLevelSecuritySuite('PGlite', async () => {
  const db: PGlite = await createPGlite();
  return { db, session: (fn) => fn(db), close: () => db.close() };
});

if (DATABASE_URL) {
  rowLevelSecuritySuite('server', async () => {
    const pool: pg.Pool = createPool(4);
    return {
      db: pool,
      async session(fn) {
        const client = await pool.connect();
        try {
          return await fn(client);
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  });
}
