import type { CampaignAsset } from '../model/campaign-model';
import type { CampaignContentType, CampaignPlatform, PlatformLimits } from '../model/campaign-types';
import type { CustomFieldValue } from '../model/customer-schema';

/** The campaign a generator writes: what the run asked for, for one content type and platform. */
export interface CampaignBrief {
  /** The run's title, e.g. "Autumn specials". */
  readonly title: string;
  /** The content type. */
  readonly contentType: CampaignContentType;
  /** The platform. */
  readonly platform: CampaignPlatform;
  /** The run's free-text guidance, or `null`. Always set for `custom` content. */
  readonly instructions: string | null;
  /** The platform's limits the answer must respect. */
  readonly limits: PlatformLimits;
}

/**
 * The customer as a generator sees them: marketing data only. Identifying and contact data (`id`,
 * `lastName`, `email`, `phone`, `notes`, social handles) are present only when the caller opts in
 * with `customerData.include`; custom fields only those listed in `customerData.customFields`.
 */
export interface CampaignCustomerData {
  /** First name. */
  readonly firstName: string;
  /** Preferences (e.g. favourite flavours), at most 3. */
  readonly preferences: readonly string[];
  /** Tags. */
  readonly tags: readonly string[];
  /** Birthday month 1–12, or `null` when unknown (never the day or year). */
  readonly birthdayMonth: number | null;
  /** Location, or `null`. */
  readonly location: string | null;
  /** The custom fields the caller allowed (none by default). */
  readonly customFields: Readonly<Record<string, CustomFieldValue>>;
  /** Customer id (opt-in `id`). */
  readonly id?: string;
  /** Last name (opt-in `lastName`). */
  readonly lastName?: string;
  /** Email (opt-in `email`). */
  readonly email?: string;
  /** Phone (opt-in `phone`). */
  readonly phone?: string | null;
  /** Notes (opt-in `notes`). */
  readonly notes?: string | null;
  /** Instagram handle (opt-in `instagramHandle`). */
  readonly instagramHandle?: string | null;
  /** TikTok handle (opt-in `tiktokHandle`). */
  readonly tiktokHandle?: string | null;
  /** Twitter handle (opt-in `twitterHandle`). */
  readonly twitterHandle?: string | null;
}

/** What a generator receives for one campaign: the brief and the customer's marketing data. Frozen. */
export interface CampaignGeneratorInput {
  /** What to write. */
  readonly campaign: CampaignBrief;
  /** Who it is for. */
  readonly customer: CampaignCustomerData;
}

/** The second argument of a generator call. */
export interface CampaignGeneratorContext {
  /** Aborted when the run is aborted, the call times out, or the runner loses the campaign's lease: stop then. */
  readonly signal: AbortSignal;
  /** The campaign record's id: stable across retries and resumes, usable as an idempotency key. */
  readonly campaignId: string;
  /** 1 on the campaign's first call, growing with each retry, `retryFailed` and resume (a call lost in a crash is not counted). */
  readonly attempt: number;
}

/** What a generator returns. */
export interface CampaignGeneratorOutput {
  /** The post, caption, script or email body, within the platform's `maxTextLength`. */
  readonly text: string;
  /** The subject: required for email, absent otherwise. */
  readonly subject?: string;
  /** Pictures or videos a design service made, by URL. */
  readonly assets?: readonly CampaignAsset[];
}

/**
 * Writes one campaign: any AI or design service, or the built-in `templateCampaignGenerator()`.
 * Throw a `CampaignGenerationError` with `retryable: false` for failures that trying again cannot
 * fix; any other error is retried with backoff. Honour `signal`: stop and reject when it aborts.
 * @param input - The brief and the customer's marketing data.
 * @param context - `signal`, `campaignId`, `attempt`.
 * @returns The content.
 * @example
 * const generator: CampaignGenerator = async ({ campaign, customer }, { signal }) => {
 *   const text = await myWriter.write({ name: customer.firstName, likes: customer.preferences, signal });
 *   return { text: text.slice(0, campaign.limits.maxTextLength) };
 * };
 */
export type CampaignGenerator = (
  input: CampaignGeneratorInput,
  context: CampaignGeneratorContext,
) => Promise<CampaignGeneratorOutput>;
