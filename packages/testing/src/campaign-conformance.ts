import { CAMPAIGN_STATUSES, createMemoryAdapter, isCustomerError } from '@donutauto/core';
import type {
  CampaignClaim,
  CampaignFilter,
  CampaignRecord,
  CampaignRunRecord,
  CampaignStatus,
  StorageAdapter,
} from '@donutauto/core/adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

/** What the campaign checks need from the suite that registers them. */
export interface CampaignConformanceOptions {
  /** The adapter under test (created by the suite's `beforeAll`). */
  readonly adapter: () => StorageAdapter;
  /** Per-test timeout in ms. */
  readonly timeout: number;
  /** fast-check runs of the random listing comparison. */
  readonly equivalenceRuns: number;
}

let counter = 0;
function unique(label: string): string {
  counter++;
  return `${label}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Ids that sort like the records' creation order within one millisecond (as UUID v7 do). */
function campaignId(createdAt: number, n: number): string {
  return `${createdAt.toString(36).padStart(9, '0')}-${String(n).padStart(6, '0')}-${Math.random().toString(36).slice(2, 6)}`;
}

function run(org: string, createdAt = 1_000, id = unique('run')): CampaignRunRecord {
  return {
    id,
    organizationId: org,
    request: {
      target: { customerIds: ['c1', 'c2'] },
      title: 'Glazed week ☕ "quoted"',
      contentTypes: ['fact', 'quiz'],
      platforms: ['email', 'twitter_post'],
      instructions: null,
      requestedBy: 'user-7',
    },
    preparedAt: null,
    createdAt,
    updatedAt: createdAt,
  };
}

let recordCounter = 0;
function record(org: string, runId: string, fields: Partial<CampaignRecord> = {}): CampaignRecord {
  recordCounter++;
  const createdAt = fields.createdAt ?? 1_000;
  return {
    id: campaignId(createdAt, recordCounter),
    organizationId: org,
    customerId: `customer-${recordCounter}`,
    runId,
    title: 'Glazed week',
    contentType: 'fact',
    platform: 'email',
    status: 'queued',
    content: null,
    error: null,
    attempts: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    version: 1,
    createdAt,
    updatedAt: createdAt,
    ...fields,
  };
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expect(isCustomerError(error) ? error.code : error).toBe(code);
    return error;
  }
  throw new Error(`expected a ${code} error, but the call succeeded`);
}

async function listAll(
  adapter: StorageAdapter,
  org: string,
  filter: CampaignFilter,
  sort: 'newest' | 'oldest',
  numItems: number,
): Promise<CampaignRecord[]> {
  const out: CampaignRecord[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const result = await adapter.listCampaigns(org, { numItems, cursor, filter, sort });
    expect(result.page.length).toBeLessThanOrEqual(numItems);
    out.push(...result.page);
    if (result.isDone) return out;
    cursor = result.continueCursor;
  }
  throw new Error('pagination did not terminate');
}

const lease = (now: number, owner = 'runner-a', ms = 60_000): CampaignClaim => ({
  runId: '',
  statuses: ['queued'],
  limit: 10,
  now,
  status: 'in_progress',
  leaseOwner: owner,
  leaseExpiresAt: now + ms,
});

/**
 * Registers the campaign-store checks of the conformance suite (called by `runAdapterConformance`
 * inside its own `describe`, on the same adapter). They check runs and their counts, atomic record
 * batches with one record per (run, customer, content type, platform), claims that hand each record
 * to one claimer (concurrent claims included) and respect leases, compare-and-set status writes,
 * tenant isolation, and keyset listings that select and order exactly as the memory adapter does.
 * @param options - The adapter accessor, timeout and number of random runs.
 */
export function registerCampaignConformance(options: CampaignConformanceOptions): void {
  const { timeout } = options;
  describe('campaign store', () => {
    it('stores a run and its campaigns and reads them back equal, with counts', { timeout }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaigns');
      const r = run(org);
      await adapter.insertCampaignRun(org, r);
      const records = [
        record(org, r.id, {
          status: 'completed',
          content: {
            text: 'Hi Zoë 🍩\nLine two, "quoted"',
            subject: 'A treat',
            assets: [
              { url: 'https://cdn.example/a.png', mediaType: 'image/png', alt: 'A donut' },
              { url: 'data:,x' },
            ],
          },
          attempts: 2,
          version: 3,
        }),
        record(org, r.id, {
          status: 'failed',
          error: { code: 'generation_failed', message: 'Rate limited' },
          attempts: 3,
        }),
        record(org, r.id, {
          status: 'in_progress',
          leaseOwner: 'runner-x',
          leaseExpiresAt: 9_999,
          platform: 'twitter_post',
        }),
        record(org, r.id, {
          contentType: 'custom',
          platform: 'tiktok_video',
          content: { text: 'only text' },
        }),
      ];
      expect(await adapter.insertCampaigns(org, records)).toBe(4);
      expect(await listAll(adapter, org, { runId: r.id }, 'oldest', 10)).toEqual(records);
      expect(await adapter.getCampaignRun(org, r.id)).toEqual({
        ...r,
        counts: { total: 4, queued: 1, inProgress: 1, completed: 1, failed: 1, cancelled: 0 },
      });
      expect(await adapter.getCampaignRun(org, 'missing')).toBeUndefined();
      expect(await adapter.markCampaignRunPrepared(org, r.id, 2_000)).toBe(true);
      expect(await adapter.markCampaignRunPrepared(org, 'missing', 2_000)).toBe(false);
      expect(await adapter.getCampaignRun(org, r.id)).toMatchObject({ preparedAt: 2_000, updatedAt: 2_000 });
      const empty = run(org, 1_001);
      await adapter.insertCampaignRun(org, empty);
      expect((await adapter.getCampaignRun(org, empty.id))?.counts).toEqual({
        total: 0,
        queued: 0,
        inProgress: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      });
      await expectCode(adapter.insertCampaignRun(org, empty), 'storage_failed');
      await expectCode(adapter.insertCampaignRun(unique('other'), run(org)), 'invalid_argument');
    });

    it('returns copies of campaigns and runs', { timeout }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-copies');
      const r = run(org);
      await adapter.insertCampaignRun(org, r);
      const original = record(org, r.id, {
        status: 'completed',
        content: { text: 'kept', assets: [{ url: 'u' }] },
      });
      const expected = structuredClone(original);
      await adapter.insertCampaigns(org, [original]);
      (original.content as { text: string }).text = 'mutated after insert';
      const [read] = (
        await adapter.listCampaigns(org, { numItems: 5, cursor: null, filter: {}, sort: 'newest' })
      ).page;
      expect(read).toEqual(expected);
      (read!.content!.assets![0] as { url: string }).url = 'mutated after read';
      const stored = await adapter.getCampaignRun(org, r.id);
      (stored!.request.platforms as string[]).push('mutated');
      expect(
        (await adapter.listCampaigns(org, { numItems: 5, cursor: null, filter: {}, sort: 'newest' })).page,
      ).toEqual([expected]);
      expect((await adapter.getCampaignRun(org, r.id))?.request).toEqual(r.request);
    });

    it('creates one campaign per run, customer, content type and platform', { timeout }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-keys');
      const r = run(org);
      const first = record(org, r.id, { customerId: 'c1' });
      expect(await adapter.insertCampaigns(org, [first])).toBe(1);
      const again = [
        record(org, r.id, { customerId: 'c1' }),
        record(org, r.id, { customerId: 'c1', platform: 'twitter_post' }),
        record(org, r.id, { customerId: 'c2' }),
        record(org, r.id, { customerId: 'c2' }),
        record(org, 'other-run', { customerId: 'c1' }),
      ];
      expect(await adapter.insertCampaigns(org, again)).toBe(3);
      const stored = await listAll(adapter, org, {}, 'oldest', 10);
      expect(stored.map((c) => c.id)).toEqual([first.id, again[1]!.id, again[2]!.id, again[4]!.id]);
    });

    it('writes a campaign batch atomically: a foreign or repeated record writes nothing', {
      timeout,
    }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-atomic');
      const stored = record(org, 'run-1');
      await adapter.insertCampaigns(org, [stored]);
      const foreign = [record(org, 'run-1'), record(unique('other'), 'run-1')];
      const error = await expectCode(adapter.insertCampaigns(org, foreign), 'invalid_argument');
      expect((error as { argument: string }).argument).toBe('records[1].organizationId');
      const fresh = record(org, 'run-1');
      await expectCode(
        adapter.insertCampaigns(org, [fresh, { ...fresh, customerId: 'x' }]),
        'invalid_argument',
      );
      await expectCode(
        adapter.insertCampaigns(org, [record(org, 'run-1'), { ...stored, customerId: 'someone-else' }]),
        'storage_failed',
      );
      expect((await listAll(adapter, org, {}, 'oldest', 10)).map((c) => c.id)).toEqual([stored.id]);
      expect(await adapter.insertCampaigns(org, [])).toBe(0);
    });

    it('claims queued campaigns oldest first under a lease, each by one claimer', { timeout }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-claims');
      const r = run(org);
      const records = Array.from({ length: 30 }, (_, i) =>
        record(org, r.id, { createdAt: 1_000 + Math.floor(i / 4) }),
      );
      await adapter.insertCampaigns(org, [...records].reverse());
      const claims = await Promise.all(
        ['a', 'b', 'c'].map((owner) =>
          adapter.claimCampaigns(org, { ...lease(5_000, owner), runId: r.id, limit: 8 }),
        ),
      );
      const all = claims.flat();
      expect(all.length).toBe(24);
      expect(new Set(all.map((c) => c.id)).size).toBe(24);
      expect(new Set(all.map((c) => c.id))).toEqual(new Set(records.slice(0, 24).map((c) => c.id)));
      for (const [i, claimed] of claims.entries()) {
        expect(claimed.length).toBe(8);
        expect(claimed.map((c) => c.id)).toEqual([...claimed].sort(byKey).map((c) => c.id));
        for (const c of claimed) {
          expect(c).toMatchObject({
            status: 'in_progress',
            leaseOwner: ['a', 'b', 'c'][i],
            leaseExpiresAt: 65_000,
            version: 2,
            updatedAt: 5_000,
          });
        }
      }
      // Leased records are not claimable before their lease expires, even when asked for.
      const rest = await adapter.claimCampaigns(org, {
        ...lease(6_000, 'd'),
        runId: r.id,
        statuses: ['queued', 'in_progress'],
        limit: 100,
      });
      expect(rest.map((c) => c.id)).toEqual(records.slice(24).map((c) => c.id));
      expect(
        await adapter.claimCampaigns(org, {
          ...lease(6_000, 'e'),
          runId: r.id,
          statuses: ['queued'],
          limit: 100,
        }),
      ).toEqual([]);
      expect(await adapter.claimCampaigns(org, { ...lease(6_000), runId: 'unknown-run' })).toEqual([]);
    });

    it('takes over expired leases, claims failed campaigns when asked, and cancels', {
      timeout,
    }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-takeover');
      const r = run(org);
      const live = record(org, r.id, {
        status: 'in_progress',
        leaseOwner: 'old',
        leaseExpiresAt: 10_000,
        version: 4,
      });
      const expired = record(org, r.id, {
        status: 'in_progress',
        leaseOwner: 'dead',
        leaseExpiresAt: 5_000,
        version: 2,
      });
      const failed = record(org, r.id, {
        status: 'failed',
        error: { code: 'generation_failed', message: 'x' },
        attempts: 3,
      });
      const done = record(org, r.id, { status: 'completed', content: { text: 'ok' } });
      const queued = record(org, r.id);
      await adapter.insertCampaigns(org, [live, expired, failed, done, queued]);
      const takeover = await adapter.claimCampaigns(org, {
        ...lease(5_000, 'new'),
        runId: r.id,
        statuses: ['in_progress'],
      });
      expect(takeover).toEqual([
        { ...expired, leaseOwner: 'new', leaseExpiresAt: 65_000, version: 3, updatedAt: 5_000 },
      ]);
      const retry = await adapter.claimCampaigns(org, {
        ...lease(5_001, 'retry'),
        runId: r.id,
        statuses: ['failed'],
      });
      expect(retry).toEqual([
        {
          ...failed,
          status: 'in_progress',
          leaseOwner: 'retry',
          leaseExpiresAt: 65_001,
          version: 2,
          updatedAt: 5_001,
        },
      ]);
      const cancelled = await adapter.claimCampaigns(org, {
        runId: r.id,
        statuses: ['queued', 'in_progress'],
        limit: 10,
        now: 20_000,
        status: 'cancelled',
        error: { code: 'aborted', message: 'Aborted' },
      });
      // The live lease expired by now too: everything not ended is cancelled, oldest first.
      expect(cancelled.map((c) => c.id)).toEqual([live.id, queued.id]);
      for (const c of cancelled) {
        expect(c).toMatchObject({
          status: 'cancelled',
          leaseOwner: null,
          leaseExpiresAt: null,
          error: { code: 'aborted', message: 'Aborted' },
          updatedAt: 20_000,
        });
      }
      const statuses = (await listAll(adapter, org, { runId: r.id }, 'oldest', 10)).map((c) => [
        c.id,
        c.status,
      ]);
      expect(statuses).toEqual([
        [live.id, 'cancelled'],
        [expired.id, 'in_progress'],
        [failed.id, 'in_progress'],
        [done.id, 'completed'],
        [queued.id, 'cancelled'],
      ]);
    });

    it('applies compare-and-set status writes and reports the ones that moved on', { timeout }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-cas');
      const [a, b, c] = [record(org, 'r'), record(org, 'r'), record(org, 'r')];
      await adapter.insertCampaigns(org, [a!, b!, c!]);
      const result = await adapter.updateCampaigns(
        org,
        [
          {
            id: a!.id,
            expectedVersion: 1,
            patch: {
              status: 'completed',
              content: { text: 'Done', subject: 'S' },
              attempts: 1,
              leaseOwner: null,
            },
          },
          { id: b!.id, expectedVersion: 7, patch: { status: 'failed' } },
          { id: 'missing', expectedVersion: 1, patch: { status: 'failed' } },
          { id: c!.id, expectedVersion: 1, patch: { leaseExpiresAt: 77_000, leaseOwner: 'me' } },
        ],
        { updatedAt: 3_000 },
      );
      expect(result.conflicts.sort()).toEqual([b!.id, 'missing'].sort());
      expect(result.updated).toEqual([
        {
          ...a,
          status: 'completed',
          content: { text: 'Done', subject: 'S' },
          attempts: 1,
          version: 2,
          updatedAt: 3_000,
        },
        { ...c, leaseExpiresAt: 77_000, leaseOwner: 'me', version: 2, updatedAt: 3_000 },
      ]);
      const cleared = await adapter.updateCampaigns(
        org,
        [{ id: a!.id, expectedVersion: 2, patch: { content: null, error: { code: 'x', message: 'y' } } }],
        { updatedAt: 4_000 },
      );
      expect(cleared.updated[0]).toMatchObject({
        content: null,
        error: { code: 'x', message: 'y' },
        version: 3,
      });
      expect(await listAll(adapter, org, { status: 'queued' }, 'oldest', 5)).toEqual([
        b,
        { ...c, leaseExpiresAt: 77_000, leaseOwner: 'me', version: 2, updatedAt: 3_000 },
      ]);
      const twice = adapter.updateCampaigns(
        org,
        [
          { id: b!.id, expectedVersion: 1, patch: { status: 'failed' } },
          { id: b!.id, expectedVersion: 1, patch: { status: 'completed' } },
        ],
        { updatedAt: 5_000 },
      );
      await expectCode(twice, 'invalid_argument');
      expect((await listAll(adapter, org, { status: 'queued' }, 'oldest', 5)).map((x) => x.id)).toContain(
        b!.id,
      );
      expect(await adapter.updateCampaigns(org, [], { updatedAt: 1 })).toEqual({
        updated: [],
        conflicts: [],
      });
    });

    it('isolates organizations on every campaign method', { timeout }, async () => {
      const adapter = options.adapter();
      const a = unique('tenant-a');
      const b = unique('tenant-b');
      const r = run(a);
      await adapter.insertCampaignRun(a, r);
      const mine = record(a, r.id);
      await adapter.insertCampaigns(a, [mine]);
      expect(await adapter.getCampaignRun(b, r.id)).toBeUndefined();
      expect(await adapter.markCampaignRunPrepared(b, r.id, 5)).toBe(false);
      expect((await adapter.listCampaignRuns(b, { numItems: 10, cursor: null })).page).toEqual([]);
      expect(await adapter.claimCampaigns(b, { ...lease(5_000), runId: r.id })).toEqual([]);
      const stolen = await adapter.updateCampaigns(
        b,
        [{ id: mine.id, expectedVersion: 1, patch: { status: 'failed' } }],
        {
          updatedAt: 2,
        },
      );
      expect(stolen).toEqual({ updated: [], conflicts: [mine.id] });
      expect(
        (await adapter.listCampaigns(b, { numItems: 10, cursor: null, filter: {}, sort: 'newest' })).page,
      ).toEqual([]);
      // The same ids are free in another organization.
      await adapter.insertCampaignRun(b, { ...r, organizationId: b });
      expect(await adapter.insertCampaigns(b, [{ ...mine, organizationId: b }])).toBe(1);
      expect(await listAll(adapter, a, {}, 'newest', 5)).toEqual([mine]);
      expect((await adapter.getCampaignRun(a, r.id))?.counts.total).toBe(1);
    });

    it('lists runs newest first with their counts, by keyset', { timeout }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-runs');
      const runs = Array.from({ length: 7 }, (_, i) => run(org, 1_000 + Math.floor(i / 2), `run-${i}`));
      for (const r of runs) await adapter.insertCampaignRun(org, r);
      await adapter.insertCampaigns(org, [record(org, 'run-6'), record(org, 'run-6', { status: 'failed' })]);
      const seen: string[] = [];
      let cursor: string | null = null;
      for (;;) {
        const result = await adapter.listCampaignRuns(org, { numItems: 3, cursor });
        seen.push(...result.page.map((r) => r.id));
        if (result.page[0]?.id === 'run-6') {
          expect(result.page[0].counts).toMatchObject({ total: 2, queued: 1, failed: 1 });
        }
        if (result.isDone) break;
        cursor = result.continueCursor;
      }
      expect(seen).toEqual(
        [...runs]
          .sort(byKey)
          .reverse()
          .map((r) => r.id),
      );
    });

    it('refuses malformed, tampered and foreign campaign cursors', { timeout }, async () => {
      const adapter = options.adapter();
      const org = unique('org-campaign-cursor');
      await adapter.insertCampaigns(org, [record(org, 'r'), record(org, 'r'), record(org, 'r')]);
      const query = { numItems: 1, filter: { runId: 'r' }, sort: 'newest' as const };
      const first = await adapter.listCampaigns(org, { ...query, cursor: null });
      expect(first.isDone).toBe(false);
      const c = first.continueCursor;
      const flipped = c.slice(0, 3) + (c[3] === 'A' ? 'B' : 'A') + c.slice(4);
      await expectCode(adapter.listCampaigns(org, { ...query, cursor: 'not-a-cursor' }), 'invalid_cursor');
      await expectCode(adapter.listCampaigns(org, { ...query, cursor: flipped }), 'invalid_cursor');
      await expectCode(adapter.listCampaigns(unique('other'), { ...query, cursor: c }), 'invalid_cursor');
      await expectCode(adapter.listCampaigns(org, { ...query, sort: 'oldest', cursor: c }), 'invalid_cursor');
      await expectCode(
        adapter.listCampaigns(org, { ...query, filter: { status: 'queued' }, cursor: c }),
        'invalid_cursor',
      );
      await expectCode(adapter.listCampaignRuns(org, { numItems: 1, cursor: c }), 'invalid_cursor');
      expect((await adapter.listCampaigns(org, { ...query, cursor: c })).page.length).toBe(1);
    });

    it('lists campaigns exactly as the memory adapter does for random records and filters', {
      timeout: timeout * 4,
    }, async () => {
      const adapter = options.adapter();
      const status = fc.constantFrom<CampaignStatus>(...CAMPAIGN_STATUSES);
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              customer: fc.constantFrom('c1', 'c2', 'c3'),
              run: fc.constantFrom('r1', 'r2'),
              status,
              contentType: fc.constantFrom('quiz', 'fact', 'myth', 'general', 'custom' as const),
              platform: fc.constantFrom('email', 'twitter_post', 'instagram_post' as const),
              createdAt: fc.integer({ min: 1_000, max: 1_005 }),
            }),
            { maxLength: 30 },
          ),
          fc.array(
            fc.record(
              { customerId: fc.constantFrom('c1', 'c2', 'c9'), runId: fc.constantFrom('r1', 'r2'), status },
              { requiredKeys: [] },
            ),
            { minLength: 1, maxLength: 3 },
          ),
          fc.constantFrom<'newest' | 'oldest'>('newest', 'oldest'),
          fc.integer({ min: 1, max: 7 }),
          async (rows, filters, sort, pageSize) => {
            const org = unique('org-campaign-equiv');
            const records = rows.map((row) =>
              record(org, row.run, {
                customerId: row.customer,
                status: row.status,
                contentType: row.contentType,
                platform: row.platform,
                createdAt: row.createdAt,
              }),
            );
            const reference = createMemoryAdapter();
            const expectedInserted = await reference.insertCampaigns(org, records);
            expect(await adapter.insertCampaigns(org, records)).toBe(expectedInserted);
            for (const filter of filters) {
              const expected = await listAll(reference, org, filter, sort, 1_000);
              expect(await listAll(adapter, org, filter, sort, pageSize)).toEqual(expected);
            }
          },
        ),
        { numRuns: options.equivalenceRuns },
      );
    });
  });
}

function byKey(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
