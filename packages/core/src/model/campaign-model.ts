import * as z from 'zod/mini';
import { type CampaignPlatform, PLATFORM_LIMITS } from './campaign-types';
import { unstorableIndex } from './storable-text';

/** A picture, video or other file a design service made for a campaign, referenced by URL. */
export interface CampaignAsset {
  /** Where the file is (https, or a data: URL for small files). */
  readonly url: string;
  /** Its media type, e.g. `image/png`. */
  readonly mediaType?: string;
  /** Alternative text describing it, for accessibility. */
  readonly alt?: string;
}

/** What a generator produced for one campaign: the text, an email's subject, and any assets. */
export interface CampaignContent {
  /** The post, caption, script or email body. */
  readonly text: string;
  /** The email subject (email only). */
  readonly subject?: string;
  /** Pictures or videos made for the campaign. */
  readonly assets?: readonly CampaignAsset[];
}

/** Longest asset URL kept (data: URLs of small images fit). */
export const MAX_ASSET_URL_LENGTH = 100_000;
/** Most assets one campaign can carry. */
export const MAX_CAMPAIGN_ASSETS = 20;

/** Counts Unicode code points: an emoji or a character outside the BMP counts as one. */
export function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * Whether every store can keep this text exactly: no NUL character and no lone surrogate (the
 * customer model's rule, `unstorableIndex`).
 * @param text - Any string.
 * @returns `true` when storable.
 */
export function isStorableText(text: string): boolean {
  return unstorableIndex(text) === -1;
}

/**
 * Replaces what {@link isStorableText} refuses with U+FFFD, for text the SDK stores on its own
 * (error messages from generators).
 * @param text - Any string.
 * @returns A storable string.
 */
export function toStorableText(text: string): string {
  let out = '';
  let rest = text;
  for (let at = unstorableIndex(rest); at !== -1; at = unstorableIndex(rest)) {
    out += `${rest.slice(0, at)}\ufffd`;
    rest = rest.slice(at + 1);
  }
  return out + rest;
}

/** Text of an asset: a string of `min` to `max` characters that can be stored. */
/* @__NO_SIDE_EFFECTS__ */
function assetText(name: string, min: number, max: number) {
  return z
    .string(`${name} must be a string`)
    .check(
      z.minLength(min, `${name} is empty`),
      z.maxLength(max, `${name} is longer than ${max} characters`),
      z.refine(isStorableText, `${name} contains a NUL character`),
    );
}

const assetSchema = /* @__PURE__ */ z.strictObject(
  {
    url: assetText('url', 1, MAX_ASSET_URL_LENGTH),
    mediaType: z.optional(assetText('mediaType', 1, 200)),
    alt: z.optional(assetText('alt', 0, 2_000)),
  },
  'an asset must be { url, mediaType?, alt? }',
);

/**
 * The schema of a generator's answer for one platform: `text` non-blank and within the platform's
 * length, `subject` present (and within its length) exactly when the platform is email, at most
 * `MAX_CAMPAIGN_ASSETS` (20) assets. Unknown keys are refused, so a typo does not silently drop data.
 * @param platform - The platform the content is for.
 * @returns A zod schema producing {@link CampaignContent}.
 */
export function campaignContentSchema(platform: CampaignPlatform) {
  let schema = contentSchemas.get(platform);
  if (!schema) {
    schema = buildContentSchema(platform);
    contentSchemas.set(platform, schema);
  }
  return schema;
}

// Built once per platform: building a zod schema costs far more than running it.
const contentSchemas = /* @__PURE__ */ new Map<CampaignPlatform, ReturnType<typeof buildContentSchema>>();

function buildContentSchema(platform: CampaignPlatform) {
  const limits = PLATFORM_LIMITS[platform];
  const text = z.string({ error: 'text must be a string' }).check(
    z.refine((t) => t.trim() !== '', 'text is empty'),
    z.refine(isStorableText, 'text contains a NUL character or an unpaired surrogate'),
    z.refine(
      (t) => codePointLength(t) <= limits.maxTextLength,
      `text is longer than ${limits.maxTextLength} characters (${limits.label})`,
    ),
  );
  const subject = limits.subject
    ? z.string({ error: `subject is required (${limits.label})` }).check(
        z.refine((s) => s.trim() !== '', 'subject is empty'),
        z.refine(isStorableText, 'subject contains a NUL character or an unpaired surrogate'),
        z.refine(
          (s) => codePointLength(s) <= limits.maxSubjectLength,
          `subject is longer than ${limits.maxSubjectLength} characters`,
        ),
      )
    : z.optional(z.undefined({ error: `${limits.label} has no subject` }));
  const assets = z.optional(
    z
      .array(assetSchema, 'assets must be a list')
      .check(z.maxLength(MAX_CAMPAIGN_ASSETS, `at most ${MAX_CAMPAIGN_ASSETS} assets`)),
  );
  const content = z.strictObject({ text, subject, assets });
  return z.pipe(
    content,
    z.transform((c: z.output<typeof content>): CampaignContent => {
      const out: { text: string; subject?: string; assets?: CampaignAsset[] } = { text: c.text };
      if (c.subject !== undefined) out.subject = c.subject;
      if (c.assets !== undefined && c.assets.length > 0) {
        out.assets = c.assets.map((a) => {
          const asset: { url: string; mediaType?: string; alt?: string } = { url: a.url };
          if (a.mediaType !== undefined) asset.mediaType = a.mediaType;
          if (a.alt !== undefined) asset.alt = a.alt;
          return asset;
        });
      }
      return out;
    }),
  );
}
