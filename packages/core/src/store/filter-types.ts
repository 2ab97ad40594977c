import type { ConsentChannel, ConsentState } from '../model/consent';
import type { CustomFieldValue } from '../model/customer-schema';

/** Optional customer fields that `has` and `missing` test (a list is present when not empty). */
export const PRESENCE_FIELDS = [
  'phone',
  'dob',
  'instagramHandle',
  'tiktokHandle',
  'twitterHandle',
  'gender',
  'location',
  'notes',
  'preferences',
  'tags',
] as const;

/** A field `has` / `missing` can test. */
export type PresenceField = (typeof PRESENCE_FIELDS)[number];

/**
 * A condition on a list field (preferences or tags). Entries compare folded (case- and
 * accent-insensitive: `creme brulee` matches `Crème Brûlée`); an empty or absent list is no condition.
 */
export interface ListCondition {
  /** The customer has at least one of these. */
  readonly any?: readonly string[];
  /** The customer has every one of these. */
  readonly all?: readonly string[];
  /** The customer has none of these. */
  readonly none?: readonly string[];
}

/**
 * Upcoming birthdays: the birthday (from a full or year-less date of birth) falls on one of the
 * `days` calendar days starting at `from`, across the year end. A 29 February birthday counts on
 * 28 February in years without one.
 */
export interface BirthdayWindow {
  /** How many days the window spans, 1–366 (`1` = only `from`, `7` = the coming week). */
  readonly days: number;
  /** The first day, `YYYY-MM-DD`. @defaultValue today in `timeZone` (the client's clock) */
  readonly from?: string;
  /**
   * The IANA time zone "today" is taken in when `from` is absent.
   * @defaultValue the runtime's time zone (UTC on most servers)
   */
  readonly timeZone?: string;
}

/** A range of epoch-millisecond times (a `Date` is read as its time); bounds combine with AND. */
export interface TimeRange {
  /** At or after this time. */
  readonly gte?: number | Date;
  /** After this time. */
  readonly gt?: number | Date;
  /** At or before this time. */
  readonly lte?: number | Date;
  /** Before this time. */
  readonly lt?: number | Date;
}

/** A value a custom-field condition compares with. */
export type CustomFieldOperand = string | number | boolean;

/**
 * A condition on one custom field; its parts combine with AND. Values compare with their type:
 * a number only equals or orders against numbers, text against text (`date` fields hold
 * `YYYY-MM-DD`, so text order is date order). With custom field definitions the operands must fit
 * the field's type, and ranges need a `number` or `date` field.
 */
export interface CustomFieldCondition {
  /** Equal to this value (`null`: no value, like `exists: false`). */
  readonly eq?: CustomFieldValue;
  /** Equal to one of these values. */
  readonly in?: readonly CustomFieldOperand[];
  /** Greater than. */
  readonly gt?: number | string;
  /** Greater than or equal. */
  readonly gte?: number | string;
  /** Less than. */
  readonly lt?: number | string;
  /** Less than or equal. */
  readonly lte?: number | string;
  /** `true`: has a non-null value; `false`: absent or `null`. */
  readonly exists?: boolean;
}

/**
 * Which customers a list, count, export or segment covers. All conditions combine with AND; an
 * absent or blank condition is no condition. The client checks it (`invalid_argument` naming the
 * path of an unknown key or a wrong type) and hands adapters its canonical {@link NormalizedFilter}.
 * Every adapter gives each filter the same meaning (the conformance suite checks it on random data).
 * @example
 * const filter: CustomerFilter = {
 *   text: 'jose',
 *   preferences: { any: ['glazed'] },
 *   birthdayWithinDays: { days: 14, timeZone: 'Europe/Paris' },
 *   customFields: { visits: { gte: 5 } },
 * };
 */
