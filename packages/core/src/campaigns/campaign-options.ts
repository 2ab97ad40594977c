import * as z from 'zod/mini';
import type { CampaignContent } from '../model/campaign-model';
import type { CampaignContentType, CampaignPlatform } from '../model/campaign-types';
import type { CampaignCounts, CampaignFailure } from '../store/campaign-store';
import { systemTimers, type UpdateQueueTimers } from '../updates/queue-timers';
import { type ResolvedRetryOptions, resolveRetryOptions } from '../updates/retry-backoff';
import type { CampaignGenerator } from './campaign-generator';
import { DEFAULT_MAX_CUSTOMERS_PER_RUN, MAX_CUSTOMERS_PER_RUN } from './campaign-limits';
import { type CustomerDataSharing, OPT_IN_CUSTOMER_FIELDS } from './customer-data-sharing';
import { parsed } from './parsed-argument';

/** How one campaign of a run ended. */
export interface CampaignResult {
  /** The customer. */
  readonly customerId: string;
  /** The campaign record's id. */
  readonly campaignId: string;
  /** Its content type. */
  readonly contentType: CampaignContentType;
  /** Its platform. */
  readonly platform: CampaignPlatform;
  /** How it ended; `skipped` with `error.code` `no_consent` when the customer has not consented. */
  readonly status: 'completed' | 'failed' | 'cancelled' | 'skipped';
  /** The content, when completed. */
  readonly content?: CampaignContent;
  /** Why it failed, was cancelled or skipped. */
  readonly error?: CampaignFailure;
  /** Generator calls made for it, retries included. */
  readonly attempts: number;
}

/** What `onProgress` receives each time a batch of campaigns has ended and been stored. */
export interface CampaignProgress {
  /** The run. */
  readonly runId: string;
  /** Campaign records of the run known so far (all of them once the run is prepared). */
  readonly total: number;
  /** Campaigns this call completed so far. */
  readonly completed: number;
  /** Campaigns this call ended as failed so far. */
  readonly failed: number;
  /** Campaigns this call cancelled so far. */
  readonly cancelled: number;
  /** Campaigns this call skipped so far (no consent). */
  readonly skipped: number;
  /** The campaigns that ended in this step (stored before this call). */
  readonly results: readonly CampaignResult[];
}

/** What `generateCampaigns`, `retryFailed` and `resumeCampaignRun` return. */
export interface CampaignRunReport {
  /** The run (pass it to `resumeCampaignRun`, `retryFailed`, `listCampaigns`). */
  readonly runId: string;
  /** The whole run's campaigns by status, read from the store when this call ended. */
  readonly counts: CampaignCounts;
  /** Campaigns this call ended, in the order they were stored: the first `maxResults` of them. */
  readonly results: CampaignResult[];
  /** `true` when this call ended more than `maxResults` campaigns (all of them reached `onProgress`). */
  readonly resultsTruncated: boolean;
  /** `true` when the signal aborted the call. */
  readonly aborted: boolean;
  /** Wall time in ms. */
  readonly durationMs: number;
}

/** Options of `generateCampaigns`, `retryFailed` and `resumeCampaignRun`. */
export interface CampaignRunOptions {
  /** Writes each campaign: `templateCampaignGenerator()`, `createChatCompletionGenerator(…)` or your own. */
  readonly generator: CampaignGenerator;
  /** Generator calls running at once, 1–100. @defaultValue 4 */
  readonly concurrency?: number;
  /** Retries of a failed generator call (transient failures only), 0–10. @defaultValue 2 */
  readonly retries?: number;
  /** Backoff between retries: `minDelayMs` (doubling), `maxDelayMs`, jitter `random`. @defaultValue 1000, 30000, Math.random */
  readonly backoff?: {
    readonly minDelayMs?: number;
    readonly maxDelayMs?: number;
    readonly random?: () => number;
  };
  /** A generator call not answered in this many ms is aborted and counts as a transient failure. @defaultValue 120000 */
  readonly timeoutMs?: number;
  /**
   * How long a claimed campaign stays reserved for this call without a renewal, in ms (renewed every
   * third of it). After a crash, another process may take the campaign over once it expired.
   * @defaultValue 60000
   */
  readonly leaseMs?: number;
  /** The per-run customer limit: a larger target is refused with `invalid_argument`. @defaultValue 10000 */
  readonly maxCustomers?: number;
  /** How many results the returned report keeps (all of them reach `onProgress`). @defaultValue 1000 */
  readonly maxResults?: number;
  /** Customer data shared with the generator beyond the marketing data. @defaultValue nothing more */
  readonly customerData?: CustomerDataSharing;
  /** Called each time campaigns ended and were stored; errors it throws are ignored. */
  readonly onProgress?: (progress: CampaignProgress) => void;
  /** Aborts the call: no new generator calls, running ones aborted, the run's unfinished campaigns cancelled. */
  readonly signal?: AbortSignal;
  /** Timers and clock (inject a virtual clock in tests). @defaultValue the global timers and Date.now */
  readonly timers?: UpdateQueueTimers;
}

