import pLimit from 'p-limit';
import { integerOption } from '../errors/integer-option';
import { EDITABLE_FIELDS } from '../model/customer-fields';
import type { CustomerPatch } from '../model/customer-schema';
import { normalizeEmail } from '../model/normalize';
import type { StorageAdapter } from '../store/storage-adapter';
import { type BatchOutcome, type BatchWriterContext, writeBatch } from './batch-writer';
import { detached } from './detached-text';
import { EmailIndex } from './email-index';
import { planImport } from './import-planner';
import type {
  DryRunPlan,
  DuplicatePolicy,
  ImportIssue,
  ImportPlan,
  ImportProgress,
  ImportReport,
  PlanImportInput,
  PlannerRow,
  SkipReason,
} from './import-types';
import { MappedRow } from './mapped-row';

/** Options of {@link executeImport}. */
export interface ExecuteImportOptions {
  /** Where customers are written. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** The rows, in batches (an async iterable lets a parser stream them). */
  readonly batches: AsyncIterable<readonly PlannerRow[]> | Iterable<readonly PlannerRow[]>;
  /** Policy for emails already stored. @defaultValue 'skip' */
  readonly onDuplicate?: DuplicatePolicy;
  /** Plan and report without writing anything. @defaultValue false */
  readonly dryRun?: boolean;
  /** Batches written at once. @defaultValue 2 */
  readonly concurrency?: number;
  /** Stops the import between batches; the report covers exactly what was written. */
  readonly signal?: AbortSignal;
  /** Called after each batch is read and after each batch is written. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /** Bytes of input consumed so far, for progress (CSV imports). */
  readonly bytesRead?: () => number;
  /** Total input size in bytes, when known. */
  readonly totalBytes?: number;
  /** Clock, epoch ms. @defaultValue Date.now */
  readonly now?: () => number;
  /** Id generator. @defaultValue a UUID v7 generator */
  readonly generateId: (now: number) => string;
  /** Extra per-customer checks (custom field definitions). */
  readonly check?: PlanImportInput['check'];
}

/** Index of `email` among the editable fields (a mapped row's values are held by it). */
const EMAIL_SLOT = EDITABLE_FIELDS.indexOf('email');

/**
 * Runs an import: for each batch, looks up stored customers by email (`getByEmails`), plans with
 * {@link planImport} and writes inserts and updates through the adapter (one atomic `insertMany`
 * and one `updateMany` per batch), several batches at a time. A batch whose write loses a race to
 * a concurrent writer (`duplicate_email`, `version_conflict`) is re-planned against fresh data, so
 * concurrent or repeated imports never insert an email twice.
 *
 * With the default `skip` policy (and not in a dry run) the lookup is skipped until it is needed:
 * batches are inserted directly, and the first batch whose insert finds a stored email is re-planned
 * with a lookup, as is every batch after it. A first import into an empty organization then makes
 * no lookups at all; the report is the same either way.
 * @param options - See {@link ExecuteImportOptions}.
 * @returns The report; `aborted: true` only when the signal left batches unprocessed (counts cover
 * what was written).
 * @throws `storage_failed` when the adapter fails for another reason (batches already written stay written).
 */
