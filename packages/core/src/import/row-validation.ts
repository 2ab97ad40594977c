import { isEditableField } from '../model/customer-fields';
import type { CustomerData } from '../model/customer-schema';
import { customerInputSchema } from '../model/customer-schema';
import { toFieldIssues } from '../model/validate';
import { fastValidateCustomer } from './fast-validate';
import type { ImportIssue, PlanImportInput, PlannerRow } from './import-types';

/** A row after validation: its normalized data, or the issues that make it an error. */
export type RowValidation =
  | { readonly ok: true; readonly data: CustomerData }
  | { readonly ok: false; readonly issues: readonly ImportIssue[] };

/**
 * Validates one planner row: upstream (parser) errors, forbidden keys, the customer schema (through
 * the fast path, falling back to zod for the exact issues) and the extra `check`.
 * @param row - The row.
 * @param check - Extra per-customer checks (custom field definitions).
 * @returns The normalized data or the validation issues (upstream issues are not repeated).
 */
export function validateImportRow(row: PlannerRow, check: PlanImportInput['check']): RowValidation {
  if (row.issues?.some((i) => i.level === 'error')) return { ok: false, issues: [] };
  for (const key in row.input) {
    if (!Object.hasOwn(row.input, key)) continue;
    if (!isEditableField(key)) {
      return {
        ok: false,
        issues: [
          {
            row: row.row,
            field: key,
            code: 'forbidden_field',
            message: `Field "${key}" is not an editable customer field`,
            level: 'error',
          },
        ],
      };
    }
  }
  let data = fastValidateCustomer(row.input);
  let found: readonly { path: readonly (string | number)[]; code: string; message: string }[] = [];
  if (data === undefined) {
    const result = customerInputSchema.safeParse(row.input);
    if (result.success) data = result.data;
    else found = toFieldIssues(result.error.issues);
  }
  if (data !== undefined && check) found = check(data);
  if (data !== undefined && found.length === 0) return { ok: true, data };
  const issues: ImportIssue[] = [];
  for (const issue of found) {
    const field = typeof issue.path[0] === 'string' ? issue.path[0] : undefined;
    const raw = field === undefined ? undefined : row.input[field];
    const column = field === undefined ? undefined : row.columns?.[field];
    issues.push({
      row: row.row,
      ...(field === undefined ? {} : { field }),
      ...(column === undefined ? {} : { column }),
      code: issue.code,
      message: issue.message,
      ...(typeof raw === 'string' ? { value: raw } : Array.isArray(raw) ? { value: raw.join(', ') } : {}),
      level: 'error',
    });
  }
  return { ok: false, issues };
}
