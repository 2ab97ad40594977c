import * as z from 'zod/mini';
import { consentInputSchema, customerConsentSchema } from './consent';
import { CUSTOM_FIELD_KEY, FIELD_LIMITS, LIST_SEPARATOR, MAX_PREFERENCES } from './customer-fields';
import { isEmailAddress } from './email-address';
import { checkDob, normalizeHandle, normalizeList, normalizePhone } from './normalize';
import { type SchemaCtx as Ctx, fail } from './schema-issue';
import { describeUnstorable, unstorableIndex } from './storable-text';

// Every rule of the customer model lives here. Each refusal is an issue whose code (one of
// FIELD_ISSUE_CODES, carried in `params.code`) and message name the field; `toFieldIssues` maps the
// few issues zod raises itself (wrong types, unknown keys) in one place.

const {
  name: MAX_NAME,
  email: MAX_EMAIL,
  text: MAX_TEXT,
  notes: MAX_NOTES,
  listItem: MAX_LIST_ITEM,
  tags: MAX_TAGS,
  customFieldValue: MAX_CUSTOM_VALUE,
  customFieldCount: MAX_CUSTOM_COUNT,
  customFieldsSize: MAX_CUSTOM_SIZE,
} = FIELD_LIMITS;

const DOB_MESSAGES = {
  invalid_format: 'Date of birth must be YYYY-MM-DD, or --MM-DD when only the birthday is known',
  invalid_date: 'Date of birth is not a real calendar date',
  in_future: 'Date of birth cannot be in the future',
  too_old: 'Date of birth must be in 1900 or later',
} as const;

type Path = (string | number)[];

/** Adds an `invalid_character` issue when `text` holds U+0000 or a lone surrogate; `true` when it is clean. */
function storable(ctx: Ctx, label: string, text: string, path?: Path): boolean {
  const index = unstorableIndex(text);
  if (index === -1) return true;
  fail(
    ctx,
    'invalid_character',
    `${label} contains ${describeUnstorable(text, index)}, which cannot be stored`,
    path,
  );
  return false;
}

/** Checks trimmed text against a length limit and the storable-character rule. */
function checkText(ctx: Ctx, label: string, value: string, max: number): boolean {
  if (value.length > max) {
    fail(ctx, 'too_big', `${label} must be at most ${max} characters`);
    return false;
  }
  return storable(ctx, label, value);
}

/**
 * Required text: absent, `null` or blank is `required` (caught before zod's type check, which would
 * call any missing value a wrong type); anything but text is `invalid_type`.
 */
/* @__NO_SIDE_EFFECTS__ */
function requiredText<T>(label: string, then: (value: string, ctx: Ctx) => T) {
  const present = (value: string, ctx: Ctx): unknown =>
    value === undefined || value === null ? fail(ctx, 'required', `${label} is required`) : value;
  return z.pipe(
    z.transform(present),
    z.pipe(
      z.string({ error: `${label} must be text` }),
      z.transform((raw: string, ctx) => {
        const value = raw.trim();
        return value === '' ? fail(ctx, 'required', `${label} is required`) : then(value, ctx);
      }),
    ),
  );
}

/* @__NO_SIDE_EFFECTS__ */
function name(label: string) {
  return requiredText(label, (value, ctx) => (checkText(ctx, label, value, MAX_NAME) ? value : z.NEVER));
}

/** Optional text: `''`, `null` and absent all mean "no value" and are stored as `null`. */
/* @__NO_SIDE_EFFECTS__ */
function optionalText(label: string, max: number) {
  return z.pipe(
    z.nullish(z.string({ error: `${label} must be text` })),
    z.transform((raw: string | null | undefined, ctx) => {
      const value = raw?.trim();
      if (value === undefined || value === '') return null;
      return checkText(ctx, label, value, max) ? value : z.NEVER;
    }),
  );
}

/** Optional text normalized by `normalize` (phone, handles); input longer than `text` is refused unread. */
/* @__NO_SIDE_EFFECTS__ */
function optionalNormalized(label: string, normalize: (v: string) => string | undefined, message: string) {
  return z.pipe(
    z.nullish(z.string({ error: `${label} must be text` })),
    z.transform((raw: string | null | undefined, ctx) => {
      const value = raw?.trim();
      if (value === undefined || value === '') return null;
      if (!checkText(ctx, label, value, MAX_TEXT)) return z.NEVER;
      return normalize(value) ?? fail(ctx, 'invalid_format', message);
    }),
  );
}

