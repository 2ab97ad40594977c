import type { CsvImportReport, CsvSource, CsvTarget, ImportProgress } from '@donutauto/core';
import { useMemo, useSyncExternalStore } from 'react';
import { useCustomerClient } from '../customers-provider';
import {
  type CsvImportPhase,
  type CsvImportSettings,
  createCsvImportSession,
  type RowIssues,
} from '../stores/csv-import-session';
import { saveFile } from './save-file';
import { useInstance } from './use-instance';

/** What {@link useCsvImport} returns. */
export interface UseCsvImportResult {
  /** `idle`, `previewing`, `ready`, `importing`, `done`, `aborted` or `failed`. */
  readonly phase: CsvImportPhase;
  /** The chosen file. */
  readonly file: CsvSource | undefined;
  /** The settings the preview and import use (`onDuplicate`, `mapping`, …). */
  readonly settings: CsvImportSettings;
  /**
   * The dry run's report: `mapping.columns` (each column's target, match kind and confidence,
   * `needsConfirmation` for guesses), the counts it would add, update, skip and refuse, and its issues.
   */
  readonly preview: CsvImportReport | undefined;
  /** Issues grouped by spreadsheet row (of the final report once there is one, else of the preview). */
  readonly issuesByRow: readonly RowIssues[];
  /** Progress while importing: rows read and written, bytes read of `totalBytes`. */
  readonly progress: ImportProgress | undefined;
  /** Share of the file read, 0–1, when its size is known. */
  readonly fraction: number | undefined;
  /** The final report: what was added, updated, skipped and refused, row by row. */
  readonly report: CsvImportReport | undefined;
  /**
   * The refused rows of the final import as a CSV to fix and upload again: the file's header plus an
   * `Import errors` column, each refused row as read. `undefined` when no row was refused.
   */
  readonly rejectedCsv: Blob | undefined;
  /**
   * Saves {@link UseCsvImportResult.rejectedCsv} as a file; does nothing when no row was refused.
   * @param fileName - The file's name. @defaultValue 'rejected-rows.csv'
   */
  readonly downloadRejected: (fileName?: string) => void;
  /** Why the preview or the import failed. */
  readonly error: unknown;
  /**
   * Chooses a file and runs the preview (a dry run: nothing is written). Choosing a file while an
   * import runs aborts that import first.
   * @param file - A `File`/`Blob`, text, or a stream of text or bytes.
   */
  readonly select: (file: CsvSource) => void;
  /**
   * Changes settings (e.g. `{ onDuplicate: 'update' }`) and runs the preview again.
   * @param settings - The settings to change.
   */
  readonly configure: (settings: Partial<CsvImportSettings>) => void;
  /**
   * Maps one column by hand (`null` ignores it) and runs the preview again.
   * @param column - The header as written in the file.
   * @param target - The field, `fullName`, `customFields.<key>`, or `null`.
   */
  readonly mapColumn: (column: string, target: CsvTarget | null) => void;
  /** Runs the import with the previewed settings (only in phase `ready`). */
  readonly confirm: () => void;
  /** Stops the preview or the import between batches; the report covers what was written. */
  readonly abort: () => void;
  /** Forgets the file and reports. */
  readonly reset: () => void;
}

/**
 * A CSV import with a preview: choose a file, see the column mapping and every issue by row
 * without writing anything, confirm, watch progress, abort, read the final report and download the
 * refused rows as a CSV to fix.
 * @param settings - Initial import settings (`onDuplicate`, `mapping`, `dateOrder`, …); read on mount.
 * @returns The import's state and actions.
 * @throws `Error` outside a {@link CustomersProvider}.
 * @example
 * const csv = useCsvImport({ onDuplicate: 'skip' });
 * <input type="file" accept=".csv" onChange={(e) => e.target.files?.[0] && csv.select(e.target.files[0])} />
 * {csv.phase === 'ready' && <button onClick={csv.confirm}>Import {csv.preview?.addedCount} customers</button>}
 */
export function useCsvImport(settings: CsvImportSettings = {}): UseCsvImportResult {
  const client = useCustomerClient();
  const session = useInstance([client], () => createCsvImportSession(client, settings));
  const state = useSyncExternalStore(session.subscribe, session.getSnapshot, session.getServerSnapshot);
  return useMemo(() => {
    const { progress } = state;
    return {
      ...state,
      fraction:
        progress?.totalBytes !== undefined && progress.totalBytes > 0
          ? Math.min(1, progress.bytesRead / progress.totalBytes)
          : undefined,
      downloadRejected: (fileName = 'rejected-rows.csv') => {
        if (state.rejectedCsv) saveFile(state.rejectedCsv, fileName);
      },
      select: session.select,
      configure: session.configure,
      mapColumn: session.mapColumn,
      confirm: session.confirm,
      abort: session.abort,
      reset: session.reset,
    };
  }, [state, session]);
}
