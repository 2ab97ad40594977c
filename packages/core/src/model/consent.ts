import * as z from 'zod/mini';
import { fail } from './schema-issue';
import { unstorableIndex } from './storable-text';

/** The channels a customer can agree (or refuse) to receive marketing on: email, SMS, social direct messages. */
export const CONSENT_CHANNELS = ['email', 'sms', 'socialDm'] as const;

/** A marketing channel. */
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/**
 * Where a channel stands: `subscribed` (the customer said yes), `unsubscribed` (said no, or
 * withdrew) or `unknown` (never asked, or no record).
 */
export const CONSENT_STATES = ['subscribed', 'unsubscribed', 'unknown'] as const;

/**
 * What a caller may give as `consent` (an input, a patch, a form value): some channels, each a
 * state or `{ state, at?, source?, by? }`.
 */
export type ConsentInput = {
  readonly [C in ConsentChannel]?:
    | ConsentState
    | {
        readonly state: ConsentState;
        readonly at?: number | null;
        readonly source?: ConsentSource | null;
        readonly by?: string | null;
      };
};

/** A consent state. */
export type ConsentState = (typeof CONSENT_STATES)[number];

/** How consent was recorded: a sign-up `form`, an `import`ed file, the `pos` (till), or the `api`. */
export const CONSENT_SOURCES = ['form', 'import', 'pos', 'api'] as const;

/** A consent source. */
export type ConsentSource = (typeof CONSENT_SOURCES)[number];

/** One channel's consent as stored. */
export interface ChannelConsent {
  /** Where the channel stands. */
  readonly state: ConsentState;
  /** When it was given or withdrawn (epoch ms), or `null` when never recorded. */
  readonly at: number | null;
  /** How it was recorded, or `null` when never recorded. */
  readonly source: ConsentSource | null;
  /** Who recorded it (a user id of your app, a till name), or `null`. */
  readonly by: string | null;
}

/** A stored customer's consent: every channel, `unknown` where nothing was recorded. */
export type CustomerConsent = { readonly [C in ConsentChannel]: ChannelConsent };

/** Consent of some channels, as an input or a patch carries it: the channels absent keep their value. */
export type ConsentPatch = { readonly [C in ConsentChannel]?: ChannelConsent };

/** A channel nothing was recorded for. */
export const UNKNOWN_CONSENT: ChannelConsent = /* @__PURE__ */ Object.freeze({
  state: 'unknown',
  at: null,
  source: null,
  by: null,
});

/** Longest `by`. */
const MAX_BY = 200;

// z.literal over the list, not z.enum: the same check, and no `{ subscribed: 'subscribed', … }` object
// in the declarations (typedoc would ask to document each of its keys).
const stateSchema = /* @__PURE__ */ z.literal(CONSENT_STATES, {
  error: `Consent state must be one of ${CONSENT_STATES.join(', ')}`,
});

/** One channel's input object, once a bare state is wrapped. */
const channelObject = /* @__PURE__ */ z.strictObject(
  {
    state: stateSchema,
    at: z.nullish(
      z
        .number({ error: 'Consent time must be epoch milliseconds' })
        .check(
          z.int('Consent time must be whole epoch milliseconds'),
          z.nonnegative('Consent time must be epoch milliseconds'),
          z.lte(8.64e15, 'Consent time must be epoch milliseconds'),
        ),
    ),
    source: z.nullish(
      z.literal(CONSENT_SOURCES, {
        error: `Consent source must be one of ${CONSENT_SOURCES.join(', ')}`,
      }),
    ),
    by: z.nullish(z.string({ error: 'Consent "by" must be text' })),
  },
  { error: 'Consent of a channel must be a state or { state, at?, source?, by? }' },
);

/** One channel's input: a state, or `{ state, at?, source?, by? }`. */
const channelInput = /* @__PURE__ */ z.pipe(
  z.pipe(
    z.transform((value: unknown) => (typeof value === 'string' ? { state: value } : value)),
    channelObject,
  ),
  z.transform((given: z.output<typeof channelObject>, ctx): ChannelConsent => {
    const by = given.by?.trim() || null;
    if (by !== null && by.length > MAX_BY) {
      return fail(ctx, 'too_big', `Consent "by" must be at most ${MAX_BY} characters`);
    }
    if (by !== null && unstorableIndex(by) !== -1) {
      return fail(ctx, 'invalid_character', 'Consent "by" contains a character that cannot be stored');
    }
    return { state: given.state, at: given.at ?? null, source: given.source ?? null, by };
  }),
);

