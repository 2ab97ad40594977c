/**
 * Server mode of the example app: one Node server on one origin serving the built app (`dist/`)
 * and the customers API (`/api/customers`, `@donutauto/server`) with PostgreSQL behind it
 * (`DATABASE_URL`, or embedded PGlite). `GET /login` signs the browser in with a session cookie
 * (a stand-in for a real sign-in) and opens the app in server mode (`?api=/api/customers`).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { createPostgresAdapter, type PostgresDatabase } from '@donutauto/adapter-postgres';
import type { StorageAdapter } from '@donutauto/core';
import { createCustomersHandler } from '@donutauto/server';
import { toNodeHandler } from '@donutauto/server/node';

/** The organization every session of this example belongs to (the app's `organizationId`). */
export const ORGANIZATION_ID = 'my-shop';

/** Options of {@link startAppServer}. */
export interface AppServerOptions {
  /** The built app (`vite build` output). */
  readonly dist: string;
  /** Port; 0 picks a free one. @defaultValue 0 */
  readonly port?: number;
  /** PostgreSQL URL; without it, an in-memory PGlite database. */
  readonly databaseUrl?: string | undefined;
  /** The PostgreSQL schema. @defaultValue 'example_app' */
  readonly schema?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

async function openDatabase(
  url: string | undefined,
): Promise<{ db: PostgresDatabase; close(): Promise<void> }> {
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
 * @returns Its URL, the storage adapter behind the API (for tests), and a function that stops it.
 */
export async function startAppServer(options: AppServerOptions): Promise<{
  url: string;
  adapter: StorageAdapter;
  close(): Promise<void>;
}> {
  const database = await openDatabase(options.databaseUrl);
  const adapter = createPostgresAdapter({ db: database.db, schema: options.schema ?? 'example_app' });
  await adapter.migrate();
  const sessions = new Set<string>();
  const handler = createCustomersHandler({
    adapter,
    authorize(request) {
      const sid = /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1];
      return sid && sessions.has(sid) ? ORGANIZATION_ID : null;
    },
  });
  const api = toNodeHandler(handler);

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (url.pathname.startsWith('/api/customers/')) return api(req, res);
    if (url.pathname === '/login') {
      const sid = randomUUID();
      sessions.add(sid);
      res.writeHead(302, {
        'set-cookie': `sid=${sid}; HttpOnly; SameSite=Lax; Path=/`,
        location: '/?api=/api/customers#/',
      });
      return void res.end();
    }
    const path = normalize(decodeURIComponent(url.pathname));
    const file = join(options.dist, path === '/' ? 'index.html' : path);
    if (!file.startsWith(options.dist)) return void res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    adapter,
    async close() {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await adapter.close();
      await database.close();
    },
  };
}
