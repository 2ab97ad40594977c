/**
 * The customers API on Node's `http` module: `createCustomersHandler` behind `toNodeHandler`,
 * PostgreSQL (DATABASE_URL) or embedded PGlite behind it, and bearer tokens naming the organization.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresAdapter, type PostgresDatabase } from '@donutauto/adapter-postgres';
import { RequestError } from '@donutauto/core';
import { createCustomersHandler } from '@donutauto/server';
import { toNodeHandler } from '@donutauto/server/node';

/** Options of {@link startCustomersServer}. */
export interface ServerOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port?: number;
  /** PostgreSQL URL; without it, an in-memory PGlite database. */
  readonly databaseUrl?: string | undefined;
  /** API tokens and the organization each one may use. */
  readonly tokens: ReadonlyMap<string, string>;
}

async function openDatabase(
  url: string | undefined,
): Promise<{ db: PostgresDatabase; close: () => Promise<void> }> {
  if (url) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    return { db: pool, close: () => pool.end() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  return { db, close: () => db.close() };
}

/**
 * Starts the server.
 * @returns Its URL (the base URL for `createHttpAdapter`) and a function that stops it.
 */
export async function startCustomersServer(options: ServerOptions) {
  const database = await openDatabase(options.databaseUrl);
  const adapter = createPostgresAdapter({ db: database.db, schema: 'customers_api' });
  await adapter.migrate();

  const handler = createCustomersHandler({
    adapter,
    // A real app verifies a signed token (a JWT's signature and expiry) here; the organization
    // comes from the token, never from the request body.
    authorize(request) {
      const match = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '');
      if (!match) return null;
      const organizationId = options.tokens.get(match[1]!);
      if (!organizationId) throw new RequestError('unauthorized', 'Unknown or expired token');
      return organizationId;
    },
    customFields: [
      { key: 'tier', label: 'Loyalty tier', type: 'select', options: ['bronze', 'silver', 'gold'] },
    ],
  });

  const server = createServer(toNodeHandler(handler));
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/customers`,
    async close() {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await adapter.close();
      await database.close();
    },
  };
}