export interface CustomerFilter {
  /**
   * Search: every word of the text begins a word of the first name, last name, email or a social
   * handle (folded: `jose` finds `José`, `muller` finds `Müller`), or — for a text of digits only —
   * the digits appear in the phone number (`555 0100` finds `+1 (555) 010-0100`).
   * A text without letters or digits is no condition. At most 200 characters.
   */
  readonly text?: string;
  /** Conditions on the preferences. */
  readonly preferences?: ListCondition;
  /** Conditions on the tags. */
  readonly tags?: ListCondition;
  /** The birthday falls within a window of days (upcoming birthdays). */
  readonly birthdayWithinDays?: BirthdayWindow;
  /** The birthday falls in this month, 1–12. */
  readonly birthdayMonth?: number;
  /** When the customer was created. */
  readonly createdAt?: TimeRange;
  /** When the customer was last changed. */
  readonly updatedAt?: TimeRange;
  /** Each of these optional fields has a value (a list: at least one entry). */
  readonly has?: readonly PresenceField[];
  /** Each of these optional fields has no value (a list: no entry). */
  readonly missing?: readonly PresenceField[];
  /** Conditions on custom fields, by key; a plain value is short for `{ eq: value }`. */
  readonly customFields?: Readonly<Record<string, CustomFieldCondition | CustomFieldValue>>;
  /**
   * Consent per channel: the channel's state is this one, or one of these
   * (`{ email: 'subscribed' }`, `{ sms: ['unknown', 'unsubscribed'] }`).
   */
  readonly consent?: ConsentCondition;
}

/** A {@link CustomerFilter.consent} condition: per channel, a state or a list of states. */
export type ConsentCondition = {
  readonly [C in ConsentChannel]?: ConsentState | readonly ConsentState[];
};

/** A {@link ListCondition} in canonical form: folded entries, distinct, in code point order. */
export interface NormalizedListCondition {
  /** See {@link ListCondition.any}. */
  readonly any?: readonly string[];
  /** See {@link ListCondition.all}. */
  readonly all?: readonly string[];
  /** See {@link ListCondition.none}. */
  readonly none?: readonly string[];
}

/** A {@link TimeRange} in canonical form: integer bounds, `gte` inclusive, `lt` exclusive. */
export interface NormalizedTimeRange {
  /** Inclusive lower bound, epoch ms. */
  readonly gte?: number;
  /** Exclusive upper bound, epoch ms. */
  readonly lt?: number;
}

/** A {@link CustomFieldCondition} in canonical form (`eq: null` became `exists: false`; `in` distinct, sorted). */
export interface NormalizedCustomFieldCondition extends Omit<CustomFieldCondition, 'eq'> {
  /** See {@link CustomFieldCondition.eq}; never `null` here. */
  readonly eq?: CustomFieldOperand;
}

/**
 * The canonical form of a {@link CustomerFilter}, as adapters receive it from `normalizeFilter`:
 * blank conditions dropped, text folded into its words, list entries folded and sorted, times as
 * integer half-open ranges, the birthday window's `from` resolved, keys in a fixed order. Equal
 * filters serialize equally, which is what binds cursors to them.
 */
export interface NormalizedFilter {
  /** The search words, folded, joined by one space. */
  readonly text?: string;
  /** See {@link CustomerFilter.preferences}. */
  readonly preferences?: NormalizedListCondition;
  /** See {@link CustomerFilter.tags}. */
  readonly tags?: NormalizedListCondition;
  /** The window with its first day resolved. */
  readonly birthdayWithinDays?: { readonly days: number; readonly from: string };
  /** See {@link CustomerFilter.birthdayMonth}. */
  readonly birthdayMonth?: number;
  /** See {@link CustomerFilter.createdAt}. */
  readonly createdAt?: NormalizedTimeRange;
  /** See {@link CustomerFilter.updatedAt}. */
  readonly updatedAt?: NormalizedTimeRange;
  /** Distinct fields in {@link PRESENCE_FIELDS} order. */
  readonly has?: readonly PresenceField[];
  /** Distinct fields in {@link PRESENCE_FIELDS} order. */
  readonly missing?: readonly PresenceField[];
  /** Conditions by key, keys sorted. */
  readonly customFields?: Readonly<Record<string, NormalizedCustomFieldCondition>>;
  /** Per channel (in `CONSENT_CHANNELS` order), the states admitted, distinct, in `CONSENT_STATES` order. */
  readonly consent?: Readonly<Partial<Record<ConsentChannel, readonly ConsentState[]>>>;
}
