import type { CampaignContent } from '../model/campaign-model';
import type { CampaignContentType, CampaignPlatform } from '../model/campaign-types';
import type { CustomerFilter } from './storage-adapter';

/**
 * Where a campaign stands: waiting, being generated, or ended (completed, failed, cancelled, or
 * skipped: not generated because the customer has not consented to the platform's channel).
 */
export type CampaignStatus = 'queued' | 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'skipped';

/** Every status, in lifecycle order. */
export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'queued',
  'in_progress',
  'completed',
  'failed',
  'cancelled',
  'skipped',
];

/** Why a campaign failed, was cancelled or was skipped, as stored with it. */
export interface CampaignFailure {
  /** A stable code: the error's `code` (`generation_failed`, `aborted`, `not_found`, `no_consent`, …). */
  readonly code: string;
  /** A human-readable explanation (never contains credentials). */
  readonly message: string;
}

/**
 * Which customers a run covers: listed ids, the customers matching a filter, or a saved segment.
 * Resolved once, when the run starts: the run's campaign records are its snapshot.
 */
export type CampaignTarget =
  | { readonly customerIds: readonly string[] }
  | { readonly filter: CustomerFilter }
  | { readonly segmentId: string };

/** A run's request as stored with it: validated and in canonical form. */
export interface CampaignRunRequest {
  /** Which customers. */
  readonly target: CampaignTarget;
  /** The campaign's title, shown to generators and kept on every record. */
  readonly title: string;
  /** Content types, each at most once. */
  readonly contentTypes: readonly CampaignContentType[];
  /** Platforms, each at most once. */
  readonly platforms: readonly CampaignPlatform[];
  /** Free-text guidance for the generator (required for `custom` content), or `null`. */
  readonly instructions: string | null;
  /** Who asked for the run (a user id of the app), or `null`. */
  readonly requestedBy: string | null;
  /**
   * The run's consent rule: the platforms whose campaigns need the customer's consent (`email`
   * always), and the override that lifted the rule with its stated reason, or `null`. A run stored
   * before consent existed has none: it reads as email needing consent, no override.
   */
  readonly consent?: CampaignConsentPolicy;
}

/** How a run treats consent (see `CampaignRequest.consent`). */
export interface CampaignConsentPolicy {
  /** Platforms whose campaigns go only to customers `subscribed` on the platform's channel. */
  readonly requiredFor: readonly CampaignPlatform[];
  /** When set, nobody is skipped: the caller took responsibility, for this reason. */
  readonly override: { readonly reason: string } | null;
}

/** A campaign run as written: its request and lifecycle times. Counts are derived on read. */
export interface CampaignRunRecord {
  /** The run id. */
  readonly id: string;
  /** The tenant. */
  readonly organizationId: string;
  /** What was asked for. */
  readonly request: CampaignRunRequest;
  /** When every campaign record of the run was created (epoch ms), or `null` while they are being created. */
  readonly preparedAt: number | null;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly updatedAt: number;
}

/** How many of a run's campaigns are in each status. */
export interface CampaignCounts {
  /** All records of the run. */
  readonly total: number;
  /** Waiting for a runner. */
  readonly queued: number;
  /** Claimed by a runner (being generated, or about to be). */
  readonly inProgress: number;
  /** Generated and stored. */
  readonly completed: number;
  /** Ended with an error (retry them with `retryFailed`). */
  readonly failed: number;
  /** Ended by an abort. */
  readonly cancelled: number;
  /** Not generated: the customer has not consented to the platform's channel. */
  readonly skipped: number;
}

/** A campaign run as read: the record plus its counts, computed from its campaigns. */
export interface CampaignRun extends CampaignRunRecord {
  /** The run's campaigns by status. */
  readonly counts: CampaignCounts;
}

/**
 * One campaign: the content for one customer, content type and platform of one run. A run holds
 * at most one record per (customer, content type, platform).
 */
