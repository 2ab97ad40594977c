import { createCustomerClient, templateCampaignGenerator } from '@donutauto/core';
import type { CampaignRecord, CampaignRunRecord } from '@donutauto/core/adapter';
import { campaignRecordFixture, campaignRunFixture } from '@donutauto/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { codeOf, rpc } from './support/raw-client';
import { closeServedHandlers, serveHandler } from './support/served-handler';

const A = 'org-camp-a';
const B = 'org-camp-b';
afterEach(closeServedHandlers);

const start = () => serveHandler();
const run = (org: string, id = `run-${org}`): CampaignRunRecord => campaignRunFixture(org, 1_000, id);
const record = (
  org: string,
  runId: string,
  id: string,
  fields: Partial<CampaignRecord> = {},
): CampaignRecord => campaignRecordFixture(org, runId, { id, customerId: 'c1', ...fields });

describe('campaigns over HTTP', () => {
  it('generates campaigns from the browser’s side: the run and every status are stored on the server', async () => {
    const { store, adapter } = await start();
    const client = createCustomerClient({ adapter, organizationId: A });
    const added = await client.bulkAddCustomers(
      Array.from({ length: 6 }, (_, i) => ({
        firstName: `F${i}`,
        lastName: 'L',
        email: `p${i}@example.com`,
        consent: { email: 'subscribed' },
      })),
    );
    const report = await client.generateCampaigns(
      {
        target: { customerIds: added.addedIds },
        title: 'Glazed week',
        contentTypes: ['fact', 'quiz'],
        platforms: ['email'],
      },
      { generator: templateCampaignGenerator({ brandName: 'Donut Corner' }), concurrency: 3 },
    );
    expect(report.counts).toMatchObject({ total: 12, completed: 12, failed: 0 });
    const stored = await store.listCampaigns(A, {
      numItems: 100,
      cursor: null,
      filter: { runId: report.runId },
      sort: 'oldest',
    });
    expect(stored.page.map((c) => c.status)).toEqual(Array(12).fill('completed'));
    expect(stored.page.every((c) => c.content?.subject)).toBe(true);
    expect((await client.getCampaignRun(report.runId)).counts.completed).toBe(12);
    await adapter.close();
  });

  it('never lets organization A read or change B’s runs and campaigns', async () => {
    const { store, url } = await start();
    await store.insertCampaignRun(B, run(B));
    await store.insertCampaigns(B, [record(B, `run-${B}`, 'b-1')]);
    expect((await rpc(url, A, 'getCampaignRun', { args: [`run-${B}`] })).json).toEqual({});
    const listed = await rpc(url, A, 'listCampaigns', {
      args: [{ numItems: 10, cursor: null, filter: {}, sort: 'newest' }],
    });
    expect((listed.json as { result: { page: unknown[] } }).result.page).toEqual([]);
    const forgedRun = await rpc(url, A, 'insertCampaignRun', { args: [run(B, 'x')] });
    expect([forgedRun.status, forgedRun.json]).toMatchObject([
      400,
      { error: { argument: 'run.organizationId' } },
    ]);
    const forged = await rpc(url, A, 'insertCampaigns', {
      args: [[record(A, 'r', 'a-1'), record(B, 'r', 'b-2')]],
    });
    expect([forged.status, forged.json]).toMatchObject([
      400,
      { error: { argument: 'records[1].organizationId' } },
    ]);
    const claim = {
      runId: `run-${B}`,
      statuses: ['queued'],
      limit: 10,
      now: 5_000,
      status: 'in_progress',
      leaseOwner: 'me',
      leaseExpiresAt: 9_000,
    };
    expect((await rpc(url, A, 'claimCampaigns', { args: [claim] })).json).toEqual({ result: [] });
    const update = await rpc(url, A, 'updateCampaigns', {
      args: [[{ id: 'b-1', expectedVersion: 1, patch: { status: 'cancelled' } }], { updatedAt: 5_000 }],
    });
    expect(update.json).toEqual({ result: { updated: [], conflicts: ['b-1'] } });
    expect(
      await store.listCampaigns(B, { numItems: 10, cursor: null, filter: {}, sort: 'oldest' }),
    ).toMatchObject({
      page: [{ id: 'b-1', status: 'queued', version: 1 }],
    });
    expect(await store.count(A, {})).toBe(0);
  });

  it('refuses malformed campaign data with invalid_argument, storing nothing', async () => {
    const { store, url } = await start();
    const cases: [string, unknown[], string][] = [
      [
        'insertCampaignRun',
        [{ ...run(A), request: { ...run(A).request, platforms: ['fax'] } }],
        'request.platforms[0]',
      ],
      ['insertCampaignRun', [{ ...run(A), request: { ...run(A).request, target: {} } }], 'request.target'],
      ['insertCampaigns', [[record(A, 'r', 'a-1', { status: 'done' as never })]], 'records[0].status'],
      [
        'insertCampaigns',
        [[record(A, 'r', 'a-1', { content: { text: 'x\u0000y', subject: 's' } })]],
        'records[0].content.text',
      ],
      [
        'insertCampaigns',
        [[record(A, 'r', 'a-1', { createdAt: Date.now() + 3_600_000 })]],
        'records[0].createdAt',
      ],
      [
        'updateCampaigns',
        [[{ id: 'a-1', expectedVersion: 1, patch: { version: 9 } }], { updatedAt: 1 }],
        'args[0][0].patch',
      ],
    ];
    for (const [method, args, argument] of cases) {
      const answer = await rpc(url, A, method, { args });
      expect([method, answer.status, codeOf(answer)]).toEqual([method, 400, 'invalid_argument']);
      const named = (answer.json as { error: { argument: string } }).error.argument;
      expect([method, named.slice(0, argument.length)]).toEqual([method, argument]);
    }
    expect(await store.listCampaignRuns(A, { numItems: 10, cursor: null })).toMatchObject({ page: [] });
  });
});
