import { InvalidArgumentError } from '../errors/customer-error';
import type { CampaignContent } from '../model/campaign-model';
import type {
  CampaignClaim,
  CampaignCounts,
  CampaignFilter,
  CampaignPatch,
  CampaignRecord,
  CampaignRunRecord,
  CampaignStatus,
  CampaignUpdate,
} from './campaign-store';

/**
 * Refuses an `insertCampaigns` batch holding a record of another organization or one id twice,
 * before anything is written.
 * @param organizationId - The tenant of the call.
 * @param records - The batch.
 * @throws `invalid_argument` naming `records[i].organizationId` or `records[i].id`.
 */
export function checkCampaignBatch(organizationId: string, records: readonly CampaignRecord[]): void {
  const ids = new Set<string>();
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    if (record.organizationId !== organizationId) {
      throw new InvalidArgumentError(`records[${index}].organizationId`, 'belongs to another organization');
    }
    if (ids.has(record.id))
      throw new InvalidArgumentError(`records[${index}].id`, 'appears twice in the batch');
    ids.add(record.id);
  }
}

/**
 * Refuses a run of another organization.
 * @throws `invalid_argument` (`run.organizationId`).
 */
export function checkCampaignRun(organizationId: string, run: CampaignRunRecord): void {
  if (run.organizationId !== organizationId) {
    throw new InvalidArgumentError('run.organizationId', 'belongs to another organization');
  }
}

/**
 * Refuses an `updateCampaigns` batch that names one record twice.
 * @throws `invalid_argument` (`updates`) naming the repeated id.
 */
export function checkDistinctCampaignUpdates(updates: readonly CampaignUpdate[]): void {
  const seen = new Set<string>();
  for (const update of updates) {
    if (seen.has(update.id)) {
      throw new InvalidArgumentError('updates', `id ${JSON.stringify(update.id)} appears twice`);
    }
    seen.add(update.id);
  }
}

/**
 * The uniqueness key of a campaign within its run: one record per (customer, content type, platform).
 * @param record - A record.
 * @returns A string equal for records of the same run, customer, content type and platform.
 */
export function campaignKey(
  record: Pick<CampaignRecord, 'runId' | 'customerId' | 'contentType' | 'platform'>,
) {
  return JSON.stringify([record.runId, record.customerId, record.contentType, record.platform]);
}

/** A deep copy of content, so stores never share objects with callers. */
function copyContent(content: CampaignContent | null): CampaignContent | null {
  if (content === null) return null;
  return {
    text: content.text,
    ...(content.subject === undefined ? {} : { subject: content.subject }),
    ...(content.assets === undefined ? {} : { assets: content.assets.map((a) => ({ ...a })) }),
  };
}

/**
 * Copies a record (content, assets and error included).
 * @param record - A record.
 * @returns A new record equal to it.
 */
export function copyCampaign(record: CampaignRecord): CampaignRecord {
  return {
    ...record,
    content: copyContent(record.content),
    error: record.error === null ? null : { ...record.error },
  };
}

/**
 * Applies a patch: absent fields keep their value, the version is bumped.
 * @param record - The stored record.
 * @param patch - What changes.
 * @param updatedAt - Epoch ms.
 * @returns The new record (the input is not changed).
 */
export function applyCampaignPatch(
  record: CampaignRecord,
  patch: CampaignPatch,
  updatedAt: number,
): CampaignRecord {
  return {
    ...record,
    ...(patch.status === undefined ? {} : { status: patch.status }),
    ...(patch.content === undefined ? {} : { content: copyContent(patch.content) }),
    ...(patch.error === undefined ? {} : { error: patch.error === null ? null : { ...patch.error } }),
    ...(patch.attempts === undefined ? {} : { attempts: patch.attempts }),
    ...(patch.leaseOwner === undefined ? {} : { leaseOwner: patch.leaseOwner }),
    ...(patch.leaseExpiresAt === undefined ? {} : { leaseExpiresAt: patch.leaseExpiresAt }),
    version: record.version + 1,
    updatedAt,
  };
}

/**
 * Whether a claim may take a record: its status is one of the claim's, and an `in_progress`
 * record's lease has expired.
 * @param record - A record of the claimed run.
 * @param claim - The claim.
 * @returns `true` when claimable.
 */
export function isClaimable(record: CampaignRecord, claim: CampaignClaim): boolean {
  if (!(claim.statuses as readonly string[]).includes(record.status)) return false;
  return record.status !== 'in_progress' || (record.leaseExpiresAt ?? 0) <= claim.now;
}

/**
 * The patch a claim applies to each record it takes.
 * @param claim - The claim.
 * @returns The patch.
 */
export function claimPatch(claim: CampaignClaim): CampaignPatch {
  return claim.status === 'in_progress'
    ? { status: 'in_progress', leaseOwner: claim.leaseOwner, leaseExpiresAt: claim.leaseExpiresAt }
    : { status: 'cancelled', error: claim.error, leaseOwner: null, leaseExpiresAt: null };
}

/**
 * The reference meaning of a campaign filter, used by the memory adapter.
 * @returns `true` when the record matches every condition.
 */
export function matchesCampaignFilter(record: CampaignRecord, filter: CampaignFilter): boolean {
  return (
    (filter.customerId === undefined || record.customerId === filter.customerId) &&
    (filter.runId === undefined || record.runId === filter.runId) &&
    (filter.status === undefined || record.status === filter.status)
  );
}

/**
 * Counts records by status.
 * @param statuses - The status of each record (any iterable).
 * @returns The counts.
 */
export function countCampaignStatuses(statuses: Iterable<CampaignStatus>): CampaignCounts {
  const counts = { total: 0, queued: 0, inProgress: 0, completed: 0, failed: 0, cancelled: 0, skipped: 0 };
  for (const status of statuses) {
    counts.total++;
    counts[status === 'in_progress' ? 'inProgress' : status]++;
  }
  return counts;
}
