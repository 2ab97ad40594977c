import pLimit from 'p-limit';
import { booleanOption, choiceOption } from '../errors/choice-option';
import { InvalidArgumentError } from '../errors/customer-error';
import { integerOption } from '../errors/integer-option';
import { objectArgument, optionalFunction } from '../errors/object-argument';
import { normalizeEmail } from '../model/normalize';
import type { StorageAdapter } from '../store/storage-adapter';
import { type BatchWriterContext, writeBatch } from './batch-writer';
import { EmailIndex } from './email-index';
import type { ExecuteImportOptions } from './execute-import';
import { DUPLICATE_POLICIES, planImport } from './import-planner';
import { ImportReportBuilder } from './import-report';
import type {
  ImportOptions,
  ImportPlan,
  ImportProgress,
  ImportReport,
  PlanImportInput,
  PlannerRow,
} from './import-types';

/** The options after checking, with their defaults. */
interface Checked {
  readonly dryRun: boolean;
  readonly concurrency: number;
  readonly maxIssues: number;
  readonly planInput: Pick<PlanImportInput, 'onDuplicate' | 'strict' | 'allowResubscribe'>;
  readonly reconsent: boolean;
  readonly consentRecordedBy: string | null;
}

/**
 * Checks the options every import takes, so a bad value fails at the call.
 * @param options - The caller's options.
 * @returns The checked values.
 * @throws `invalid_argument` naming the first bad option.
 */
export function checkImportOptions(options: ImportOptions): Checked {
  const maxIssues = options.maxIssues ?? 1000;
  if (maxIssues !== Number.POSITIVE_INFINITY && !(Number.isInteger(maxIssues) && maxIssues >= 0)) {
    throw new InvalidArgumentError('maxIssues', 'expected a non-negative integer or Infinity');
  }
  optionalFunction('onIssue', options.onIssue);
  optionalFunction('onProgress', options.onProgress);
  const strict = booleanOption('strict', options.strict, false);
  const by = options.consentRecordedBy;
  if (by !== undefined && (typeof by !== 'string' || by.trim() === '' || by.length > 200)) {
    throw new InvalidArgumentError(
      'consentRecordedBy',
      'expected a non-empty string of at most 200 characters',
    );
  }
  return {
    reconsent: booleanOption('reconsent', options.reconsent, false),
    consentRecordedBy: by === undefined ? null : by.trim(),
    dryRun: booleanOption('dryRun', options.dryRun, false),
    concurrency: integerOption('concurrency', options.concurrency, 64, 2),
    maxIssues,
    planInput: {
      onDuplicate: choiceOption('onDuplicate', options.onDuplicate, DUPLICATE_POLICIES, 'skip'),
      strict,
      allowResubscribe: booleanOption('allowResubscribe', options.allowResubscribe, false),
    },
  };
}

/** The arguments `executeImport` cannot run without, as typed errors rather than a later `TypeError`. */
function checkWiring(options: ExecuteImportOptions): void {
  const adapter = options.adapter as Partial<StorageAdapter> | undefined;
  if (typeof adapter?.insertMany !== 'function' || typeof adapter.getByEmails !== 'function') {
    throw new InvalidArgumentError('adapter', 'expected a StorageAdapter');
  }
  if (typeof options.organizationId !== 'string' || options.organizationId === '') {
    throw new InvalidArgumentError('organizationId', 'expected a non-empty string');
  }
  const batches = options.batches as Partial<AsyncIterable<unknown> & Iterable<unknown>> | undefined;
  if (
    typeof batches?.[Symbol.asyncIterator] !== 'function' &&
    typeof batches?.[Symbol.iterator] !== 'function'
  ) {
    throw new InvalidArgumentError('batches', 'expected an iterable or async iterable of row batches');
  }
  if (typeof options.generateId !== 'function')
    throw new InvalidArgumentError('generateId', 'expected a function');
  optionalFunction('now', options.now);
}

/**
 * What {@link executeImport} does (it loads this module on its first call).
 * @param maybeOptions - See {@link ExecuteImportOptions}.
 * @returns See {@link executeImport}.
 * @throws See {@link executeImport}.
 */
export async function runImport(maybeOptions: ExecuteImportOptions): Promise<ImportReport> {
  const started = Date.now();
  const options = objectArgument('options', maybeOptions);
  checkWiring(options);
  const checked = checkImportOptions(options);
  optionalFunction('onRejectedRows', options.onRejectedRows);
  const now = options.now ?? Date.now;
  const report = new ImportReportBuilder({
    dryRun: checked.dryRun,
    maxIssues: checked.maxIssues,
    keepAddedIds: booleanOption('keepAddedIds', options.keepAddedIds, false),
    onIssue: options.onIssue,
    onRejectedRows: options.onRejectedRows,
  });
  optionalFunction('findErased', options.findErased);
  const { findErased, ...wiring } = options;
  const planner = new BatchPlanner(
    checked.reconsent || findErased === undefined ? wiring : { ...wiring, findErased },
    checked.planInput,
  );
  // A batch's re-plans after a lost race see the import as its first plan did.
  const writerFor = (plan: ImportPlan): BatchWriterContext => ({
    adapter: options.adapter,
    organizationId: options.organizationId,
    now,
    generateId: options.generateId,
    consentRecordedBy: checked.consentRecordedBy,
    replan: (rows) => planner.replan(rows, plan.newEmails),
  });
  let rowsRead = 0;
  const progress = (phase: ImportProgress['phase']) =>
    options.onProgress?.({
      phase,
      rowsRead,
      rowsWritten: report.rowsWritten,
      bytesRead: options.bytesRead?.() ?? 0,
      ...(options.totalBytes === undefined ? {} : { totalBytes: options.totalBytes }),
    });

  const limit = pLimit(checked.concurrency);
  const inflight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let aborted = false;
  let index = 0;
  try {
    for await (const rows of options.batches) {
      if (options.signal?.aborted) {
        aborted = true;
        break;
      }
      if (failure) break;
      rowsRead += rows.length;
      // Planning is sequential (it decides in-file duplicates); writes run `concurrency` at a time.
      const plan = await planner.plan(rows);
      progress('reading');
      const batch = index++;
      const task = limit(async () => {
        const written = checked.dryRun
          ? { plan, addedIds: [], updated: 0 }
          : await writeBatch(writerFor(plan), rows, plan);
        await report.complete(batch, { rows, ...written });
        progress('writing');
      }).catch((error: unknown) => {
        failure ??= { error };
      });
      inflight.add(task);
      void task.finally(() => inflight.delete(task));
      if (inflight.size >= checked.concurrency) await Promise.race(inflight);
    }
  } finally {
    await Promise.all(inflight);
  }
  if (failure) throw failure.error;
  // A signal that fires after the last batch was read stopped nothing: `aborted` stays false.
  progress('done');
  return report.report(Date.now() - started, aborted);
}

