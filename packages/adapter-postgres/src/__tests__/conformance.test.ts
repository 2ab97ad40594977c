import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { runAdapterConformance } from '@donutauto/testing';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const PgClient = pg.Client;

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

  // The same contract when batches stream through COPY, over a single pg.Client.
  let client: pg.Client;
  const copySchema = freshSchema('conformance_copy');
  runAdapterConformance({
    name: 'postgres (server, pg.Client + COPY)',
    factory: async () => {
      client = new PgClient({ connectionString: DATABASE_URL });
      await client.connect();
      const adapter = createPostgresAdapter({ db: client, schema: copySchema, copyFrom });
      await adapter.migrate();
      return adapter;
    },
    teardown: async (adapter) => {
      await adapter.close?.();
      await dropSchema(client, copySchema);
      await client.end();
    },
    capabilities: { equivalenceRuns: 15 },
  });
}
