/**
 * Conformance checks of the `ChangeFeedStore` part of the storage contract. Registered by
 * `runAdapterConformance`, so every adapter runs them.
 */
import type { Customer } from '@donutauto/core';
import type { ChangePage, StorageAdapter } from '@donutauto/core/adapter';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { expectCode, freshOrg, listAll, make, person } from './conformance-helpers';

/** Options of {@link registerChangeFeedConformance}. */
export interface ChangeFeedConformanceOptions {
  /** Per-test timeout in ms. */
  readonly timeout: number;
  /** fast-check runs of the replica property. */
  readonly runs: number;
}

/** What a reader of the feed holds: id → customer, and its cursor. */
interface Replica {
  readonly customers: Map<string, Customer>;
  cursor: string | null;
}

/** Applies one page to a replica, checking that it names each customer at most once. */
function apply(replica: Replica, page: ChangePage): void {
  const ids = page.changes.map((c) => (c.type === 'upsert' ? c.customer.id : c.id));
  expect(new Set(ids).size).toBe(ids.length);
  for (const change of page.changes) {
    if (change.type === 'upsert') replica.customers.set(change.customer.id, change.customer);
    else replica.customers.delete(change.id);
  }
  replica.cursor = page.cursor;
}

/**
 * Reads the feed until it is done and the replica equals the store. A store may show a change
 * only once every write that started before it has finished (PostgreSQL's transaction horizon),
 * and other sessions may hold one open for a moment: the comparison is retried for a while.
 */
