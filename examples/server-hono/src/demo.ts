/**
 * Signs in with a session cookie and uses the customers API through the HTTP adapter, as a page
 * of the same site would (in a browser the cookie travels by itself; Node's fetch needs it passed).
 * `pnpm --filter @donutauto/example-server-hono demo`
 */
import type { AddressInfo } from 'node:net';
import { createHttpAdapter } from '@donutauto/adapter-http';
import { createCustomerClient, isCustomerError } from '@donutauto/core';
import { serve } from '@hono/node-server';
import { createApp } from './app';

const { app, handler } = createApp();
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((resolve) => server.once('listening', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const anonymous = createCustomerClient({
  adapter: createHttpAdapter({ baseUrl: `${origin}/api/customers` }),
  organizationId: 'sunrise-donuts',
});
const refused = await anonymous.count().catch((error: unknown) => error);
console.log(`without a session: ${isCustomerError(refused, 'unauthorized') ? 'unauthorized' : refused}`);

const login = await fetch(`${origin}/login`, {
  method: 'POST',
  body: JSON.stringify({ organizationId: 'sunrise-donuts' }),
});
const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
const adapter = createHttpAdapter({ baseUrl: `${origin}/api/customers`, headers: { cookie } });
const customers = createCustomerClient({ adapter, organizationId: 'sunrise-donuts' });
const bo = await customers.add({ firstName: 'Bo', lastName: 'Ng', email: 'bo@example.com', tags: ['vip'] });
console.log(`signed in; added ${bo.firstName}; customers: ${await customers.count()}`);

await adapter.close();
await handler.close();
server.close();