export interface CampaignRecord {
  /** The campaign id. */
  readonly id: string;
  /** The tenant. */
  readonly organizationId: string;
  /** The customer it is for. */
  readonly customerId: string;
  /** The run that created it. */
  readonly runId: string;
  /** The run's title. */
  readonly title: string;
  /** Its content type. */
  readonly contentType: CampaignContentType;
  /** Its platform. */
  readonly platform: CampaignPlatform;
  /** Where it stands. */
  readonly status: CampaignStatus;
  /** The generated content once `completed`, else `null`. */
  readonly content: CampaignContent | null;
  /** Why it `failed` or was `cancelled`, else `null`. */
  readonly error: CampaignFailure | null;
  /** Generator calls made for it so far, retries included. */
  readonly attempts: number;
  /** The runner holding it while `in_progress` (an opaque token), else `null`. */
  readonly leaseOwner: string | null;
  /** Until when (epoch ms) that runner holds it; after that another runner may take it over. */
  readonly leaseExpiresAt: number | null;
  /** Bumped by every write; writes are compare-and-set on it. Starts at 1. */
  readonly version: number;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms. */
  readonly updatedAt: number;
}

/** Statuses a claim can take records from (`in_progress` only once its lease expired). */
export type ClaimableStatus = 'queued' | 'in_progress' | 'failed';

/** Arguments of {@link CampaignStore.claimCampaigns}. */
export type CampaignClaim = {
  /** The run. */
  readonly runId: string;
  /** Take records in these statuses; an `in_progress` one only when `leaseExpiresAt <= now`. */
  readonly statuses: readonly ClaimableStatus[];
  /** Take at most this many, oldest first by (`createdAt`, `id`). */
  readonly limit: number;
  /** The claimer's clock (epoch ms): compared with leases and stored as `updatedAt`. */
  readonly now: number;
} & (
  | {
      /** Claimed records become `in_progress`, leased to `leaseOwner` until `leaseExpiresAt`. */
      readonly status: 'in_progress';
      /** The claimer's token. */
      readonly leaseOwner: string;
      /** Epoch ms. */
      readonly leaseExpiresAt: number;
    }
  | {
      /** Claimed records end as `cancelled` with this error, lease cleared. */
      readonly status: 'cancelled';
      /** Why. */
      readonly error: CampaignFailure;
    }
);

/** Fields a {@link CampaignUpdate} can change; absent ones keep their value. */
export interface CampaignPatch {
  /** The new status. */
  readonly status?: CampaignStatus;
  /** The content (`null` clears it). */
  readonly content?: CampaignContent | null;
  /** The error (`null` clears it). */
  readonly error?: CampaignFailure | null;
  /** The attempts so far. */
  readonly attempts?: number;
  /** The lease holder (`null` releases the lease). */
  readonly leaseOwner?: string | null;
  /** The lease end (`null` with a released lease). */
  readonly leaseExpiresAt?: number | null;
}

/** One compare-and-set write of {@link CampaignStore.updateCampaigns}. */
export interface CampaignUpdate {
  /** The campaign id. */
  readonly id: string;
  /** Applied only while the stored `version` equals this. */
  readonly expectedVersion: number;
  /** What changes. */
  readonly patch: CampaignPatch;
}

/** What {@link CampaignStore.updateCampaigns} did. */
export interface CampaignUpdateResult {
  /** The records written, after the write (version bumped), in input order. */
  readonly updated: CampaignRecord[];
  /** Ids not written: absent in the organization, or their version had moved on. */
  readonly conflicts: string[];
}

/** Conditions of a campaign listing, all optional, combined with AND. */
export interface CampaignFilter {
  /** Campaigns of this customer. */
  readonly customerId?: string;
  /** Campaigns of this run. */
  readonly runId?: string;
  /** Campaigns in this status. */
  readonly status?: CampaignStatus;
}

/** A page request of {@link CampaignStore.listCampaigns}, already checked by the client. */
export interface CampaignListQuery {
  /** Page size, 1 to `MAX_PAGE_SIZE`. */
  readonly numItems: number;
  /** The previous page's `continueCursor`, or `null` for the first page. */
  readonly cursor: string | null;
  /** Conditions. */
  readonly filter: CampaignFilter;
  /** `newest` or `oldest` first, by (`createdAt`, `id`). */
  readonly sort: 'newest' | 'oldest';
}

