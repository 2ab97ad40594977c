import { booleanOption, choiceOption } from '../errors/choice-option';
import type { ImportIssue } from '../errors/import-issue';
import {
  type ChannelConsent,
  CONSENT_CHANNELS,
  type ConsentChannel,
  type ConsentPatch,
} from '../model/consent';
import type { Customer, CustomerData } from '../model/customer-schema';
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
  const allowResubscribe = booleanOption('allowResubscribe', input.allowResubscribe, false);
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
    const stored = existingByEmail.get(email);
    if (!stored && input.erased?.has(email)) {
      issues.push({
        row: row.row,
        ...columnOf(row, 'email'),
        field: 'email',
        code: 'erased_customer',
        message: `Skipped: the customer with email ${data.email} was erased (import with reconsent to add them again)`,
        value: data.email,
        level: 'warning',
      });
      actions.push({ kind: 'skip', row: row.row, reason: 'erased' });
      continue;
    }
    actions.push(decide(row, data, stored, policy, issues, allowResubscribe));
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
  allowResubscribe: boolean,
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
  const consent = consentPatch(row, data, stored, policy, allowResubscribe, issues);
  if (consent) patch.consent = consent;
  else delete patch.consent;
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
function updatePatch(row: PlannerRow, data: CustomerData, stored: Customer): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(row.input) as (keyof CustomerData)[]) {
    const value = data[key];
    if (isEmpty(value) || key === 'email' || key === 'consent') continue;
    if (key === 'customFields') {
      const merged = sortKeys({ ...stored.customFields, ...data.customFields });
      if (!sameValue(merged, sortKeys(stored.customFields))) patch[key] = merged;
      continue;
    }
    if (!sameValue(value, stored[key])) patch[key] = value;
  }
  return patch;
}

/** `merge`: stored values are kept; only the stored customer's empty fields are filled. */
function mergePatch(row: PlannerRow, data: CustomerData, stored: Customer): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(row.input) as (keyof CustomerData)[]) {
    const value = data[key];
    if (isEmpty(value) || key === 'consent') continue;
    if (key === 'customFields') {
      const merged = { ...data.customFields, ...withoutNulls(stored.customFields) };
      if (!sameValue(sortKeys(merged), sortKeys(stored.customFields))) patch[key] = sortKeys(merged);
      continue;
    }
    if (isEmpty(stored[key])) patch[key] = value;
  }
  return patch;
}

/**
 * The channels a row changes on a stored customer. A channel whose state the row repeats keeps its
 * record (time and source); `merge` fills only `unknown` channels; and no row turns `unsubscribed`
 * into `subscribed` unless `allowResubscribe` (a `resubscribe_refused` warning says so instead).
 */
function consentPatch(
  row: PlannerRow,
  data: CustomerData,
  stored: Customer,
  policy: DuplicatePolicy,
  allowResubscribe: boolean,
  issues: ImportIssue[],
): ConsentPatch | undefined {
  if (!data.consent) return undefined;
  const out: { [C in ConsentChannel]?: ChannelConsent } = {};
  for (const channel of CONSENT_CHANNELS) {
    const given = data.consent[channel];
    const current = stored.consent[channel].state;
    if (given === undefined || given.state === current) continue;
    if (policy === 'merge' && current !== 'unknown') continue;
    if (current === 'unsubscribed' && given.state === 'subscribed' && !allowResubscribe) {
      issues.push({
        row: row.row,
        ...columnOf(row, `consent`),
        field: 'consent',
        code: 'resubscribe_refused',
        message: `Kept ${channel} consent unsubscribed: the customer unsubscribed before (pass allowResubscribe to change it)`,
        value: given.state,
        level: 'warning',
      });
      continue;
    }
    out[channel] = given;
  }
  return Object.keys(out).length > 0 ? out : undefined;
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
