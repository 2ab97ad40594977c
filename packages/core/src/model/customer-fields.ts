/**
 * The fields a caller may set, in the CSV template's column order. Anything else (system fields,
 * unknown names) is refused with a `forbidden_field` error.
 */
export const EDITABLE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'dob',
  'preferences',
  'instagramHandle',
  'tiktokHandle',
  'twitterHandle',
  'gender',
  'location',
  'notes',
  'tags',
  'customFields',
  'consent',
] as const;

/** Name of a field a caller may set. */
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** Fields only the SDK sets: never accepted from callers. */
export const SYSTEM_FIELDS = ['id', 'organizationId', 'createdAt', 'updatedAt', 'version'] as const;

/** Name of a field only the SDK sets. */
export type SystemField = (typeof SYSTEM_FIELDS)[number];

/** Maximum number of preferences a customer can have. */
export const MAX_PREFERENCES = 3;

/**
 * Every bound of the customer model, in one place (documented in `docs/reliability.md`). Lengths
 * are in characters (UTF-16 code units, as `String.length` counts them), after trimming:
 * - `name`: first and last name; `email`: the whole address; `text`: gender, location, and the raw
 *   phone, handle and date input before normalization; `notes`: the notes;
 * - `listItem`: one preference or tag; `tags`: how many tags (preferences: {@link MAX_PREFERENCES});
 * - `customFieldKey`: a custom field's name; `customFieldValue`: a custom field's text value;
 *   `customFieldCount`: how many custom fields one customer has; `customFieldsSize`: the length
 *   of a customer's custom fields as JSON (`JSON.stringify(customer.customFields).length`).
 */
export const FIELD_LIMITS = {
  name: 100,
  email: 254,
  text: 200,
  notes: 5000,
  listItem: 50,
  tags: 100,
  customFieldKey: 64,
  customFieldValue: 200,
  customFieldCount: 100,
  customFieldsSize: 16_384,
} as const;

/**
 * The characters that separate the entries of a list cell (preferences, tags) in a CSV file, so no
 * entry may contain one: a customer's lists always survive an export and re-import unchanged.
 */
export const LIST_SEPARATOR = /[,;|]/;

/** A custom field name: a letter, then letters, digits or `_`, 64 characters at most. */
export const CUSTOM_FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const EDITABLE_SET: ReadonlySet<string> = /* @__PURE__ */ new Set(EDITABLE_FIELDS);

/**
 * Tells whether a name is an editable customer field.
 * @param field - Any string.
 * @returns `true` for the names in {@link EDITABLE_FIELDS}.
 */
export function isEditableField(field: string): field is EditableField {
  return EDITABLE_SET.has(field);
}
