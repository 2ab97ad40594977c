import { createMemoryAdapter } from '@donutauto/core';
import {
  type ChangeEvent,
  normalizeEmail,
  normalizeFilter,
  type StorageAdapter,
} from '@donutauto/core/adapter';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { customerSetArbitrary, filterArbitrary, sortArbitrary } from './arbitraries';
import { registerCampaignConformance } from './campaign-conformance';
import { registerChangeFeedConformance } from './change-feed-conformance';
import { expectCode, freshOrg, listAll, make, person } from './conformance-helpers';
import { registerTextConformance } from './conformance-text';
import { registerConsentConformance } from './consent-conformance';
import { registerOutboxConformance } from './outbox-conformance';
import { registerPagingTests } from './paging-conformance';
import { registerSearchConformance } from './search-conformance';
import { registerSegmentConformance } from './segment-conformance';
import { registerTenantIsolationTests } from './tenant-isolation-conformance';

/** What an adapter can do beyond the required contract; the suite gates its tests on these. */
export interface AdapterCapabilities {
  /**
   * Subscribers of the adapter instance that wrote a change receive its event.
   * @defaultValue true
   */
  readonly changeEvents: boolean;
  /**
   * Deep random comparisons against the memory adapter: number of fast-check runs.
   * Lower it for slow backends. @defaultValue 25
   */
  readonly equivalenceRuns: number;
  /**
   * The adapter implements `OutboxStore` (it can be a synced adapter's local store).
   * @defaultValue false
   */
  readonly outbox: boolean;
}

/** Options of {@link runAdapterConformance}. */
export interface AdapterConformanceOptions {
  /** Name shown in the test report, e.g. `postgres (PGlite)`. */
  readonly name: string;
  /** Creates the adapter under test. Called once per suite; tests isolate themselves by organization id. */
  readonly factory: () => StorageAdapter | Promise<StorageAdapter>;
  /** Disposes what `factory` made (drop a schema, close a connection). */
  readonly teardown?: (adapter: StorageAdapter) => void | Promise<void>;
  /** What the adapter supports; unset entries take their defaults. */
  readonly capabilities?: Partial<AdapterCapabilities>;
  /** Per-test timeout in ms. @defaultValue 30000 */
  readonly timeoutMs?: number;
}

/**
 * Registers the storage-adapter conformance suite with vitest. Every adapter package runs it
 * against itself; the memory adapter runs it in core. It checks tenant isolation, unique emails per
 * organization, atomic batches, version conflicts, keyset pagination under concurrent inserts,
 * cursor validation, delete, change events, consent history and erasure, and — on random data —
 * that every filter selects exactly what the memory adapter selects.
 * @param options - Name, factory and capabilities of the adapter under test.
 * @example
 * runAdapterConformance({ name: 'memory', factory: () => createMemoryAdapter() });
 */
