import {
  CAMPAIGN_CONTENT_TYPES,
  CAMPAIGN_PLATFORMS,
  CAMPAIGN_TONES,
  type CampaignGeneratorInput,
  PLATFORM_LIMITS,
  templateCampaignGenerator,
} from '@donutauto/core';
import { campaignContentSchema, codePointLength } from '@donutauto/core/adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const context = { signal: new AbortController().signal, campaignId: 'c-1', attempt: 1 };

const text = (min: number, max: number) =>
  fc.oneof(
    fc.string({ minLength: min, maxLength: max }),
    // Long values too: the copy must be cut to fit, not only usually fit.
    fc.string({ minLength: Math.max(min, Math.floor(max * 0.8)), maxLength: max, unit: 'binary' }),
    fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
    fc.constantFrom('Zoë', 'Eun-ji', "O'Neil", '李', '🍩 fan', 'A'.repeat(Math.max(min, 1))),
  );

const inputArbitrary: fc.Arbitrary<CampaignGeneratorInput> = fc.record({
  campaign: fc
    .record({
      title: text(1, 200),
      contentType: fc.constantFrom(...CAMPAIGN_CONTENT_TYPES),
      platform: fc.constantFrom(...CAMPAIGN_PLATFORMS),
      instructions: fc.option(text(1, 4_000), { nil: null }),
    })
    .map((c) => ({
      ...c,
      instructions: c.contentType === 'custom' ? (c.instructions ?? 'Announce our new menu') : c.instructions,
      limits: PLATFORM_LIMITS[c.platform],
    })),
  customer: fc.record({
    firstName: text(1, 100),
    preferences: fc.array(
      fc.oneof(text(1, 50), fc.constantFrom('glazed', 'coffee', 'gluten-free', 'vegan')),
      {
        maxLength: 3,
      },
    ),
    tags: fc.array(text(1, 20), { maxLength: 3 }),
    birthdayMonth: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
    location: fc.option(text(1, 50), { nil: null }),
    customFields: fc.constant({}),
  }),
});

const optionsArbitrary = fc.record(
  {
    brandName: fc.constantFrom('Donut Corner', 'Ça Va Café', 'B'.repeat(100)),
    tone: fc.constantFrom(...CAMPAIGN_TONES),
    hashtags: fc.array(fc.constantFrom('DonutDay', '#Fresh', 'bake sale'), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

describe('templateCampaignGenerator', () => {
  it('always answers within the platform limits, deterministically', async () => {
    await fc.assert(
      fc.asyncProperty(inputArbitrary, optionsArbitrary, async (input, options) => {
        const generator = templateCampaignGenerator(options);
        const output = await generator(input, context);
        // The runner's own check: text within the limit, subject exactly for email.
        expect(campaignContentSchema(input.campaign.platform).safeParse(output).success).toBe(true);
        const limits = PLATFORM_LIMITS[input.campaign.platform];
        expect(codePointLength(output.text)).toBeLessThanOrEqual(limits.maxTextLength);
        if (input.campaign.platform === 'twitter_post')
          expect([...output.text].length).toBeLessThanOrEqual(280);
        if (input.campaign.platform === 'email') {
          expect(codePointLength(output.subject!)).toBeLessThanOrEqual(150);
        } else expect(output.subject).toBeUndefined();
        expect(await templateCampaignGenerator(options)(input, context)).toEqual(output);
      }),
      { numRuns: 500 },
    );
  });

  it('personalises with the first name, preferences and birthday month', async () => {
    const generator = templateCampaignGenerator({ brandName: 'Donut Corner', tone: 'playful' });
    const customer = {
      firstName: 'Zoë',
      preferences: ['coffee', 'glazed'],
      tags: [],
      birthdayMonth: 3,
      location: null,
      customFields: {},
    };
    const brief = (
      contentType: (typeof CAMPAIGN_CONTENT_TYPES)[number],
      platform: (typeof CAMPAIGN_PLATFORMS)[number],
    ) => ({
      campaign: {
        title: 'Spring menu',
        contentType,
        platform,
        instructions: 'Two-for-one on Fridays',
        limits: PLATFORM_LIMITS[platform],
      },
      customer,
    });
    const email = await generator(brief('general', 'email'), context);
    expect(email.subject).toBe('Spring menu, Zoë');
    expect(email.text).toContain('Hey Zoë!');
    expect(email.text).toContain('As a fan of coffee and glazed');
    expect(email.text).toContain('March');
    expect(email.text).toContain('Donut Corner');
    const tweet = await generator(brief('fact', 'twitter_post'), context);
    expect(tweet.text).toMatch(/^Hey Zoë! Did you know\? .*(coffee|espresso)/i);
    expect(tweet.text).toContain('#Coffee #Glazed');
    expect(tweet.text).toContain('#DonutCorner');
    const myth = await generator(brief('myth', 'instagram_reel'), context);
    expect(myth.text).toContain('Hook: Zoë, myth or truth?');
    expect(myth.text).toContain('Myth: Dark roast coffee has more caffeine');
    const custom = await generator(brief('custom', 'instagram_post'), context);
    expect(custom.text).toContain('Spring menu: Two-for-one on Fridays');
    const quiz = await generator(brief('quiz', 'tiktok_video'), context);
    expect(quiz.text).toContain('true or false?');
    expect(quiz.text).toMatch(/Answer: (true!|false! Roasting longer does not add caffeine)/);
    // Another customer gets other copy.
    const other = await generator(
      { ...brief('fact', 'twitter_post'), customer: { ...customer, firstName: 'Bo' } },
      context,
    );
    expect(other.text).not.toBe(tweet.text);
  });

  it('rejects with the signal reason once cancelled, on its first call and later ones', async () => {
    const generator = templateCampaignGenerator();
    const input = fc.sample(inputArbitrary, { numRuns: 1, seed: 7 })[0]!;
    const controller = new AbortController();
    const reason = new Error('stopped');
    controller.abort(reason);
    const cancelled = { ...context, signal: controller.signal };
    await expect(generator(input, cancelled)).rejects.toBe(reason);
    await generator(input, context);
    await expect(generator(input, cancelled)).rejects.toBe(reason);
  });

  it('refuses unknown options with invalid_argument', () => {
    expect(() => templateCampaignGenerator({ tone: 'grumpy' as never })).toThrow(/options\.tone/);
    expect(() => templateCampaignGenerator({ brandName: '' })).toThrow(/options\.brandName/);
    expect(() => templateCampaignGenerator({ colour: 'red' } as never)).toThrow(/options\.colour/);
  });

  it('says what is wrong with a value, not only its type', () => {
    expect(() => templateCampaignGenerator({ brandName: 'x'.repeat(101) })).toThrow(
      'Invalid options.brandName: expected at most 100 characters',
    );
    expect(() => templateCampaignGenerator({ hashtags: ['x'.repeat(51)] })).toThrow(
      'Invalid options.hashtags[0]: expected at most 50 characters',
    );
    expect(() => templateCampaignGenerator({ hashtags: Array(11).fill('a') })).toThrow(
      'Invalid options.hashtags: expected at most 10 hashtags',
    );
    expect(() => templateCampaignGenerator({ brandName: 5 as never })).toThrow(
      'Invalid options.brandName: expected text',
    );
  });
});
