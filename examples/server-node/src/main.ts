/**
 * Runs the customers API until stopped. `pnpm --filter @donutauto/example-server-node start`
 * Env: PORT (default 3000), DATABASE_URL (default: embedded PGlite), API_TOKEN (default `demo-token`).
 */
import { startCustomersServer } from './server';

const token = process.env.API_TOKEN ?? 'demo-token';
const server = await startCustomersServer({
  port: Number(process.env.PORT ?? 3000),
  databaseUrl: process.env.DATABASE_URL,
  tokens: new Map([[token, 'sunrise-donuts']]),
});
console.log(`listening ${server.url}`);
console.log(`try: curl -X POST ${server.url}/v1/rpc/count -H 'authorization: Bearer ${token}' \\`);
console.log(`       -H 'content-type: application/json' -d '{"args":[{}]}'`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
