import { CAMPAIGN_STATUSES, createMemoryAdapter } from '@donutauto/core';
import type { CampaignStatus } from '@donutauto/core/adapter';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { CampaignConformanceOptions } from './campaign-conformance';
import { byKey, campaignRecordFixture, campaignRunFixture, listAllCampaigns } from './campaign-fixtures';
import { expectCode, freshOrg } from './conformance-helpers';

/**
 * The campaign listing checks: runs newest first with their counts, cursor validation, and record
 * listings that select and order exactly as the memory adapter does on random data.
 * @param options - The adapter accessor, timeout and number of random runs.
 */
export function registerCampaignListingConformance(options: CampaignConformanceOptions): void {
  const { timeout } = options;
  it('lists runs newest first with their counts, by keyset', { timeout }, async () => {
    const adapter = options.adapter();
    const org = freshOrg('org-campaign-runs');
    const runs = Array.from({ length: 7 }, (_, i) =>
      campaignRunFixture(org, 1_000 + Math.floor(i / 2), `run-${i}`),
    );
    for (const r of runs) await adapter.insertCampaignRun(org, r);
    await adapter.insertCampaigns(org, [
      campaignRecordFixture(org, 'run-6'),
      campaignRecordFixture(org, 'run-6', { status: 'failed' }),
    ]);
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
    const org = freshOrg('org-campaign-cursor');
    await adapter.insertCampaigns(org, [
      campaignRecordFixture(org, 'r'),
      campaignRecordFixture(org, 'r'),
      campaignRecordFixture(org, 'r'),
    ]);
    const query = { numItems: 1, filter: { runId: 'r' }, sort: 'newest' as const };
    const first = await adapter.listCampaigns(org, { ...query, cursor: null });
    expect(first.isDone).toBe(false);
    const c = first.continueCursor;
    const flipped = c.slice(0, 3) + (c[3] === 'A' ? 'B' : 'A') + c.slice(4);
    await expectCode(adapter.listCampaigns(org, { ...query, cursor: 'not-a-cursor' }), 'invalid_cursor');
    await expectCode(adapter.listCampaigns(org, { ...query, cursor: flipped }), 'invalid_cursor');
    await expectCode(adapter.listCampaigns(freshOrg('other'), { ...query, cursor: c }), 'invalid_cursor');
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
          const org = freshOrg('org-campaign-equiv');
          const records = rows.map((row) =>
            campaignRecordFixture(org, row.run, {
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
            const expected = await listAllCampaigns(reference, org, filter, sort, 1_000);
            expect(await listAllCampaigns(adapter, org, filter, sort, pageSize)).toEqual(expected);
          }
        },
      ),
      { numRuns: options.equivalenceRuns },
    );
  });
}