/**
 * The `consent` field of an input or a patch: some channels, each a state (`'subscribed'`) or
 * `{ state, at?, source?, by? }`. A missing `at`, `source` or `by` is filled in when the customer is
 * written (the write's time, `api` or the import's source). `null` changes nothing.
 */
export const consentInputSchema = /* @__PURE__ */ z.optional(
  z.pipe(
    z.nullable(
      z.strictObject(
        {
          email: z.optional(channelInput),
          sms: z.optional(channelInput),
          socialDm: z.optional(channelInput),
        },
        { error: 'Consent must be an object of channel → state (email, sms, socialDm)' },
      ),
    ),
    z.transform((value: ConsentPatch | null): ConsentPatch => {
      const out: { [C in ConsentChannel]?: ChannelConsent } = {};
      for (const channel of CONSENT_CHANNELS) {
        const given = value?.[channel];
        if (given !== undefined) out[channel] = given;
      }
      return out;
    }),
  ),
);

const storedChannel = /* @__PURE__ */ z.strictObject({
  state: stateSchema,
  at: z.nullable(
    z
      .int('Consent time must be whole epoch milliseconds')
      .check(z.nonnegative('Consent time must be epoch milliseconds')),
  ),
  source: z.nullable(
    z.literal(CONSENT_SOURCES, `Consent source must be one of ${CONSENT_SOURCES.join(', ')}`),
  ),
  by: z.nullable(
    z
      .string('Consent "by" must be text')
      .check(z.maxLength(MAX_BY, `Consent "by" must be at most ${MAX_BY} characters`)),
  ),
});

/** A stored customer's consent: every channel present. */
export const customerConsentSchema = /* @__PURE__ */ z.strictObject({
  email: storedChannel,
  sms: storedChannel,
  socialDm: storedChannel,
});

/**
 * A customer's whole consent: `patch`'s channels over `base`'s (or `unknown`).
 * @param patch - Channels to set, or `undefined`.
 * @param base - The consent they change. @defaultValue every channel `unknown`
 * @returns A new object with every channel.
 */
export function mergeConsent(patch: ConsentPatch | undefined, base?: CustomerConsent): CustomerConsent {
  return {
    email: patch?.email ?? base?.email ?? UNKNOWN_CONSENT,
    sms: patch?.sms ?? base?.sms ?? UNKNOWN_CONSENT,
    socialDm: patch?.socialDm ?? base?.socialDm ?? UNKNOWN_CONSENT,
  };
}

/**
 * Fills what a write records with consent: the time, the source and who, where the caller left them
 * out. A bare `unknown` (no time, source or who) stays the untouched "no record".
 * @param patch - Validated channels.
 * @param at - The write's time, epoch ms.
 * @param source - The source when none was given (`api` for the client's calls).
 * @param by - Who, when nobody was named.
 * @returns A new patch whose channels all have `at` and `source`; `undefined` for `undefined`.
 */
export function stampConsent(
  patch: ConsentPatch | undefined,
  at: number,
  source: ConsentSource,
  by: string | null = null,
): ConsentPatch | undefined {
  if (patch === undefined) return undefined;
  const out: { [C in ConsentChannel]?: ChannelConsent } = {};
  for (const channel of CONSENT_CHANNELS) {
    const given = patch[channel];
    if (given === undefined) continue;
    // A bare `unknown` means "no record": nothing to date or attribute.
    if (sameChannelConsent(given, UNKNOWN_CONSENT)) {
      out[channel] = UNKNOWN_CONSENT;
      continue;
    }
    out[channel] = {
      state: given.state,
      at: given.at ?? at,
      source: given.source ?? source,
      by: given.by ?? by,
    };
  }
  return out;
}

/**
 * Tells whether two channel consents are the same record.
 * @returns `true` when state, time, source and who are equal.
 */
export function sameChannelConsent(a: ChannelConsent, b: ChannelConsent): boolean {
  return a.state === b.state && a.at === b.at && a.source === b.source && a.by === b.by;
}

/**
 * Merges two consent values of one field, the newer one's channels winning: how the update queue
 * coalesces two edits of `consent`, so editing email then SMS saves both.
 * @param older - The earlier value.
 * @param newer - The later value.
 * @returns The merged patch.
 */
export function mergeConsentPatches(
  older: ConsentPatch | undefined,
  newer: ConsentPatch | undefined,
): ConsentPatch {
  return { ...older, ...newer };
}
