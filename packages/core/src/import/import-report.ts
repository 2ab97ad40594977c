import { detached } from '../csv/detached-text';
import type { ImportIssue } from '../errors/import-issue';
import { DryRunPlanBuilder } from './dry-run-plan';
import type { ImportPlan, ImportReport, PlannerRow, RejectedRow } from './import-types';

/** One batch, planned and (unless a dry run) written. */
export interface CompletedBatch {
  /** The rows read. */
  readonly rows: readonly PlannerRow[];
  /** The plan carried out. */
  readonly plan: ImportPlan;
  /** Ids of the customers inserted, in row order (none in a dry run). */
  readonly addedIds: readonly string[];
  /** Customers updated (none in a dry run). */
  readonly updated: number;
}

/** What the report keeps and where it streams the rest. */
export interface ReportOptions {
  readonly dryRun: boolean;
  readonly maxIssues: number;
  readonly keepAddedIds: boolean;
  readonly onIssue: ((issue: ImportIssue) => void) | undefined;
  readonly onRejectedRows: ((rows: readonly RejectedRow[]) => void | Promise<void>) | undefined;
}

/**
 * Builds an import's report from its batches, whatever order they finish in: batches are taken in
 * input order, so issues and rejected rows reach their callbacks in input order. Memory stays
 * bounded: counts, the first `maxIssues` issues and (when asked) the added ids are kept; the rest is
 * streamed. A dry run's counts are what its plan would write.
 */
export class ImportReportBuilder {
  private added = 0;
  private updated = 0;
  private skipped = 0;
  private errors = 0;
  private issueCount = 0;
  /** Rows inserted or updated so far, for progress. */
  rowsWritten = 0;
  private readonly issues: ImportIssue[] = [];
  private readonly addedIds: (readonly string[])[] = [];
  private readonly dryRunPlan: DryRunPlanBuilder | undefined;
  /** Batches finished ahead of an earlier one, by number. */
  private readonly waiting = new Map<number, CompletedBatch>();
  private next = 0;
  private delivery: Promise<void> = Promise.resolve();

  constructor(private readonly options: ReportOptions) {
    this.dryRunPlan = options.dryRun ? new DryRunPlanBuilder() : undefined;
  }

  /**
   * Records a finished batch.
   * @param index - The batch's number, from 0 in input order.
   * @param batch - What it planned and wrote.
   * @returns Resolves once it (and every batch before it) reached the callbacks.
   */
  complete(index: number, batch: CompletedBatch): Promise<void> {
    this.waiting.set(index, batch);
    this.delivery = this.delivery.then(() => this.drain());
    return this.delivery;
  }

  private async drain(): Promise<void> {
    for (let batch = this.waiting.get(this.next); batch !== undefined; batch = this.waiting.get(this.next)) {
      this.waiting.delete(this.next++);
      await this.take(batch);
    }
  }

  private async take({ rows, plan, addedIds, updated }: CompletedBatch): Promise<void> {
    let inserts = addedIds.length;
    let updates = updated;
    if (this.dryRunPlan) {
      this.dryRunPlan.add(plan);
      inserts = 0;
      updates = 0;
    }
    const failed = new Set<number>();
    for (const action of plan.actions) {
      if (action.kind === 'skip') this.skipped++;
      else if (action.kind === 'error') {
        this.errors++;
        failed.add(action.row);
      } else if (this.dryRunPlan) {
        if (action.kind === 'insert') inserts++;
        else updates++;
      }
    }
    this.added += inserts;
    this.updated += updates;
    this.rowsWritten += inserts + updates;
    if (this.options.keepAddedIds && addedIds.length > 0) this.addedIds.push(addedIds);
    const issues = plan.issues.map(detachIssue);
    for (const issue of issues) {
      this.issueCount++;
      if (this.issues.length < this.options.maxIssues) this.issues.push(issue);
      this.options.onIssue?.(issue);
    }
    if (failed.size > 0 && this.options.onRejectedRows) {
      const byRow = new Map<number, ImportIssue[]>();
      for (const issue of issues) {
        if (!failed.has(issue.row)) continue;
        const list = byRow.get(issue.row);
        if (list) list.push(issue);
        else byRow.set(issue.row, [issue]);
      }
      const rejected = rows
        .filter((row) => failed.has(row.row))
        .map((row) => ({ row, issues: byRow.get(row.row) ?? [] }));
      await this.options.onRejectedRows(rejected);
    }
  }

  /**
   * The report of what was taken so far.
   * @param durationMs - Wall time of the import.
   * @param aborted - Whether the signal left batches unprocessed.
   * @returns The report.
   */
  async report(durationMs: number, aborted: boolean): Promise<ImportReport> {
    await this.delivery;
    return {
      addedCount: this.added,
      updatedCount: this.updated,
      skippedCount: this.skipped,
      errorCount: this.errors,
      issueCount: this.issueCount,
      issues: this.issues,
      ...(this.options.keepAddedIds ? { addedIds: this.addedIds.flat() } : {}),
      durationMs,
      aborted,
      dryRun: this.options.dryRun,
      ...(this.dryRunPlan ? { plan: this.dryRunPlan.build() } : {}),
    };
  }
}

/**
 * A copy of an issue whose strings share no memory with the parsed input: a V8 substring keeps its
 * whole parent chunk alive, and the report (or an `onIssue` caller) may keep thousands of issues.
 */
function detachIssue(issue: ImportIssue): ImportIssue {
  return {
    ...issue,
    message: detached(issue.message),
    ...(issue.value === undefined ? {} : { value: detached(issue.value) }),
    ...(issue.column === undefined ? {} : { column: detached(issue.column) }),
  };
}
