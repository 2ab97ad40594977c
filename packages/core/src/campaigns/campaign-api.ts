import * as z from 'zod/mini';
import { AbortedError, InvalidArgumentError, NotFoundError } from '../errors/customer-error';
import {
  CAMPAIGN_STATUSES,
  type CampaignPage,
  type CampaignRecord,
  type CampaignRun,
  type CampaignStatus,
} from '../store/campaign-store';
import { MAX_PAGE_SIZE, type StorageAdapter } from '../store/storage-adapter';
import { type CampaignRunOptions, type CampaignRunReport, parseRunOptions } from './campaign-options';
import { type CampaignRequest, parseCampaignRequest } from './campaign-request';
import { runCampaigns } from './campaign-runner';
import { openTarget, type TargetContext } from './campaign-target';
import { parsed } from './parsed-argument';

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

const idText = /* @__PURE__ */ z
  .string({ error: 'expected an id' })
  .check(z.minLength(1, 'expected a non-empty id'), z.maxLength(200, 'expected at most 200 characters'));
const pageSizeMessage = `expected an integer from 1 to ${MAX_PAGE_SIZE}`;
const pageSize = /* @__PURE__ */ z._default(
  z
    .number({ error: pageSizeMessage })
    .check(z.int(pageSizeMessage), z.gte(1, pageSizeMessage), z.lte(MAX_PAGE_SIZE, pageSizeMessage)),
  100,
);
const cursorText = /* @__PURE__ */ z._default(
  z.nullable(z.string({ error: 'expected a cursor string or null' })),
  null,
);

const listSchema = /* @__PURE__ */ z._default(
  z.strictObject({
    numItems: pageSize,
    cursor: cursorText,
    customerId: z.optional(idText),
    runId: z.optional(idText),
    status: z.optional(
      z.custom<CampaignStatus>(
        (s) => typeof s === 'string' && (CAMPAIGN_STATUSES as readonly string[]).includes(s),
        { error: `expected one of ${CAMPAIGN_STATUSES.join(', ')}` },
      ),
    ),
    sort: z._default(z.enum(['newest', 'oldest'], { error: "expected 'newest' or 'oldest'" }), 'newest'),
  }),
  { numItems: 100, cursor: null, sort: 'newest' },
);

const runListSchema = /* @__PURE__ */ z._default(z.strictObject({ numItems: pageSize, cursor: cursorText }), {
  numItems: 100,
  cursor: null,
});

function checkRunId(runId: unknown): string {
  return parsed('runId', idText, runId);
}

async function storedRun(context: CampaignClientContext, runId: unknown): Promise<CampaignRun> {
  const id = checkRunId(runId);
  const run = await context.adapter.getCampaignRun(context.organizationId, id);
  if (!run) throw new NotFoundError(id, 'Campaign run');
  return run;
}

/**
 * Starts a run: validates the request, stores the run, creates one campaign record per customer,
 * content type and platform, and generates them (see `client.generateCampaigns`).
 * @throws `invalid_argument` (request or options, naming the path), `aborted` when the signal was
 * aborted before the run was created, `storage_failed`.
 */
export async function generateCampaignsIn(
  context: CampaignClientContext,
  request: CampaignRequest,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const resolved = parseRunOptions(options);
  const canonical = parseCampaignRequest(request, resolved.maxCustomers);
  const target = await openTarget(context, canonical.target, resolved.maxCustomers);
  if (resolved.signal?.aborted) throw new AbortedError('The campaign run was aborted before it started');
  const now = resolved.timers.now();
  const run = {
    id: context.generateId(now),
    organizationId: context.organizationId,
    request: canonical,
    preparedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await context.adapter.insertCampaignRun(context.organizationId, run);
  return runCampaigns(
    context,
    {
      run,
      statuses: ['queued', 'in_progress'],
      total: 0,
      prepare: () => target.batches(),
      waitForOthers: true,
    },
    resolved,
  );
}

/**
 * Continues a run whose process died: finishes creating its records if that was interrupted, then
 * generates every record left `queued`, and takes over `in_progress` ones once their lease expired.
 * @throws `not_found` for an unknown run; `invalid_argument`; `storage_failed`.
 */
export async function resumeCampaignRunIn(
  context: CampaignClientContext,
  runId: string,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const resolved = parseRunOptions(options);
  const run = await storedRun(context, runId);
  const target =
    run.preparedAt === null
      ? await openTarget(context, run.request.target, resolved.maxCustomers, false)
      : undefined;
  return runCampaigns(
    context,
    {
      run,
      statuses: ['queued', 'in_progress'],
      total: run.counts.total,
      ...(target ? { prepare: () => target.batches() } : {}),
      waitForOthers: true,
    },
    resolved,
  );
}

/**
 * Generates again the run's `failed` campaigns, and only those.
 * @throws `not_found` for an unknown run; `invalid_argument`; `storage_failed`.
 */
export async function retryFailedIn(
  context: CampaignClientContext,
  runId: string,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const resolved = parseRunOptions(options);
  const run = await storedRun(context, runId);
  return runCampaigns(
    context,
    { run, statuses: ['failed'], total: run.counts.total, waitForOthers: false },
    resolved,
  );
}

/**
 * Reads a run with its counts.
 * @throws `not_found` for an unknown run.
 */
export function getCampaignRunIn(context: CampaignClientContext, runId: string): Promise<CampaignRun> {
  return storedRun(context, runId);
}

/**
 * Lists campaign records by keyset.
 * @throws `invalid_argument` for a bad option; `invalid_cursor`.
 */
export function listCampaignsIn(
  context: CampaignClientContext,
  options: ListCampaignsOptions = {},
): Promise<CampaignPage<CampaignRecord>> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      'expected { numItems?, cursor?, customerId?, runId?, status?, sort? }',
    );
  }
  const o = parsed('options', listSchema, options);
  const filter: { customerId?: string; runId?: string; status?: CampaignStatus } = {};
  if (o.customerId !== undefined) filter.customerId = o.customerId;
  if (o.runId !== undefined) filter.runId = o.runId;
  if (o.status !== undefined) filter.status = o.status;
  return context.adapter.listCampaigns(context.organizationId, {
    numItems: o.numItems,
    cursor: o.cursor,
    filter,
    sort: o.sort,
  });
}

/**
 * Lists runs newest first, each with its counts.
 * @throws `invalid_argument` for a bad option; `invalid_cursor`.
 */
export function listCampaignRunsIn(
  context: CampaignClientContext,
  options: ListCampaignRunsOptions = {},
): Promise<CampaignPage<CampaignRun>> {
  const o = parsed('options', runListSchema, options);
  return context.adapter.listCampaignRuns(context.organizationId, { numItems: o.numItems, cursor: o.cursor });
}
