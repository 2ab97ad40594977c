// Apart from the phrase banks (loaded with the template writer), so an app listing the tones does
// not download them.

/** Tones a brand can write in. */
export const CAMPAIGN_TONES = ['friendly', 'playful', 'professional', 'enthusiastic'] as const;

/** A tone of voice of the template generator. */
export type CampaignTone = (typeof CAMPAIGN_TONES)[number];
