import { isEditableField } from '../model/customer-fields';
import type { CustomerData } from '../model/customer-schema';
import { customerInputSchema } from '../model/customer-schema';
import { toFieldIssues } from '../model/validate';
import { fastValidateCustomer } from './fast-validate';
import type { ImportIssue, PlanImportInput, PlannerRow } from './import-types';
import { MappedRow } from './mapped-row';

/** A row after validation: its normalized data, or the issues (an array) that make it an error. */
export type RowValidation = CustomerData | readonly ImportIssue[];

/**
 * Validates one planner row: upstream (parser) errors, forbidden keys, the customer schema (through
 * the fast path, falling back to zod for the exact issues) and the extra `check`.
 * @param row - The row.
 * @param check - Extra per-customer checks (custom field definitions).
 * @returns The normalized data, or the validation issues as an array (upstream issues are not
 * repeated). A clean CSV row's data comes from the fast path run while it was read: no new object.
 */
export function validateImportRow(row: PlannerRow, check: PlanImportInput['check']): RowValidation {
  if (row.issues !== undefined && hasError(row.issues)) return [];
  // Rows of the CSV mapper can only hold editable fields, with lists already normalized.
  const mapped = row instanceof MappedRow;
  if (!mapped) {
    const forbidden = forbiddenKey(row.input);
    if (forbidden !== undefined) {
      return [
        {
          row: row.row,
          field: forbidden,
          code: 'forbidden_field',
          message: `Field "${forbidden}" is not an editable customer field`,
          level: 'error',
        },
      ];
    }
  }
  // A mapped row ran the fast path while it was read; when that fell back, only the schema is left.
  let data = mapped ? row.fastData() : fastValidateCustomer(row.input);
  let found: readonly { path: readonly (string | number)[]; code: string; message: string }[] = [];
  if (data === undefined) {
    const result = customerInputSchema.safeParse(row.input);
    if (result.success) data = result.data;
    else found = toFieldIssues(result.error.issues);
  }
  if (data !== undefined && check) found = check(data);
  if (data !== undefined && found.length === 0) return data;
  const issues: ImportIssue[] = [];
  for (const issue of found) {
    const { field, column, value } = locate(row, issue.path);
    issues.push({
      row: row.row,
      ...(field === undefined ? {} : { field }),
      ...(column === undefined ? {} : { column }),
      code: issue.code,
      message: issue.message,
      ...(value === undefined ? {} : { value }),
      level: 'error',
    });
  }
  return issues;
}

/**
 * What a validation issue's path points at in the row: the field, the column it came from and the
 * value as the row gave it (a custom field's issue: that key's own column and value; a date the
 * CSV mapper converted: the cell as written).
 */
function locate(
  row: PlannerRow,
  path: readonly (string | number)[],
): { field?: string; column?: string | undefined; value?: string | undefined } {
  const field = typeof path[0] === 'string' ? path[0] : undefined;
  if (field === undefined) return {};
  const key = field === 'customFields' && typeof path[1] === 'string' ? path[1] : undefined;
  let raw: unknown;
  let column = row.columns?.[field];
  if (key === undefined) {
    raw = (row instanceof MappedRow ? row.writtenCell(field) : undefined) ?? row.input[field];
  } else {
    const record = row.input.customFields;
    if (typeof record === 'object' && record !== null && Object.hasOwn(record, key))
      raw = (record as Record<string, unknown>)[key];
    column = row.columns?.[`customFields.${key}`] ?? column;
  }
  const value =
    typeof raw === 'string'
      ? raw
      : Array.isArray(raw)
        ? raw.join(', ')
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? String(raw)
          : undefined;
  return { field, column, value };
}

function hasError(issues: readonly ImportIssue[]): boolean {
  for (const issue of issues) if (issue.level === 'error') return true;
  return false;
}

/** The first own key of the input that is not an editable customer field. */
function forbiddenKey(input: Readonly<Record<string, unknown>>): string | undefined {
  for (const key in input) {
    if (Object.hasOwn(input, key) && !isEditableField(key)) return key;
  }
  return undefined;
}
