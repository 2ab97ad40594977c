import { createPostgresAdapter, type PostgresAdapter } from '@donutauto/adapter-postgres';
import type { ChangeEvent, CustomerData } from '@donutauto/core';
import { buildCustomer } from '@donutauto/core/adapter';
import { customerDataFixture } from '@donutauto/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

function person(i: number): CustomerData {
  return customerDataFixture({
    firstName: `First${i}`,
    lastName: `Last${i}`,
    email: `events${i}@example.com`,
  });
}

let ids = 0;
const nextId = () => `id-${String(++ids).padStart(6, '0')}-${'x'.repeat(30)}`;

describe.runIf(DATABASE_URL)('LISTEN/NOTIFY change events (server)', () => {
  const schema = freshSchema('events');
  let pool: pg.Pool;
  let client: pg.Client;
  let writer: PostgresAdapter;
  let reader: PostgresAdapter;

  beforeAll(async () => {
    pool = createPool(4);
    writer = createPostgresAdapter({ db: pool, schema });
    await writer.migrate();
    // The reader is another process as far as Postgres knows: its own connection, a pg.Client.
    client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    reader = createPostgresAdapter({ db: client, schema });
  });

  afterAll(async () => {
    await reader.close();
    await writer.close();
    await client.end();
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('delivers inserts, updates and deletes to a second connection, for its organization only', async () => {
    const mine: ChangeEvent[] = [];
    const others: ChangeEvent[] = [];
    const stop = reader.subscribe('org-mine', (e) => mine.push(e));
    const stopOther = reader.subscribe('org-other', (e) => others.push(e));
    // Subscribing is asynchronous on the reader's connection: wait until it listens.
    await vi.waitFor(async () => {
      const { rows } = await pool.query(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE $1',
        ['LISTEN%'],
      );
      expect(rows[0].n).toBeGreaterThan(0);
    });
    await reader.count('org-mine', {}); // runs after both LISTENs on the reader's single connection
    const row = buildCustomer(person(1), 'org-mine', 1_000, nextId);
    await writer.insertMany('org-mine', [row]);
    await writer.update('org-mine', row.id, { notes: 'hi' }, { updatedAt: 2_000, expectedVersion: 1 });
    await writer.delete('org-mine', row.id);
    await writer.insertMany('org-third', [buildCustomer(person(2), 'org-third', 1_000, nextId)]);
    await vi.waitFor(() => expect(mine.map((e) => e.type)).toEqual(['insert', 'update', 'delete']), {
      timeout: 5_000,
    });
    expect(
      mine.every((e) => e.organizationId === 'org-mine' && e.ids.length === 1 && e.ids[0] === row.id),
    ).toBe(true);
    expect(others).toEqual([]);
    stop();
    stopOther();
  });

  it('sends ids: [] ("refetch") when a batch’s ids would not fit in a NOTIFY payload', async () => {
    const events: ChangeEvent[] = [];
    const stop = writer.subscribe('org-big', (e) => events.push(e));
    const batch = Array.from({ length: 400 }, (_, i) =>
      buildCustomer(person(100 + i), 'org-big', 1_000, nextId),
    );
    await writer.insertMany('org-big', batch);
    await writer.insertMany('org-big', [buildCustomer(person(9_999), 'org-big', 1_000, nextId)]);
    await vi.waitFor(() => expect(events.length).toBe(2), { timeout: 5_000 });
    expect(events[0]).toEqual({ type: 'insert', organizationId: 'org-big', ids: [] });
    expect(events[1]?.ids.length).toBe(1);
    stop();
  });
});
