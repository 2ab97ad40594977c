import type { FieldIssue } from '../errors/customer-error';
import type { ImportIssue } from '../errors/import-issue';
import type { Customer, CustomerData, CustomerPatch } from '../model/customer-schema';

/** What to do with a row whose email is already stored. */
export type DuplicatePolicy = 'skip' | 'update' | 'merge';

/** One row handed to the planner: the customer input and what is known about where it came from. */
export interface PlannerRow {
  /** Row number used in issues (CSV: the spreadsheet row; `bulkAddCustomers`: the input's index). */
  readonly row: number;
  /** Customer input; keys present are the fields the row sets. */
  readonly input: Readonly<Record<string, unknown>>;
  /**
   * Issues found before planning (reading the CSV). An `error` naming an optional field means that
   * value was left out of `input`: it becomes a warning and the row is kept (unless `strict`). Any
   * other `error` refuses the row.
   */
  readonly issues?: readonly ImportIssue[];
  /**
   * Maps a customer field to the CSV column it came from, so validation issues can name it; a
   * custom field's column is under `customFields.<key>` (`customFields`: the first custom column).
   */
  readonly columns?: Readonly<Partial<Record<string, string>>>;
  /** Cells as the file wrote them, by field, where the reader converted the value: issues show these. */
  readonly written?: Readonly<Partial<Record<string, string>>>;
  /** The row's cells as the file has them: a rejected row is written back with them (`onRejectedRows`). */
  readonly cells?: readonly string[];
}

/** The planner's decision for one row. */
export type PlannedAction =
  | { readonly kind: 'insert'; readonly row: number; readonly data: CustomerData }
  | {
      readonly kind: 'update';
      readonly row: number;
      readonly id: string;
      readonly patch: CustomerPatch;
      readonly expectedVersion: number;
    }
  | { readonly kind: 'skip'; readonly row: number; readonly reason: SkipReason; readonly existingId?: string }
  | { readonly kind: 'error'; readonly row: number };

/** Why a row was skipped: a duplicate, nothing to change, or the email of an erased customer. */
export type SkipReason = 'duplicate_in_file' | 'duplicate_existing' | 'unchanged' | 'erased';

/** The plan for one batch. */
export interface ImportPlan {
  /** One action per input row, in input order. */
  readonly actions: readonly PlannedAction[];
  /** Every issue of the batch (upstream ones included), in row order. */
  readonly issues: readonly ImportIssue[];
  /** Normalized emails first seen in this batch, with their row: add them to `seenEmails` for the next batch. */
  readonly newEmails: ReadonlyMap<string, number>;
}

/** Input of `planImport`. */
export interface PlanImportInput {
  /** The batch's rows. */
  readonly rows: readonly PlannerRow[];
  /**
   * Normalized emails of earlier batches of the same import, with the row that first had each (a
   * `Map` will do: add each plan's `newEmails` to it before planning the next batch). Only read.
   */
  readonly seenEmails: { get(email: string): number | undefined };
  /** Stored customers having this batch's emails (from `getByEmails`). */
  readonly existing: readonly Customer[];
  /** Policy for emails already stored. @defaultValue 'skip' */
  readonly onDuplicate?: DuplicatePolicy;
  /**
   * Refuse a row over any bad value. By default a bad optional value (anything but the names and the
   * email) is left out with a warning and the customer is imported. @defaultValue false
   */
  readonly strict?: boolean;
  /** Extra per-customer checks (custom field definitions): issues on the normalized data. */
  readonly check?: (data: CustomerData) => readonly FieldIssue[];
  /**
   * Normalized emails of erased customers among the batch's (see `eraseCustomer`): a row that would
   * insert one is skipped as `erased` with an `erased_customer` warning.
   */
  readonly erased?: { has(email: string): boolean };
  /**
   * Let a row turn a stored `unsubscribed` channel into `subscribed`. Without it the stored
   * `unsubscribed` stays, with a `resubscribe_refused` warning. @defaultValue false
   */
  readonly allowResubscribe?: boolean;
}

/** Progress of an import, reported after each phase step. */
export interface ImportProgress {
  /** What the import is doing. */
  readonly phase: 'reading' | 'writing' | 'done';
  /** Data rows read so far. */
  readonly rowsRead: number;
  /** Rows inserted or updated so far. */
  readonly rowsWritten: number;
  /** Bytes of input read so far (CSV imports). */
  readonly bytesRead: number;
  /** Total input size in bytes, when known. */
  readonly totalBytes?: number;
}

