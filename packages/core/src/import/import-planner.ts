import type { Customer, CustomerData, CustomerPatch } from '../model/customer-schema';
import { normalizeEmail } from '../model/normalize';
import type { ImportIssue, ImportPlan, PlanImportInput, PlannedAction, PlannerRow } from './import-types';
import { type RowValidation, validateImportRow } from './row-validation';

/**
 * Plans one batch of an import: validates each row, dedupes by normalized email within the file
 * (the first occurrence wins; later ones are skipped naming it) and against stored customers, and
 * decides insert, update or skip per row. Pure and synchronous: it reads only its input.
 *
 * Policies for an email already stored: `skip` leaves it; `update` overwrites stored fields with the
 * row's non-empty values; `merge` fills only the stored customer's empty fields. A row that would
 * change nothing is skipped as `unchanged`, so re-running an import writes nothing. Skipped
 * duplicates get a `warning` issue (`duplicate_in_file`, `duplicate_existing`); `unchanged` rows
 * get none.
 * @param input - The batch, the emails seen in earlier batches, and the stored matches.
 * @returns One action per row, the batch's issues, and the emails this batch saw first.
 * @example
 * const plan = planImport({ rows, seenEmails: new Map(), existing: [], onDuplicate: 'skip' });
 */
export function planImport(input: PlanImportInput): ImportPlan {
  const policy = input.onDuplicate ?? 'skip';
  const existingByEmail = new Map<string, Customer>();
  for (const customer of input.existing) existingByEmail.set(normalizeEmail(customer.email), customer);
  const newEmails = new Map<string, number>();
  const seen = input.seenEmails;
  const actions: PlannedAction[] = [];
  const issues: ImportIssue[] = [];

  const rows = input.rows;
  const check = input.check;
  const normalized = input.normalizedEmails;
  // Validate the whole batch first, then dedupe and decide: the email lookups then run back to back.
  const valid: (CustomerData | undefined)[] = new Array(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    if (row.issues) for (const issue of row.issues) issues.push(issue);
    const validation = validateImportRow(row, check);
    if (isIssueList(validation)) for (const issue of validation) issues.push(issue);
    else valid[index] = validation;
  }
  // A valid row's email is its input email trimmed, so both normalize alike.
  const emails: string[] = [];
  const emailRows: number[] = [];
  for (let index = 0; index < rows.length; index++) {
    const data = valid[index];
    if (data === undefined) continue;
    emails.push(normalized?.[index] ?? normalizeEmail(data.email));
    emailRows.push(rows[index]!.row);
  }
  // An index claiming a whole batch at once reads its table for all the emails in one go.
  const claimed = seen.claimMany?.(emails, emailRows);
  let next = 0;
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    const data = valid[index];
    if (data === undefined) {
      actions.push({ kind: 'error', row: row.row });
      continue;
    }
    const at = next++;
    const email = emails[at]!;
    const firstRow = claimed !== undefined ? claimed[at] : (seen.get(email) ?? newEmails.get(email));
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
    if (claimed === undefined) newEmails.set(email, row.row);
    const stored = existingByEmail.size === 0 ? undefined : existingByEmail.get(email);
    if (!stored) {
      actions.push({ kind: 'insert', row: row.row, data });
      continue;
    }
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
      actions.push({ kind: 'skip', row: row.row, reason: 'duplicate_existing', existingId: stored.id });
      continue;
    }
    const patch = policy === 'update' ? updatePatch(row, data, stored) : mergePatch(row, data, stored);
    if (Object.keys(patch).length === 0) {
      actions.push({ kind: 'skip', row: row.row, reason: 'unchanged', existingId: stored.id });
    } else {
      actions.push({ kind: 'update', row: row.row, id: stored.id, patch, expectedVersion: stored.version });
    }
  }
  if (issues.length > 1) issues.sort((a, b) => a.row - b.row);
  return { actions, issues, newEmails };
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

function isIssueList(validation: RowValidation): validation is readonly ImportIssue[] {
  return Array.isArray(validation);
}