export function runAdapterConformance(options: AdapterConformanceOptions): void {
  const caps: AdapterCapabilities = {
    changeEvents: true,
    equivalenceRuns: 25,
    outbox: false,
    ...options.capabilities,
  };
  const timeout = options.timeoutMs ?? 30_000;

  describe(`StorageAdapter conformance: ${options.name}`, () => {
    let adapter: StorageAdapter;
    beforeAll(async () => {
      adapter = await options.factory();
    }, 120_000);
    afterAll(async () => {
      if (adapter) {
        await options.teardown?.(adapter);
      }
    }, 120_000);

    registerTenantIsolationTests(() => adapter, timeout);
    registerPagingTests(() => adapter, timeout);
    registerCampaignConformance({ adapter: () => adapter, timeout, equivalenceRuns: caps.equivalenceRuns });

    it('stores a batch and returns equal customers from get, getByEmails and list', { timeout }, async () => {
      const org = freshOrg('roundtrip');
      const rows = [
        make(
          org,
          person(1, {
            preferences: ['glazed', 'vegan'],
            tags: ['vip'],
            customFields: { tier: 'gold', visits: 3 },
          }),
          1_000,
        ),
        make(org, person(2, { dob: '--02-29', phone: '+4412345', instagramHandle: '@two' }), 1_001),
        make(
          org,
          person(3, { notes: 'Line one\nline "two", with comma', email: 'MiXeD@Example.com' }),
          1_002,
        ),
      ];
      await adapter.insertMany(org, rows);
      for (const row of rows) expect(await adapter.get(org, row.id)).toEqual(row);
      const byEmail = await adapter.getByEmails(org, [
        'mixed@example.com',
        'person1@example.com',
        'nobody@example.com',
      ]);
      expect(byEmail.map((c) => c.id).sort()).toEqual([rows[0]!.id, rows[2]!.id].sort());
      expect(await listAll(adapter, org, 10)).toEqual([...rows].reverse());
      expect(await adapter.count(org, {})).toBe(3);
    });

    it('returns copies: mutating a returned customer does not change the store', { timeout }, async () => {
      const org = freshOrg('copies');
      const row = make(org, person(1, { preferences: ['glazed'] }));
      await adapter.insertMany(org, [row]);
      const first = (await adapter.get(org, row.id))!;
      first.preferences.push('mutated');
      first.firstName = 'Mutated';
      expect(await adapter.get(org, row.id)).toEqual(row);
    });

    it('keeps copies: mutating an inserted customer afterwards does not change the store', {
      timeout,
    }, async () => {
      const org = freshOrg('kept-copies');
      const row = make(org, person(1, { preferences: ['glazed'], tags: ['vip'] }));
      const expected = structuredClone(row);
      await adapter.insertMany(org, [row]);
      row.preferences.push('mutated');
      row.tags.length = 0;
      (row.customFields as Record<string, unknown>).late = 'mutated';
      row.firstName = 'Mutated';
      expect(await adapter.get(org, row.id)).toEqual(expected);
    });

    it('isolates organizations on every method', { timeout }, async () => {
      const a = freshOrg('tenant-a');
      const b = freshOrg('tenant-b');
      const rowA = make(a, person(1));
      await adapter.insertMany(a, [rowA]);
      expect(await adapter.get(b, rowA.id)).toBeUndefined();
      expect(await adapter.getByEmails(b, [normalizeEmail(rowA.email)])).toEqual([]);
      expect(await adapter.count(b, {})).toBe(0);
      expect(
        (await adapter.list(b, { numItems: 10, cursor: null, filter: {}, sort: 'newest' })).page,
      ).toEqual([]);
      await expectCode(adapter.update(b, rowA.id, { firstName: 'Evil' }, { updatedAt: 2_000 }), 'not_found');
      await expectCode(
        adapter.updateMany(b, [{ id: rowA.id, patch: { firstName: 'Evil' } }], { updatedAt: 2_000 }),
        'not_found',
      );
      expect(await adapter.delete(b, rowA.id)).toBe(false);
      // The same email is free in another organization.
      await adapter.insertMany(b, [make(b, person(1))]);
      expect(await adapter.get(a, rowA.id)).toEqual(rowA);
      expect(await adapter.count(a, {})).toBe(1);
    });

    it('keeps emails unique per organization, case-insensitively', { timeout }, async () => {
      const org = freshOrg('unique');
      await adapter.insertMany(org, [make(org, person(1, { email: 'Sam@Example.com' }))]);
      const error = await expectCode(
        adapter.insertMany(org, [make(org, person(2, { email: 'sam@EXAMPLE.com' }))]),
        'duplicate_email',
      );
      expect((error as { email: string }).email).toBe('sam@example.com');
      expect(await adapter.count(org, {})).toBe(1);
    });

    it('writes a batch atomically: one bad row writes nothing', { timeout }, async () => {
      const org = freshOrg('atomic');
      await adapter.insertMany(org, [make(org, person(0))]);
      const againstStored = [
        make(org, person(1)),
        make(org, person(2)),
        make(org, person(0)),
        make(org, person(3)),
      ];
      const error = await expectCode(adapter.insertMany(org, againstStored), 'duplicate_email');
      expect((error as { index?: number }).index).toBe(2);
      const inBatch = [
        make(org, person(4)),
        make(org, person(5)),
        make(org, person(4, { firstName: 'Again' })),
      ];
      await expectCode(adapter.insertMany(org, inBatch), 'duplicate_email');
      expect(await adapter.count(org, {})).toBe(1);
      expect(await adapter.getByEmails(org, ['person1@example.com', 'person4@example.com'])).toEqual([]);
    });

    it('bumps versions and refuses stale expectedVersion without writing', { timeout }, async () => {
      const org = freshOrg('versions');
      const row = make(org, person(1));
      await adapter.insertMany(org, [row]);
      const v2 = await adapter.update(
        org,
        row.id,
        { firstName: 'Sam' },
        { updatedAt: 2_000, expectedVersion: 1 },
      );
      expect(v2).toMatchObject({ firstName: 'Sam', version: 2, updatedAt: 2_000, createdAt: row.createdAt });
      await expectCode(
        adapter.update(org, row.id, { firstName: 'Stale' }, { updatedAt: 3_000, expectedVersion: 1 }),
        'version_conflict',
      );
      const v3 = await adapter.update(org, row.id, { phone: '+15550100' }, { updatedAt: 3_000 });
      expect(v3).toMatchObject({ firstName: 'Sam', phone: '+15550100', version: 3 });
      expect(await adapter.get(org, row.id)).toEqual(v3);
      await expectCode(
        adapter.update(org, 'missing-id', { firstName: 'X' }, { updatedAt: 3_000 }),
        'not_found',
      );
    });

    it('clears optional fields and refuses an email taken by another customer', { timeout }, async () => {
      const org = freshOrg('update-fields');
      const [one, two] = [make(org, person(1, { phone: '+1555000', tags: ['vip'] })), make(org, person(2))];
      await adapter.insertMany(org, [one!, two!]);
      const cleared = await adapter.update(
        org,
        one!.id,
        { phone: null, tags: [], customFields: { a: 1 } },
        { updatedAt: 2_000 },
      );
      expect(cleared).toMatchObject({ phone: null, tags: [], customFields: { a: 1 } });
      await expectCode(
        adapter.update(org, two!.id, { email: 'PERSON1@example.com' }, { updatedAt: 2_000 }),
        'duplicate_email',
      );
      const moved = await adapter.update(org, one!.id, { email: 'new1@example.com' }, { updatedAt: 2_001 });
      expect(moved.email).toBe('new1@example.com');
      // The old email is free again.
      const renamed = await adapter.update(
        org,
        two!.id,
        { email: 'person1@example.com' },
        { updatedAt: 2_002 },
      );
      expect(renamed.email).toBe('person1@example.com');
    });

    it('applies updateMany atomically', { timeout }, async () => {
      const org = freshOrg('update-many');
      const rows = [make(org, person(1)), make(org, person(2)), make(org, person(3))];
      await adapter.insertMany(org, rows);
      await expectCode(
        adapter.updateMany(
          org,
          [
            { id: rows[0]!.id, patch: { notes: 'ok' }, expectedVersion: 1 },
            { id: rows[1]!.id, patch: { notes: 'stale' }, expectedVersion: 7 },
          ],
          { updatedAt: 2_000 },
        ),
        'version_conflict',
      );
      expect(await adapter.get(org, rows[0]!.id)).toEqual(rows[0]);
      const updated = await adapter.updateMany(
        org,
        [
          { id: rows[2]!.id, patch: { notes: 'three' } },
          { id: rows[0]!.id, patch: { notes: 'one' }, expectedVersion: 1 },
        ],
        { updatedAt: 2_000 },
      );
      expect(updated.map((c) => [c.id, c.notes, c.version])).toEqual([
        [rows[2]!.id, 'three', 2],
        [rows[0]!.id, 'one', 2],
      ]);
    });

    it('refuses moving an email between customers within one updateMany, writing nothing', {
      timeout,
    }, async () => {
      const org = freshOrg('update-many-swap');
      const [one, two] = [make(org, person(1)), make(org, person(2))];
      await adapter.insertMany(org, [one!, two!]);
      await expectCode(
        adapter.updateMany(
          org,
          [
            { id: one!.id, patch: { email: two!.email } },
            { id: two!.id, patch: { email: one!.email } },
          ],
          { updatedAt: 2_000 },
        ),
        'duplicate_email',
      );
      expect(await adapter.get(org, one!.id)).toEqual(one);
      expect(await adapter.get(org, two!.id)).toEqual(two);
    });

    it('deletes one customer and frees its email', { timeout }, async () => {
      const org = freshOrg('delete');
      const rows = [make(org, person(1)), make(org, person(2))];
      await adapter.insertMany(org, rows);
      expect(await adapter.delete(org, rows[0]!.id)).toBe(true);
      expect(await adapter.delete(org, rows[0]!.id)).toBe(false);
      expect(await adapter.get(org, rows[0]!.id)).toBeUndefined();
      expect(await adapter.count(org, {})).toBe(1);
      expect((await listAll(adapter, org, 5)).map((c) => c.id)).toEqual([rows[1]!.id]);
      await adapter.insertMany(org, [make(org, person(1))]);
      expect(await adapter.count(org, {})).toBe(2);
    });

    it('paginates newest-first, visiting every row exactly once while rows are inserted', {
      timeout,
    }, async () => {
      const org = freshOrg('paging');
      // Ties on createdAt are frequent on purpose: the id breaks them.
      const rows = Array.from({ length: 120 }, (_, i) => make(org, person(i), 1_000 + Math.floor(i / 7)));
      await adapter.insertMany(org, rows);
      const seen: string[] = [];
      let cursor: string | null = null;
      let inserted = 0;
      for (;;) {
        const result = await adapter.list(org, { numItems: 9, cursor, filter: {}, sort: 'newest' });
        seen.push(...result.page.map((c) => c.id));
        // A concurrent writer adds newer rows (and rows tied with the cursor) between pages.
        await adapter.insertMany(org, [
          make(org, person(10_000 + inserted), 5_000 + inserted),
          make(org, person(20_000 + inserted), 1_000 + (inserted % 17)),
        ]);
        inserted++;
        if (result.isDone) break;
        cursor = result.continueCursor;
      }
      const original = new Set(rows.map((r) => r.id));
      const visitedOriginal = seen.filter((id) => original.has(id));
      expect(new Set(seen).size).toBe(seen.length);
      expect(visitedOriginal.length).toBe(rows.length);
      const expectedOrder = [...rows]
        .sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1))
        .reverse()
        .map((r) => r.id);
      expect(visitedOriginal).toEqual(expectedOrder);
    });

    it('paginates oldest-first and ends with isDone', { timeout }, async () => {
      const org = freshOrg('paging-oldest');
      const rows = Array.from({ length: 25 }, (_, i) => make(org, person(i), 2_000 + i));
      await adapter.insertMany(org, rows);
      const all = await listAll(adapter, org, 5, {}, 'oldest');
      expect(all.map((c) => c.id)).toEqual(rows.map((r) => r.id));
      const exact = await adapter.list(org, { numItems: 25, cursor: null, filter: {}, sort: 'oldest' });
      expect(exact.isDone).toBe(true);
      const empty = await adapter.list(freshOrg('empty'), {
        numItems: 5,
        cursor: null,
        filter: {},
        sort: 'newest',
      });
      expect(empty).toMatchObject({ page: [], isDone: true });
    });

    it('refuses malformed, tampered and foreign cursors', { timeout }, async () => {
      const org = freshOrg('cursor');
      const other = freshOrg('cursor-other');
      await adapter.insertMany(
        org,
        Array.from({ length: 4 }, (_, i) => make(org, person(i), 1_000 + i)),
      );
      await adapter.insertMany(other, [make(other, person(1))]);
      const first = await adapter.list(org, { numItems: 2, cursor: null, filter: {}, sort: 'newest' });
      expect(first.isDone).toBe(false);
      const query = { numItems: 2, filter: {}, sort: 'newest' as const };
      await expectCode(adapter.list(org, { ...query, cursor: 'not-a-cursor' }), 'invalid_cursor');
      await expectCode(adapter.list(org, { ...query, cursor: '' }), 'invalid_cursor');
      const c = first.continueCursor;
      const flipped = c.slice(0, 3) + (c[3] === 'A' ? 'B' : 'A') + c.slice(4);
      await expectCode(adapter.list(org, { ...query, cursor: flipped }), 'invalid_cursor');
      await expectCode(adapter.list(other, { ...query, cursor: c }), 'invalid_cursor');
      await expectCode(adapter.list(org, { ...query, sort: 'oldest', cursor: c }), 'invalid_cursor');
      await expectCode(adapter.list(org, { ...query, filter: { text: 'x' }, cursor: c }), 'invalid_cursor');
      const second = await adapter.list(org, { ...query, cursor: c });
      expect(second.page.length).toBe(2);
    });

    it.runIf(caps.changeEvents)(
      'emits change events to the organization’s subscribers only',
      { timeout },
      async () => {
        const org = freshOrg('events');
        const other = freshOrg('events-other');
        const events: ChangeEvent[] = [];
        const foreign: ChangeEvent[] = [];
        const stop = adapter.subscribe(org, (e) => events.push(e));
        const stopOther = adapter.subscribe(other, (e) => foreign.push(e));
        const row = make(org, person(1));
        await adapter.insertMany(org, [row]);
        await adapter.update(org, row.id, { notes: 'hi' }, { updatedAt: 2_000 });
        await adapter.delete(org, row.id);
        await vi.waitFor(() => expect(events.map((e) => e.type)).toEqual(['insert', 'update', 'delete']), {
          timeout: 5_000,
        });
        for (const event of events) {
          expect(event.organizationId).toBe(org);
          if (event.ids.length > 0) expect(event.ids).toEqual([row.id]);
        }
        expect(foreign).toEqual([]);
        stop();
        await adapter.insertMany(org, [make(org, person(2))]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(events.length).toBe(3);
        stopOther();
      },
    );

    it('selects and orders exactly what the memory adapter does for random data, filters and sorts', {
      timeout: timeout * 4,
    }, async () => {
      await fc.assert(
        fc.asyncProperty(
          customerSetArbitrary(0, 30, { unicode: true }),
          fc.array(fc.tuple(fc.integer({ min: 1_000, max: 1_060 }), fc.integer({ min: 0, max: 60 })), {
            minLength: 30,
            maxLength: 30,
          }),
          fc.array(fc.tuple(filterArbitrary, sortArbitrary), { minLength: 1, maxLength: 4 }),
          fc.integer({ min: 1, max: 8 }),
          async (data, times, queries, pageSize) => {
            const org = freshOrg('equiv');
            // Creation times tie often (the id breaks ties); update times vary independently.
            const rows = data.map((d, i) => {
              const [createdAt, edited] = times[i]!;
              return { ...make(org, d, createdAt), updatedAt: createdAt + edited };
            });
            const reference = createMemoryAdapter();
            await reference.insertMany(org, rows);
            await adapter.insertMany(org, rows);
            for (const [raw, sort] of queries) {
              const filter = normalizeFilter(raw);
              const expected = (await listAll(reference, org, 1000, filter, sort)).map((c) => c.id);
              const actual = (await listAll(adapter, org, pageSize, filter, sort)).map((c) => c.id);
              expect(actual).toEqual(expected);
              expect(await adapter.count(org, filter)).toBe(expected.length);
            }
          },
        ),
        { numRuns: caps.equivalenceRuns },
      );
    });

    registerTextConformance({ adapter: () => adapter, freshOrg, make, runs: caps.equivalenceRuns, timeout });
    registerSearchConformance(() => adapter, { timeout, equivalenceRuns: caps.equivalenceRuns });
    registerSegmentConformance(() => adapter, { timeout });
    registerConsentConformance(() => adapter, { timeout });
    registerChangeFeedConformance(() => adapter, { timeout, runs: Math.max(5, caps.equivalenceRuns) });
    if (caps.outbox) registerOutboxConformance(() => adapter, { timeout });
  });
}
