import * as z from 'zod/mini';
import { AbortedError } from '../errors/customer-error';
import { codePointLength, PLATFORM_LIMITS, toStorableText } from '../model/campaign-model';
import { hashString } from '../store/cursor';
import type {
  CampaignGenerator,
  CampaignGeneratorInput,
  CampaignGeneratorOutput,
} from './campaign-generator';
import { parsed } from './campaign-request';
import { CAMPAIGN_TONES, type CampaignTone, MONTHS, TONES, TOPICS } from './template-copy';

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
        .check(z.trim(), z.minLength(1, 'expected a non-empty name'), z.maxLength(100)),
    ),
    tone: z.optional(z.enum(CAMPAIGN_TONES, { error: `expected one of ${CAMPAIGN_TONES.join(', ')}` })),
    hashtags: z.optional(
      z.array(z.string({ error: 'expected text' }).check(z.maxLength(50))).check(z.maxLength(10)),
    ),
  }),
  {},
);

/** A part of a message; optional parts are left out when they do not fit. */
interface Part {
  readonly text: string;
  readonly optional?: boolean;
}

interface Resolved {
  readonly brand: string;
  readonly brandTag: string | undefined;
  readonly tone: CampaignTone;
  readonly hashtags: readonly string[];
}

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
  const resolved: Resolved = {
    brand: o.brandName ?? 'our shop',
    brandTag: o.brandName === undefined ? undefined : hashtag(o.brandName),
    tone: o.tone ?? 'friendly',
    hashtags: (o.hashtags ?? []).map(hashtag).filter((t): t is string => t !== undefined),
  };
  return async (input, { signal }) => {
    if (signal.aborted) throw signal.reason ?? new AbortedError();
    const output = writeTemplateCampaign(input, resolved);
    // Input text the stores could not keep (a NUL in a name) must not fail the campaign.
    return output.subject === undefined
      ? { text: toStorableText(output.text) }
      : { subject: toStorableText(output.subject), text: toStorableText(output.text) };
  };
}

