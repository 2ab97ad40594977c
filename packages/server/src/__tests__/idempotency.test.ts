import { createHttpAdapter, type HttpAdapter } from '@donutauto/adapter-http';
import {
  type CustomerInput,
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
  uuidv7,
} from '@donutauto/core';
import { buildCustomer, type StorageAdapter } from '@donutauto/core/adapter';
import { campaignRunFixture, customerDataFixture } from '@donutauto/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type DroppingFetch, droppingFetch, isWrite } from './support/dropping-fetch';
import { bearerHeaders } from './support/loopback';
import { rpc, send } from './support/raw-client';
import { closeServedHandlers, serveHandler } from './support/served-handler';

const ORG = 'org-idem';
afterEach(closeServedHandlers);

/** A handler (with its own, fresh idempotency store) on a loopback server, storing in `store`. */
async function serve(store: StorageAdapter): Promise<string> {
  return (await serveHandler({ adapter: store })).url;
}

function adapterWith(url: string, dropping: DroppingFetch): HttpAdapter {
  return createHttpAdapter({
    baseUrl: url,
    headers: bearerHeaders,
    fetch: dropping.fetch,
    retry: { retries: 3, minDelayMs: 5, maxDelayMs: 20 },
  });
}

function inputs(n: number, prefix = 'p'): CustomerInput[] {
  return Array.from({ length: n }, (_, i) => ({
    firstName: `F${i}`,
    lastName: `L${i}`,
    email: `${prefix}${i}@example.com`,
  }));
}

describe('createHttpAdapter with dropped answers', () => {
  it('adds one customer once when the answer to its insert is lost', async () => {
    const store = createMemoryAdapter();
    const dropping = droppingFetch(isWrite, 1);
    const client = createCustomerClient({
      adapter: adapterWith(await serve(store), dropping),
      organizationId: ORG,
    });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    expect(dropping.dropped()).toBe(1);
    expect(await store.count(ORG, {})).toBe(1);
    expect(await store.get(ORG, ana.id)).toEqual(ana);
  });

  it('bulk-adds every customer exactly once when every write’s first answer is lost', async () => {
    const store = createMemoryAdapter();
    const lostOnce = new Set<string>();
    const dropping = droppingFetch((url, init) => {
      if (!isWrite(url)) return false;
      const key = new Headers(init?.headers).get('idempotency-key')!;
      if (lostOnce.has(key)) return false;
      lostOnce.add(key);
      return true;
    });
    const client = createCustomerClient({
      adapter: adapterWith(await serve(store), dropping),
      organizationId: ORG,
    });
    const result = await client.bulkAddCustomers(inputs(1_200), { batchSize: 250 });
    expect(dropping.dropped()).toBe(5);
    expect(result).toMatchObject({ addedCount: 1_200, skippedCount: 0, errorCount: 0, issues: [] });
    expect(await store.count(ORG, {})).toBe(1_200);
    for (const id of result.addedIds.slice(0, 50)) expect(await store.get(ORG, id)).toBeDefined();
  });

  it('applies an update once and returns it when its answer is lost', async () => {
    const store = createMemoryAdapter();
    const url = await serve(store);
    const setup = createCustomerClient({
      adapter: adapterWith(
        url,
        droppingFetch(() => false),
      ),
      organizationId: ORG,
    });
    const ana = await setup.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const dropping = droppingFetch(isWrite, 1);
    const client = createCustomerClient({ adapter: adapterWith(url, dropping), organizationId: ORG });
    const updated = await client.update(ana.id, { notes: 'Regular' }, { expectedVersion: 1 });
    expect(updated).toMatchObject({ notes: 'Regular', version: 2 });
    expect(dropping.dropped()).toBe(1);
    expect(await store.get(ORG, ana.id)).toEqual(updated);
    const deleted = droppingFetch(isWrite, 1);
    await createCustomerClient({ adapter: adapterWith(url, deleted), organizationId: ORG }).delete(ana.id);
    expect(deleted.dropped()).toBe(1);
  });

  it('imports a CSV once when the answer to the upload is lost', async () => {
    const store = createMemoryAdapter();
    const dropping = droppingFetch(isWrite, 1);
    const adapter = adapterWith(await serve(store), dropping);
    const csv = `firstName,lastName,email\n${inputs(300)
      .map((c) => `${c.firstName},${c.lastName},${c.email}`)
      .join('\n')}\n`;
    const report = await adapter.importCsv(ORG, csv);
    expect(dropping.dropped()).toBe(1);
    expect(report).toMatchObject({ addedCount: 300, skippedCount: 0 });
    expect(await store.count(ORG, {})).toBe(300);
  });
});

