import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { runAdapterConformance } from '@donutauto/core/testing';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { createPGlite, createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

let pglite: PGlite;
const pgliteSchema = freshSchema('conformance');

runAdapterConformance({
  name: 'postgres (PGlite)',
  factory: async () => {
    pglite = await createPGlite();
    const adapter = createPostgresAdapter({ db: pglite, schema: pgliteSchema });
    await adapter.migrate();
    return adapter;
  },
  teardown: async (adapter) => {
    await adapter.close?.();
    await pglite.close();
  },
  capabilities: { equivalenceRuns: 20 },
});

if (DATABASE_URL) {
  let pool: pg.Pool;
  const schema = freshSchema('conformance');
  runAdapterConformance({
    name: 'postgres (server)',
    factory: async () => {
      pool = createPool();
      const adapter = createPostgresAdapter({ db: pool, schema });
      await adapter.migrate();
      return adapter;
    },
    teardown: async (adapter) => {
      await adapter.close?.();
      await dropSchema(pool, schema);
      await pool.end();
    },
    capabilities: { equivalenceRuns: 40 },
  });
}