/** A page request of {@link CampaignStore.listCampaignRuns} (newest first). */
export interface CampaignRunListQuery {
  /** Page size, 1 to `MAX_PAGE_SIZE`. */
  readonly numItems: number;
  /** The previous page's `continueCursor`, or `null` for the first page. */
  readonly cursor: string | null;
}

/** One page, in Convex's page shape. */
export interface CampaignPage<T> {
  /** The items of this page. */
  readonly page: T[];
  /** Pass this as `cursor` to get the next page; meaningful only while `isDone` is `false`. */
  readonly continueCursor: string;
  /** `true` when nothing follows this page. */
  readonly isDone: boolean;
}

/**
 * The campaign part of the storage contract: runs, and their campaign records with durable
 * statuses. Every method takes the organization first and can never reach another organization's
 * rows. Status writes are batched: `claimCampaigns` and `updateCampaigns` each change many records
 * in one atomic write, so a runner spends a few round trips per batch, not one per record per
 * transition. All campaign writes are compare-and-set on `version` (claims check status and lease
 * in the same atomic step), which is what keeps two runners from ending one record twice.
 *
 * Errors: `invalid_argument` for a record of another organization or an id repeated in a batch,
 * `invalid_cursor` for a bad cursor, `storage_failed` for backend failures and repeated ids.
 */
export interface CampaignStore {
  /**
   * Stores a new run.
   * @param organizationId - The tenant.
   * @param run - The run, of this organization.
   * @throws `invalid_argument` when it belongs to another organization; `storage_failed` when its id exists.
   */
  insertCampaignRun(organizationId: string, run: CampaignRunRecord): Promise<void>;

  /**
   * Marks a run as prepared (every campaign record created).
   * @param organizationId - The tenant.
   * @param runId - The run.
   * @param preparedAt - Epoch ms, also stored as `updatedAt`.
   * @returns `false` when the run does not exist in this organization.
   */
  markCampaignRunPrepared(organizationId: string, runId: string, preparedAt: number): Promise<boolean>;

  /**
   * Reads a run with its counts.
   * @returns The run, or `undefined` when absent in this organization.
   */
  getCampaignRun(organizationId: string, runId: string): Promise<CampaignRun | undefined>;

  /**
   * Lists runs newest first, keyset-paginated on (`createdAt`, `id`), each with its counts.
   * @throws `invalid_cursor` for a cursor that is malformed, altered or issued for another listing.
   */
  listCampaignRuns(organizationId: string, query: CampaignRunListQuery): Promise<CampaignPage<CampaignRun>>;

  /**
   * Inserts campaign records atomically. A record whose (run, customer, content type, platform) is
   * already stored is skipped, so preparing a run twice creates each campaign once.
   * @param organizationId - The tenant.
   * @param records - New records of this organization (version 1).
   * @returns How many were inserted.
   * @throws `invalid_argument` naming `records[i].organizationId` for a record of another
   * organization; `storage_failed` for an id already stored or repeated (nothing is written).
   */
  insertCampaigns(organizationId: string, records: readonly CampaignRecord[]): Promise<number>;

  /**
   * Atomically takes up to `limit` records of a run in the given statuses, oldest first, and moves
   * them to `in_progress` under a lease (or to `cancelled`), bumping their versions. Concurrent
   * claims never take the same record: each record is handed to one claimer.
   * @returns The records taken, after the write.
   */
  claimCampaigns(organizationId: string, claim: CampaignClaim): Promise<CampaignRecord[]>;

  /**
   * Applies compare-and-set writes in one atomic step: each update whose `expectedVersion` equals
   * the stored version is applied (version bumped, `updatedAt` set); the others are reported as
   * conflicts and change nothing.
   * @param options - The `updatedAt` to store.
   * @throws `invalid_argument` when an id appears twice (nothing is written).
   */
  updateCampaigns(
    organizationId: string,
    updates: readonly CampaignUpdate[],
    options: { readonly updatedAt: number },
  ): Promise<CampaignUpdateResult>;

  /**
   * Lists campaign records, keyset-paginated on (`createdAt`, `id`).
   * @throws `invalid_cursor` for a cursor that is malformed, altered, or issued for another
   * organization, filter or sort.
   */
  listCampaigns(organizationId: string, query: CampaignListQuery): Promise<CampaignPage<CampaignRecord>>;
}
