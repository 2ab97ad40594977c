import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpAdapter } from '@donutauto/adapter-http';
import { createCustomerClient, createMemoryAdapter, uuidv7 } from '@donutauto/core';
import { buildCustomer, type ChangeEvent, type StorageAdapter } from '@donutauto/core/adapter';
import { type CustomersHandler, createCustomersHandler } from '@donutauto/server';
import { toNodeHandler } from '@donutauto/server/node';
import { customerDataFixture } from '@donutauto/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bearerAuthorize, bearerHeaders, tokenFor } from './support/loopback';

const ORG = 'org-events';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function customer(i: number) {
  return buildCustomer(
    customerDataFixture({ firstName: `F${i}`, lastName: `L${i}`, email: `p${i}@example.com` }),
    ORG,
    1_000 + i,
    uuidv7,
  );
}

/** A server that can be stopped and started again on the same port. */
async function restartableServer(handler: (request: Request) => Promise<Response>) {
  const listener = toNodeHandler(handler);
  let server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(() => stop());
  return {
    url: `http://127.0.0.1:${port}/api`,
    stop,
    async start() {
      server = createServer(listener);
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
  };
}

function startHandler(store: StorageAdapter, heartbeatMs = 15_000, maxEventIds = 1_000): CustomersHandler {
  const handler = createCustomersHandler({
    adapter: store,
    authorize: bearerAuthorize,
    limits: { heartbeatMs, maxEventIds },
  });
  cleanups.push(() => handler.close());
  return handler;
}

describe('HttpAdapter.subscribe', () => {
  it('reconnects with backoff after the server goes away, then delivers a refetch and new changes', async () => {
    const store = createMemoryAdapter();
    const server = await restartableServer(startHandler(store));
    const adapter = createHttpAdapter({
      baseUrl: server.url,
      headers: bearerHeaders,
      reconnect: { minDelayMs: 50, maxDelayMs: 200 },
    });
    cleanups.push(() => adapter.close());
    const events: ChangeEvent[] = [];
    adapter.subscribe(ORG, (event) => events.push(event));
    const one = customer(1);
    await adapter.insertMany(ORG, [one]);
    await vi.waitFor(() => expect(events).toEqual([{ type: 'insert', organizationId: ORG, ids: [one.id] }]));

    await server.stop();
    // Changed while the client was away: not replayed, covered by the refetch.
    await store.insertMany(ORG, [customer(2)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.start();
    await vi.waitFor(() => expect(events.at(-1)).toEqual({ type: 'update', organizationId: ORG, ids: [] }), {
      timeout: 5_000,
    });
    const three = customer(3);
    await adapter.insertMany(ORG, [three]);
    await vi.waitFor(() =>
      expect(events.at(-1)).toEqual({ type: 'insert', organizationId: ORG, ids: [three.id] }),
    );
  });

  it('sends a refetch when a write could not wait for a slow stream to open', async () => {
    const store = createMemoryAdapter();
    const server = await restartableServer(startHandler(store));
    const slowEvents: typeof fetch = async (input, init) => {
      if (String(input).endsWith('/v1/events')) await new Promise((resolve) => setTimeout(resolve, 2_500));
      return fetch(input, init);
    };
    const adapter = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders, fetch: slowEvents });
    cleanups.push(() => adapter.close());
    const events: ChangeEvent[] = [];
    adapter.subscribe(ORG, (event) => events.push(event));
    const started = Date.now();
    await adapter.insertMany(ORG, [customer(1)]);
    // The write waited a bounded time, then went ahead; its event was missed, so: refetch.
    expect(Date.now() - started).toBeLessThan(2_400);
    await vi.waitFor(() => expect(events).toEqual([{ type: 'update', organizationId: ORG, ids: [] }]), {
      timeout: 5_000,
    });
  });

  it('treats a stream that falls silent past its heartbeat as dead and reconnects', async () => {
    let connections = 0;
    const silent = createServer((_req, res) => {
      connections++;
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: ready\ndata: {"heartbeatMs":100}\n\n');
      // …then nothing, and the connection stays open.
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          silent.closeAllConnections();
          silent.close(() => resolve());
        }),
    );
    const { port } = silent.address() as AddressInfo;
    const adapter = createHttpAdapter({
      baseUrl: `http://127.0.0.1:${port}`,
      reconnect: { minDelayMs: 10, maxDelayMs: 20 },
    });
    cleanups.push(() => adapter.close());
    const events: ChangeEvent[] = [];
    const stop = adapter.subscribe(ORG, (event) => events.push(event));
    await vi.waitFor(() => expect(connections).toBeGreaterThanOrEqual(2), { timeout: 3_000 });
    await vi.waitFor(() => expect(events[0]).toEqual({ type: 'update', organizationId: ORG, ids: [] }));
    stop();
    const after = connections;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(connections).toBe(after);
  });

  it('shares one stream per organization and closes it with the last subscriber', async () => {
    const store = createMemoryAdapter();
    let subscribed = 0;
    const counting: StorageAdapter = {
      ...store,
      subscribe(organizationId, listener) {
        subscribed++;
        const stop = store.subscribe(organizationId, listener);
        return () => {
          subscribed--;
          stop();
        };
      },
    };
    const server = await restartableServer(startHandler(counting));
    const adapter = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders });
    cleanups.push(() => adapter.close());
    const client = createCustomerClient({ adapter, organizationId: ORG });
    const first: ChangeEvent[] = [];
    const second: ChangeEvent[] = [];
    const stopFirst = client.subscribe((e) => first.push(e));
    const stopSecond = client.subscribe((e) => second.push(e));
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await vi.waitFor(() =>
      expect([first, second].map((l) => l.map((e) => e.ids))).toEqual([[[ana.id]], [[ana.id]]]),
    );
    expect(subscribed).toBe(1);
    stopFirst();
    stopSecond();
    await vi.waitFor(() => expect(subscribed).toBe(0));
  });
});