/**
 * Plans batches one after the other against the stored customers and the emails seen earlier in
 * the import. Stored customers are looked up per batch (one `getByEmails`) unless the organization
 * had none when the import started: then none of the batch's emails can be stored, except by another
 * writer, whose insert makes ours lose a race; from the first such race on, every batch looks up.
 */
class BatchPlanner {
  private readonly seen = new EmailIndex();
  /** Whether batches look stored emails up; decided by the first batch. */
  private lookUp: Promise<boolean> | boolean | undefined;

  constructor(
    private readonly options: Pick<
      ExecuteImportOptions,
      'adapter' | 'organizationId' | 'check' | 'findErased'
    >,
    private readonly input: Pick<PlanImportInput, 'onDuplicate' | 'strict' | 'allowResubscribe'>,
  ) {}

  /** Plans a batch read for the first time, recording the emails it sees first. */
  async plan(rows: readonly PlannerRow[]): Promise<ImportPlan> {
    this.lookUp ??= this.organizationHasCustomers();
    const emails = emailsOf(rows);
    const plan = await this.planAgainst(rows, emails, this.seen.lookUpMany(emails), await this.lookUp);
    this.seen.addMany(plan.newEmails);
    return plan;
  }

  /**
   * Plans rows of a batch again after a lost race, against fresh stored customers.
   * @param own - The emails the batch's first plan saw first: hidden, so its rows are not their own duplicates.
   */
  replan(rows: readonly PlannerRow[], own: ReadonlyMap<string, number>): Promise<ImportPlan> {
    this.lookUp = true;
    const emails = emailsOf(rows);
    const seen = this.seen.lookUpMany(emails);
    for (const email of own.keys()) seen.delete(email);
    return this.planAgainst(rows, emails, seen, true);
  }

  private async organizationHasCustomers(): Promise<boolean> {
    const { adapter, organizationId } = this.options;
    const first = await adapter.list(organizationId, {
      numItems: 1,
      cursor: null,
      filter: {},
      sort: 'newest',
    });
    return first.page.length > 0;
  }

  /**
   * @param emails - The rows' normalized emails.
   * @param seen - Those of them seen earlier in the import (a valid row's email is its input email
   * trimmed, so both normalize alike).
   */
  private async planAgainst(
    rows: readonly PlannerRow[],
    emails: ReadonlySet<string>,
    seen: ReadonlyMap<string, number>,
    lookUp: boolean,
  ): Promise<ImportPlan> {
    const { adapter, organizationId } = this.options;
    const existing = lookUp && emails.size > 0 ? await adapter.getByEmails(organizationId, [...emails]) : [];
    const { findErased } = this.options;
    let erased: ReadonlySet<string> | undefined;
    if (findErased && emails.size > 0) {
      const stored = new Set(existing.map((c) => normalizeEmail(c.email)));
      const fresh = [...emails].filter((email) => !stored.has(email) && !seen.has(email));
      if (fresh.length > 0) erased = await findErased(fresh);
    }
    return planImport({
      rows,
      seenEmails: seen,
      existing,
      ...(erased && erased.size > 0 ? { erased } : {}),
      ...this.input,
      ...(this.options.check ? { check: this.options.check } : {}),
    });
  }
}

/** The normalized emails of the rows that have one. */
function emailsOf(rows: readonly PlannerRow[]): Set<string> {
  const emails = new Set<string>();
  for (const row of rows) {
    const email = row.input.email;
    if (typeof email === 'string') emails.add(normalizeEmail(email));
  }
  return emails;
}

/** The inputs of a bulk add as planner rows, `batchSize` at a time; a row's number is its index. */
export function* inputBatches(inputs: readonly unknown[], batchSize: number): Generator<PlannerRow[]> {
  for (let start = 0; start < inputs.length; start += batchSize) {
    const rows: PlannerRow[] = [];
    for (let row = start; row < Math.min(inputs.length, start + batchSize); row++) {
      const input = inputs[row];
      rows.push(
        typeof input === 'object' && input !== null && !Array.isArray(input)
          ? { row, input: input as Record<string, unknown> }
          : {
              row,
              input: {},
              issues: [
                {
                  row,
                  code: 'invalid_type',
                  message: 'Expected an object of customer fields',
                  level: 'error',
                },
              ],
            },
      );
    }
    yield rows;
  }
}
