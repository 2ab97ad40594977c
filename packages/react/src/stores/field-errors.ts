import { isCustomerError } from '@donutauto/core';

/**
 * Messages to show beside form fields, keyed by field path: the field's name (`email`,
 * `preferences`), or `customFields.<key>` for a custom field. Several issues on one field keep the first.
 */
export type FieldErrors = Readonly<Partial<Record<string, string>>>;

const NONE: FieldErrors = Object.freeze({});

/**
 * Sorts an error's field problems by the form field they belong to: `validation_failed` issues by
 * path, `forbidden_field` by the refused field, `duplicate_email` under `email`.
 * @param error - Anything thrown by the client.
 * @returns The messages by field path; empty for errors that name no field.
 */
export function fieldErrorsOf(error: unknown): FieldErrors {
  if (isCustomerError(error, 'validation_failed')) {
    const out: Record<string, string> = {};
    for (const issue of error.issues) {
      const [head, second] = issue.path;
      const key =
        head === 'customFields' && second !== undefined ? `customFields.${second}` : String(head ?? '');
      out[key] ??= issue.message;
    }
    return out;
  }
  if (isCustomerError(error, 'forbidden_field')) return { [error.field]: error.message };
  if (isCustomerError(error, 'duplicate_email')) return { email: error.message };
  return NONE;
}
