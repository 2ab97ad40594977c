import {
  type ConnectionStatus,
  createPostgresAdapter,
  type PostgresAdapter,
} from '@donutauto/adapter-postgres';
import type { ChangeEvent, CustomerData } from '@donutauto/core';
import { buildCustomer } from '@donutauto/core/adapter';
import { customerDataFixture } from '@donutauto/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { createPGlite, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

function person(i: number): CustomerData {
  return customerDataFixture({
    firstName: `First${i}`,
    lastName: `Last${i}`,
    email: `listen${i}@example.com`,
  });
}

let ids = 0;
const nextId = () => `listen-${String(++ids).padStart(6, '0')}`;

const refetch = (organizationId: string): ChangeEvent => ({ type: 'update', organizationId, ids: [] });

/** Records every status an adapter reports. */
function recordStates(adapter: PostgresAdapter): ConnectionStatus[] {
  const seen: ConnectionStatus[] = [];
  adapter.onConnectionState((status) => seen.push(status));
  return seen;
}

describe.runIf(DATABASE_URL)('LISTEN connection loss (server, pg.Pool)', () => {
  const schema = freshSchema('listen');
  // The reader's connections carry this name, so the test terminates only its own backends.
  const applicationName = `${schema}_reader`;
  const role = `${schema}_role`;
  let admin: pg.Pool;
  let writer: PostgresAdapter;

  beforeAll(async () => {
    admin = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
    writer = createPostgresAdapter({ db: admin, schema });
    await writer.migrate();
    await admin.query(`CREATE ROLE "${role}" LOGIN`);
  });

  afterAll(async () => {
    await writer.close();
    await dropSchema(admin, schema);
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  });

  function readerPool(user?: string): pg.Pool {
    const url = new URL(DATABASE_URL!);
    if (user) url.username = user;
    return new pg.Pool({ connectionString: url.href, application_name: applicationName, max: 2 });
  }

  async function terminateReaderBackends(): Promise<number> {
    const { rows } = await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    return rows.length;
  }

  it('reconnects, LISTENs again and sends current and new subscribers a refetch event', async () => {
    const pool = readerPool();
    const reader = createPostgresAdapter({
      db: pool,
      schema,
      reconnect: { minDelayMs: 20, maxDelayMs: 200 },
    });
    onTestFinished(() => reader.close().then(() => pool.end()));
    const states = recordStates(reader);
    expect(reader.connectionState).toEqual({ state: 'idle' });
    const eventsA: ChangeEvent[] = [];
    const eventsB: ChangeEvent[] = [];
    reader.subscribe('org-a', (e) => eventsA.push(e));
    await vi.waitFor(() => expect(reader.connectionState.state).toBe('connected'));
    // A subscriber that arrives while the connection is down is LISTENed for once it is back.
    const stopWatching = reader.onConnectionState(({ state }) => {
      if (state === 'reconnecting') reader.subscribe('org-b', (e) => eventsB.push(e));
    });
    expect(await terminateReaderBackends()).toBe(1);
    await vi.waitFor(() => expect(eventsA).toEqual([refetch('org-a')]), { timeout: 5_000 });
    expect(eventsB).toEqual([refetch('org-b')]);
    stopWatching();
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    const lost = states[2]!;
    expect(lost).toMatchObject({ attempt: 1 });
    expect(lost.retryInMs).toBeGreaterThanOrEqual(10);
    expect(lost.retryInMs).toBeLessThanOrEqual(20);
    expect(lost.error).toBeInstanceOf(Error);

    // Both organizations hear changes again, as does a subscriber that comes later.
    const eventsC: ChangeEvent[] = [];
    reader.subscribe('org-c', (e) => eventsC.push(e));
    const rows = ['org-a', 'org-b', 'org-c'].map((org, i) => buildCustomer(person(i), org, 1_000, nextId));
    for (const row of rows) await writer.insertMany(row.organizationId, [row]);
    await vi.waitFor(
      () => {
        expect(eventsA.at(-1)).toEqual({ type: 'insert', organizationId: 'org-a', ids: [rows[0]!.id] });
        expect(eventsB.at(-1)).toEqual({ type: 'insert', organizationId: 'org-b', ids: [rows[1]!.id] });
        expect(eventsC).toEqual([{ type: 'insert', organizationId: 'org-c', ids: [rows[2]!.id] }]);
      },
      { timeout: 5_000 },
    );
    await reader.close();
    expect(reader.connectionState).toEqual({ state: 'closed' });
  });

  it('backs off while the server refuses the connection, then recovers', async () => {
    const pool = readerPool(role);
    const reader = createPostgresAdapter({
      db: pool,
      schema,
      // No jitter: attempt n waits exactly half of min(20 · 2^(n-1), 80) ms.
      reconnect: { minDelayMs: 20, maxDelayMs: 80, random: () => 0 },
    });
    onTestFinished(() => reader.close().then(() => pool.end()));
    const states = recordStates(reader);
    const events: ChangeEvent[] = [];
    reader.subscribe('org-backoff', (e) => events.push(e));
    await vi.waitFor(() => expect(reader.connectionState.state).toBe('connected'));
    await admin.query(`ALTER ROLE "${role}" NOLOGIN`);
    try {
      await terminateReaderBackends();
      await vi.waitFor(() => expect(reader.connectionState.attempt).toBeGreaterThanOrEqual(5), {
        timeout: 5_000,
      });
    } finally {
      await admin.query(`ALTER ROLE "${role}" LOGIN`);
    }
    await vi.waitFor(() => expect(reader.connectionState.state).toBe('connected'), { timeout: 5_000 });
    const retries = states.filter((s) => s.state === 'reconnecting');
    expect(retries.slice(0, 5).map((s) => [s.attempt, s.retryInMs])).toEqual([
      [1, 10],
      [2, 20],
      [3, 40],
      [4, 40],
      [5, 40],
    ]);
    // Refused logins are reported with the server's error.
    expect((retries[1]!.error as { code?: string }).code).toBe('28000');
    expect(events).toEqual([refetch('org-backoff')]);
  });

  it('stops reconnecting when closed', async () => {
    const pool = readerPool();
    const reader = createPostgresAdapter({
      db: pool,
      schema,
      reconnect: { minDelayMs: 200, maxDelayMs: 200 },
    });
    onTestFinished(() => pool.end());
    reader.subscribe('org-close', () => undefined);
    await vi.waitFor(() => expect(reader.connectionState.state).toBe('connected'));
    await terminateReaderBackends();
    await vi.waitFor(() => expect(reader.connectionState.state).toBe('reconnecting'));
    await reader.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(reader.connectionState.state).toBe('closed');
    const { rows } = await admin.query(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
      [applicationName],
    );
    expect(rows[0].n).toBe(0);
  });

  it('reports failed, and keeps the process alive, when a pg.Client passed as db loses its connection', async () => {
    const client = new pg.Client({ connectionString: DATABASE_URL, application_name: applicationName });
    await client.connect();
    const reader = createPostgresAdapter({ db: client, schema });
    onTestFinished(() => reader.close());
    const events: ChangeEvent[] = [];
    reader.subscribe('org-client', (e) => events.push(e));
    await vi.waitFor(() => expect(reader.connectionState.state).toBe('connected'));
    await terminateReaderBackends();
    await vi.waitFor(() => expect(reader.connectionState.state).toBe('failed'));
    expect(reader.connectionState.error).toBeInstanceOf(Error);
    // Subscribing after the loss is harmless; nothing can be delivered any more.
    const stop = reader.subscribe('org-client-2', () => undefined);
    stop();
    expect(events).toEqual([]);
  });
});

