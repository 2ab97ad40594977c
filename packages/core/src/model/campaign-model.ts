import * as z from 'zod/mini';
import { unstorableIndex } from './storable-text';

/** The kinds of campaign content a run can ask for, in the order a UI should offer them. */
export const CAMPAIGN_CONTENT_TYPES = ['quiz', 'fact', 'myth', 'general', 'custom'] as const;

/** A kind of campaign content: a quiz, a fact, a myth debunked, a general promotion, or custom instructions. */
export type CampaignContentType = (typeof CAMPAIGN_CONTENT_TYPES)[number];

/** Where a campaign is published, in the order a UI should offer them. */
export const CAMPAIGN_PLATFORMS = [
  'instagram_reel',
  'tiktok_video',
  'instagram_post',
  'twitter_post',
  'email',
] as const;

/** A publishing platform: Instagram Reels, TikTok video, Instagram post, Twitter post or email. */
export type CampaignPlatform = (typeof CAMPAIGN_PLATFORMS)[number];

/** The size rules of one platform, which every generated campaign must respect. */
export interface PlatformLimits {
  /** Human-readable platform name, for prompts and UIs. */
  readonly label: string;
  /** Longest `text`, in Unicode code points (what people call characters). */
  readonly maxTextLength: number;
  /** Whether a `subject` is required (email) or must be absent (every other platform). */
  readonly subject: boolean;
  /** Longest `subject`, in code points (0 when the platform has none). */
  readonly maxSubjectLength: number;
  /** What the text is on this platform, for prompts: a caption, a video script, a post, an email body. */
  readonly textRole: string;
}

/**
 * Each platform's limits. Twitter/X posts are at most 280 characters; Instagram captions at most
 * 2,200; TikTok captions are held to the same 2,200 (TikTok allows more, 2,200 fits both apps);
 * an email has a subject (at most 150 characters, most clients show about 60) and a body.
 */
export const PLATFORM_LIMITS: Readonly<Record<CampaignPlatform, PlatformLimits>> = {
  instagram_reel: {
    label: 'Instagram Reels',
    maxTextLength: 2_200,
    subject: false,
    maxSubjectLength: 0,
    textRole: 'a short video script followed by its caption',
  },
  tiktok_video: {
    label: 'TikTok video',
    maxTextLength: 2_200,
    subject: false,
    maxSubjectLength: 0,
    textRole: 'a short video script followed by its caption',
  },
  instagram_post: {
    label: 'Instagram post',
    maxTextLength: 2_200,
    subject: false,
    maxSubjectLength: 0,
    textRole: 'an image caption',
  },
  twitter_post: {
    label: 'Twitter post',
    maxTextLength: 280,
    subject: false,
    maxSubjectLength: 0,
    textRole: 'a single post',
  },
  email: {
    label: 'Email',
    maxTextLength: 20_000,
    subject: true,
    maxSubjectLength: 150,
    textRole: 'a plain-text email body',
  },
};

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