export async function executeImport(options: ExecuteImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const concurrency = integerOption('concurrency', options.concurrency, 64, 2);
  const now = options.now ?? Date.now;
  const limit = pLimit(concurrency);
  // Emails of earlier rows, by the row that first had each; pre-sized from the file size (≈128 bytes a
  // row, at most 2M emails up front), it grows past that. The planner claims a batch's emails while
  // planning it; a re-plan of the batch finds them claimed by its own rows, which are not duplicates.
  // (A later batch never claims an email first that an earlier batch has: that batch claimed it.)
  const seenEmails = new EmailIndex(Math.min((options.totalBytes ?? 0) / 128, 2_000_000));
  const inflight = new Set<Promise<void>>();
  const issues: ImportIssue[] = [];
  // Per batch, by its number (batches may finish out of order): the ids it added, or in a dry run
  // its share of the plan (every batch of a dry run has one; batches that added nothing leave holes in
  // `addedIds`, which `flat` skips).
  const addedIds: (readonly string[])[] = [];
  const planParts: PlanPart[] = [];
  let added = 0;
  let updated = 0;
  let skipped = 0;
  let errors = 0;
  let rowsRead = 0;
  let rowsWritten = 0;
  let failure: unknown;
  let aborted = false;

  const progress = (phase: ImportProgress['phase']) =>
    options.onProgress?.({
      phase,
      rowsRead,
      rowsWritten,
      bytesRead: options.bytesRead?.() ?? 0,
      ...(options.totalBytes === undefined ? {} : { totalBytes: options.totalBytes }),
    });

  const record = (outcome: BatchOutcome, batch: number) => {
    for (const issue of outcome.plan.issues) issues.push(detachIssue(issue));
    // A dry run counts what its plan would write; an import, what it wrote.
    let inserts = outcome.addedIds.length;
    let updates = outcome.updated;
    if (options.dryRun) {
      const part = planPartOf(outcome.plan);
      planParts[batch] = part;
      inserts = part.insertCount;
      updates = part.updates.length;
      skipped += part.skips.length;
      errors += part.errors.length;
    } else {
      for (const action of outcome.plan.actions) {
        if (action.kind === 'skip') skipped++;
        else if (action.kind === 'error') errors++;
      }
      // One entry per batch (not per row): a million-row import keeps only the id strings.
      if (inserts > 0) addedIds[batch] = outcome.addedIds;
    }
    added += inserts;
    updated += updates;
    rowsWritten += inserts + updates;
  };

  // With the `skip` policy a fresh import needs no stored customers to plan: batches are inserted
  // straight away, and an email that turns out to be stored fails the batch's atomic insert, which
  // re-plans it against a lookup (as for a concurrent writer). After the first such batch every
  // later batch looks its emails up first. A dry run and the `update`/`merge` policies always do.
  let lookUpFirst = (options.dryRun ?? false) || (options.onDuplicate ?? 'skip') !== 'skip';

  const planBatch = async (rows: readonly PlannerRow[], lookUp: boolean): Promise<ImportPlan> => {
    // Without a lookup the planner normalizes the valid rows' emails itself.
    if (!lookUp) return planImport(planInput(rows, undefined, []));
    // Adapters dedupe the emails they are given; a batch rarely repeats one.
    const emails: string[] = [];
    const normalizedEmails: (string | undefined)[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      // A mapped row's email is read without building its `input`.
      const row = rows[i]!;
      const email = row instanceof MappedRow ? row.valueAt(EMAIL_SLOT) : row.input.email;
      if (typeof email !== 'string') continue;
      const normalized = normalizeEmail(email);
      normalizedEmails[i] = normalized;
      emails.push(normalized);
    }
    const existing = emails.length ? await options.adapter.getByEmails(options.organizationId, emails) : [];
    return planImport(planInput(rows, normalizedEmails, existing));
  };

  const planInput = (
    rows: readonly PlannerRow[],
    normalizedEmails: readonly (string | undefined)[] | undefined,
    existing: PlanImportInput['existing'],
  ): PlanImportInput => ({
    rows,
    seenEmails,
    ...(normalizedEmails ? { normalizedEmails } : {}),
    existing,
    ...(options.onDuplicate ? { onDuplicate: options.onDuplicate } : {}),
    ...(options.check ? { check: options.check } : {}),
  });

  let batches = 0;
  try {
    for await (const rows of options.batches) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      if (failure !== undefined) break;
      rowsRead += rows.length;
      // Planning is sequential (it decides in-file duplicates); writes run `concurrency` at a time.
      const plan = await planBatch(rows, lookUpFirst);
      progress('reading');
      const writer: BatchWriterContext = {
        adapter: options.adapter,
        organizationId: options.organizationId,
        dryRun: options.dryRun ?? false,
        now,
        generateId: options.generateId,
        replan: (pending) => {
          lookUpFirst = true;
          return planBatch(pending, true);
        },
      };
      const batch = batches++;
      const task = limit(() => writeBatch(writer, rows, plan)).then(
        (outcome) => {
          record(outcome, batch);
          progress('writing');
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      inflight.add(task);
      void task.finally(() => inflight.delete(task));
      if (inflight.size >= concurrency) await Promise.race(inflight);
    }
  } finally {
    await Promise.all(inflight);
  }
  if (failure !== undefined) throw failure;
  // A signal that fires after the last batch was read stopped nothing: `aborted` stays false.
  progress('done');
  issues.sort((a, b) => a.row - b.row);
  return {
    addedCount: added,
    updatedCount: updated,
    skippedCount: skipped,
    errorCount: errors,
    addedIds: addedIds.flat(),
    issues,
    durationMs: Date.now() - started,
    aborted,
    dryRun: options.dryRun ?? false,
    ...(options.dryRun ? { plan: joinPlans(planParts) } : {}),
  };
}

/**
 * One batch's share of a dry run's plan, keeping no customer data. Inserts, the usual case, are kept
 * as runs of consecutive rows (`[first, last]` pairs): a million planned inserts are a few numbers
 * per batch until the caller reads the list.
 */
interface PlanPart {
  readonly insertRuns: number[];
  /** Rows in `insertRuns`. */
  insertCount: number;
  readonly updates: { row: number; id: string; patch: CustomerPatch }[];
  readonly skips: { row: number; reason: SkipReason; existingId?: string }[];
  readonly errors: number[];
}

function planPartOf(plan: ImportPlan): PlanPart {
  const part: PlanPart = { insertRuns: [], insertCount: 0, updates: [], skips: [], errors: [] };
  const runs = part.insertRuns;
  for (const action of plan.actions) {
    if (action.kind === 'insert') {
      part.insertCount++;
      // Only safe integers extend a run (a caller's rows may be any numbers).
      const extendsRun =
        runs.length > 0 && Number.isSafeInteger(action.row) && runs[runs.length - 1] === action.row - 1;
      if (extendsRun) runs[runs.length - 1] = action.row;
      else runs.push(action.row, action.row);
    } else if (action.kind === 'update')
      part.updates.push({ row: action.row, id: action.id, patch: action.patch });
    else if (action.kind === 'error') part.errors.push(action.row);
    else
      part.skips.push({
        row: action.row,
        reason: action.reason,
        ...(action.existingId === undefined ? {} : { existingId: action.existingId }),
      });
  }
  return part;
}

/** The dry run's plan from its batches' parts, in input order; `inserts` is listed on first read. */
function joinPlans(parts: readonly PlanPart[]): DryRunPlan {
  let inserts: number[] | undefined;
  const listInserts = () => {
    inserts = [];
    for (const part of parts) {
      const runs = part.insertRuns;
      for (let i = 0; i < runs.length; i += 2) {
        inserts.push(runs[i]!);
        for (let row = runs[i]! + 1; row <= runs[i + 1]!; row++) inserts.push(row);
      }
    }
    return inserts;
  };
  const plan = {
    updates: parts.flatMap((part) => part.updates),
    skips: parts.flatMap((part) => part.skips),
    errors: parts.flatMap((part) => part.errors),
  };
  return Object.defineProperty(plan, 'inserts', {
    get: () => inserts ?? listInserts(),
    enumerable: true,
  }) as typeof plan & { readonly inserts: readonly number[] };
}

/**
 * A copy of an issue whose strings share no memory with the parsed input: a V8 substring keeps its
 * whole parent chunk alive, and a report of a million-row file may keep thousands of issues.
 */
function detachIssue(issue: ImportIssue): ImportIssue {
  return {
    ...issue,
    message: detached(issue.message),
    ...(issue.value === undefined ? {} : { value: detached(issue.value) }),
    ...(issue.column === undefined ? {} : { column: detached(issue.column) }),
  };
}