describe('connection state (PGlite)', () => {
  it('is connected once something is subscribed, and closed after close()', async () => {
    const db = await createPGlite();
    try {
      const adapter = createPostgresAdapter({ db, schema: freshSchema('listen_pglite') });
      await adapter.migrate();
      const states = recordStates(adapter);
      expect(adapter.connectionState.state).toBe('idle');
      const events: ChangeEvent[] = [];
      adapter.subscribe('org-1', (e) => events.push(e));
      const row = buildCustomer(person(1), 'org-1', 1_000, nextId);
      await adapter.insertMany('org-1', [row]);
      await vi.waitFor(() =>
        expect(events).toEqual([{ type: 'insert', organizationId: 'org-1', ids: [row.id] }]),
      );
      await adapter.close();
      expect(states.map((s) => s.state)).toEqual(['connected', 'closed']);
    } finally {
      await db.close();
    }
  });
});

describe('createPostgresAdapter reconnect option', () => {
  it('refuses delays that are not positive integers, or a maximum below the minimum', () => {
    const db = { query: async () => ({ rows: [] }), on: () => undefined };
    const code = (reconnect: object) => {
      try {
        createPostgresAdapter({ db, reconnect });
        return 'accepted';
      } catch (error) {
        return (error as { code?: string; argument?: string }).argument;
      }
    };
    expect(code({ minDelayMs: 0 })).toBe('reconnect.minDelayMs');
    expect(code({ minDelayMs: 1.5 })).toBe('reconnect.minDelayMs');
    expect(code({ maxDelayMs: Number.NaN })).toBe('reconnect.maxDelayMs');
    expect(code({ minDelayMs: 500, maxDelayMs: 100 })).toBe('reconnect.maxDelayMs');
    expect(code({ random: 'yes' })).toBe('reconnect.random');
    expect(code({ minDelayMs: 5, maxDelayMs: 5 })).toBe('accepted');
  });
});