describe('Idempotency-Key on the server', () => {
  function insertBody(email: string) {
    const customer = buildCustomer(
      customerDataFixture({ firstName: 'A', lastName: 'B', email }),
      ORG,
      1_000,
      uuidv7,
    );
    return { args: [[customer]] };
  }

  it('replays the stored answer for the same key and request, with Idempotent-Replayed', async () => {
    const store = createMemoryAdapter();
    const url = await serve(store);
    const body = insertBody('one@example.com');
    const first = await rpc(url, ORG, 'insertMany', body, { 'Idempotency-Key': 'k-1' });
    const again = await rpc(url, ORG, 'insertMany', body, { 'Idempotency-Key': 'k-1' });
    expect([first.status, again.status, again.text]).toEqual([200, 200, first.text]);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await store.count(ORG, {})).toBe(1);
    // A stored error is replayed too: the same key names the same attempt.
    const clash = insertBody('one@example.com');
    const refused = await rpc(url, ORG, 'insertMany', clash, { 'Idempotency-Key': 'k-2' });
    const refusedAgain = await rpc(url, ORG, 'insertMany', clash, { 'Idempotency-Key': 'k-2' });
    expect([refused.status, refusedAgain.status, refusedAgain.headers.get('Idempotent-Replayed')]).toEqual([
      409,
      409,
      'true',
    ]);
  });

  it('refuses the same key with a different request: 422 idempotency_conflict, nothing written', async () => {
    const store = createMemoryAdapter();
    const url = await serve(store);
    await rpc(url, ORG, 'insertMany', insertBody('one@example.com'), { 'Idempotency-Key': 'k-1' });
    const other = await rpc(url, ORG, 'insertMany', insertBody('two@example.com'), {
      'Idempotency-Key': 'k-1',
    });
    expect([other.status, (other.json as { error: { code: string } }).error.code]).toEqual([
      422,
      'idempotency_conflict',
    ]);
    const otherMethod = await rpc(url, ORG, 'delete', { args: ['x'] }, { 'Idempotency-Key': 'k-1' });
    expect(otherMethod.status).toBe(422);
    expect(await store.count(ORG, {})).toBe(1);
    const badKey = await rpc(url, ORG, 'delete', { args: ['x'] }, { 'Idempotency-Key': 'has spaces' });
    expect(badKey.status).toBe(400);
  });

  it('carries out concurrent requests with one key once', async () => {
    const store = createMemoryAdapter();
    const url = await serve(store);
    const body = insertBody('same@example.com');
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => rpc(url, ORG, 'insertMany', body, { 'Idempotency-Key': 'k-race' })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.filter((a) => a.headers.get('Idempotent-Replayed') === 'true')).toHaveLength(7);
    expect(await store.count(ORG, {})).toBe(1);
  });

  it('replays an import’s report for the same file and key, and refuses another file under it', async () => {
    const store = createMemoryAdapter();
    const url = await serve(store);
    const upload = (csv: string) =>
      send(`${url}/v1/import`, ORG, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'Idempotency-Key': 'import-1' },
        body: csv,
      });
    const csv = 'firstName,lastName,email\nAna,Li,ana@example.com\nBo,Ng,bo@example.com\n';
    const first = await upload(csv);
    const again = await upload(csv);
    const lastLine = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!);
    expect(lastLine(first.text)).toMatchObject({ type: 'report', report: { addedCount: 2 } });
    expect(lastLine(again.text)).toEqual(lastLine(first.text));
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    const other = await upload(`${csv}Cy,Do,cy@example.com\n`);
    expect(other.status).toBe(422);
    expect(await store.count(ORG, {})).toBe(2);
  });
});