/** {@link CampaignRunOptions} checked, with defaults. */
export interface ResolvedCampaignRunOptions {
  readonly generator: CampaignGenerator;
  readonly concurrency: number;
  readonly retries: number;
  readonly backoff: ResolvedRetryOptions;
  readonly timeoutMs: number;
  readonly leaseMs: number;
  readonly maxCustomers: number;
  readonly maxResults: number;
  readonly sharing: CustomerDataSharing;
  readonly onProgress: ((progress: CampaignProgress) => void) | undefined;
  readonly signal: AbortSignal | undefined;
  readonly timers: UpdateQueueTimers;
}

const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `expected ${what}`);
/* @__NO_SIDE_EFFECTS__ */
const int = (min: number, max: number, fallback: number) => {
  const message = `expected an integer from ${min} to ${max}`;
  return z._default(
    z.number({ error: message }).check(z.int(message), z.gte(min, message), z.lte(max, message)),
    fallback,
  );
};

const optionsSchema = /* @__PURE__ */ z.strictObject(
  {
    generator: fn('a generator function (input, { signal }) => Promise<{ text }>'),
    concurrency: int(1, 100, 4),
    retries: int(0, 10, 2),
    backoff: z._default(
      z.strictObject({
        minDelayMs: int(0, 3_600_000, 1_000),
        maxDelayMs: int(0, 3_600_000, 30_000),
        random: z.optional(fn('a function returning a number in [0, 1)')),
      }),
      { minDelayMs: 1_000, maxDelayMs: 30_000 },
    ),
    timeoutMs: int(1, 86_400_000, 120_000),
    leaseMs: int(1_000, 86_400_000, 60_000),
    maxCustomers: int(1, MAX_CUSTOMERS_PER_RUN, DEFAULT_MAX_CUSTOMERS_PER_RUN),
    maxResults: int(0, 1_000_000, 1_000),
    customerData: z._default(
      z.strictObject({
        include: z.optional(z.array(z.enum(OPT_IN_CUSTOMER_FIELDS))),
        customFields: z.optional(z.union([z.literal('all'), z.array(z.string())])),
      }),
      {},
    ),
    onProgress: z.optional(fn('a function')),
    signal: z.optional(
      z.custom<AbortSignal>(
        (v) => typeof v === 'object' && v !== null && typeof (v as AbortSignal).aborted === 'boolean',
        'expected an AbortSignal',
      ),
    ),
    timers: z.optional(
      z.custom<UpdateQueueTimers>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          ['setTimeout', 'clearTimeout', 'now'].every(
            (k) => typeof (v as unknown as Record<string, unknown>)[k] === 'function',
          ),
        'expected { setTimeout, clearTimeout, now }',
      ),
    ),
  },
  { error: 'expected { generator, concurrency?, retries?, … }' },
);

/**
 * Checks a run's options and fills in the defaults.
 * @param options - What the caller passed.
 * @returns The resolved options.
 * @throws `invalid_argument` naming the option (`options.concurrency`, …).
 */
export function parseRunOptions(options: unknown): ResolvedCampaignRunOptions {
  const o = parsed('options', optionsSchema, options);
  const backoff = resolveRetryOptions({
    retries: o.retries,
    minDelayMs: o.backoff.minDelayMs,
    maxDelayMs: o.backoff.maxDelayMs,
    ...(o.backoff.random ? { random: o.backoff.random as () => number } : {}),
  });
  const sharing: CustomerDataSharing = {
    ...(o.customerData.include ? { include: o.customerData.include } : {}),
    ...(o.customerData.customFields ? { customFields: o.customerData.customFields } : {}),
  };
  return {
    generator: o.generator as unknown as CampaignGenerator,
    concurrency: o.concurrency,
    retries: o.retries,
    backoff,
    timeoutMs: o.timeoutMs,
    leaseMs: o.leaseMs,
    maxCustomers: o.maxCustomers,
    maxResults: o.maxResults,
    sharing,
    onProgress: o.onProgress as ((progress: CampaignProgress) => void) | undefined,
    signal: o.signal,
    timers: o.timers ?? systemTimers,
  };
}
