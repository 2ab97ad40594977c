// The campaign reads: a client loads them without the campaign runner.
import { choiceOption } from '../errors/choice-option';
import { InvalidArgumentError, NotFoundError } from '../errors/customer-error';
import { integerOption } from '../errors/integer-option';
import { objectArgument } from '../errors/object-argument';
import {
  CAMPAIGN_STATUSES,
  type CampaignPage,
  type CampaignRecord,
  type CampaignRun,
  type CampaignStatus,
} from '../store/campaign-store';
import { MAX_PAGE_SIZE, type StorageAdapter } from '../store/storage-adapter';
import type { TargetContext } from './campaign-target';

/** What the campaign methods need from the client. */
export interface CampaignClientContext {
  /** The store. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** Id generator. */
  readonly generateId: (now: number) => string;
  /** The client's filter resolver (definitions applied, segments read). */
  readonly resolveFilter: TargetContext['resolveFilter'];
}

/** A page request of `client.listCampaigns`; every condition is optional. */
export interface ListCampaignsOptions {
  /** Page size, 1–1000. @defaultValue 100 */
  readonly numItems?: number;
  /** The previous page's `continueCursor`; omit or `null` for the first page. */
  readonly cursor?: string | null;
  /** Only this customer's campaigns. */
  readonly customerId?: string;
  /** Only this run's campaigns. */
  readonly runId?: string;
  /** Only campaigns in this status. */
  readonly status?: CampaignStatus;
  /** Order by (`createdAt`, `id`). @defaultValue 'newest' */
  readonly sort?: 'newest' | 'oldest';
}

/** A page request of `client.listCampaignRuns` (newest first). */
export interface ListCampaignRunsOptions {
  /** Page size, 1–1000. @defaultValue 100 */
  readonly numItems?: number;
  /** The previous page's `continueCursor`; omit or `null` for the first page. */
  readonly cursor?: string | null;
}

const LIST_KEYS = ['numItems', 'cursor', 'customerId', 'runId', 'status', 'sort'];
const RUN_LIST_KEYS = ['numItems', 'cursor'];

/** Checks an id argument or option. */
function idText(name: string, value: unknown): string {
  if (typeof value !== 'string') throw new InvalidArgumentError(name, 'expected an id');
  if (value === '') throw new InvalidArgumentError(name, 'expected a non-empty id');
  if (value.length > 200) throw new InvalidArgumentError(name, 'expected at most 200 characters');
  return value;
}

/** Checks a page request's object, its keys, page size (default 100) and cursor (default `null`). */
function pageRequest(
  value: unknown,
  keys: readonly string[],
): { options: Record<string, unknown>; numItems: number; cursor: string | null } {
  const options = objectArgument('options', value as Record<string, unknown> | undefined, {});
  for (const key of Object.keys(options)) {
    if (!keys.includes(key)) throw new InvalidArgumentError(`options.${key}`, 'unknown property');
  }
  const { numItems, cursor = null } = options;
  if (cursor !== null && typeof cursor !== 'string') {
    throw new InvalidArgumentError('options.cursor', 'expected a cursor string or null');
  }
  // `null` is no page size (integerOption would take it for the default).
  const size = numItems === null ? Number.NaN : (numItems as number | undefined);
  return { options, numItems: integerOption('options.numItems', size, MAX_PAGE_SIZE, 100), cursor };
}

/**
 * Reads a run of the organization, with its counts.
 * @throws `invalid_argument` for a bad id; `not_found` for an unknown run.
 */
export async function getCampaignRunIn(context: CampaignClientContext, runId: unknown): Promise<CampaignRun> {
  const id = idText('runId', runId);
  const run = await context.adapter.getCampaignRun(context.organizationId, id);
  if (!run) throw new NotFoundError(id, 'Campaign run');
  return run;
}

/**
 * Lists campaign records by keyset.
 * @throws `invalid_argument` for a bad option; `invalid_cursor`.
 */
export function listCampaignsIn(
  context: CampaignClientContext,
  options?: ListCampaignsOptions,
): Promise<CampaignPage<CampaignRecord>> {
  const { options: o, numItems, cursor } = pageRequest(options, LIST_KEYS);
  const filter: { customerId?: string; runId?: string; status?: CampaignStatus } = {};
  if (o.customerId !== undefined) filter.customerId = idText('options.customerId', o.customerId);
  if (o.runId !== undefined) filter.runId = idText('options.runId', o.runId);
  const status = choiceOption('options.status', o.status, CAMPAIGN_STATUSES, undefined);
  if (status !== undefined) filter.status = status;
  return context.adapter.listCampaigns(context.organizationId, {
    numItems,
    cursor,
    filter,
    sort: choiceOption('options.sort', o.sort, ['newest', 'oldest'] as const, 'newest'),
  });
}

/**
 * Lists runs newest first, each with its counts.
 * @throws `invalid_argument` for a bad option; `invalid_cursor`.
 */
export function listCampaignRunsIn(
  context: CampaignClientContext,
  options?: ListCampaignRunsOptions,
): Promise<CampaignPage<CampaignRun>> {
  const { numItems, cursor } = pageRequest(options, RUN_LIST_KEYS);
  return context.adapter.listCampaignRuns(context.organizationId, { numItems, cursor });
}
