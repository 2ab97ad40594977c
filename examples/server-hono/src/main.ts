/**
 * Serves the Hono app until stopped. `pnpm --filter @donutauto/example-server-hono start`
 * Env: PORT (default 3001).
 */
import { serve } from '@hono/node-server';
import { createApp } from './app';

const { app, handler } = createApp();
const server = serve(
  { fetch: app.fetch, port: Number(process.env.PORT ?? 3001), hostname: '127.0.0.1' },
  (info) => {
    console.log(`listening http://127.0.0.1:${info.port}/api/customers`);
    console.log(
      `sign in: curl -i -X POST http://127.0.0.1:${info.port}/login -d '{"organizationId":"sunrise-donuts"}'`,
    );
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void handler.close();
    server.close(() => process.exit(0));
  });
}
