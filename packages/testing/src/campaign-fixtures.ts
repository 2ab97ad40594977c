import type {
  CampaignClaim,
  CampaignFilter,
  CampaignRecord,
  CampaignRunRecord,
  StorageAdapter,
} from '@donutauto/core/adapter';
import { expect } from 'vitest';
import { freshOrg } from './conformance-helpers';

// Builders and readers shared by the campaign conformance files (internal to @donutauto/testing).

/** Ids that sort like the records' creation order within one millisecond (as UUID v7 do). */
function campaignId(createdAt: number, n: number): string {
  return `${createdAt.toString(36).padStart(9, '0')}-${String(n).padStart(6, '0')}-${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * A campaign run of `org` for tests: not prepared, no records, a realistic request.
 * @param org - The organization.
 * @param createdAt - Epoch ms. @defaultValue 1000
 * @param id - The run id. @defaultValue a fresh one
 * @returns The run record.
 * @example
 * await adapter.insertCampaignRun('org', campaignRunFixture('org'));
 */
export function campaignRunFixture(org: string, createdAt = 1_000, id = freshOrg('run')): CampaignRunRecord {
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
/**
 * A queued campaign record for tests: organization `org`, run `runId`, a fresh customer id and a
 * fresh record id (ordered by creation), `fact` for `email`, `fields` overriding any of it.
 * @param org - The organization.
 * @param runId - The run.
 * @param fields - Fields to set.
 * @returns The record.
 * @example
 * await adapter.insertCampaigns('org', [campaignRecordFixture('org', run.id, { status: 'failed' })]);
 */
export function campaignRecordFixture(
  org: string,
  runId: string,
  fields: Partial<CampaignRecord> = {},
): CampaignRecord {
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

/** Every record matching `filter`, paging `numItems` at a time through `listCampaigns`. */
export async function listAllCampaigns(
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

/** A claim of queued records under a lease for `owner` (set `runId` before use). */
export const lease = (now: number, owner = 'runner-a', ms = 60_000): CampaignClaim => ({
  runId: '',
  statuses: ['queued'],
  limit: 10,
  now,
  status: 'in_progress',
  leaseOwner: owner,
  leaseExpiresAt: now + ms,
});

/** Orders records (or runs) by (`createdAt`, `id`), as every listing does. */
export function byKey(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
