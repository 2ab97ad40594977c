/**
 * Runs the example app in server mode: `pnpm --filter @donutauto/example-react-app serve` builds
 * the app, then serves it with the customers API; open http://127.0.0.1:4173/login.
 * Env: PORT (default 4173), DATABASE_URL (default: embedded PGlite).
 */
import { fileURLToPath } from 'node:url';
import { startAppServer } from './app-server';

const server = await startAppServer({
  dist: fileURLToPath(new URL('../../dist', import.meta.url)),
  port: Number(process.env.PORT ?? 4173),
  databaseUrl: process.env.DATABASE_URL,
});
console.log(`open ${server.url}login (signs you in, then opens the app on the server's PostgreSQL)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
