import { createPostgresAdapter, type PostgresAdapter } from '@donutauto/adapter-postgres';
import { PGlite } from '@electric-sql/pglite';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runScenario, stepsArbitrary } from './support/sync-model';

// The same model with PostgreSQL behind the handler: the server when DATABASE_URL is set, PGlite otherwise.
const DATABASE_URL = process.env.DATABASE_URL;
const schema = `t_sync_model_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

describe(`createSyncedAdapter (model: offline tablets against ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  let db: pg.Pool | PGlite;
  let store: PostgresAdapter;
  beforeAll(async () => {
    db = DATABASE_URL ? new pg.Pool({ connectionString: DATABASE_URL, max: 4 }) : await PGlite.create();
    store = createPostgresAdapter({ db, schema });
    await store.migrate();
  }, 120_000);
  afterAll(async () => {
    await store?.close();
    if (db instanceof pg.Pool) {
      await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.end();
    } else await db?.close();
  }, 120_000);

  it('converges with no edit lost unreported and no customer duplicated', { timeout: 600_000 }, async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 3 }), stepsArbitrary(3), async (tablets, steps) => {
        await runScenario(
          store,
          `org-pg-model-${run++}`,
          tablets,
          steps.map((s) => ({ ...s, t: s.t % tablets })),
        );
      }),
      { numRuns: DATABASE_URL ? 15 : 25 },
    );
  });
});
