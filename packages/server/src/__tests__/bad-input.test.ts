import { connect } from 'node:net';
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import { type Customer, createMemoryAdapter, uuidv7 } from '@donutauto/core';
import { buildCustomer, type StorageAdapter } from '@donutauto/core/adapter';
import { type CustomersHandler, createCustomersHandler, type HandlerLimits } from '@donutauto/server';
import { customerDataFixture } from '@donutauto/testing';
import { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './support/databases';
import { bearerAuthorize, type Loopback, serveOnLoopback, tokenFor } from './support/loopback';
import { codeOf, rpc, send } from './support/raw-client';

const ORG = 'org-input';
let server: Loopback | undefined;
let handler: CustomersHandler | undefined;

afterEach(async () => {
  await handler?.close();
  await server?.close();
  server = undefined;
  handler = undefined;
});

async function start(limits: Partial<HandlerLimits> = {}, adapter: StorageAdapter = createMemoryAdapter()) {
  const errors: unknown[] = [];
  handler = createCustomersHandler({
    adapter,
    authorize: bearerAuthorize,
    limits,
    onError: (e) => errors.push(e),
  });
  server = await serveOnLoopback(handler);
  return { adapter, url: server.url, errors };
}

function customer(i: number, extra: Partial<Customer> = {}): Customer {
  return {
    ...buildCustomer(
      customerDataFixture({ firstName: `F${i}`, lastName: `L${i}`, email: `p${i}@example.com` }),
      ORG,
      1_000 + i,
      uuidv7,
    ),
    ...extra,
  };
}

describe('createCustomersHandler with bad input', () => {
  it('answers malformed JSON, wrong shapes and wrong types with 400 invalid_argument', async () => {
    const { url, adapter } = await start();
    const cases: [unknown, string][] = [
      ['{"args": [', 'body'],
      ['\u00ff\u00fe', 'body'],
      [[1, 2], 'body'],
      [{ arguments: [] }, 'body'],
      [{ args: 'x' }, 'body'],
    ];
    for (const [body, argument] of cases) {
      const answer = await rpc(url, ORG, 'insertMany', body);
      expect([answer.status, answer.json]).toMatchObject([
        400,
        { error: { code: 'invalid_argument', argument } },
      ]);
    }
    const wrongTypes: [string, unknown[], string][] = [
      ['get', [42], 'args[0]'],
      ['get', [], 'args'],
      ['update', ['id', { notes: 'x' }, { updatedAt: 'now' }], 'args[2].updatedAt'],
      ['update', ['id', { notes: 'x' }, { updatedAt: 1, expectedVersion: 0 }], 'args[2].expectedVersion'],
      ['update', ['id', { notes: 'x' }, { updatedAt: 1, extra: true }], 'args[2]'],
      ['list', [{ numItems: 5000, cursor: null, filter: {}, sort: 'newest' }], 'args[0].numItems'],
      ['list', [{ numItems: 5, cursor: null, filter: {}, sort: 'random' }], 'args[0].sort'],
      ['list', [{ numItems: 5, cursor: null, filter: { colour: 'red' }, sort: 'newest' }], 'filter.colour'],
      ['count', [{ birthdayMonth: 13 }], 'filter.birthdayMonth'],
      ['insertMany', [{}], 'args[0]'],
      ['insertMany', [[customer(1, { version: 3 })]], 'customers[0].version'],
      ['insertMany', [[customer(1, { id: 'x'.repeat(201) })]], 'customers[0].id'],
      ['insertMany', [[customer(1, { updatedAt: 999 })]], 'customers[0].updatedAt'],
      [
        'insertMany',
        [[customer(1, { createdAt: Date.now() + 3_600_000, updatedAt: Date.now() + 3_600_000 })]],
        'customers[0].updatedAt',
      ],
    ];
    for (const [method, args, argument] of wrongTypes) {
      const answer = await rpc(url, ORG, method, { args });
      expect([method, answer.status, answer.json]).toMatchObject([
        method,
        400,
        { error: { code: 'invalid_argument', argument } },
      ]);
    }
    expect(await adapter.count(ORG, {})).toBe(0);
  });

  it('refuses an invalid customer with validation_failed naming the row and field, writing none of the batch', async () => {
    const { url, adapter } = await start();
    const batch = [customer(1), customer(2, { email: 'not an email' }), customer(3)];
    const answer = await rpc(url, ORG, 'insertMany', { args: [batch] });
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({
      error: {
        code: 'validation_failed',
        issues: [{ path: ['customers', 1, 'email'], code: 'invalid_format' }],
      },
    });
    const extraKey = await rpc(url, ORG, 'insertMany', { args: [[{ ...customer(4), isAdmin: true }]] });
    expect(extraKey.json).toMatchObject({
      error: { code: 'validation_failed', issues: [{ code: 'forbidden_field' }] },
    });
    const badPatch = await rpc(url, ORG, 'update', { args: ['x', { tags: 'vip' }, { updatedAt: 1 }] });
    expect(badPatch.json).toMatchObject({
      error: { code: 'validation_failed', issues: [{ path: ['tags'] }] },
    });
    expect(await adapter.count(ORG, {})).toBe(0);
  });

  it('answers an unknown operation with 404, a wrong method with 405 and a wrong content type with 415', async () => {
    const { url } = await start();
    const unknown = await rpc(url, ORG, 'dropEverything', { args: [] });
    expect([unknown.status, codeOf(unknown)]).toEqual([404, 'invalid_argument']);
    const inherited = await rpc(url, ORG, 'constructor', { args: [] });
    expect(inherited.status).toBe(404);
    const elsewhere = await send(`${url}/v2/things`, ORG);
    expect(elsewhere.status).toBe(404);
    const wrongMethod = await send(`${url}/v1/rpc/get`, ORG);
    expect([wrongMethod.status, wrongMethod.headers.get('allow')]).toEqual([405, 'POST']);
    const form = await send(`${url}/v1/rpc/get`, ORG, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ args: ['x'] }),
    });
    expect([form.status, codeOf(form)]).toEqual([415, 'invalid_argument']);
    const csvAsForm = await send(`${url}/v1/import`, ORG, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'firstName,lastName,email\n',
    });
    expect(csvAsForm.status).toBe(415);
  });

  it('refuses a body over its limit with 413 payload_too_large, writing nothing', async () => {
    const { url, adapter } = await start({ maxJsonBytes: 2_000, maxBatchSize: 3 });
    const big = Array.from({ length: 10 }, (_, i) => customer(i));
    const answer = await rpc(url, ORG, 'insertMany', { args: [big] });
    expect([answer.status, codeOf(answer)]).toEqual([413, 'payload_too_large']);
    // Streamed without a length: refused once the limit is passed.
    const chunks = new TextEncoder().encode(JSON.stringify({ args: [big] }));
    const streamed = await send(`${url}/v1/rpc/insertMany`, ORG, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < chunks.length; at += 500) controller.enqueue(chunks.slice(at, at + 500));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect([streamed.status, codeOf(streamed)]).toEqual([413, 'payload_too_large']);
    const tooMany = await rpc(url, ORG, 'insertMany', { args: [big.slice(0, 4)] });
    expect([tooMany.status, codeOf(tooMany)]).toEqual([413, 'payload_too_large']);
    expect(await adapter.count(ORG, {})).toBe(0);
  });

  it('answers a body that arrives too slowly with 408 request_timeout, writing nothing', async () => {
    const { url, adapter } = await start({ bodyTimeoutMs: 300 });
    const body = JSON.stringify({ args: [[customer(1)]] });
    const { hostname, port, pathname } = new URL(`${url}/v1/rpc/insertMany`);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => {
        socket.write(
          `POST ${pathname} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${tokenFor(ORG)}\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`,
        );
        // …and never sends the rest.
      });
      let received = '';
      socket.on('data', (data) => {
        received += data.toString();
      });
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 5_000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(answer).toContain('"code":"request_timeout"');
    expect(await adapter.count(ORG, {})).toBe(0);
  });

  it('never shows SQL or a stack when PostgreSQL fails, and reports the real error', async () => {
    // The real server when there is one (its errors name relations and SQL), PGlite otherwise.
    const schema = freshSchema('leaky');
    const db: { query(sql: string): Promise<unknown>; end?(): Promise<void>; close?(): Promise<void> } =
      DATABASE_URL ? createPool(2) : await PGlite.create();
    try {
      const adapter = createPostgresAdapter({ db: db as never, schema });
      await adapter.migrate();
      const { url, errors } = await start({}, adapter);
      await db.query(`DROP TABLE "${schema}".customers CASCADE`);
      const answer = await rpc(url, ORG, 'list', {
        args: [{ numItems: 5, cursor: null, filter: {}, sort: 'newest' }],
      });
      expect([answer.status, codeOf(answer)]).toEqual([500, 'storage_failed']);
      expect(answer.text).not.toMatch(/customers|relation|select|t_http|\bat\b|\.ts|stack/i);
      const fields = Object.keys((answer.json as { error: object }).error);
      expect(fields.filter((f) => !['code', 'message', 'retryable'].includes(f))).toEqual([]);
      expect(errors.length).toBe(1);
      expect(String((errors[0] as Error).cause ?? errors[0])).toMatch(/customers/);
      await adapter.close?.();
    } finally {
      if (DATABASE_URL) await dropSchema(db, schema);
      await (db.end ?? db.close)?.call(db);
    }
  });

  it('hides a bug’s message behind storage_failed too', async () => {
    const adapter = createMemoryAdapter();
    adapter.count = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'secretColumn')");
    };
    const { url, errors } = await start({}, adapter);
    const answer = await rpc(url, ORG, 'count', { args: [{}] });
    expect([answer.status, codeOf(answer)]).toEqual([500, 'storage_failed']);
    expect(answer.text).not.toContain('secretColumn');
    expect(errors).toHaveLength(1);
  });

  it('refuses malformed custom field definitions: at creation, or per request as a server error', async () => {
    expect(() =>
      createCustomersHandler({
        adapter: createMemoryAdapter(),
        authorize: bearerAuthorize,
        customFields: [{ key: 'bad key', type: 'text' }],
      }),
    ).toThrow(expect.objectContaining({ code: 'invalid_argument', argument: 'customFields' }));
    const errors: unknown[] = [];
    handler = createCustomersHandler({
      adapter: createMemoryAdapter(),
      authorize: bearerAuthorize,
      customFields: () => [{ key: 'tier', type: 'colour' as never }],
      onError: (e) => errors.push(e),
    });
    server = await serveOnLoopback(handler);
    const answer = await rpc(server.url, ORG, 'insertMany', { args: [[customer(1)]] });
    expect([answer.status, codeOf(answer)]).toEqual([500, 'storage_failed']);
    expect(errors).toHaveLength(1);
  });
});
