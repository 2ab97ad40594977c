import { createPostgresAdapter, type PostgresAdapter } from '@donutauto/adapter-postgres';
import { type Customer, uuidv7 } from '@donutauto/core';
import { buildCustomer, type ChangePage } from '@donutauto/core/adapter';
import { customerDataFixture } from '@donutauto/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

const ORG = 'org_feed';

function customer(i: number): Customer {
  return buildCustomer(
    customerDataFixture({ firstName: `F${i}`, lastName: 'L', email: `p${i}@example.com` }),
    ORG,
    1_000 + i,
    uuidv7,
  );
}

const ids = (page: ChangePage) => page.changes.map((c) => (c.type === 'upsert' ? c.customer.id : c.id));

describe.runIf(DATABASE_URL)('changesSince across concurrent transactions (server)', () => {
  const schema = freshSchema('feed_horizon');
  const other = freshSchema('feed_elsewhere');
  let pool: pg.Pool;
  let adapter: PostgresAdapter;
  beforeAll(async () => {
    pool = createPool(6);
    adapter = createPostgresAdapter({ db: pool, schema });
    await adapter.migrate();
    await pool.query(`CREATE SCHEMA "${other}"`);
    await pool.query(`CREATE TABLE "${other}".busy (n int)`);
  });
  afterAll(async () => {
    await adapter.close();
    await dropSchema(pool, schema);
    await dropSchema(pool, other);
    await pool.end();
  });

  it('never hands out a cursor past a write that commits later', async () => {
    const [x, y] = [customer(1), customer(2)];
    await adapter.insertMany(ORG, [x]);
    const start = await adapter.changesSince(ORG, null, 100);
    // A transaction updates x and stays open; y is written and committed after it started.
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      await slow.query(
        `UPDATE "${schema}".customers SET notes = 'slow', version = version + 1, change_xid = pg_current_xact_id() WHERE id = $1`,
        [x.id],
      );
      await adapter.insertMany(ORG, [y]);
      const during = await adapter.changesSince(ORG, start.cursor, 100);
      expect(ids(during)).toEqual([]); // y waits behind the open transaction
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    const after = await adapter.changesSince(ORG, start.cursor, 100);
    expect(ids(after).sort()).toEqual([x.id, y.id].sort());
  });

  it('is not held back by a long transaction on tables of another schema', async () => {
    const busy = await pool.connect();
    try {
      await busy.query('BEGIN');
      await busy.query(`INSERT INTO "${other}".busy VALUES (1)`); // holds a transaction id
      const start = await adapter.changesSince(ORG, null, 1000);
      let cursor = start.cursor;
      for (let page = start; !page.isDone; page = await adapter.changesSince(ORG, cursor, 1000))
        cursor = page.cursor;
      const z = customer(3);
      await adapter.insertMany(ORG, [z]);
      expect(ids(await adapter.changesSince(ORG, cursor, 100))).toEqual([z.id]);
      await busy.query('ROLLBACK');
    } finally {
      busy.release();
    }
  });
});
