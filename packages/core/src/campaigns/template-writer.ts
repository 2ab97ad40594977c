import { codePointLength, toStorableText } from '../model/campaign-model';
import { PLATFORM_LIMITS } from '../model/campaign-types';
import { hashString } from '../store/cursor';
import type { CampaignGeneratorInput, CampaignGeneratorOutput } from './campaign-generator';
import type { CampaignTone } from './campaign-tones';
import { hashtag } from './hashtag';
import { MONTHS, TONES, TOPICS } from './template-copy';

// What `templateCampaignGenerator`'s generator runs, loaded with its first campaign: the phrase
// banks are most of the generator's weight.

/** The template generator's options, checked and with their defaults. */
export interface ResolvedTemplateOptions {
  readonly brand: string;
  readonly brandTag: string | undefined;
  readonly tone: CampaignTone;
  readonly hashtags: readonly string[];
}

/** A part of a message; optional parts are left out when they do not fit. */
interface Part {
  readonly text: string;
  readonly optional?: boolean;
}

/**
 * Writes one campaign from the phrase banks, in text every store can keep.
 * @param input - The generator input.
 * @param o - The generator's options.
 * @returns The campaign.
 */
export function writeTemplateCampaign(
  input: CampaignGeneratorInput,
  o: ResolvedTemplateOptions,
): CampaignGeneratorOutput {
  const output = composeCampaign(input, o);
  // Input text the stores could not keep (a NUL in a name) must not fail the campaign.
  return output.subject === undefined
    ? { text: toStorableText(output.text) }
    : { subject: toStorableText(output.subject), text: toStorableText(output.text) };
}

function composeCampaign(input: CampaignGeneratorInput, o: ResolvedTemplateOptions): CampaignGeneratorOutput {
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
