import type { Customer, CustomerData, CustomerPatch } from '../model/customer-schema';

/** What to do with a row whose email is already stored. */
export type DuplicatePolicy = 'skip' | 'update' | 'merge';

/** Severity of an import issue: `error` (row not imported) or `warning` (imported, value changed or dropped). */
export type ImportIssueLevel = 'error' | 'warning';

/**
 * One problem with one row of an import. `row` is the line a spreadsheet shows (header = 1) for
 * CSV imports, and the input index (from 0) for `bulkAddCustomers`.
 */
export interface ImportIssue {
  /** Row number (CSV: spreadsheet line; bulk add: input index). */
  readonly row: number;
  /** The CSV column header, when the problem is in one cell. */
  readonly column?: string;
  /** The customer field concerned, when known. */
  readonly field?: string;
  /** Machine-readable reason, e.g. `required`, `duplicate_in_file`, `duplicate_existing`. */
  readonly code: string;
  /** Human-readable explanation. */
  readonly message: string;
  /** The offending raw value, when there is one. */
  readonly value?: string;
  /** `error`: the row was not imported; `warning`: it was, with a change. */
  readonly level: ImportIssueLevel;
}

/** One row handed to the planner: the raw customer input and issues already found upstream (parsing). */
export interface PlannerRow {
  /** Row number used in issues. */
  readonly row: number;
  /** Customer input (editable fields only); keys present are the fields the row sets. */
  readonly input: Record<string, unknown>;
  /** Issues found before planning; an `error` among them makes the row an error. */
  readonly issues?: readonly ImportIssue[];
  /**
   * Maps a customer field to the CSV column it came from, so validation issues can name it; a
   * custom field's column is under `customFields.<key>` (`customFields`: the first custom column).
   */
  readonly columns?: Readonly<Partial<Record<string, string>>>;
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

/** Why a row was skipped. */
export type SkipReason = 'duplicate_in_file' | 'duplicate_existing' | 'unchanged';

/** The plan for one batch. */
export interface ImportPlan {
  /** One action per input row, in input order. */
  readonly actions: readonly PlannedAction[];
  /** Every issue of the batch (upstream ones included), in row order. */
  readonly issues: readonly ImportIssue[];
  /**
   * Normalized emails first seen in this batch, with their row: merge them into `seenEmails` for
   * the next batch. Empty when `seenEmails` has `claimMany` (it recorded them itself).
   */
  readonly newEmails: ReadonlyMap<string, number>;
}

/** Input of {@link planImport}. */
export interface PlanImportInput {
  /** The batch's rows. */
  readonly rows: readonly PlannerRow[];
  /**
   * Normalized emails of earlier batches of the same file, with the row that first had each (a
   * `Map` will do: merge each plan's `newEmails` into it for the next batch).
   */
  readonly seenEmails: {
    get(email: string): number | undefined;
    /**
     * When present (as on the executor's `EmailIndex`), the planner asks this instead of `get`, once
     * per batch: for each email in order (index-aligned with `rows`), "the first row with this
     * email when that is another row, else (record this row when the email is new) `undefined`".
     * Each email is then looked up once and the plan's `newEmails` stays empty.
     */
    claimMany?(emails: readonly string[], rows: readonly number[]): readonly (number | undefined)[];
  };
  /**
   * `normalizeEmail(row.input.email)` of each row, index-aligned with `rows` (`undefined` where the
   * email is not a string), when the caller has computed them already — the executor has, for
   * `getByEmails` — so the planner does not normalize them again.
   */
  readonly normalizedEmails?: readonly (string | undefined)[];
  /** Stored customers having this batch's emails (from `getByEmails`). */
  readonly existing: readonly Customer[];
  /** Policy for emails already stored. @defaultValue 'skip' */
  readonly onDuplicate?: DuplicatePolicy;
  /** Extra per-customer checks (custom field definitions); returns issues on the normalized data. */
  readonly check?: (
    data: CustomerData,
  ) => readonly { path: readonly (string | number)[]; code: string; message: string }[];
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

/** Result of an import or bulk add. */
export interface ImportReport {
  /** Customers inserted. */
  readonly addedCount: number;
  /** Stored customers updated (policies `update` and `merge`). */
  readonly updatedCount: number;
  /** Rows skipped: duplicates in the file, already stored, or unchanged. */
  readonly skippedCount: number;
  /** Rows not imported because of an error. */
  readonly errorCount: number;
  /** Ids of the inserted customers, in input order. */
  readonly addedIds: string[];
  /** Every problem, with its row; warnings included. */
  readonly issues: ImportIssue[];
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
