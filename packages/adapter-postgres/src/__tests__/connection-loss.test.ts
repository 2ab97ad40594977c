import { createPostgresAdapter, type PostgresAdapter } from '@donutauto/adapter-postgres';
import { type CustomerInput, createCustomerClient, isCustomerError } from '@donutauto/core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

function inputs(from: number, count: number): CustomerInput[] {
  return Array.from({ length: count }, (_, i) => ({
    firstName: `First${from + i}`,
    lastName: `Last${from + i}`,
    email: `lost${from + i}@example.com`,
  }));
}

function csvOf(rows: readonly CustomerInput[]): string {
  return ['firstName,lastName,email', ...rows.map((r) => `${r.firstName},${r.lastName},${r.email}`)].join(
    '\n',
  );
}

/**
 * Holds a lock that makes every insert into the table wait, starts `operation`, terminates the
 * backend that waits (the one serving the operation's transaction) with `pg_terminate_backend`,
 * then lets go of the lock.
 * @returns What the operation threw (or resolved to).
 */
async function terminateWhileRunning(
  admin: pg.Pool,
  adapter: PostgresAdapter,
  operation: () => Promise<unknown>,
): Promise<unknown> {
  const locker = await admin.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${adapter.tables.customers} IN SHARE MODE`);
    const lockerPid = (await locker.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const outcome = operation().then(
      (value) => value,
      (error: unknown) => error,
    );
    const pid = await vi.waitFor(
      async () => {
        const { rows } = await admin.query(
          `SELECT pid FROM pg_stat_activity
           WHERE wait_event_type = 'Lock' AND pid <> $1 AND position($2 in query) > 0`,
          [lockerPid, adapter.tables.customers],
        );
        expect(rows.length).toBe(1);
        return rows[0].pid as number;
      },
      { timeout: 10_000, interval: 20 },
    );
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    const result = await outcome;
    return result;
  } finally {
    await locker.query('ROLLBACK');
    locker.release();
  }
}

function expectRetryableStorageFailure(error: unknown, retryable = true) {
  expect(isCustomerError(error, 'storage_failed') ? 'storage_failed' : error).toBe('storage_failed');
  expect((error as { retryable?: unknown }).retryable).toBe(retryable);
}

describe.runIf(DATABASE_URL)('connection loss (server, pg.Pool)', () => {
  let admin: pg.Pool;
  let pool: pg.Pool;
  const releasedBroken: Error[] = [];

  beforeAll(() => {
    admin = createPool(4);
    // No pool 'error' listener on purpose: the adapter must not depend on one.
    pool = createPool(4);
    pool.on('release', (error: Error | undefined) => {
      if (error) releasedBroken.push(error);
    });
  });

  afterAll(async () => {
    await pool.end();
    await admin.end();
  });

  for (const mode of ['INSERT', 'COPY'] as const) {
    describe(`with batches through ${mode}`, () => {
      const schema = freshSchema(`lost_${mode.toLowerCase()}`);
      let adapter: PostgresAdapter;

      beforeAll(async () => {
        adapter = createPostgresAdapter({
          db: pool,
          schema,
          notify: false,
          ...(mode === 'COPY' ? { copyFrom } : {}),
        });
        await adapter.migrate();
      });

      afterAll(async () => {
        await adapter.close();
        await dropSchema(admin, schema);
      });

      it('rejects a bulk add with a retryable storage_failed and releases the client as broken', async () => {
        const customers = createCustomerClient({ adapter, organizationId: 'org-bulk' });
        const before = releasedBroken.length;
        const error = await terminateWhileRunning(admin, adapter, () =>
          customers.bulkAddCustomers(inputs(0, 50)),
        );
        expectRetryableStorageFailure(error);
        expect(releasedBroken.length).toBe(before + 1);
        // The pool lives on, and nothing of the batch was written.
        expect(await customers.count()).toBe(0);
        const again = await customers.bulkAddCustomers(inputs(0, 50));
        expect(again.addedCount).toBe(50);
        expect(await customers.count()).toBe(50);
      });

      it('rejects a single add, and the next add succeeds', async () => {
        const customers = createCustomerClient({ adapter, organizationId: 'org-single' });
        const error = await terminateWhileRunning(admin, adapter, () => customers.add(inputs(0, 1)[0]!));
        expectRetryableStorageFailure(error);
        const added = await customers.add(inputs(0, 1)[0]!);
        expect((await customers.get(added.id)).email).toBe('lost0@example.com');
        expect(await customers.count()).toBe(1);
      });

      it('rejects a single-statement update with a retryable storage_failed', async () => {
        const customers = createCustomerClient({ adapter, organizationId: 'org-update' });
        const added = await customers.add(inputs(0, 1)[0]!);
        const error = await terminateWhileRunning(admin, adapter, () =>
          customers.update(added.id, { notes: 'lost' }, { expectedVersion: 1 }),
        );
        expectRetryableStorageFailure(error);
        const updated = await customers.update(added.id, { notes: 'kept' }, { expectedVersion: 1 });
        expect(updated).toMatchObject({ notes: 'kept', version: 2 });
      });

      it('stops a CSV import with a retryable storage_failed; re-running it ends with exactly the rows', async () => {
        const customers = createCustomerClient({ adapter, organizationId: 'org-import' });
        const rows = inputs(0, 230);
        // A first import stores 100 rows; the re-run's first batch that writes waits on the lock and is cut off.
        await customers.importCsv(csvOf(rows.slice(0, 100)), { batchSize: 100 });
        const error = await terminateWhileRunning(admin, adapter, () =>
          customers.importCsv(csvOf(rows), { batchSize: 100, concurrency: 1 }),
        );
        expectRetryableStorageFailure(error);
        expect(await customers.count()).toBe(100);
        const report = await customers.importCsv(csvOf(rows), { batchSize: 100 });
        expect(report.addedCount).toBe(130);
        const stored = await customers.list({ numItems: 1000 });
        expect(stored.page.map((c) => c.email).sort()).toEqual(rows.map((r) => r.email).sort());
      });
    });
  }
});

describe.runIf(DATABASE_URL)('connection loss between statements (server, pg.Pool)', () => {
  const schema = freshSchema('lost_idle_tx');
  let admin: pg.Pool;
  let pool: pg.Pool;

  beforeAll(async () => {
    admin = createPool(3);
    pool = createPool(3);
    await createPostgresAdapter({ db: admin, schema }).migrate();
  });

  afterAll(async () => {
    await dropSchema(admin, schema);
    await pool.end();
    await admin.end();
  });

  it('survives a connection dropped while its transaction is idle (pg emits error with no query running)', async () => {
    let armed = true;
    // A pool whose next transaction loses its connection right after BEGIN: pg then reports the
    // loss only as an 'error' event on the checked-out client.
    const db = {
      totalCount: 0,
      options: pool.options,
      query: (text: string, values?: unknown[]) => pool.query(text, values),
      async connect() {
        const client = await pool.connect();
        const query = client.query.bind(client) as (text: string, values?: unknown[]) => Promise<unknown>;
        Object.assign(client, {
          async query(text: string, values?: unknown[]) {
            const result = await query(text, values);
            if (text === 'BEGIN' && armed) {
              armed = false;
              const pid = (client as unknown as { processID: number }).processID;
              const ended = new Promise((resolve) => client.once('end', resolve));
              await admin.query('SELECT pg_terminate_backend($1)', [pid]);
              await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5_000))]);
            }
            return result;
          },
        });
        return client;
      },
    };
    const adapter = createPostgresAdapter({ db, schema, notify: false });
    const customers = createCustomerClient({ adapter, organizationId: 'org-idle-tx' });
    const error = await customers.bulkAddCustomers(inputs(0, 3)).catch((e: unknown) => e);
    expectRetryableStorageFailure(error);
    expect((await customers.bulkAddCustomers(inputs(0, 3))).addedCount).toBe(3);
  });
});

describe.runIf(DATABASE_URL)('connection loss (server, a pg.Client passed as db)', () => {
  let admin: pg.Pool;
  const schema = freshSchema('lost_client');

  beforeAll(async () => {
    admin = createPool(3);
    await createPostgresAdapter({ db: admin, schema }).migrate();
  });

  afterAll(async () => {
    await dropSchema(admin, schema);
    await admin.end();
  });

  async function connectedClient(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    return client;
  }

  it('rejects the running call and every later one with a non-retryable storage_failed', async () => {
    const client = await connectedClient();
    const adapter = createPostgresAdapter({ db: client, schema, notify: false });
    const customers = createCustomerClient({ adapter, organizationId: 'org-client' });
    const error = await terminateWhileRunning(admin, adapter, () => customers.bulkAddCustomers(inputs(0, 5)));
    // A pg.Client cannot reconnect: retrying on this adapter cannot succeed.
    expectRetryableStorageFailure(error, false);
    expect(String((error as Error).message)).toMatch(/pg\.Pool/);
    const later = await customers.count().catch((e: unknown) => e);
    expectRetryableStorageFailure(later, false);
    await adapter.close();
    await client.end().catch(() => undefined);
    expect(await createPostgresAdapter({ db: admin, schema }).count('org-client', {})).toBe(0);
  });

  it('keeps the process alive when the idle client’s connection is dropped', async () => {
    const client = await connectedClient();
    const adapter = createPostgresAdapter({ db: client, schema, notify: false });
    expect(await adapter.count('org-idle', {})).toBe(0);
    const pid = (await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
    const ended = new Promise((resolve) => client.once('end', resolve));
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    await ended;
    expectRetryableStorageFailure(await adapter.count('org-idle', {}).catch((e: unknown) => e), false);
    await adapter.close();
  });
});