/* @__NO_SIDE_EFFECTS__ */
function list(label: string, maxItems: number, tooMany: string) {
  return z.pipe(
    z.nullish(
      z.array(z.string({ error: `${label} entries must be text` }), {
        error: `${label} must be a list of text`,
      }),
    ),
    z.transform((raw: string[] | null | undefined, ctx) => {
      const items = normalizeList(raw ?? []);
      if (items.length > maxItems) return fail(ctx, 'too_big', tooMany);
      for (const item of items) {
        if (item.length > MAX_LIST_ITEM) {
          return fail(ctx, 'too_big', `${label} entries must be at most ${MAX_LIST_ITEM} characters`);
        }
        if (!storable(ctx, `${label} entry`, item)) return z.NEVER;
        if (LIST_SEPARATOR.test(item)) {
          return fail(
            ctx,
            'invalid_format',
            `${label} entries cannot contain , ; or | (they separate entries in CSV files)`,
          );
        }
      }
      return items;
    }),
  );
}

/** Value of one custom field: text, a finite number, a boolean, or `null` for "no value". */
export type CustomFieldValue = string | number | boolean | null;

/** A key for a message: quoted (escaping control characters), and shortened when long. */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 70 ? `${key.slice(0, 70)}…` : key);
}

/**
 * Checks and normalizes one custom field value (text is trimmed), adding issues at `path`.
 * @returns The normalized value, or `z.NEVER` after an issue.
 */
function customFieldValue(value: unknown, label: string, ctx: Ctx, path?: Path): CustomFieldValue {
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.length > MAX_CUSTOM_VALUE) {
      return fail(ctx, 'too_big', `${label} must be at most ${MAX_CUSTOM_VALUE} characters`, path);
    }
    return storable(ctx, label, text, path) ? text : z.NEVER;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? value
      : fail(ctx, 'invalid_value', `${label} must be a finite number`, path);
  }
  if (typeof value === 'boolean' || value === null) return value;
  return fail(ctx, 'invalid_type', `${label} must be text, a number, true/false or empty`, path);
}

/**
 * One custom field value on its own: text (trimmed, at most `FIELD_LIMITS.customFieldValue`
 * characters), a finite number, a boolean, or `null`.
 */
export const customFieldValueSchema = /* @__PURE__ */ z.pipe(
  z.custom<CustomFieldValue>(),
  z.transform((value: CustomFieldValue, ctx) => customFieldValue(value, 'Custom field value', ctx)),
);

/**
 * The length of custom fields as the SDK stores them: their JSON text. Bounded by
 * `FIELD_LIMITS.customFieldsSize`.
 * @param customFields - Normalized custom fields.
 * @returns `JSON.stringify(customFields).length`.
 */
export function customFieldsSize(customFields: Readonly<Record<string, CustomFieldValue>>): number {
  return JSON.stringify(customFields).length;
}

/** A plain object (any realm): not an array, date, map or class instance. */
function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return Object.prototype.toString.call(value) === '[object Object]';
}

/**
 * Custom fields: an object of name → value, read through its own enumerable keys only (so a key
 * like `constructor` is an ordinary field and `__proto__` an invalid name, never the prototype),
 * sorted by name, within the count and size limits of `FIELD_LIMITS`.
 */
const customFieldsSchema = /* @__PURE__ */ z.pipe(
  z.nullish(
    z.custom<Readonly<Record<string, CustomFieldValue>>>(isRecord, {
      error: 'Custom fields must be an object of name → value',
      params: { code: 'invalid_type' },
    }),
  ),
  z.transform((record: Readonly<Record<string, CustomFieldValue>> | null | undefined, ctx) => {
    const out: Record<string, CustomFieldValue> = {};
    if (record == null) return out;
    const keys = Object.keys(record);
    if (keys.length > MAX_CUSTOM_COUNT) {
      return fail(
        ctx,
        'too_big',
        `A customer can have at most ${MAX_CUSTOM_COUNT} custom fields (found ${keys.length})`,
      );
    }
    let valid = true;
    for (const key of keys.sort()) {
      const label = `Custom field ${quoteKey(key)}`;
      if (!storable(ctx, `Custom field name ${quoteKey(key)}`, key, [key])) valid = false;
      else if (!CUSTOM_FIELD_KEY.test(key)) {
        valid = false;
        fail(
          ctx,
          'invalid_format',
          `Custom field name ${quoteKey(key)} must start with a letter and hold letters, digits or _ (max ${FIELD_LIMITS.customFieldKey})`,
          [key],
        );
      } else {
        const value = customFieldValue(record[key], label, ctx, [key]);
        if (value === z.NEVER) valid = false;
        // The key passed CUSTOM_FIELD_KEY, so it is never `__proto__`: plain assignment is safe.
        else out[key] = value;
      }
    }
    if (!valid) return z.NEVER;
    const size = customFieldsSize(out);
    if (size > MAX_CUSTOM_SIZE) {
      return fail(
        ctx,
        'too_big',
        `Custom fields must take at most ${MAX_CUSTOM_SIZE} characters as JSON (these take ${size})`,
      );
    }
    return out;
  }),
);