/** Options every import takes: `client.importCsv`, `client.bulkAddCustomers` and `executeImport`. */
export interface ImportOptions {
  /** What to do with an email already stored. @defaultValue 'skip' */
  readonly onDuplicate?: DuplicatePolicy;
  /**
   * Refuse a row over any bad value. By default a bad optional value (anything but the names and the
   * email) is left out with a warning naming its cell, and the customer is imported. @defaultValue false
   */
  readonly strict?: boolean;
  /** Plan and report without writing anything. @defaultValue false */
  readonly dryRun?: boolean;
  /** Batches written at once. @defaultValue 2 */
  readonly concurrency?: number;
  /** Stops between batches; the report covers exactly what was written. */
  readonly signal?: AbortSignal;
  /** Called after each batch is read and after each batch is written. */
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Receives every issue, in input order, as its batch completes: the report keeps only the first
   * `maxIssues`, so this is how to see them all on a large import.
   */
  readonly onIssue?: (issue: ImportIssue) => void;
  /** How many issues the report keeps (the first ones, in input order); `Infinity` keeps all. @defaultValue 1000 */
  readonly maxIssues?: number;
  /**
   * The people in this file who were erased before (`eraseCustomer`) gave their data and consent
   * again: add them back. Without it their rows are skipped as `erased`. @defaultValue false
   */
  readonly reconsent?: boolean;
  /**
   * Let the file turn a stored `unsubscribed` channel back into `subscribed` (only when you know
   * the customer subscribed again after unsubscribing). @defaultValue false
   */
  readonly allowResubscribe?: boolean;
  /** Recorded as `by` on the consent the rows carry (who ran the import), unless a row names one. */
  readonly consentRecordedBy?: string;
}

/** Result of an import or bulk add. */
export interface ImportReport {
  /** Customers inserted. */
  readonly addedCount: number;
  /** Stored customers updated (policies `update` and `merge`). */
  readonly updatedCount: number;
  /** Rows skipped: duplicates in the input, already stored, or unchanged. */
  readonly skippedCount: number;
  /** Rows not imported because of an error. */
  readonly errorCount: number;
  /** Issues found, warnings included (`issues` holds the first `maxIssues` of them). */
  readonly issueCount: number;
  /** The first `maxIssues` issues, in input order; every one went to `onIssue`. */
  readonly issues: ImportIssue[];
  /**
   * Ids of the inserted customers, in input order: always for `bulkAddCustomers`, with
   * `keepAddedIds: true` for a CSV import or `executeImport` (absent otherwise, so a million-row
   * import does not hold a million ids).
   */
  readonly addedIds?: string[];
  /** Wall time of the import in ms. */
  readonly durationMs: number;
  /**
   * `true` when the signal stopped the import with batches left unprocessed; counts cover what was
   * written. A signal firing after the last batch was read leaves it `false`.
   */
  readonly aborted: boolean;
  /** `true` for a dry run: the counts say what would have been written; nothing was. */
  readonly dryRun: boolean;
  /** A dry run's decision for every row (absent when not a dry run). */
  readonly plan?: DryRunPlan;
}

/** A row the import refused, with the errors that refused it (see `onRejectedRows`). */
export interface RejectedRow {
  /** The row as it was planned (its `cells` when it came from a CSV). */
  readonly row: PlannerRow;
  /** Its issues; at least one is an `error`. */
  readonly issues: readonly ImportIssue[];
}

/**
 * What a dry run would do with each row it planned, every list in input order. Each planned row is
 * in exactly one list (an aborted dry run lists only the rows it reached); the issues say why a row
 * is an error and name the first row of an in-file duplicate. Planned inserts keep no customer
 * data; updates carry the patch they would apply.
 */
export interface DryRunPlan {
  /** Rows that would be inserted. */
  readonly inserts: readonly number[];
  /** Rows that would update a stored customer: which one, and the fields that would change. */
  readonly updates: readonly { readonly row: number; readonly id: string; readonly patch: CustomerPatch }[];
  /** Rows that would be skipped, and why (with the stored customer for `duplicate_existing` and `unchanged`). */
  readonly skips: readonly {
    readonly row: number;
    readonly reason: SkipReason;
    readonly existingId?: string;
  }[];
  /** Rows that would not be imported because of an error. */
  readonly errors: readonly number[];
}
