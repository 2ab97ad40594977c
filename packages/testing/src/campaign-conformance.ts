import type { StorageAdapter } from '@donutauto/core/adapter';
import { describe, expect, it } from 'vitest';
import {
  byKey,
  campaignRecordFixture,
  campaignRunFixture,
  lease,
  listAllCampaigns,
} from './campaign-fixtures';
import { registerCampaignListingConformance } from './campaign-listing-conformance';
import { expectCode, freshOrg } from './conformance-helpers';

/** What the campaign checks need from the suite that registers them. */
export interface CampaignConformanceOptions {
  /** The adapter under test (created by the suite's `beforeAll`). */
  readonly adapter: () => StorageAdapter;
  /** Per-test timeout in ms. */
  readonly timeout: number;
  /** fast-check runs of the random listing comparison. */
  readonly equivalenceRuns: number;
}

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
      const org = freshOrg('org-campaigns');
      const r = campaignRunFixture(org);
      await adapter.insertCampaignRun(org, r);
      const records = [
        campaignRecordFixture(org, r.id, {
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
        campaignRecordFixture(org, r.id, {
          status: 'failed',
          error: { code: 'generation_failed', message: 'Rate limited' },
          attempts: 3,
        }),
        campaignRecordFixture(org, r.id, {
          status: 'in_progress',
          leaseOwner: 'runner-x',
          leaseExpiresAt: 9_999,
          platform: 'twitter_post',
        }),
        campaignRecordFixture(org, r.id, {
          contentType: 'custom',
          platform: 'tiktok_video',
          content: { text: 'only text' },
        }),
      ];
      expect(await adapter.insertCampaigns(org, records)).toBe(4);
      expect(await listAllCampaigns(adapter, org, { runId: r.id }, 'oldest', 10)).toEqual(records);
      expect(await adapter.getCampaignRun(org, r.id)).toEqual({
        ...r,
        counts: { total: 4, queued: 1, inProgress: 1, completed: 1, failed: 1, cancelled: 0, skipped: 0 },
      });
      expect(await adapter.getCampaignRun(org, 'missing')).toBeUndefined();
      expect(await adapter.markCampaignRunPrepared(org, r.id, 2_000)).toBe(true);
      expect(await adapter.markCampaignRunPrepared(org, 'missing', 2_000)).toBe(false);
      expect(await adapter.getCampaignRun(org, r.id)).toMatchObject({ preparedAt: 2_000, updatedAt: 2_000 });
      const empty = campaignRunFixture(org, 1_001);
      await adapter.insertCampaignRun(org, empty);
      expect((await adapter.getCampaignRun(org, empty.id))?.counts).toEqual({
        total: 0,
        queued: 0,
        inProgress: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
        skipped: 0,
      });
      await expectCode(adapter.insertCampaignRun(org, empty), 'storage_failed');
      await expectCode(
        adapter.insertCampaignRun(freshOrg('other'), campaignRunFixture(org)),
        'invalid_argument',
      );
    });

    it('returns copies of campaigns and runs', { timeout }, async () => {
      const adapter = options.adapter();
      const org = freshOrg('org-campaign-copies');
      const r = campaignRunFixture(org);
      await adapter.insertCampaignRun(org, r);
      const original = campaignRecordFixture(org, r.id, {
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
      const org = freshOrg('org-campaign-keys');
      const r = campaignRunFixture(org);
      const first = campaignRecordFixture(org, r.id, { customerId: 'c1' });
      expect(await adapter.insertCampaigns(org, [first])).toBe(1);
      const again = [
        campaignRecordFixture(org, r.id, { customerId: 'c1' }),
        campaignRecordFixture(org, r.id, { customerId: 'c1', platform: 'twitter_post' }),
        campaignRecordFixture(org, r.id, { customerId: 'c2' }),
        campaignRecordFixture(org, r.id, { customerId: 'c2' }),
        campaignRecordFixture(org, 'other-run', { customerId: 'c1' }),
      ];
      expect(await adapter.insertCampaigns(org, again)).toBe(3);
      const stored = await listAllCampaigns(adapter, org, {}, 'oldest', 10);
      expect(stored.map((c) => c.id)).toEqual([first.id, again[1]!.id, again[2]!.id, again[4]!.id]);
    });

    it('writes a campaign batch atomically: a foreign or repeated record writes nothing', {
      timeout,
    }, async () => {
      const adapter = options.adapter();
      const org = freshOrg('org-campaign-atomic');
      const stored = campaignRecordFixture(org, 'run-1');
      await adapter.insertCampaigns(org, [stored]);
      const foreign = [
        campaignRecordFixture(org, 'run-1'),
        campaignRecordFixture(freshOrg('other'), 'run-1'),
      ];
      const error = await expectCode(adapter.insertCampaigns(org, foreign), 'invalid_argument');
      expect((error as { argument: string }).argument).toBe('records[1].organizationId');
      const fresh = campaignRecordFixture(org, 'run-1');
      await expectCode(
        adapter.insertCampaigns(org, [fresh, { ...fresh, customerId: 'x' }]),
        'invalid_argument',
      );
      await expectCode(
        adapter.insertCampaigns(org, [
          campaignRecordFixture(org, 'run-1'),
          { ...stored, customerId: 'someone-else' },
        ]),
        'storage_failed',
      );
      expect((await listAllCampaigns(adapter, org, {}, 'oldest', 10)).map((c) => c.id)).toEqual([stored.id]);
      expect(await adapter.insertCampaigns(org, [])).toBe(0);
    });

    it('claims queued campaigns oldest first under a lease, each by one claimer', { timeout }, async () => {
      const adapter = options.adapter();
      const org = freshOrg('org-campaign-claims');
      const r = campaignRunFixture(org);
      const records = Array.from({ length: 30 }, (_, i) =>
        campaignRecordFixture(org, r.id, { createdAt: 1_000 + Math.floor(i / 4) }),
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
      const org = freshOrg('org-campaign-takeover');
      const r = campaignRunFixture(org);
      const live = campaignRecordFixture(org, r.id, {
        status: 'in_progress',
        leaseOwner: 'old',
        leaseExpiresAt: 10_000,
        version: 4,
      });
      const expired = campaignRecordFixture(org, r.id, {
        status: 'in_progress',
        leaseOwner: 'dead',
        leaseExpiresAt: 5_000,
        version: 2,
      });
      const failed = campaignRecordFixture(org, r.id, {
        status: 'failed',
        error: { code: 'generation_failed', message: 'x' },
        attempts: 3,
      });
      const done = campaignRecordFixture(org, r.id, { status: 'completed', content: { text: 'ok' } });
      const queued = campaignRecordFixture(org, r.id);
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
      const statuses = (await listAllCampaigns(adapter, org, { runId: r.id }, 'oldest', 10)).map((c) => [
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
      const org = freshOrg('org-campaign-cas');
      const [a, b, c] = [
        campaignRecordFixture(org, 'r'),
        campaignRecordFixture(org, 'r'),
        campaignRecordFixture(org, 'r'),
      ];
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
      expect(await listAllCampaigns(adapter, org, { status: 'queued' }, 'oldest', 5)).toEqual([
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
      expect(
        (await listAllCampaigns(adapter, org, { status: 'queued' }, 'oldest', 5)).map((x) => x.id),
      ).toContain(b!.id);
      expect(await adapter.updateCampaigns(org, [], { updatedAt: 1 })).toEqual({
        updated: [],
        conflicts: [],
      });
    });

    it('isolates organizations on every campaign method', { timeout }, async () => {
      const adapter = options.adapter();
      const a = freshOrg('tenant-a');
      const b = freshOrg('tenant-b');
      const r = campaignRunFixture(a);
      await adapter.insertCampaignRun(a, r);
      const mine = campaignRecordFixture(a, r.id);
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
      expect(await listAllCampaigns(adapter, a, {}, 'newest', 5)).toEqual([mine]);
      expect((await adapter.getCampaignRun(a, r.id))?.counts.total).toBe(1);
    });

    registerCampaignListingConformance(options);
  });
}
