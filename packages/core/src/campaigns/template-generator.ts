import * as z from 'zod/mini';
import { AbortedError } from '../errors/customer-error';
import type { CampaignGenerator } from './campaign-generator';
import { CAMPAIGN_TONES, type CampaignTone } from './campaign-tones';
import { hashtag } from './hashtag';
import { parsed } from './parsed-argument';
import type { ResolvedTemplateOptions } from './template-writer';

/** Options of {@link templateCampaignGenerator}. */
export interface TemplateGeneratorOptions {
  /** The business's name, used in invitations, sign-offs and a hashtag. @defaultValue 'our shop' (no hashtag) */
  readonly brandName?: string;
  /** The voice: `friendly`, `playful`, `professional` or `enthusiastic`. @defaultValue 'friendly' */
  readonly tone?: CampaignTone;
  /** Extra hashtags for social posts (with or without `#`), e.g. `['DonutDay']`. @defaultValue [] */
  readonly hashtags?: readonly string[];
}

const optionsSchema = /* @__PURE__ */ z._default(
  z.strictObject({
    brandName: z.optional(
      z
        .string({ error: 'expected text' })
        .check(
          z.trim(),
          z.minLength(1, 'expected a non-empty name'),
          z.maxLength(100, 'expected at most 100 characters'),
        ),
    ),
    tone: z.optional(z.enum(CAMPAIGN_TONES, { error: `expected one of ${CAMPAIGN_TONES.join(', ')}` })),
    hashtags: z.optional(
      z
        .array(z.string({ error: 'expected text' }).check(z.maxLength(50, 'expected at most 50 characters')))
        .check(z.maxLength(10, 'expected at most 10 hashtags')),
    ),
  }),
  {},
);

/**
 * The built-in generator: deterministic, offline copy personalised from the customer's first name,
 * preferences and birthday month, for each content type (a true-or-false quiz, a fact, a myth
 * debunked, a general promotion, or the run's own instructions) and each platform's format and
 * limits (a Twitter post of at most 280 characters, an Instagram caption of at most 2,200, a
 * short-video script with its caption, an email with subject and body). The same input always
 * gives the same campaign. It needs no network and sees nothing beyond the generator input.
 * @param options - Brand name, tone and extra hashtags.
 * @returns A {@link CampaignGenerator}.
 * @throws `invalid_argument` for an unknown tone or a bad brand name (`options.tone`, …).
 * @example
 * await client.generateCampaigns(request, {
 *   generator: templateCampaignGenerator({ brandName: 'Donut Corner', tone: 'playful' }),
 * });
 */
export function templateCampaignGenerator(options: TemplateGeneratorOptions = {}): CampaignGenerator {
  const o = parsed('options', optionsSchema, options);
  const resolved: ResolvedTemplateOptions = {
    brand: o.brandName ?? 'our shop',
    brandTag: o.brandName === undefined ? undefined : hashtag(o.brandName),
    tone: o.tone ?? 'friendly',
    hashtags: (o.hashtags ?? []).map(hashtag).filter((t): t is string => t !== undefined),
  };
  return async (input, { signal }) => {
    if (signal.aborted) throw signal.reason ?? new AbortedError();
    // The phrase banks and the assembly load with the first campaign written (a dynamic import).
    return (await import('./template-writer')).writeTemplateCampaign(input, resolved);
  };
}
