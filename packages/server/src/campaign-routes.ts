import type { CAMPAIGN_METHODS } from '@donutauto/adapter-http/protocol';
import {
  CAMPAIGN_CONTENT_TYPES,
  CAMPAIGN_PLATFORMS,
  CAMPAIGN_STATUSES,
  InvalidArgumentError,
  MAX_CUSTOMERS_PER_RUN,
} from '@donutauto/core';
import {
  type CampaignRecord,
  type CampaignRunRecord,
  campaignContentSchema,
  checkCampaignBatch,
  checkCampaignRun,
  parseCampaignRequest,
} from '@donutauto/core/adapter';
import * as z from 'zod';
import { checkBatchSize, checkTimestamp, type RouteTable, route } from './rpc-route';

// NUL and unpaired surrogates: text no store keeps exactly (the core's rule for stored text).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (value: string) => !value.includes('\u0000') && !LONE_SURROGATE.test(value);

/**
 * Text of at most `max` characters that every store keeps exactly.
 * @param max - Longest length, in UTF-16 code units.
 */
export const storableText = (max: number) =>
  z.string().max(max).refine(storable, 'contains a NUL character or an unpaired surrogate');
const text = storableText;
const id = text(200).min(1);
const timestamp = z.number().int().nonnegative();
const status = z.enum(CAMPAIGN_STATUSES);
const failure = z.strictObject({ code: text(200).min(1), message: text(10_000) });
const leaseOwner = text(200).min(1).nullable();
const page = { numItems: z.number().int().min(1).max(1_000), cursor: z.string().nullable() };

/**
 * Content by the core's content schema: with a subject as email content, without one as an
 * Instagram post (the longest text a subject-less platform allows). The storage contract does not
 * tie content to its record's platform (the campaign runner checks that before it stores), so
 * neither does the server; it bounds the shape and size of what it stores.
 */
const anyContent = z
  .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null)
  .transform((raw, ctx) => {
    const schema = campaignContentSchema('subject' in raw ? 'email' : 'instagram_post');
    const result = schema.safeParse(raw);
    if (result.success) return result.data;
    for (const issue of result.error.issues) ctx.addIssue({ ...issue, code: 'custom' } as never);
    return z.NEVER;
  });

