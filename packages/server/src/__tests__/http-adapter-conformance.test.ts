import { createHttpAdapter } from '@donutauto/adapter-http';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createMemoryAdapter } from '@donutauto/core';
import type { StorageAdapter } from '@donutauto/core/adapter';
import { type CustomersHandler, createCustomersHandler } from '@donutauto/server';
import { runAdapterConformance } from '@donutauto/testing';
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './support/databases';
import { bearerAuthorize, bearerHeaders, type Loopback, serveOnLoopback } from './support/loopback';

/** The HTTP adapter against a real handler on a real loopback server, `backend` behind it. */
function overHttp(
  name: string,
  backend: () => Promise<StorageAdapter>,
  cleanup: () => Promise<void>,
  runs: number,
  cursorSecret?: string,
) {
  let server: Loopback;
  let handler: CustomersHandler;
  let stored: StorageAdapter;
  runAdapterConformance({
    name,
    factory: async () => {
      stored = await backend();
      handler = createCustomersHandler({
        adapter: stored,
        authorize: bearerAuthorize,
        onError: () => {},
        ...(cursorSecret ? { cursorSecret } : {}),
      });
      server = await serveOnLoopback(handler);
      return createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders });
    },
    teardown: async (adapter) => {
      await adapter.close?.();
      await handler.close();
      await server.close();
      await stored.close?.();
      await cleanup();
    },
    capabilities: { equivalenceRuns: runs },
  });
}

overHttp(
  'http → memory',
  async () => createMemoryAdapter(),
  async () => {},
  15,
);
overHttp(
  'http (signed cursors) → memory',
  async () => createMemoryAdapter(),
  async () => {},
  5,
  'a-cursor-secret-of-32-characters',
);

let pglite: PGlite;
overHttp(
  'http → postgres (PGlite)',
  async () => {
    pglite = await PGlite.create();
    const adapter = createPostgresAdapter({ db: pglite });
    await adapter.migrate();
    return adapter;
  },
  async () => {
    await pglite.close();
  },
  8,
);

if (DATABASE_URL) {
  let pool: pg.Pool;
  const schema = freshSchema('conformance');
  overHttp(
    'http → postgres (server)',
    async () => {
      pool = createPool();
      const adapter = createPostgresAdapter({ db: pool, schema });
      await adapter.migrate();
      return adapter;
    },
    async () => {
      await dropSchema(pool, schema);
      await pool.end();
    },
    8,
  );
}