function writeTemplateCampaign(input: CampaignGeneratorInput, o: Resolved): CampaignGeneratorOutput {
  const { campaign, customer } = input;
  const voice = TONES[o.tone];
  const name = customer.firstName.trim() || 'there';
  const fill = (text: string) => text.replaceAll('{name}', name).replaceAll('{brand}', o.brand);
  const seed = hashString(
    [name, campaign.title, campaign.contentType, campaign.platform, ...customer.preferences].join('\u0000'),
  );
  const pick = <T>(list: readonly T[]): T => list[parseInt(seed, 36) % list.length]!;
  // The topic of the customer's first preference that has one (preferences are in their order).
  const topicOf = (preference: string) =>
    TOPICS.find((t) => t.keywords.some((k) => preference.toLowerCase().includes(k)));
  const topic = customer.preferences.map(topicOf).find((t) => t !== undefined) ?? TOPICS.at(-1)!;
  const fact = pick(topic.facts);
  const myth = pick(topic.myths);
  // A quiz asks about a fact (true) or a myth (false), half of the customers each.
  const quizIsTrue = parseInt(seed.slice(-2), 36) % 2 === 0;
  const likes = customer.preferences.length > 0 ? listOf(customer.preferences) : undefined;

  const core: Record<typeof campaign.contentType, string> = {
    quiz: `Quick quiz: true or false? ${capitalize(quizIsTrue ? fact : myth.myth)}.`,
    fact: `Did you know? ${capitalize(fact)}${voice.mark}`,
    myth: `Myth: ${capitalize(myth.myth)}. Truth: ${capitalize(myth.truth)}${voice.mark}`,
    general: `${campaign.title} at ${o.brand}${voice.mark} ${likes ? `As a fan of ${likes}, you will find plenty to love.` : 'There is something for everyone.'}`,
    custom: `${campaign.title}: ${campaign.instructions ?? ''}`.trim(),
  };
  const message = core[campaign.contentType];
  const answer =
    campaign.contentType === 'quiz'
      ? { text: quizIsTrue ? 'Answer: true!' : `Answer: false! ${capitalize(myth.truth)}.`, optional: true }
      : undefined;
  const quizCall = campaign.contentType === 'quiz' ? { text: voice.quizCall, optional: true } : undefined;
  const birthday =
    customer.birthdayMonth === null
      ? undefined
      : { text: voice.birthday.replace('{month}', MONTHS[customer.birthdayMonth - 1] ?? ''), optional: true };
  const invitation = { text: fill(voice.invitation), optional: true };
  const tags = [o.brandTag, ...customer.preferences.map(hashtag), ...o.hashtags].filter(
    (t, i, all): t is string => t !== undefined && all.indexOf(t) === i,
  );
  const tagLine = tags.length > 0 ? { text: tags.slice(0, 5).join(' '), optional: true } : undefined;
  const limits = PLATFORM_LIMITS[campaign.platform];
  const greeting = { text: fill(voice.greeting) };
  // On one line after "Hi Ana," the message goes on in lower case.
  const ownWords = campaign.contentType === 'quiz' || campaign.contentType === 'fact';
  const inline = { text: ownWords && voice.greeting.endsWith(',') ? lowerFirst(message) : message };

  switch (campaign.platform) {
    case 'twitter_post':
      return { text: fitParts([greeting, inline, quizCall, invitation, tagLine], ' ', limits.maxTextLength) };
    case 'instagram_post':
      return {
        text: fitParts(
          [greeting, { text: message }, quizCall, invitation, birthday, tagLine],
          '\n\n',
          limits.maxTextLength,
        ),
      };
    case 'instagram_reel':
    case 'tiktok_video': {
      const caption = fitParts([greeting, inline, quizCall, tagLine], ' ', 600);
      const hooks: Record<typeof campaign.contentType, string> = {
        quiz: `${name}, quick quiz!`,
        fact: `${name}, did you know this?`,
        myth: `${name}, myth or truth?`,
        general: `${name}, ${campaign.title}`,
        custom: `${name}, ${campaign.title}`,
      };
      const script = [
        { text: `Hook: ${hooks[campaign.contentType]}` },
        {
          text: `Scene: the counter at ${o.brand}, close on ${customer.preferences[0] ?? 'today’s bakes'}.`,
          optional: true,
        },
        { text: `Voice-over: ${message}` },
        answer,
        { text: `End card: ${fill(voice.invitation)}`, optional: true },
        { text: `Caption: ${caption}` },
      ];
      return { text: fitParts(script, '\n', limits.maxTextLength) };
    }
    case 'email': {
      const subjects: Record<typeof campaign.contentType, string> = {
        quiz: `${name}, can you answer this quick quiz?`,
        fact: `${name}, did you know?`,
        myth: `${name}, myth or truth?`,
        general: `${campaign.title}, ${name}`,
        custom: `${campaign.title}, ${name}`,
      };
      const body = fitParts(
        [greeting, { text: message }, answer, invitation, birthday, { text: `${voice.signOff}\n${o.brand}` }],
        '\n\n',
        limits.maxTextLength,
      );
      return {
        subject: fitParts([{ text: subjects[campaign.contentType] }], '', limits.maxSubjectLength),
        text: body,
      };
    }
  }
}

/**
 * Joins the parts that fit within `max` code points: every required part, then each optional part
 * in order while it still fits. When the required parts alone are too long, the text is cut at a
 * code-point boundary and ends with an ellipsis.
 */
function fitParts(parts: readonly (Part | undefined)[], separator: string, max: number): string {
  const present = parts.filter((p): p is Part => p !== undefined && p.text.trim() !== '');
  const required = present.filter((p) => !p.optional);
  let length = codePointLength(required.map((p) => p.text).join(separator));
  const kept = new Set(required);
  for (const part of present) {
    if (!part.optional) continue;
    const extra = codePointLength(part.text) + codePointLength(separator);
    if (length + extra <= max) {
      kept.add(part);
      length += extra;
    }
  }
  const text = present
    .filter((p) => kept.has(p))
    .map((p) => p.text)
    .join(separator);
  if (codePointLength(text) <= max) return text;
  return `${Array.from(text)
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Quick quiz: …" → "quick quiz: …" (the generator's own opening words only). */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** `gluten-free` → `#GlutenFree`; `undefined` when nothing is left of it. */
function hashtag(text: string): string | undefined {
  const words = text
    .replace(/^#/, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  if (words.length === 0) return undefined;
  const tag = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return `#${Array.from(tag).slice(0, 40).join('')}`;
}
