import { createHttpAdapter } from '@donutauto/adapter-http';
import { type Customer, createCustomerClient, createMemoryAdapter, uuidv7 } from '@donutauto/core';
import { buildCustomer, type ChangeEvent, encodeCursor, type StorageAdapter } from '@donutauto/core/adapter';
import { type CustomersHandler, createCustomersHandler } from '@donutauto/server';
import { customerDataFixture } from '@donutauto/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bearerAuthorize, bearerHeaders, type Loopback, serveOnLoopback } from './support/loopback';
import { codeOf, rpc, send } from './support/raw-client';

const A = 'org-a';
const B = 'org-b';

let store: StorageAdapter;
let handler: CustomersHandler;
let server: Loopback;
let bCustomers: Customer[];
let aCustomer: Customer;

function person(org: string, i: number, createdAt: number): Customer {
  return buildCustomer(
    customerDataFixture(
      { firstName: `F${i}`, lastName: `L${i}`, email: `p${i}@${org}.example` },
      { notes: `secret of ${org}` },
    ),
    org,
    createdAt,
    uuidv7,
  );
}

/** Everything B has, as stored. */
async function snapshotOfB(): Promise<Customer[]> {
  return (await store.list(B, { numItems: 1000, cursor: null, filter: {}, sort: 'oldest' })).page;
}

beforeAll(async () => {
  store = createMemoryAdapter();
  handler = createCustomersHandler({ adapter: store, authorize: bearerAuthorize, onError: () => {} });
  server = await serveOnLoopback(handler);
});

afterAll(async () => {
  await handler.close();
  await server.close();
});

beforeEach(async () => {
  store = createMemoryAdapter();
  handler = createCustomersHandler({ adapter: store, authorize: bearerAuthorize, onError: () => {} });
  await server.close();
  server = await serveOnLoopback(handler);
  bCustomers = [person(B, 1, 1_000), person(B, 2, 2_000), person(B, 3, 3_000)];
  await store.insertMany(B, bCustomers);
  aCustomer = person(A, 9, 1_500);
  await store.insertMany(A, [aCustomer]);
});