const record = z.strictObject({
  id,
  organizationId: z.string(),
  customerId: id,
  runId: id,
  title: text(200).min(1),
  contentType: z.enum(CAMPAIGN_CONTENT_TYPES),
  platform: z.enum(CAMPAIGN_PLATFORMS),
  status,
  content: z.unknown(),
  error: failure.nullable(),
  attempts: z.number().int().nonnegative(),
  leaseOwner,
  leaseExpiresAt: timestamp.nullable(),
  version: z.number().int().positive(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const run = z.strictObject({
  id,
  organizationId: z.string(),
  request: z.record(z.string(), z.unknown()),
  preparedAt: timestamp.nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});

const claim = z.union([
  z.strictObject({
    runId: id,
    statuses: z.array(z.enum(['queued', 'in_progress', 'failed'])).min(1),
    limit: z.number().int().min(1),
    now: timestamp,
    status: z.literal('in_progress'),
    leaseOwner: text(200).min(1),
    leaseExpiresAt: timestamp,
  }),
  z.strictObject({
    runId: id,
    statuses: z.array(z.enum(['queued', 'in_progress', 'failed'])).min(1),
    limit: z.number().int().min(1),
    now: timestamp,
    status: z.literal('cancelled'),
    error: failure,
  }),
]);

const patch = z.strictObject({
  status: status.optional(),
  content: anyContent.nullable().optional(),
  error: failure.nullable().optional(),
  attempts: z.number().int().nonnegative().optional(),
  leaseOwner: leaseOwner.optional(),
  leaseExpiresAt: timestamp.nullable().optional(),
});

/** Drops keys whose value is `undefined` (zod's optional outputs), for exact optional types. */
function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

/**
 * The campaigns part of the storage contract over HTTP. Runs and records must be the authorized
 * organization's (the core's own batch checks); a run's request goes through the same parser as
 * `generateCampaigns` (`parseCampaignRequest`); a record's content through its platform's content
 * schema; timestamps may not be ahead of the server's clock (leases excepted: they are meant to be).
 */
export const campaignRoutes: RouteTable<keyof typeof CAMPAIGN_METHODS> = {
  insertCampaignRun: route(z.tuple([run]), async (context, [raw]) => {
    // The stored form holds `null` where the request leaves an option out.
    const { instructions, requestedBy, consent, ...rest } = raw.request;
    const policy = consent as { requiredFor?: unknown; override?: unknown } | undefined;
    const { consent: parsedConsent, ...parsed } = parseCampaignRequest(
      defined({
        ...rest,
        instructions: instructions ?? undefined,
        requestedBy: requestedBy ?? undefined,
        consent:
          policy === undefined || policy === null || typeof policy !== 'object'
            ? policy
            : defined({ requiredFor: policy.requiredFor, override: policy.override ?? undefined }),
      }),
      MAX_CUSTOMERS_PER_RUN,
    );
    // A run stored without a consent rule (an earlier client) keeps none: readers apply the default.
    const request = consent === undefined || !parsedConsent ? parsed : { ...parsed, consent: parsedConsent };
    const checked: CampaignRunRecord = { ...raw, request };
    checkCampaignRun(context.organizationId, checked);
    checkTimestamp(context, raw.createdAt, 'run.createdAt');
    checkTimestamp(context, raw.updatedAt, 'run.updatedAt');
    try {
      await context.adapter.insertCampaignRun(context.organizationId, checked);
    } catch (error) {
      // A retry whose first attempt was stored (its answer lost with a restart) finds it.
      if (!context.retried) throw error;
      const stored = await context.adapter
        .getCampaignRun(context.organizationId, raw.id)
        .catch(() => undefined);
      if (stored?.createdAt !== raw.createdAt) throw error;
    }
  }),

  markCampaignRunPrepared: route(z.tuple([id, timestamp]), (context, [runId, preparedAt]) => {
    checkTimestamp(context, preparedAt, 'preparedAt');
    return context.adapter.markCampaignRunPrepared(context.organizationId, runId, preparedAt);
  }),

  getCampaignRun: route(z.tuple([id]), (context, [runId]) =>
    context.adapter.getCampaignRun(context.organizationId, runId),
  ),

  listCampaignRuns: route(z.tuple([z.strictObject(page)]), async (context, [query]) => {
    const runs = await context.adapter.listCampaignRuns(context.organizationId, {
      ...query,
      cursor: context.cursors.open(query.cursor),
    });
    return { ...runs, continueCursor: context.cursors.sign(runs.continueCursor) };
  }),

  insertCampaigns: route(z.tuple([z.array(z.unknown())]), async (context, [raw]) => {
    checkBatchSize(context, raw.length, 'campaigns');
    // As every adapter does: the organization is checked before anything else about the batch.
    checkCampaignBatch(context.organizationId, raw as CampaignRecord[]);
    const records = raw.map((value, index): CampaignRecord => {
      const parsed = parseOr(record, value, `records[${index}]`);
      checkTimestamp(context, parsed.createdAt, `records[${index}].createdAt`);
      const content =
        parsed.content === null ? null : parseOr(anyContent, parsed.content, `records[${index}].content`);
      return { ...parsed, content };
    });
    return context.adapter.insertCampaigns(context.organizationId, records);
  }),

  claimCampaigns: route(z.tuple([claim]), (context, [raw]) => {
    checkBatchSize(context, raw.limit, 'campaigns');
    checkTimestamp(context, raw.now, 'claim.now');
    return context.adapter.claimCampaigns(context.organizationId, raw);
  }),

  updateCampaigns: route(
    z.tuple([
      z.array(z.strictObject({ id, expectedVersion: z.number().int().positive(), patch })),
      z.strictObject({ updatedAt: timestamp }),
    ]),
    (context, [updates, options]) => {
      checkBatchSize(context, updates.length, 'campaign updates');
      checkTimestamp(context, options.updatedAt, 'options.updatedAt');
      const clean = updates.map((u) => ({ ...u, patch: defined(u.patch) }));
      return context.adapter.updateCampaigns(context.organizationId, clean as never, options);
    },
  ),

  listCampaigns: route(
    z.tuple([
      z.strictObject({
        ...page,
        filter: z.strictObject({
          customerId: id.optional(),
          runId: id.optional(),
          status: status.optional(),
        }),
        sort: z.enum(['newest', 'oldest']),
      }),
    ]),
    async (context, [query]) => {
      const records = await context.adapter.listCampaigns(context.organizationId, {
        ...query,
        cursor: context.cursors.open(query.cursor),
        filter: defined(query.filter),
      });
      return { ...records, continueCursor: context.cursors.sign(records.continueCursor) };
    },
  ),
};

/** Parses with a schema, or throws `invalid_argument` naming the first problem under `path`. */
function parseOr<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
  throw new InvalidArgumentError(`${path}${where}`, issue.message);
}
