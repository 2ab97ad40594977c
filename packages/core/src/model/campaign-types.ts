// The campaign vocabulary (content types, platforms and their limits) apart from the content schema,
// so an app reading it does not download the schema that checks generated campaigns.

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
