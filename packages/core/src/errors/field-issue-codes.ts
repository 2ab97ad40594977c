/**
 * Every code a {@link FieldIssue} can carry, as zod lists its issue codes. Codes are public API;
 * `docs/errors.md` explains each one.
 */
export const FIELD_ISSUE_CODES = [
  'required',
  'invalid_type',
  'invalid_format',
  'invalid_character',
  'invalid_value',
  'invalid_date',
  'in_future',
  'too_old',
  'too_big',
  'unknown_custom_field',
  'forbidden_field',
] as const;

/**
 * Why one field is invalid:
 * - `required`: a required field (or required custom field) is missing, `null` or blank;
 * - `invalid_type`: a value of the wrong type (a number where text is expected, an object as a list…);
 * - `invalid_format`: text that is not in the field's form (email, phone, handle, date, list entry
 *   holding a CSV separator, custom field name);
 * - `invalid_character`: text holding a character no backend can store (U+0000 or a lone surrogate);
 * - `invalid_value`: a value of the right type outside what is allowed (a `select` field's
 *   options, a non-finite number);
 * - `invalid_date`, `in_future`, `too_old`: a date that does not exist, lies ahead, or is before 1900;
 * - `too_big`: text, a list, or the custom fields past a limit of `FIELD_LIMITS`;
 * - `unknown_custom_field`: a custom field the organization has not defined;
 * - `forbidden_field`: a key that is not an editable field.
 */
export type FieldIssueCode = (typeof FIELD_ISSUE_CODES)[number];

const CODES: ReadonlySet<string> = /* @__PURE__ */ new Set(FIELD_ISSUE_CODES);

/**
 * Tells whether a string is one of the {@link FIELD_ISSUE_CODES}.
 * @param code - Any value.
 * @returns `true` for a field issue code.
 */
export function isFieldIssueCode(code: unknown): code is FieldIssueCode {
  return typeof code === 'string' && CODES.has(code);
}
