import * as z from 'zod/mini';
import { InvalidArgumentError, isCustomerError } from '../errors/customer-error';
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
import { parsed } from './parsed-argument';

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
  .check(
    z.minLength(1, 'expected a non-empty customer id'),
    z.maxLength(200, 'expected an id of at most 200 characters'),
    z.refine(isStorableText, STORABLE),
  );

/* @__NO_SIDE_EFFECTS__ */
function enumList<T extends string>(values: readonly [T, ...T[]], what: string) {
  return z.pipe(
    z
      .array(
        z.string({ error: `expected a ${what} name` }).check(
          z.refine((v) => (values as readonly string[]).includes(v), {
            error: (issue) =>
              `unknown ${what} ${JSON.stringify(issue.input)}; expected one of ${values.join(', ')}`,
          }),
        ),
        { error: `expected a list of ${what}s` },
      )
      .check(z.minLength(1, `expected at least one ${what}`)),
    z.transform((list: string[]) => [...new Set(list)] as T[]),
  );
}

/** Text that is trimmed, then checked for length and storable characters. */
/* @__NO_SIDE_EFFECTS__ */
function trimmedText(type: string, min: number, minMessage: string, max: number) {
  return z
    .string({ error: type })
    .check(
      z.trim(),
      ...(min > 0 ? [z.minLength(min, minMessage)] : []),
      z.maxLength(max, `expected at most ${max} characters`),
      z.refine(isStorableText, STORABLE),
    );
}

const requestSchema = /* @__PURE__ */ z.strictObject(
  {
    target: z.unknown(),
    title: trimmedText('expected text', 1, 'expected a non-empty title', MAX_CAMPAIGN_TITLE),
    contentTypes: enumList(CAMPAIGN_CONTENT_TYPES, 'content type'),
    platforms: enumList(CAMPAIGN_PLATFORMS, 'platform'),
    instructions: z.optional(trimmedText('expected text', 0, '', MAX_CAMPAIGN_INSTRUCTIONS)),
    requestedBy: z.optional(trimmedText('expected text', 1, 'expected a non-empty id', 200)),
    consent: z.optional(
      z.strictObject(
        {
          requiredFor: z.optional(
            z.array(
              z.enum(CAMPAIGN_PLATFORMS, { error: `expected one of ${CAMPAIGN_PLATFORMS.join(', ')}` }),
              { error: 'expected a list of platforms' },
            ),
          ),
          override: z.optional(
            z.strictObject(
              {
                reason: trimmedText(
                  'expected the reason for the override',
                  1,
                  'expected the reason for the override',
                  500,
                ),
              },
              { error: 'expected { reason }' },
            ),
          ),
        },
        { error: 'expected { requiredFor?, override? }' },
      ),
    ),
  },
  { error: 'expected { target, title, contentTypes, platforms, instructions? }' },
);

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
    const ids = parsed('request.target.customerIds', z.array(idSchema), t.customerIds);
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
    return { segmentId: parsed('request.target.segmentId', idSchema, t.segmentId) };
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
  const r = parsed('request', requestSchema, request);
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
