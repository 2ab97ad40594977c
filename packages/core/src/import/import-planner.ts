import { booleanOption, choiceOption } from '../errors/choice-option';
import type { ImportIssue } from '../errors/import-issue';
import type { Customer, CustomerData, CustomerPatch } from '../model/customer-schema';
import { normalizeEmail } from '../model/normalize';
import type { DuplicatePolicy, ImportPlan, PlanImportInput, PlannedAction, PlannerRow } from './import-types';
import { validateImportRow } from './row-validation';

/** The duplicate policies, for checking the option. */
export const DUPLICATE_POLICIES: readonly DuplicatePolicy[] = ['skip', 'update', 'merge'];

/**
 * Plans one batch of an import: validates each row, dedupes by normalized email within the import
 * (the first occurrence wins; later ones are skipped naming it) and against stored customers, and
 * decides insert, update or skip per row. Pure and synchronous: it reads its input and changes
 * nothing, so planning the same input twice gives the same plan.
 *
 * A bad optional value is left out with a warning and the customer kept; with `strict` the row is
 * an error. Policies for an email already stored: `skip` leaves it; `update` overwrites stored fields
 * with the row's non-empty values; `merge` fills only the stored customer's empty fields. A row that
 * would change nothing is skipped as `unchanged`, so re-running an import writes nothing. Skipped
 * duplicates get a `warning` issue (`duplicate_in_file`, `duplicate_existing`); `unchanged` rows
 * get none.
 * @param input - The batch, the emails seen in earlier batches, and the stored matches.
 * @returns One action per row, the batch's issues, and the emails this batch saw first.
 * @throws `invalid_argument` for an unknown `onDuplicate`.
 * @example
 * const seen = new Map<string, number>();
 * const plan = planImport({ rows, seenEmails: seen, existing: await adapter.getByEmails(org, emails) });
 * for (const [email, row] of plan.newEmails) seen.set(email, row);
 */
export function planImport(input: PlanImportInput): ImportPlan {
  const policy = choiceOption('onDuplicate', input.onDuplicate, DUPLICATE_POLICIES, 'skip');
  const existingByEmail = new Map<string, Customer>();
  for (const customer of input.existing) existingByEmail.set(normalizeEmail(customer.email), customer);
  const newEmails = new Map<string, number>();
  const actions: PlannedAction[] = [];
  const issues: ImportIssue[] = [];
  const options = { check: input.check, strict: booleanOption('strict', input.strict, false) };
  // Validate the whole batch, then dedupe it: the email lookups then run back to back.
  const rows = input.rows;
  const valid: (CustomerData | undefined)[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) valid[i] = validateImportRow(rows[i]!, options, issues);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const data = valid[i];
    if (data === undefined) {
      actions.push({ kind: 'error', row: row.row });
      continue;
    }
    // A valid row's email is its input email trimmed, so both normalize alike.
    const email = normalizeEmail(data.email);
    const firstRow = input.seenEmails.get(email) ?? newEmails.get(email);
    if (firstRow !== undefined) {
      issues.push({
        row: row.row,
        ...columnOf(row, 'email'),
        field: 'email',
        code: 'duplicate_in_file',
        message: `Skipped: email ${data.email} already appears in row ${firstRow}`,
        value: data.email,
        level: 'warning',
      });
      actions.push({ kind: 'skip', row: row.row, reason: 'duplicate_in_file' });
      continue;
    }
    newEmails.set(email, row.row);
    actions.push(decide(row, data, existingByEmail.get(email), policy, issues));
  }
  if (issues.length > 1) issues.sort((a, b) => a.row - b.row);
  return { actions, issues, newEmails };
}

/** The action for a row new to this import: insert, or what the policy does with a stored customer. */
function decide(
  row: PlannerRow,
  data: CustomerData,
  stored: Customer | undefined,
  policy: DuplicatePolicy,
  issues: ImportIssue[],
): PlannedAction {
  if (!stored) return { kind: 'insert', row: row.row, data };
  if (policy === 'skip') {
    issues.push({
      row: row.row,
      ...columnOf(row, 'email'),
      field: 'email',
      code: 'duplicate_existing',
      message: `Skipped: a customer with email ${stored.email} already exists`,
      value: data.email,
      level: 'warning',
    });
    return { kind: 'skip', row: row.row, reason: 'duplicate_existing', existingId: stored.id };
  }
  const patch = policy === 'update' ? updatePatch(row, data, stored) : mergePatch(row, data, stored);
  if (Object.keys(patch).length === 0)
    return { kind: 'skip', row: row.row, reason: 'unchanged', existingId: stored.id };
  return { kind: 'update', row: row.row, id: stored.id, patch, expectedVersion: stored.version };
}

function columnOf(row: PlannerRow, field: string): { column?: string } {
  const column = row.columns?.[field];
  return column === undefined ? {} : { column };
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `update`: the row's non-empty values overwrite; empty cells never clear stored data. The email
 * matched case-insensitively, so its stored spelling is kept.
 */
function updatePatch(row: PlannerRow, data: CustomerData, stored: Customer): CustomerPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(row.input) as (keyof CustomerData)[]) {
    const value = data[key];
    if (isEmpty(value) || key === 'email') continue;
    if (key === 'customFields') {
      const merged = sortKeys({ ...stored.customFields, ...data.customFields });
      if (!sameValue(merged, sortKeys(stored.customFields))) patch[key] = merged;
      continue;
    }
    if (!sameValue(value, stored[key])) patch[key] = value;
  }
  return patch as CustomerPatch;
}

/** `merge`: stored values are kept; only the stored customer's empty fields are filled. */
function mergePatch(row: PlannerRow, data: CustomerData, stored: Customer): CustomerPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(row.input) as (keyof CustomerData)[]) {
    const value = data[key];
    if (isEmpty(value)) continue;
    if (key === 'customFields') {
      const merged = { ...data.customFields, ...withoutNulls(stored.customFields) };
      if (!sameValue(sortKeys(merged), sortKeys(stored.customFields))) patch[key] = sortKeys(merged);
      continue;
    }
    if (isEmpty(stored[key])) patch[key] = value;
  }
  return patch as CustomerPatch;
}

function withoutNulls<T>(record: Record<string, T | null>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(record)) if (v !== null) out[k] = v;
  return out;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) out[key] = record[key] as T;
  return out;
}