describe('the events route', () => {
  async function openStream(handler: CustomersHandler) {
    const controller = new AbortController();
    const response = await handler(
      new Request('http://local/api/v1/events', {
        headers: { authorization: `Bearer ${tokenFor(ORG)}` },
        signal: controller.signal,
      }),
    );
    cleanups.push(() => controller.abort());
    return response.body!.getReader();
  }

  async function readText(reader: ReadableStreamDefaultReader<Uint8Array>, until: (text: string) => boolean) {
    const decoder = new TextDecoder();
    let text = '';
    while (!until(text)) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    return text;
  }

  it('sends ready, one event per change, ids capped, and keep-alive comments', async () => {
    const store = createMemoryAdapter();
    const handler = startHandler(store, 50, 2);
    const reader = await openStream(handler);
    expect(await readText(reader, (t) => t.includes('event: ready'))).toContain('data: {"heartbeatMs":50}');
    const [one, two, three] = [customer(1), customer(2), customer(3)];
    await store.insertMany(ORG, [one!]);
    await store.insertMany(ORG, [two!, three!]);
    await store.insertMany('another-org', [{ ...customer(4), organizationId: 'another-org' }]);
    await store.insertMany(ORG, [customer(5), customer(6), customer(7)]);
    const text = await readText(
      reader,
      (t) => t.split('event: change').length === 4 && t.includes(': keep-alive'),
    );
    const changes = [...text.matchAll(/event: change\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!));
    expect(changes).toEqual([
      { type: 'insert', ids: [one!.id] },
      { type: 'insert', ids: [two!.id, three!.id] },
      { type: 'insert', ids: [] },
    ]);
  });

  it('sends a reader that falls behind one refetch instead of an unbounded queue', async () => {
    const store = createMemoryAdapter({ synchronousEvents: true });
    const handler = startHandler(store, 60_000);
    const reader = await openStream(handler);
    await readText(reader, (t) => t.includes('event: ready'));
    const many = Array.from({ length: 2_000 }, (_, i) => customer(100 + i));
    for (const row of many) await store.insertMany(ORG, [row]);
    // The reader catches up: what it missed is one refetch, after the events that were queued.
    const text = await readText(reader, (t) => t.includes('{"type":"update","ids":[]}'));
    const changes = [...text.matchAll(/event: change\ndata: (.*)\n\n/g)].map((m) => JSON.parse(m[1]!));
    expect(changes.length).toBeLessThan(many.length);
    expect(changes.at(-1)).toEqual({ type: 'update', ids: [] });
    // …and is then sent every change again.
    const last = customer(99_999);
    await store.insertMany(ORG, [last]);
    expect(await readText(reader, (t) => t.includes(last.id))).toContain(
      `{"type":"insert","ids":["${last.id}"]}`,
    );
  });

  it('ends every open stream when the handler closes', async () => {
    const handler = startHandler(createMemoryAdapter());
    const reader = await openStream(handler);
    await readText(reader, (t) => t.includes('event: ready'));
    await handler.close();
    expect((await reader.read()).done).toBe(true);
  });
});
