/**
 * The phrase banks of the template generator: facts and myths per topic (matched on a customer's
 * preference), and the voice of each tone. Plain data; `template-writer.ts` assembles it.
 */
import type { CampaignTone } from './campaign-tones';

/** A fact, and a myth with its correction. */
interface TopicCopy {
  /** Words that select this topic when a preference contains one of them. */
  readonly keywords: readonly string[];
  readonly facts: readonly string[];
  readonly myths: readonly { readonly myth: string; readonly truth: string }[];
}

/** Topics, first match wins; the last one is the fallback. */
export const TOPICS: readonly TopicCopy[] = [
  {
    keywords: ['coffee', 'espresso', 'latte', 'cappuccino', 'mocha'],
    facts: [
      'coffee beans are the seeds of a fruit called the coffee cherry',
      'a single espresso usually holds less caffeine than a mug of filter coffee',
    ],
    myths: [
      {
        myth: 'dark roast coffee has more caffeine',
        truth: 'roasting longer does not add caffeine; by weight, light and dark roasts are about the same',
      },
    ],
  },
  {
    keywords: ['chocolate', 'cocoa', 'cacao'],
    facts: [
      'chocolate is made from the fermented, roasted seeds of the cacao tree',
      'white chocolate is made with cocoa butter but no cocoa solids',
    ],
    myths: [
      {
        myth: 'white chocolate is not real chocolate',
        truth: 'it is made from cocoa butter, part of the cacao bean; it simply has no cocoa solids',
      },
    ],
  },
  {
    keywords: ['vegan', 'plant'],
    facts: ['vegan bakes swap eggs and butter for ingredients like flax, aquafaba and plant butter'],
    myths: [
      {
        myth: 'vegan treats cannot be indulgent',
        truth: 'plant butters and milks make bakes every bit as rich',
      },
    ],
  },
  {
    keywords: ['gluten'],
    facts: ['gluten is a protein found in wheat, barley and rye'],
    myths: [
      {
        myth: 'gluten-free means flavour-free',
        truth: 'good gluten-free recipes are built around flavour, not around what is missing',
      },
    ],
  },
  {
    keywords: ['tea', 'matcha', 'chai'],
    facts: ['green, black and oolong teas all come from the same plant, Camellia sinensis'],
    myths: [
      {
        myth: 'green tea has no caffeine',
        truth: 'it has some caffeine, usually less than black tea or coffee',
      },
    ],
  },
  {
    keywords: ['glaze', 'donut', 'doughnut', 'sprinkle', 'frosting', 'icing'],
    facts: [
      'a classic glaze is little more than icing sugar and a splash of liquid, set on a warm pastry',
      'in the UK and Australia sprinkles are often called hundreds and thousands',
    ],
    myths: [
      {
        myth: 'a glaze is just decoration',
        truth: 'it seals in moisture, which is why a glazed treat stays soft for longer',
      },
    ],
  },
  {
    keywords: [],
    facts: [
      'pastries taste best on the day they are baked',
      'bakers often start hours before sunrise so everything is fresh when the doors open',
    ],
    myths: [
      {
        myth: 'treats are only for special occasions',
        truth: 'a small treat can brighten the most ordinary day',
      },
    ],
  },
];

/** How a tone greets, invites and signs off. `{name}` and `{brand}` are replaced. */
export interface ToneCopy {
  readonly greeting: string;
  readonly invitation: string;
  readonly signOff: string;
  readonly birthday: string;
  readonly quizCall: string;
  readonly mark: string;
}

/** The voice of each tone. */
export const TONES: Readonly<Record<CampaignTone, ToneCopy>> = {
  friendly: {
    greeting: 'Hi {name},',
    invitation: 'Pop in to {brand} and treat yourself.',
    signOff: 'See you soon,',
    birthday: 'Birthday in {month}? Ask us about a birthday treat.',
    quizCall: 'Tell us your answer next time you visit!',
    mark: '.',
  },
  playful: {
    greeting: 'Hey {name}!',
    invitation: 'Your next treat is waiting at {brand} 🍩',
    signOff: 'Stay sweet,',
    birthday: 'A little bird says your birthday is in {month} 🎂 Come celebrate with us!',
    quizCall: 'Drop your guess below 👇',
    mark: '!',
  },
  professional: {
    greeting: 'Hello {name},',
    invitation: 'We look forward to welcoming you at {brand}.',
    signOff: 'Kind regards,',
    birthday: 'If your birthday falls in {month}, please ask our team about our birthday offer.',
    quizCall: 'Share your answer with our team on your next visit.',
    mark: '.',
  },
  enthusiastic: {
    greeting: 'Hi {name}!',
    invitation: 'Come see us at {brand}, we would love to see you!',
    signOff: 'Can’t wait to see you,',
    birthday: 'Your birthday is in {month}? Let’s celebrate it with something sweet!',
    quizCall: 'Tell us what you think!',
    mark: '!',
  },
};

/** Month names for birthday lines. */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;