async function catchUp(adapter: StorageAdapter, org: string, replica: Replica, limit: number) {
  const expected = await listAll(adapter, org, 1000, {}, 'oldest');
  const deadline = Date.now() + 60_000;
  for (;;) {
    for (let guard = 0; guard < 10_000; guard++) {
      const page = await adapter.changesSince(org, replica.cursor, limit);
      expect(page.changes.length).toBeLessThanOrEqual(limit);
      apply(replica, page);
      if (page.isDone) break;
    }
    const held = [...replica.customers.values()].sort(byId);
    if (canonicalJson(held) === canonicalJson([...expected].sort(byId)) || Date.now() > deadline) {
      expect(held).toEqual([...expected].sort(byId));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** JSON with every object's keys sorted: equal for deeply equal data whatever the key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function byId(a: Customer, b: Customer): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function replica(): Replica {
  return { customers: new Map(), cursor: null };
}

/**
 * Registers the change-feed checks.
 * @param adapter - Returns the adapter under test (created in the suite's `beforeAll`).
 * @param options - Timeout and the number of property runs.
 */
export function registerChangeFeedConformance(
  adapter: () => StorageAdapter,
  options: ChangeFeedConformanceOptions,
): void {
  const { timeout } = options;

  it('changesSince(null) returns every stored customer, page by page', { timeout }, async () => {
    const a = adapter();
    const org = freshOrg('feed-all');
    const rows = Array.from({ length: 7 }, (_, i) => make(org, person(i), 1_000 + i));
    await a.insertMany(org, rows.slice(0, 4));
    await a.insertMany(org, rows.slice(4));
    const reader = replica();
    await catchUp(a, org, reader, 3);
    expect(reader.customers.size).toBe(7);
    const again = await a.changesSince(org, reader.cursor, 10);
    expect(again.changes).toEqual([]);
    expect(again.isDone).toBe(true);
  });

  it('shows later writes after the cursor: updates once with their last state, deletes as ids', {
    timeout,
  }, async () => {
    const a = adapter();
    const org = freshOrg('feed-later');
    const [x, y, z] = [make(org, person(1)), make(org, person(2)), make(org, person(3))];
    await a.insertMany(org, [x!, y!, z!]);
    const reader = replica();
    await catchUp(a, org, reader, 100);
    await a.update(org, x!.id, { notes: 'first' }, { updatedAt: 2_000 });
    await a.update(org, x!.id, { notes: 'second' }, { updatedAt: 2_001 });
    await a.delete(org, y!.id);
    const w = make(org, person(4), 3_000);
    await a.insertMany(org, [w]);
    const before = reader.cursor;
    await catchUp(a, org, reader, 100);
    // Collected from the cursor on: exactly the three changed customers, each once.
    const changes: ChangePage['changes'] = [];
    let cursor = before;
    for (let guard = 0; guard < 100; guard++) {
      const page = await a.changesSince(org, cursor, 100);
      changes.push(...page.changes);
      cursor = page.cursor;
      if (page.isDone) break;
    }
    const byKey = new Map(changes.map((c) => [c.type === 'upsert' ? c.customer.id : c.id, c]));
    expect(byKey.size).toBe(3);
    expect(byKey.get(y!.id)).toEqual({ type: 'delete', id: y!.id });
    const xChange = byKey.get(x!.id);
    expect(xChange?.type === 'upsert' && xChange.customer).toEqual(await a.get(org, x!.id));
    expect(xChange?.type === 'upsert' && xChange.customer.notes).toBe('second');
    expect(byKey.get(w.id)).toEqual({ type: 'upsert', customer: w });
    expect(byKey.has(z!.id)).toBe(false);
  });

  it('shows an erased customer as a delete, so replicas forget them too', { timeout }, async () => {
    const a = adapter();
    const org = freshOrg('feed-erase');
    const kept = make(org, person(1), 1_000);
    const erased = make(org, person(2), 1_000);
    await a.insertMany(org, [kept, erased]);
    const replica: Replica = { customers: new Map(), cursor: null };
    await catchUp(a, org, replica, 10);
    expect(replica.customers.has(erased.id)).toBe(true);
    const tombstone = { organizationId: org, emailHash: 'e'.repeat(64), erasedAt: 2_000 };
    expect(await a.eraseCustomer(org, erased.id, { tombstone, expectedVersion: 1 })).toBe(true);
    await catchUp(a, org, replica, 10);
    expect([...replica.customers.keys()]).toEqual([kept.id]);
  });

  it('keeps organizations apart and refuses foreign, altered or malformed cursors and bad limits', {
    timeout,
  }, async () => {
    const a = adapter();
    const orgA = freshOrg('feed-a');
    const orgB = freshOrg('feed-b');
    await a.insertMany(orgA, [make(orgA, person(1))]);
    const b = await a.changesSince(orgB, null, 10);
    expect(b.changes).toEqual([]);
    expect(b.isDone).toBe(true);
    const fromA = await a.changesSince(orgA, null, 10);
    await expectCode(a.changesSince(orgB, fromA.cursor, 10), 'invalid_cursor');
    await expectCode(a.changesSince(orgA, `x${fromA.cursor}`, 10), 'invalid_cursor');
    await expectCode(a.changesSince(orgA, 'not-a-cursor', 10), 'invalid_cursor');
    await expectCode(a.changesSince(orgA, null, 0), 'invalid_argument');
    await expectCode(a.changesSince(orgA, null, 1001), 'invalid_argument');
    await expectCode(a.changesSince(orgA, null, 1.5), 'invalid_argument');
  });

  it('a replica fed by the feed between random writes ends equal to the store', { timeout }, async () => {
    const a = adapter();
    const op = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), count: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), notes: fc.string({ maxLength: 8 }) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('read' as const), limit: fc.integer({ min: 1, max: 4 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        const org = freshOrg('feed-prop');
        const live: string[] = [];
        const reader = replica();
        let n = 0;
        let clock = 10_000;
        for (const step of ops) {
          clock++;
          if (step.kind === 'insert') {
            const rows = Array.from({ length: step.count }, () => make(org, person(n++), clock));
            await a.insertMany(org, rows);
            live.push(...rows.map((r) => r.id));
          } else if (step.kind === 'update' && live.length > 0) {
            const id = live[step.pick % live.length]!;
            await a.update(org, id, { notes: step.notes }, { updatedAt: clock });
          } else if (step.kind === 'delete' && live.length > 0) {
            const [id] = live.splice(step.pick % live.length, 1);
            await a.delete(org, id!);
          } else if (step.kind === 'read') {
            apply(reader, await a.changesSince(org, reader.cursor, step.limit));
          }
        }
        await catchUp(a, org, reader, 2);
      }),
      { numRuns: options.runs },
    );
  });
}
