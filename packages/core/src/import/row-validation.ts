import type { FieldIssue } from '../errors/customer-error';
import type { ImportIssue } from '../errors/import-issue';
import { isEditableField } from '../model/customer-fields';
import { type CustomerData, customerInputSchema } from '../model/customer-schema';
import { toFieldIssues } from '../model/validate';
import { fastValidateCustomer } from './fast-validate';
import type { PlanImportInput, PlannerRow } from './import-types';

/** Fields a row cannot do without: a problem with one refuses the row even when not strict. */
const REQUIRED: ReadonlySet<string> = new Set(['firstName', 'lastName', 'email']);

const LEFT_OUT = '; the value was not imported';
const NONE: readonly ImportIssue[] = [];

/**
 * Validates one row with the customer schema and the extra `check`. A bad optional value (any
 * field but the names and the email) is left out with a warning naming its cell and the customer
 * kept; with `strict`, or when a required value is bad, the row is refused and every issue is an
 * error. Upstream errors that name an optional field (the CSV reader left that cell out) follow the
 * same rule.
 * @param row - The row.
 * @param options - The extra check and `strict`.
 * @param issues - Receives the row's issues: upstream ones first, then validation's.
 * @returns The data to import, or `undefined` when the row is refused.
 */
export function validateImportRow(
  row: PlannerRow,
  options: { readonly check: PlanImportInput['check'] | undefined; readonly strict: boolean },
  issues: ImportIssue[],
): CustomerData | undefined {
  const upstream = row.issues ?? NONE;
  const strict = options.strict;
  for (const issue of upstream) {
    if (issue.level === 'error' && (strict || !droppable(issue.field))) {
      issues.push(...upstream);
      return undefined;
    }
  }
  const forbidden = forbiddenKey(row.input);
  if (forbidden !== undefined) {
    issues.push(...upstream, {
      row: row.row,
      field: forbidden,
      code: 'forbidden_field',
      message: `Field "${forbidden}" is not an editable customer field`,
      level: 'error',
    });
    return undefined;
  }
  const first = validate(row.input, options.check);
  if (!isIssueList(first)) {
    if (upstream.length > 0) issues.push(...leftOut(upstream));
    return first;
  }
  const refuse = (found: readonly FieldIssue[]) => {
    issues.push(...upstream, ...found.map((issue) => importIssue(row, issue, 'error')));
    return undefined;
  };
  if (strict || first.some((issue) => !droppable(issue.path[0]))) return refuse(first);
  // Leave the bad values out and validate what is left: a required custom field the check now
  // misses still refuses the row.
  const second = validate(without(row.input, first), options.check);
  if (isIssueList(second)) return refuse([...first, ...second.filter((i) => !sameIssue(i, first))]);
  issues.push(...leftOut(upstream), ...first.map((issue) => importIssue(row, issue, 'warning')));
  return second;
}

/** The normalized data, or the issues (a non-empty array) that refuse it. */
function validate(
  input: Readonly<Record<string, unknown>>,
  check: PlanImportInput['check'],
): CustomerData | readonly FieldIssue[] {
  let data = fastValidateCustomer(input);
  if (data === undefined) {
    const result = customerInputSchema.safeParse(input);
    if (!result.success) return toFieldIssues(result.error.issues);
    data = result.data;
  }
  const found = check?.(data);
  return found !== undefined && found.length > 0 ? found : data;
}

function isIssueList(value: CustomerData | readonly FieldIssue[]): value is readonly FieldIssue[] {
  return Array.isArray(value);
}

/** Whether a problem with this field can be solved by leaving its value out. */
function droppable(field: unknown): boolean {
  return typeof field === 'string' && !REQUIRED.has(field);
}

/** The input without the values these issues are about. */
function without(
  input: Readonly<Record<string, unknown>>,
  issues: readonly FieldIssue[],
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...input };
  for (const { path } of issues) {
    const field = path[0] as string;
    const key = path[1];
    const record = out[field];
    if (
      field === 'customFields' &&
      typeof key === 'string' &&
      typeof record === 'object' &&
      record !== null
    ) {
      const rest: Record<string, unknown> = { ...(record as Record<string, unknown>) };
      delete rest[key];
      out[field] = rest;
    } else delete out[field];
  }
  return out;
}

function sameIssue(issue: FieldIssue, among: readonly FieldIssue[]): boolean {
  return among.some((i) => i.code === issue.code && i.path.join('.') === issue.path.join('.'));
}

/** Upstream errors about a cell the reader left out, as the warnings they become. */
function leftOut(issues: readonly ImportIssue[]): readonly ImportIssue[] {
  if (!issues.some((issue) => issue.level === 'error')) return issues;
  return issues.map((issue) =>
    issue.level === 'error' ? { ...issue, level: 'warning', message: issue.message + LEFT_OUT } : issue,
  );
}

function importIssue(row: PlannerRow, issue: FieldIssue, level: ImportIssue['level']): ImportIssue {
  const { field, column, value } = locate(row, issue.path);
  return {
    row: row.row,
    ...(field === undefined ? {} : { field }),
    ...(column === undefined ? {} : { column }),
    code: issue.code,
    message: level === 'warning' ? issue.message + LEFT_OUT : issue.message,
    ...(value === undefined ? {} : { value }),
    level,
  };
}

/**
 * What a validation issue's path points at in the row: the field, the column it came from and the
 * value as the row gave it (a custom field's issue: that key's own column and value; a converted
 * date: the cell as written).
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
    raw = row.written?.[field] ?? row.input[field];
  } else {
    const record = row.input.customFields;
    if (typeof record === 'object' && record !== null && Object.hasOwn(record, key))
      raw = (record as Record<string, unknown>)[key];
    column = row.columns?.[`customFields.${key}`] ?? column;
  }
  const text =
    typeof raw === 'string'
      ? raw
      : Array.isArray(raw)
        ? raw.join(', ')
        : typeof raw === 'number' || typeof raw === 'boolean'
          ? String(raw)
          : undefined;
  const value = text !== undefined && text.length > 100 ? `${text.slice(0, 100)}…` : text;
  return { field, column, value };
}

/** The first own key of the input that is not an editable customer field. */
function forbiddenKey(input: Readonly<Record<string, unknown>>): string | undefined {
  for (const key in input) {
    if (Object.hasOwn(input, key) && !isEditableField(key)) return key;
  }
  return undefined;
}