describe('a request authorized for organization A', () => {
  it('cannot read B’s customers by id, email, list, count or export', async () => {
    const [b1] = bCustomers;
    const got = await rpc(server.url, A, 'get', { args: [b1!.id] });
    expect(got).toMatchObject({ status: 200, json: {} });
    const byEmail = await rpc(server.url, A, 'getByEmails', { args: [bCustomers.map((c) => c.email)] });
    expect(byEmail.json).toEqual({ result: [] });
    const listed = await rpc(server.url, A, 'list', {
      args: [{ numItems: 100, cursor: null, filter: {}, sort: 'newest' }],
    });
    expect((listed.json as { result: { page: Customer[] } }).result.page).toEqual([aCustomer]);
    const counted = await rpc(server.url, A, 'count', { args: [{}] });
    expect(counted.json).toEqual({ result: 1 });
    const csv = await send(`${server.url}/v1/export`, A);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(aCustomer.email);
    expect(csv.text).not.toContain(`@${B}`);
  });

  it('cannot change or delete B’s customers by id', async () => {
    const [b1, b2] = bCustomers;
    const updated = await rpc(server.url, A, 'update', {
      args: [b1!.id, { notes: 'pwned' }, { updatedAt: 5_000 }],
    });
    expect([updated.status, codeOf(updated)]).toEqual([404, 'not_found']);
    const many = await rpc(server.url, A, 'updateMany', {
      args: [[{ id: b2!.id, patch: { notes: 'pwned' } }], { updatedAt: 5_000 }],
    });
    expect(codeOf(many)).toBe('not_found');
    const deleted = await rpc(server.url, A, 'delete', { args: [b1!.id] });
    expect(deleted.json).toEqual({ result: false });
    expect(await snapshotOfB()).toEqual(bCustomers);
  });

  it('cannot insert customers naming B, and nothing of the batch is written', async () => {
    const forged = [person(A, 20, 4_000), person(B, 21, 4_001)];
    const answer = await rpc(server.url, A, 'insertMany', { args: [forged] });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({
      error: { code: 'invalid_argument', argument: 'customers[1].organizationId' },
    });
    expect(await store.count(A, {})).toBe(1);
    expect(await snapshotOfB()).toEqual(bCustomers);
  });

  it('cannot set the organization (or any system field) through a patch', async () => {
    for (const patch of [{ organizationId: B }, { id: bCustomers[0]!.id }, { version: 99 }]) {
      const answer = await rpc(server.url, A, 'update', {
        args: [aCustomer.id, patch, { updatedAt: 5_000 }],
      });
      expect([answer.status, codeOf(answer)]).toEqual([422, 'forbidden_field']);
    }
    expect(await store.get(A, aCustomer.id)).toEqual(aCustomer);
  });

  it('ignores an organization named in the body or the query, and refuses one named in the header', async () => {
    const inBody = await rpc(server.url, A, 'count', { args: [{}], organizationId: B });
    expect(inBody.json).toEqual({ result: 1 });
    const inQuery = await send(`${server.url}/v1/rpc/count?organizationId=${B}`, A, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ args: [{}] }),
    });
    expect(inQuery.json).toEqual({ result: 1 });
    const inHeader = await rpc(server.url, A, 'count', { args: [{}] }, { 'DonutAuto-Organization': B });
    expect([inHeader.status, codeOf(inHeader)]).toEqual([403, 'forbidden']);
    expect(inHeader.text).not.toContain('secret');
  });

  it('gets no rows of B from a cursor B was issued, nor from one forged at B’s position', async () => {
    await store.insertMany(A, [person(A, 10, 2_500), person(A, 11, 3_500)]);
    const query = { numItems: 1, filter: {}, sort: 'newest' as const };
    const bPage = await rpc(server.url, B, 'list', { args: [{ ...query, cursor: null }] });
    const bCursor = (bPage.json as { result: { continueCursor: string } }).result.continueCursor;
    const stolen = await rpc(server.url, A, 'list', { args: [{ ...query, cursor: bCursor }] });
    expect([stolen.status, codeOf(stolen)]).toEqual([400, 'invalid_cursor']);
    // Cursors are integrity-checked, not secret: A can forge a valid one pointing anywhere.
    const b3 = bCustomers[2]!;
    const forged = encodeCursor(A, { filter: {}, sort: 'newest' }, [b3.createdAt + 1, b3.id]);
    const page = await rpc(server.url, A, 'list', { args: [{ ...query, numItems: 100, cursor: forged }] });
    const ids = (page.json as { result: { page: Customer[] } }).result.page.map((c) => c.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(bCustomers.map((c) => c.id)).not.toContain(id);
    expect(page.text).not.toContain(`@${B}`);
  });

  it('with a cursorSecret, gets invalid_cursor for any cursor the server did not sign for A', async () => {
    handler = createCustomersHandler({
      adapter: store,
      authorize: bearerAuthorize,
      onError: () => {},
      cursorSecret: 'a-cursor-secret-of-32-characters',
    });
    await server.close();
    server = await serveOnLoopback(handler);
    await store.insertMany(A, [person(A, 10, 2_500), person(A, 11, 3_500)]);
    const query = { numItems: 1, filter: {}, sort: 'newest' as const };
    const listA = (cursor: string | null) => rpc(server.url, A, 'list', { args: [{ ...query, cursor }] });
    const first = (await listA(null)).json as { result: { continueCursor: string; page: Customer[] } };
    const second = (await listA(first.result.continueCursor)).json as { result: { page: Customer[] } };
    expect(second.result.page).toHaveLength(1);
    const b3 = bCustomers[2]!;
    const unsigned = encodeCursor(A, { filter: {}, sort: 'newest' }, [b3.createdAt + 1, b3.id]);
    const bPage = await rpc(server.url, B, 'list', { args: [{ ...query, cursor: null }] });
    const signedForB = (bPage.json as { result: { continueCursor: string } }).result.continueCursor;
    const tampered = `${first.result.continueCursor.slice(0, -2)}xx`;
    for (const cursor of [unsigned, signedForB, tampered]) {
      const answer = await listA(cursor);
      expect([answer.status, codeOf(answer)]).toEqual([400, 'invalid_cursor']);
    }
    expect(() =>
      createCustomersHandler({ adapter: store, authorize: bearerAuthorize, cursorSecret: 'short' }),
    ).toThrow(expect.objectContaining({ code: 'invalid_argument', argument: 'cursorSecret' }));
  });

  it('never receives B’s change events', async () => {
    const adapter = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders });
    const events: ChangeEvent[] = [];
    const stop = adapter.subscribe(A, (event) => events.push(event));
    // B writes through the same server; then A writes, so A's stream is known to be flowing.
    const bClient = createCustomerClient({ adapter, organizationId: B });
    await bClient.add({ firstName: 'Bo', lastName: 'B', email: 'new@b.example' });
    await bClient.update(bCustomers[0]!.id, { notes: 'changed by B' });
    const aClient = createCustomerClient({ adapter, organizationId: A });
    const mine = await aClient.add({ firstName: 'Al', lastName: 'A', email: 'new@a.example' });
    await vi.waitFor(() => expect(events.map((e) => e.ids)).toEqual([[mine.id]]), { timeout: 5_000 });
    expect(events.every((e) => e.organizationId === A)).toBe(true);
    stop();
    await adapter.close();
  });

  it('cannot replay B’s answer by reusing B’s idempotency key', async () => {
    const key = 'shared-key-1';
    const bWrite = await rpc(
      server.url,
      B,
      'insertMany',
      { args: [[person(B, 30, 6_000)]] },
      { 'Idempotency-Key': key },
    );
    expect(bWrite.status).toBe(200);
    // Same key, same body shape, A's organization: carried out for A, not replayed from B.
    const mine = person(A, 30, 6_000);
    const aWrite = await rpc(server.url, A, 'insertMany', { args: [[mine]] }, { 'Idempotency-Key': key });
    expect(aWrite.status).toBe(200);
    expect(aWrite.headers.get('Idempotent-Replayed')).toBeNull();
    expect(await store.get(A, mine.id)).toEqual(mine);
  });

  it('imports into A only, even with B’s emails in the file', async () => {
    const csv = `firstName,lastName,email\nEve,E,${bCustomers[0]!.email}\nNew,N,fresh@a.example\n`;
    const answer = await send(`${server.url}/v1/import`, A, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csv,
    });
    expect(answer.status).toBe(200);
    const report = answer.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .at(-1);
    expect(report).toMatchObject({ type: 'report', report: { addedCount: 2 } });
    expect(await store.count(A, {})).toBe(3);
    expect(await snapshotOfB()).toEqual(bCustomers);
  });

  it('leaves B untouched and sees nothing of B whatever storage calls it sends', async () => {
    const bIds = bCustomers.map((c) => c.id);
    const bEmails = bCustomers.map((c) => c.email);
    const id = fc.constantFrom(...bIds, aCustomer.id, 'missing');
    const patch = fc.record(
      { notes: fc.constantFrom('x', null), organizationId: fc.constantFrom(B, undefined) },
      { requiredKeys: ['notes'] },
    );
    const call = fc.oneof(
      fc.tuple(fc.constant('get'), fc.tuple(id)),
      fc.tuple(fc.constant('delete'), fc.tuple(id)),
      fc.tuple(fc.constant('getByEmails'), fc.tuple(fc.subarray([...bEmails, aCustomer.email]))),
      fc.tuple(fc.constant('update'), fc.tuple(id, patch, fc.constant({ updatedAt: 7_000 }))),
      fc.tuple(
        fc.constant('updateMany'),
        fc.tuple(fc.array(fc.record({ id, patch }), { maxLength: 3 }), fc.constant({ updatedAt: 7_000 })),
      ),
      fc.tuple(
        fc.constant('insertMany'),
        fc.tuple(
          fc.array(fc.constantFrom(...bCustomers, person(B, 40, 8_000), person(A, 41, 8_000)), {
            maxLength: 3,
          }),
        ),
      ),
      fc.tuple(
        fc.constant('list'),
        fc.tuple(fc.constant({ numItems: 50, cursor: null, filter: {}, sort: 'oldest' })),
      ),
      fc.tuple(fc.constant('count'), fc.tuple(fc.constantFrom({}, { text: 'secret' }))),
    );
    // Sometimes the request also names B in the organization header (refused) or in the query.
    const naming = fc.constantFrom<Record<string, string>>({}, { 'DonutAuto-Organization': B });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(call, naming), { minLength: 1, maxLength: 6 }), async (calls) => {
        for (const [[method, args], headers] of calls) {
          const answer = await rpc(
            server.url,
            A,
            method,
            { args, organizationId: B },
            { 'Idempotency-Key': uuidv7(), ...headers },
          );
          expect(answer.status).toBeLessThan(500);
          // Ids A sent may come back in its own errors; B's data never does.
          expect(answer.text).not.toContain(`secret of ${B}`);
          expect(answer.text).not.toContain(`@${B}.example`);
        }
        expect(await snapshotOfB()).toEqual(bCustomers);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a request without valid credentials', () => {
  it('gets 401 unauthorized on every route and changes nothing', async () => {
    const routes: [string, RequestInit][] = [
      [
        '/v1/rpc/get',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ args: [bCustomers[0]!.id] }),
        },
      ],
      [
        '/v1/rpc/delete',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ args: [bCustomers[0]!.id] }),
        },
      ],
      ['/v1/events', {}],
      ['/v1/export', {}],
      [
        '/v1/import',
        {
          method: 'POST',
          headers: { 'content-type': 'text/csv' },
          body: 'firstName,lastName,email\nA,B,c@d.example\n',
        },
      ],
    ];
    for (const [path, init] of routes) {
      for (const token of [null, 'Bearer nonsense']) {
        const headers = new Headers(init.headers);
        if (token) headers.set('authorization', token);
        const answer = await send(`${server.url}${path}`, null, { ...init, headers });
        expect([path, answer.status, codeOf(answer)]).toEqual([path, 401, 'unauthorized']);
      }
    }
    expect(await snapshotOfB()).toEqual(bCustomers);
  });
});
