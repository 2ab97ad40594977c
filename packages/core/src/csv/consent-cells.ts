import type { ConsentChannel, ConsentState } from '../model/consent';

/**
 * The CSV targets that carry consent: a channel's state (`consent.email`, `consent.sms`,
 * `consent.socialDm`), and the email columns of Mailchimp and Square exports: the time a member
 * opted in (`consent.email.optInTime`), the time they unsubscribed (`consent.email.unsubscribeTime`),
 * and an "unsubscribed" flag (`consent.email.unsubscribed`).
 */
export const CONSENT_TARGETS = [
  'consent.email',
  'consent.sms',
  'consent.socialDm',
  'consent.email.optInTime',
  'consent.email.unsubscribeTime',
  'consent.email.unsubscribed',
] as const;

/** A CSV target carrying consent. */
export type ConsentTarget = (typeof CONSENT_TARGETS)[number];

const SUBSCRIBED = new Set([
  'yes',
  'y',
  'true',
  '1',
  'subscribed',
  'optedin',
  'optin',
  'accepted',
  'accepts',
  'singleoptin',
  'confirmedoptin',
]);
const UNSUBSCRIBED = new Set([
  'no',
  'n',
  'false',
  '0',
  'unsubscribed',
  'optedout',
  'optout',
  'declined',
  'rejected',
]);
const UNKNOWN = new Set(['unknown', 'pending', 'notsubscribed', 'neversubscribed']);

/**
 * Reads a consent cell as tools write it: Shopify's `yes`/`no`, Square's `Subscribed`/`Unsubscribed`,
 * Mailchimp's statuses, `true`/`false`. Case, spaces and punctuation are ignored. Shopify writes
 * `no` for a customer who did not accept marketing: that is a recorded refusal, read as
 * `unsubscribed`.
 * @param cell - A cleaned, non-empty cell.
 * @returns The state, or `undefined` for a value it does not know.
 */
export function consentStateOf(cell: string): ConsentState | undefined {
  const key = cell.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (SUBSCRIBED.has(key)) return 'subscribed';
  if (UNSUBSCRIBED.has(key)) return 'unsubscribed';
  if (UNKNOWN.has(key)) return 'unknown';
  return undefined;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?(?:\s*(?:Z|UTC|[+-]00:?00))?$/i;

/**
 * Reads a time as Mailchimp exports write them (`2024-03-21 14:22:01`, UTC) or ISO 8601 in UTC.
 * @param cell - A cleaned, non-empty cell.
 * @returns Epoch ms, or `undefined` when it is not such a time.
 */
export function consentTimeOf(cell: string): number | undefined {
  const m = DATE_TIME.exec(cell.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  // Refuses dates that do not exist (2024-02-31), which Date.UTC would roll over.
  if (back.getUTCDate() !== Number(d) || back.getUTCMonth() !== Number(mo) - 1) return undefined;
  return ms;
}

/** The channel a consent target fills. */
export function consentChannelOf(target: ConsentTarget): ConsentChannel {
  return target === 'consent.sms' ? 'sms' : target === 'consent.socialDm' ? 'socialDm' : 'email';
}