describe('a retried write after the server restarted (its remembered answers lost)', () => {
  it('converges for an insert already stored; an update already applied gets version_conflict', async () => {
    const store = createMemoryAdapter();
    const before = await serve(store);
    const customer = buildCustomer(
      customerDataFixture({ firstName: 'A', lastName: 'B', email: 'a@example.com' }),
      ORG,
      1_000,
      uuidv7,
    );
    const insert = { args: [[customer]] };
    expect((await rpc(before, ORG, 'insertMany', insert, { 'Idempotency-Key': 'k-insert' })).status).toBe(
      200,
    );
    const update = { args: [customer.id, { notes: 'once' }, { expectedVersion: 1, updatedAt: 2_000 }] };
    expect((await rpc(before, ORG, 'update', update, { 'Idempotency-Key': 'k-update' })).status).toBe(200);
    // A new process: same database, empty idempotency store.
    const after = await serve(store);
    const retry = { 'DonutAuto-Attempt': '2' };
    const insertAgain = await rpc(after, ORG, 'insertMany', insert, {
      'Idempotency-Key': 'k-insert',
      ...retry,
    });
    expect(insertAgain.status).toBe(200);
    // Not marked as a retry, the same insert gets the storage contract's answer: the id is taken.
    const firstAttempt = await rpc(after, ORG, 'insertMany', insert, { 'Idempotency-Key': 'k-insert-2' });
    expect(firstAttempt.status).toBeGreaterThanOrEqual(409);
    // The update is not applied twice; the client sees a conflict (and the editor re-reads).
    const updateAgain = await rpc(after, ORG, 'update', update, { 'Idempotency-Key': 'k-update' });
    expect(updateAgain.status).toBe(409);
    expect(await store.count(ORG, {})).toBe(1);
    expect(await store.get(ORG, customer.id)).toMatchObject({ notes: 'once', version: 2 });
    // A segment and a campaign run already stored converge the same way.
    const saved = {
      id: 'seg-1',
      organizationId: ORG,
      name: 'VIPs',
      filter: {},
      filterVersion: 1,
      createdAt: 1_000,
      updatedAt: 1_000,
      version: 1,
    };
    const run = campaignRunFixture(ORG, 1_000, 'run-1');
    for (const [method, value] of [
      ['insertSegment', saved],
      ['insertCampaignRun', run],
    ] as const) {
      const send = (body: unknown, headers: Record<string, string>, base = after) =>
        rpc(base, ORG, method, body, { 'Idempotency-Key': `k-${method}`, ...headers });
      expect((await send({ args: [value] }, {}, before)).status).toBe(200);
      // A first attempt gets the contract's answer (the id is taken); a marked retry converges.
      expect((await send({ args: [value] }, {})).status).toBe(500);
      expect((await send({ args: [value] }, retry)).status).toBe(200);
      const other = await send(
        { args: [{ ...value, createdAt: 1_001, updatedAt: 1_001 }] },
        { ...retry, 'Idempotency-Key': `k-other-${method}` },
      );
      expect(other.status).toBe(500);
    }
    // …while a different customer with the same email is still refused.
    const impostor = { ...customer, id: uuidv7() };
    const duplicate = await rpc(
      after,
      ORG,
      'insertMany',
      { args: [[impostor]] },
      { 'Idempotency-Key': 'k-other' },
    );
    expect(duplicate.status).toBe(409);
  });
});

describe('errors through the HTTP adapter', () => {
  it('arrive as the core’s classes, so isCustomerError and instanceof work as on the server', async () => {
    const store = createMemoryAdapter();
    const url = await serve(store);
    const adapter = createHttpAdapter({ baseUrl: url, headers: bearerHeaders });
    const client = createCustomerClient({ adapter, organizationId: ORG });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    await client.update(ana.id, { notes: 'v2' });
    const conflict = await client
      .update(ana.id, { notes: 'stale' }, { expectedVersion: 1 })
      .catch((e: unknown) => e);
    if (!isCustomerError(conflict, 'version_conflict')) throw conflict;
    expect([conflict.id, conflict.expectedVersion, conflict.actualVersion]).toEqual([ana.id, 1, 2]);
    const duplicate = await client
      .add({ firstName: 'Ana', lastName: 'Two', email: 'ANA@example.com' })
      .catch((e: unknown) => e);
    expect(isCustomerError(duplicate, 'duplicate_email') && duplicate.email).toBe('ana@example.com');
    const missing = await client.get('nope').catch((e: unknown) => e);
    expect(isCustomerError(missing, 'not_found')).toBe(true);
    const anonymous = createCustomerClient({
      adapter: createHttpAdapter({ baseUrl: url }),
      organizationId: ORG,
    });
    const unauthorized = await anonymous.count().catch((e: unknown) => e);
    expect(isCustomerError(unauthorized, 'unauthorized')).toBe(true);
  });

  it('runs the real-time editor over HTTP: coalesced saves, then a conflict resolved by re-saving the edited fields', async () => {
    const store = createMemoryAdapter();
    const url = await serve(store);
    const client = createCustomerClient({
      adapter: createHttpAdapter({ baseUrl: url, headers: bearerHeaders }),
      organizationId: ORG,
    });
    const ana = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const editor = client.createEditor(ana.id, { delayMs: 10, maxWaitMs: 50 });
    editor.set('notes', 'first');
    editor.set('notes', 'second');
    // Someone else changes another field meanwhile.
    await store.update(ORG, ana.id, { phone: '+15550100' }, { updatedAt: 5_000 });
    editor.set('location', 'Lisbon');
    await editor.flush();
    await editor.dispose();
    expect(await store.get(ORG, ana.id)).toMatchObject({
      notes: 'second',
      location: 'Lisbon',
      phone: '+15550100',
    });
  });
});
