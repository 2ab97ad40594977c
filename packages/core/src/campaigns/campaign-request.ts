import * as z from 'zod';
import { InvalidArgumentError, isCustomerError } from '../errors/customer-error';
import { parsed } from '../errors/parsed-argument';
import { isStorableText } from '../model/campaign-model';
import {
  CAMPAIGN_CONTENT_TYPES,
  CAMPAIGN_PLATFORMS,
  type CampaignContentType,
  type CampaignPlatform,
} from '../model/campaign-types';
import type { ConsentChannel } from '../model/consent';
import type { CampaignRunRequest, CampaignTarget } from '../store/campaign-store';
import { normalizeFilter } from '../store/normalize-filter';
import type { CustomerFilter } from '../store/storage-adapter';

/** Longest campaign title. */
export const MAX_CAMPAIGN_TITLE = 200;
/** Longest `instructions` text. */
export const MAX_CAMPAIGN_INSTRUCTIONS = 4_000;

/** What to generate and for whom: the first argument of `client.generateCampaigns`. */
export interface CampaignRequest {
  /** `{ customerIds }`, `{ filter }` or `{ segmentId }`. */
  readonly target: CampaignTarget;
  /** The campaign's title (1–200 characters), kept on every record and shown to generators. */
  readonly title: string;
  /** Content types to generate for each customer (at least one; repeats are ignored). */
  readonly contentTypes: readonly CampaignContentType[];
  /** Platforms to generate for each customer (at least one; repeats are ignored). */
  readonly platforms: readonly CampaignPlatform[];
  /** Guidance for the generator, at most 4,000 characters; required when `contentTypes` has `custom`. */
  readonly instructions?: string;
  /** Who asks (a user id of your app), kept on the run for audit. */
  readonly requestedBy?: string;
  /**
   * The consent rule. Campaigns for `email`, and for every platform in `requiredFor`, are generated
   * only for customers whose consent for the platform's channel (email for `email`, social direct
   * messages for the others) is `subscribed`; the others end `skipped` with error code
   * `no_consent`. `override` lifts the rule for the whole run; its `reason` (required, 1–500
   * characters) is stored on the run. @defaultValue email needs consent, no override
   */
  readonly consent?: {
    readonly requiredFor?: readonly CampaignPlatform[];
    readonly override?: { readonly reason: string };
  };
}

/**
 * The consent channel a platform's campaigns reach a customer on: `email` for email, social direct
 * messages for the social platforms.
 * @param platform - A campaign platform.
 * @returns The channel whose consent it needs.
 */
export function consentChannelOfPlatform(platform: CampaignPlatform): ConsentChannel {
  return platform === 'email' ? 'email' : 'socialDm';
}

const STORABLE = 'contains a NUL character or an unpaired surrogate';

const idSchema = /* @__PURE__ */ z
  .string({ error: 'expected a customer id' })
  .min(1, 'expected a non-empty customer id')
  .max(200, 'expected an id of at most 200 characters')
  .refine(isStorableText, STORABLE);

function enumList<T extends string>(values: readonly [T, ...T[]], what: string) {
  return z
    .array(
      z
        .string({ error: `expected a ${what} name` })
        .refine((v): v is T => (values as readonly string[]).includes(v), {
          error: (issue) =>
            `unknown ${what} ${JSON.stringify(issue.input)}; expected one of ${values.join(', ')}`,
        }),
      { error: `expected a list of ${what}s` },
    )
    .min(1, `expected at least one ${what}`)
    .transform((list) => [...new Set(list)] as T[]);
}