/** Per-field schemas, shared by whole-customer validation and single-field edits. */
export const customerFieldSchemas = {
  firstName: name('First name'),
  lastName: name('Last name'),
  // Stored NFC-normalized with its case kept; compared by `normalizeEmail` (also lower-cased).
  email: requiredText('Email', (value, ctx) => {
    const email = value.normalize('NFC');
    if (!checkText(ctx, 'Email', email, MAX_EMAIL)) return z.NEVER;
    return isEmailAddress(email) ? email : fail(ctx, 'invalid_format', 'Email is not a valid email address');
  }),
  phone: optionalNormalized('Phone', normalizePhone, 'Phone must be 4–15 digits, optionally starting with +'),
  dob: /* @__PURE__ */ z.pipe(
    z.nullish(z.string({ error: 'Date of birth must be text' })),
    z.transform((raw: string | null | undefined, ctx) => {
      const value = raw?.trim();
      if (value === undefined || value === '') return null;
      if (!checkText(ctx, 'Date of birth', value, MAX_TEXT)) return z.NEVER;
      const check = checkDob(value);
      return check === 'ok' ? value : fail(ctx, check, DOB_MESSAGES[check]);
    }),
  ),
  preferences: list(
    'Preferences',
    MAX_PREFERENCES,
    `A customer can have at most ${MAX_PREFERENCES} preferences`,
  ),
  instagramHandle: optionalNormalized(
    'Instagram handle',
    normalizeHandle,
    'Instagram handle is not a valid handle',
  ),
  tiktokHandle: optionalNormalized('TikTok handle', normalizeHandle, 'TikTok handle is not a valid handle'),
  twitterHandle: optionalNormalized(
    'Twitter handle',
    normalizeHandle,
    'Twitter handle is not a valid handle',
  ),
  gender: optionalText('Gender', MAX_TEXT),
  location: optionalText('Location', MAX_TEXT),
  notes: optionalText('Notes', MAX_NOTES),
  tags: list('Tags', MAX_TAGS, `A customer can have at most ${MAX_TAGS} tags`),
  customFields: customFieldsSchema,
  consent: consentInputSchema,
};

/**
 * Validates and normalizes what a caller gives to create a customer: names and email required,
 * text trimmed, empty optional values stored as `null`, the email NFC-normalized, phone formatting
 * stripped, handles as `@name`, dates checked, at most 3 de-duplicated preferences, every bound of
 * `FIELD_LIMITS` enforced, and text holding U+0000 or a lone surrogate refused. Unknown keys are
 * refused. `consent` gives some channels (the others are `unknown`).
 * @example
 * const data = customerInputSchema.parse({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
 */
export const customerInputSchema = /* @__PURE__ */ z.strictObject(customerFieldSchemas);

/** What a caller may pass to create a customer (before normalization). */
export type CustomerInput = z.input<typeof customerInputSchema>;

/** A normalized customer without its system fields. */
export type CustomerData = z.output<typeof customerInputSchema>;

/** A system text field of a stored customer: non-empty text. */
/* @__NO_SIDE_EFFECTS__ */
function systemText(field: string) {
  return z.string({ error: `${field} must be text` }).check(z.minLength(1, `${field} must not be empty`));
}

/** A system number field of a stored customer: a whole number of at least `min`. */
/* @__NO_SIDE_EFFECTS__ */
function systemInteger(field: string, min: number) {
  return z
    .int({ error: `${field} must be a whole number` })
    .check(z.gte(min, `${field} must be at least ${min}`));
}

/**
 * A stored customer: the normalized data plus the system fields the SDK sets (`id`,
 * `organizationId`, `createdAt` and `updatedAt` in epoch ms, and `version`, starting at 1), with
 * every consent channel present.
 */
export const customerSchema = /* @__PURE__ */ z.strictObject({
  ...customerFieldSchemas,
  consent: customerConsentSchema,
  id: systemText('id'),
  organizationId: systemText('organizationId'),
  createdAt: systemInteger('createdAt', 0),
  updatedAt: systemInteger('updatedAt', 0),
  version: systemInteger('version', 1),
});

/** A stored customer, as every adapter returns it. */
export type Customer = z.output<typeof customerSchema>;

/**
 * A partial update: any subset of the editable fields. `null` or `''` clears an optional field;
 * required fields cannot be cleared. `consent` changes the channels it names and keeps the others.
 */
export const customerPatchSchema = /* @__PURE__ */ z.partial(customerInputSchema);

/** What a caller may pass to `update`. */
export type CustomerPatchInput = z.input<typeof customerPatchSchema>;

/** A normalized partial update, as adapters receive it. */
export type CustomerPatch = Partial<CustomerData>;
