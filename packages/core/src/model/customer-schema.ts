import { z } from 'zod';
import { CUSTOM_FIELD_KEY, FIELD_LIMITS, LIST_SEPARATOR, MAX_PREFERENCES } from './customer-fields';
import { checkDob, normalizeHandle, normalizeList, normalizePhone } from './normalize';

const {
  name: MAX_NAME,
  email: MAX_EMAIL,
  text: MAX_TEXT,
  notes: MAX_NOTES,
  listItem: MAX_LIST_ITEM,
  tags: MAX_TAGS,
} = FIELD_LIMITS;

const DOB_MESSAGES = {
  invalid_format: 'Date of birth must be YYYY-MM-DD, or --MM-DD when only the birthday is known',
  invalid_date: 'Date of birth is not a real calendar date',
  in_future: 'Date of birth cannot be in the future',
  too_old: 'Date of birth must be in 1900 or later',
} as const;

function requiredText(label: string, max: number) {
  return z
    .string({ error: (issue) => (issue.input == null ? `${label} is required` : `${label} must be text`) })
    .trim()
    .min(1, `${label} is required`)
    .max(max, `${label} must be at most ${max} characters`);
}

/** Optional text: `''`, `null` and absent all mean "no value" and are stored as `null`. */
function optionalText(label: string, max: number) {
  return z
    .string({ error: `${label} must be text` })
    .nullish()
    .transform((v) => (v == null || v.trim() === '' ? null : v.trim()))
    .refine((v) => v === null || v.length <= max, `${label} must be at most ${max} characters`);
}

function optionalNormalized(label: string, normalize: (v: string) => string | undefined, message: string) {
  return z
    .string({ error: `${label} must be text` })
    .nullish()
    .transform((v, ctx) => {
      if (v == null || v.trim() === '') return null;
      const normalized = normalize(v);
      if (normalized === undefined) {
        ctx.addIssue({ code: 'custom', message, input: v, params: { code: 'invalid_format' } });
        return z.NEVER;
      }
      return normalized;
    });
}

function list(label: string, maxItems: number, tooMany: string) {
  return z
    .array(z.string({ error: `${label} entries must be text` }), { error: `${label} must be a list of text` })
    .nullish()
    .transform((v, ctx) => {
      const items = normalizeList(v ?? []);
      if (items.length > maxItems) {
        ctx.addIssue({
          code: 'too_big',
          maximum: maxItems,
          origin: 'array',
          inclusive: true,
          message: tooMany,
          input: v,
        });
        return z.NEVER;
      }
      const long = items.find((item) => item.length > MAX_LIST_ITEM);
      if (long !== undefined) {
        ctx.addIssue({
          code: 'too_big',
          maximum: MAX_LIST_ITEM,
          origin: 'string',
          inclusive: true,
          message: `${label} entries must be at most ${MAX_LIST_ITEM} characters`,
          input: long,
        });
        return z.NEVER;
      }
      const separated = items.find((item) => LIST_SEPARATOR.test(item));
      if (separated !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `${label} entries cannot contain , ; or | (they separate entries in CSV files)`,
          input: separated,
          params: { code: 'invalid_format' },
        });
        return z.NEVER;
      }
      return items;
    });
}

/** A custom field's value: text, a finite number, a boolean, or `null` for "no value". */
export const customFieldValueSchema = z.union([
  z.string().max(MAX_TEXT),
  z.number().finite(),
  z.boolean(),
  z.null(),
]);

/** Value of one custom field. */
export type CustomFieldValue = z.infer<typeof customFieldValueSchema>;

const customFieldsSchema = z
  .record(
    z
      .string()
      .regex(
        CUSTOM_FIELD_KEY,
        'Custom field names start with a letter and hold letters, digits or _ (max 64)',
      ),
    customFieldValueSchema,
    { error: 'Custom fields must be an object of name → value' },
  )
  .nullish()
  .transform((v) => {
    const out: Record<string, CustomFieldValue> = {};
    if (!v) return out;
    for (const key of Object.keys(v).sort()) {
      const value = v[key];
      if (value === undefined) continue;
      out[key] = typeof value === 'string' ? value.trim() : value;
    }
    return out;
  });

/** Per-field schemas, shared by whole-customer validation and single-field edits. */
export const customerFieldSchemas = {
  firstName: requiredText('First name', MAX_NAME),
  lastName: requiredText('Last name', MAX_NAME),
  email: requiredText('Email', MAX_EMAIL).pipe(z.email({ error: 'Email is not a valid email address' })),
  phone: optionalNormalized('Phone', normalizePhone, 'Phone must be 4–15 digits, optionally starting with +'),
  dob: z
    .string({ error: 'Date of birth must be text' })
    .nullish()
    .transform((v, ctx) => {
      if (v == null || v.trim() === '') return null;
      const value = v.trim();
      const check = checkDob(value);
      if (check !== 'ok') {
        ctx.addIssue({ code: 'custom', message: DOB_MESSAGES[check], input: v, params: { code: check } });
        return z.NEVER;
      }
      return value;
    }),
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
};

/**
 * Validates and normalizes what a caller gives to create a customer: names and email required,
 * text trimmed, empty optional values stored as `null`, phone formatting stripped, handles as
 * `@name`, dates checked, at most 3 de-duplicated preferences. Unknown keys are refused.
 * @example
 * const data = customerInputSchema.parse({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
 */
export const customerInputSchema = z.strictObject(customerFieldSchemas);

/** What a caller may pass to create a customer (before normalization). */
export type CustomerInput = z.input<typeof customerInputSchema>;

/** A normalized customer without its system fields. */
export type CustomerData = z.output<typeof customerInputSchema>;

/**
 * A stored customer: the normalized data plus the system fields the SDK sets (`id`,
 * `organizationId`, `createdAt` and `updatedAt` in epoch ms, and `version`, starting at 1).
 */
export const customerSchema = z.strictObject({
  ...customerFieldSchemas,
  id: z.string().min(1),
  organizationId: z.string().min(1),
  createdAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  version: z.number().int().positive(),
});

/** A stored customer, as every adapter returns it. */
export type Customer = z.output<typeof customerSchema>;

/**
 * A partial update: any subset of the editable fields. `null` or `''` clears an optional field;
 * required fields cannot be cleared.
 */
export const customerPatchSchema = customerInputSchema.partial();

/** What a caller may pass to `update`. */
export type CustomerPatchInput = z.input<typeof customerPatchSchema>;

/** A normalized partial update, as adapters receive it. */
export type CustomerPatch = Partial<CustomerData>;