const requestSchema = /* @__PURE__ */ z
  .object(
    {
      target: z.unknown(),
      title: z
        .string({ error: 'expected text' })
        .trim()
        .min(1, 'expected a non-empty title')
        .max(MAX_CAMPAIGN_TITLE, `expected at most ${MAX_CAMPAIGN_TITLE} characters`)
        .refine(isStorableText, STORABLE),
      contentTypes: enumList(CAMPAIGN_CONTENT_TYPES, 'content type'),
      platforms: enumList(CAMPAIGN_PLATFORMS, 'platform'),
      instructions: z
        .string({ error: 'expected text' })
        .trim()
        .max(MAX_CAMPAIGN_INSTRUCTIONS, `expected at most ${MAX_CAMPAIGN_INSTRUCTIONS} characters`)
        .refine(isStorableText, STORABLE)
        .optional(),
      requestedBy: z
        .string({ error: 'expected text' })
        .trim()
        .min(1, 'expected a non-empty id')
        .max(200, 'expected at most 200 characters')
        .refine(isStorableText, STORABLE)
        .optional(),
      consent: z
        .object(
          {
            requiredFor: z
              .array(
                z.enum(CAMPAIGN_PLATFORMS, { error: `expected one of ${CAMPAIGN_PLATFORMS.join(', ')}` }),
                {
                  error: 'expected a list of platforms',
                },
              )
              .optional(),
            override: z
              .object(
                {
                  reason: z
                    .string({ error: 'expected the reason for the override' })
                    .trim()
                    .min(1, 'expected the reason for the override')
                    .max(500, 'expected at most 500 characters')
                    .refine(isStorableText, STORABLE),
                },
                { error: 'expected { reason }' },
              )
              .strict()
              .optional(),
          },
          { error: 'expected { requiredFor?, override? }' },
        )
        .strict()
        .optional(),
    },
    { error: 'expected { target, title, contentTypes, platforms, instructions? }' },
  )
  .strict();

function parseTarget(target: unknown, maxCustomers: number): CampaignTarget {
  if (typeof target !== 'object' || target === null || Array.isArray(target)) {
    throw new InvalidArgumentError('request.target', 'expected { customerIds }, { filter } or { segmentId }');
  }
  const keys = Object.keys(target);
  if (keys.length !== 1) {
    throw new InvalidArgumentError(
      'request.target',
      'expected exactly one of customerIds, filter or segmentId' +
        (keys.length === 0 ? ' (the target is empty)' : ''),
    );
  }
  const t = target as Record<string, unknown>;
  if ('customerIds' in t) {
    const ids = parsed('request.target.customerIds', z.array(idSchema).safeParse(t.customerIds));
    const unique = [...new Set(ids)];
    if (unique.length === 0)
      throw new InvalidArgumentError('request.target.customerIds', 'the target is empty');
    if (unique.length > maxCustomers) {
      throw new InvalidArgumentError(
        'request.target.customerIds',
        `${unique.length} customers is more than the per-run limit of ${maxCustomers} (option maxCustomers)`,
      );
    }
    return { customerIds: unique };
  }
  if ('filter' in t) {
    try {
      return { filter: normalizeFilter(t.filter as CustomerFilter) };
    } catch (error) {
      if (isCustomerError(error, 'invalid_argument')) {
        throw new InvalidArgumentError(
          `request.target.${error.argument}`,
          error.message.replace(/^Invalid [^:]*: /, ''),
        );
      }
      throw error;
    }
  }
  if ('segmentId' in t) {
    return { segmentId: parsed('request.target.segmentId', idSchema.safeParse(t.segmentId)) };
  }
  throw new InvalidArgumentError(`request.target.${keys[0]}`, 'expected customerIds, filter or segmentId');
}

/**
 * Validates a campaign request and returns its canonical, storable form.
 * @param request - What the caller passed.
 * @param maxCustomers - The per-run customer limit.
 * @returns The request as stored on the run.
 * @throws `invalid_argument` naming the path: an unknown content type or platform, an empty target,
 * more listed customers than `maxCustomers`, `custom` content without instructions, …
 */
export function parseCampaignRequest(request: unknown, maxCustomers: number): CampaignRunRequest {
  const r = parsed('request', requestSchema.safeParse(request));
  const target = parseTarget(r.target, maxCustomers);
  const instructions = r.instructions === undefined || r.instructions === '' ? null : r.instructions;
  if (r.contentTypes.includes('custom') && instructions === null) {
    throw new InvalidArgumentError('request.instructions', 'custom content needs instructions');
  }
  return {
    target,
    title: r.title,
    contentTypes: r.contentTypes,
    platforms: r.platforms,
    instructions,
    requestedBy: r.requestedBy ?? null,
    consent: {
      // Email always needs consent; the list keeps the platforms' canonical order.
      requiredFor: CAMPAIGN_PLATFORMS.filter((p) => p === 'email' || r.consent?.requiredFor?.includes(p)),
      override: r.consent?.override ? { reason: r.consent.override.reason } : null,
    },
  };
}
