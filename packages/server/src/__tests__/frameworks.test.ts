import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpAdapter } from '@donutauto/adapter-http';
import {
  type ChangeEvent,
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
} from '@donutauto/core';
import { type CustomersHandler, createCustomersHandler } from '@donutauto/server';
import { toNodeHandler } from '@donutauto/server/node';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearerAuthorize, bearerHeaders } from './support/loopback';
import { send } from './support/raw-client';

const ORG = 'org-frameworks';
let running: { server: Server; handler: CustomersHandler } | undefined;

afterEach(async () => {
  await running?.handler.close();
  await new Promise<void>((resolve) => {
    running?.server.closeAllConnections();
    running?.server.close(() => resolve());
  });
  running = undefined;
});

/** Each framework mounts the same handler under /api/customers, as its docs show. */
const frameworks: Record<string, (handler: CustomersHandler) => Server> = {
  'Node http (toNodeHandler)': (handler) => createServer(toNodeHandler(handler)),
  'Express 5 (toNodeHandler as middleware)': (handler) => {
    const app = express();
    app.get('/health', (_req, res) => {
      res.send('ok');
    });
    app.use('/api/customers', toNodeHandler(handler));
    // Body parsers for the app's own routes come after the handler's mount.
    app.use(express.json());
    return createServer(app);
  },
  'Hono (c.req.raw on @hono/node-server)': (handler) => {
    const app = new Hono();
    app.all('/api/customers/*', (c) => handler(c.req.raw));
    return createAdaptorServer({ fetch: app.fetch }) as Server;
  },
};

describe.each(Object.entries(frameworks))('the handler in %s', (_name, mount) => {
  async function start() {
    const handler = createCustomersHandler({
      adapter: createMemoryAdapter(),
      authorize: bearerAuthorize,
      limits: { maxJsonBytes: 64 * 1024 },
    });
    const server = mount(handler);
    running = { server, handler };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/customers`;
  }

  it('serves the client, typed errors, change events, CSV import with progress and export', async () => {
    const url = await start();
    const adapter = createHttpAdapter({ baseUrl: url, headers: bearerHeaders });
    const client = createCustomerClient({ adapter, organizationId: ORG });
    const events: ChangeEvent[] = [];
    const stop = client.subscribe((event) => events.push(event));

    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await client.updateCustomerField({ id: ana.id, field: 'notes', value: 'Glazed', expectedVersion: 1 });
    const stale = await client
      .update(ana.id, { notes: 'x' }, { expectedVersion: 1 })
      .catch((e: unknown) => e);
    expect(isCustomerError(stale, 'version_conflict')).toBe(true);
    await vi.waitFor(() => expect(events.map((e) => e.type)).toEqual(['insert', 'update']));

    const progress: number[] = [];
    let csv = 'firstName,lastName,email\n';
    for (let i = 0; i < 1_500; i++) csv += `F${i},L${i},p${i}@example.com\n`;
    const report = await adapter.importCsv(ORG, csv, {
      batchSize: 500,
      onProgress: (p) => progress.push(p.rowsWritten),
    });
    expect(report.addedCount).toBe(1_500);
    expect(progress.at(-1)).toBe(1_500);
    expect(await client.count()).toBe(1_501);
    expect((await client.list({ numItems: 10, filter: { text: 'ana@' } })).page.map((c) => c.id)).toEqual([
      ana.id,
    ]);

    let exported = '';
    for await (const chunk of adapter.exportCsv(ORG)) exported += chunk;
    expect(exported.trim().split(/\r?\n/)).toHaveLength(1_502);

    const tooBig = await client
      .bulkAddCustomers(
        Array.from({ length: 1_000 }, (_, i) => ({
          firstName: 'B',
          lastName: 'B',
          email: `b${i}@example.com`,
        })),
        {
          batchSize: 1_000,
        },
      )
      .catch((e: unknown) => e);
    expect(isCustomerError(tooBig, 'payload_too_large')).toBe(true);
    const anonymous = await send(`${url}/v1/rpc/count`, null, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"args":[{}]}',
    });
    expect(anonymous.status).toBe(401);
    stop();
    await adapter.close();
  });
});

describe('toNodeHandler in Express behind a body parser', () => {
  it('fails loudly instead of hanging when express.json() already read the body', async () => {
    const handler = createCustomersHandler({ adapter: createMemoryAdapter(), authorize: bearerAuthorize });
    const app = express();
    app.use(express.json());
    app.use('/api/customers', toNodeHandler(handler));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    const server = createServer(app);
    running = { server, handler };
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/customers`;
    const answer = await send(`${url}/v1/rpc/count`, ORG, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"args":[{}]}',
    });
    expect(answer.status).toBe(500);
    expect(answer.text).toMatch(/before body parsers/);
  });
});
