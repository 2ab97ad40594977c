import type { StorageAdapter } from '../store/storage-adapter';
import type { ImportOptions, ImportReport, PlanImportInput, PlannerRow, RejectedRow } from './import-types';

/** Options of {@link executeImport}. */
export interface ExecuteImportOptions extends ImportOptions {
  /** Where customers are written. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** The rows, in batches (an async iterable lets a parser stream them); each batch is written atomically. */
  readonly batches: AsyncIterable<readonly PlannerRow[]> | Iterable<readonly PlannerRow[]>;
  /** Id generator, e.g. `uuidv7`. */
  readonly generateId: (now: number) => string;
  /** Clock, epoch ms. @defaultValue Date.now */
  readonly now?: () => number;
  /** Extra per-customer checks (custom field definitions). */
  readonly check?: PlanImportInput['check'];
  /** Keep the inserted customers' ids in the report's `addedIds`. @defaultValue false */
  readonly keepAddedIds?: boolean;
  /**
   * Receives each batch's refused rows with their issues, in input order. The import waits for a
   * returned promise, so a slow consumer slows the import instead of filling memory.
   */
  readonly onRejectedRows?: (rows: readonly RejectedRow[]) => void | Promise<void>;
  /** Bytes of input consumed so far, for progress (CSV imports). */
  readonly bytesRead?: () => number;
  /** Total input size in bytes, when known. */
  readonly totalBytes?: number;
  /**
   * Tells which of a batch's normalized emails belong to erased customers; their rows are skipped as
   * `erased` unless `reconsent`. The client passes one built on the adapter's tombstones; without it
   * no row is checked.
   */
  readonly findErased?: (emails: readonly string[]) => Promise<ReadonlySet<string>>;
}

/**
 * Runs an import: for each batch, looks up the stored customers having its emails (one
 * `getByEmails`; none while the organization had no customers when the import started), plans it
 * with {@link planImport}, and writes its inserts and updates through the adapter (one atomic
 * `insertMany` and one `updateMany`), several batches at a time. A batch whose write loses a race to
 * another writer (`duplicate_email`, `version_conflict`) is planned again on fresh data, so
 * concurrent or repeated imports never insert an email twice.
 *
 * The report keeps counts and the first `maxIssues` issues; every issue goes to `onIssue` and every
 * refused row to `onRejectedRows`, in input order, so memory stays bounded by the batch size.
 * @param maybeOptions - See {@link ExecuteImportOptions}.
 * @returns The report; `aborted: true` only when the signal left batches unprocessed (counts cover
 * what was written).
 * @throws `invalid_argument` for bad options; `storage_failed` when the adapter fails for another
 * reason (batches already written stay written).
 * @example
 * const stream = streamCustomerCsv(file);
 * const report = await executeImport({ adapter, organizationId: 'org_1', batches: stream, generateId: uuidv7 });
 */
export async function executeImport(maybeOptions: ExecuteImportOptions): Promise<ImportReport> {
  return (await import('./import-executor')).runImport(maybeOptions);
}
