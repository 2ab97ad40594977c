// A customers server in its own process (PostgreSQL behind it), for tests that kill it with
// SIGKILL or load it from outside. Prints `listening <port>` once it accepts connections.
// Env: DATABASE_URL, SCHEMA, PORT (0 for any).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { createCustomersHandler } from '@donutauto/server';
import { toNodeHandler } from '@donutauto/server/node';
import pg from 'pg';
import { bearerAuthorize } from './loopback';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const adapter = createPostgresAdapter({ db: pool, schema: process.env.SCHEMA ?? 'public' });
await adapter.migrate();
const handler = createCustomersHandler({ adapter, authorize: bearerAuthorize, onError: () => {} });
const server = createServer(toNodeHandler(handler));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
