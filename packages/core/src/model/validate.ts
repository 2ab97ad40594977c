import type * as z from 'zod';
import { type FieldIssue, ForbiddenFieldError, ValidationError } from '../errors/customer-error';
import { type FieldIssueCode, isFieldIssueCode } from '../errors/field-issue-codes';
import { type EditableField, isEditableField } from './customer-fields';
import {
  type CustomerData,
  type CustomerPatch,
  customerFieldSchemas,
  customerInputSchema,
  customerPatchSchema,
} from './customer-schema';

/** The issue code of a zod issue: the one place zod's own codes become the SDK's. */
function codeOf(issue: z.core.$ZodIssue): FieldIssueCode {
  switch (issue.code) {
    case 'custom': {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return isFieldIssueCode(code) ? code : 'invalid_value';
    }
    case 'invalid_type':
      // Only zod raises it, for values of the wrong type (the schema reports missing ones itself);
      // with `reportInput` a missing value is still recognisable.
      return 'input' in issue && issue.input == null ? 'required' : 'invalid_type';
    case 'too_big':
      return 'too_big';
    case 'too_small':
      return issue.minimum === 1 && issue.origin === 'string' ? 'required' : 'invalid_value';
    case 'invalid_format':
    case 'invalid_key':
      return 'invalid_format';
    case 'unrecognized_keys':
      return 'forbidden_field';
    default:
      return 'invalid_value';
  }
}

/**
 * Turns zod issues into the SDK's `FieldIssue`s, each with a {@link FieldIssueCode}: the
 * schema's own issues carry their code, and zod's (wrong type, unknown key, …) are mapped here.
 * An unknown-keys issue becomes one `forbidden_field` issue per key.
 * @param issues - zod's issues.
 * @returns The field issues.
 */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[]): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const code = codeOf(issue);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          path: [...path, key],
          code,
          message: `Field ${JSON.stringify(key)} is not an editable field`,
        });
      }
    } else out.push({ path, code, message: issue.message });
  }
  return out;
}

/**
 * Validates and normalizes a new customer's input.
 * @param input - What the caller passed.
 * @returns The normalized data.
 * @throws `forbidden_field` when a system or unknown field is present; `validation_failed` otherwise.
 */
export function validateCustomerInput(input: unknown): CustomerData {
  rejectForbiddenFields(input);
  const result = customerInputSchema.safeParse(input);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error.issues), { cause: result.error });
  return result.data;
}

/**
 * Validates and normalizes a partial update. Only keys present in `patch` appear in the result.
 * @param patch - What the caller passed.
 * @returns The normalized patch.
 * @throws `forbidden_field` for system or unknown fields; `validation_failed` for bad values.
 */
export function validateCustomerPatch(patch: unknown): CustomerPatch {
  rejectForbiddenFields(patch);
  const result = customerPatchSchema.safeParse(patch);
  if (!result.success) throw new ValidationError(toFieldIssues(result.error.issues), { cause: result.error });
  const present = Object.keys(patch as object);
  const out: Record<string, unknown> = {};
  for (const key of present) out[key] = (result.data as Record<string, unknown>)[key];
  return out as CustomerPatch;
}

/**
 * Validates one field's value with the same rules as whole-customer validation.
 * @param field - The field's name.
 * @param value - The new value (`null` or `''` clears an optional field).
 * @returns The normalized value.
 * @throws `forbidden_field` when `field` is not editable; `validation_failed` for a bad value.
 */
export function validateCustomerField<F extends EditableField>(
  field: F | string,
  value: unknown,
): CustomerData[F] {
  if (typeof field !== 'string' || !isEditableField(field)) throw new ForbiddenFieldError(String(field));
  const schema = customerFieldSchemas[field] as unknown as z.ZodType<CustomerData[F]>;
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = toFieldIssues(result.error.issues).map((i) => ({ ...i, path: [field, ...i.path] }));
    throw new ValidationError(issues, { cause: result.error });
  }
  return result.data;
}

function rejectForbiddenFields(value: unknown): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError([
      { path: [], code: 'invalid_type', message: 'Expected an object of customer fields' },
    ]);
  }
  for (const key of Object.keys(value)) {
    if (!isEditableField(key)) throw new ForbiddenFieldError(key);
  }
}
