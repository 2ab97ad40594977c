import { CONSENT_TARGETS, type CsvImportReport, type CsvTarget, EDITABLE_FIELDS } from '@donutauto/core';
import { type DragEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { type UseCsvImportResult, useCsvImport } from '../hooks/use-csv-import';
import type { CsvImportSettings } from '../stores/csv-import-session';
import { TARGET_LABELS } from './field-labels';

/** Props of {@link CsvBulkUploader}. */
export interface CsvBulkUploaderProps {
  /** Class of the wrapping element. */
  readonly className?: string;
  /** Import settings to start from (`onDuplicate`, `mapping`, `dateOrder`, …). */
  readonly settings?: CsvImportSettings;
  /** Called with the final report when an import finishes (or is aborted). */
  readonly onImported?: (report: CsvImportReport) => void;
  /** Issue rows listed in the preview and the report before "and N more". @defaultValue 100 */
  readonly maxIssueRows?: number;
  /** Content after the uploader; receives the import hook's state (e.g. a custom report). */
  readonly children?: (csv: UseCsvImportResult) => ReactNode;
}

const TARGETS: readonly CsvTarget[] = [
  ...EDITABLE_FIELDS.filter(
    (f): f is Exclude<typeof f, 'customFields' | 'consent'> => f !== 'customFields' && f !== 'consent',
  ),
  'fullName',
  ...CONSENT_TARGETS,
];

/**
 * An unstyled CSV uploader built on {@link useCsvImport}: a file input and a drop zone; a preview
 * (nothing written yet) of how each column maps, with confidence and a select to change it, the
 * counts and every issue by row; a confirm button; a progress bar with abort; the final report.
 * @param props - Class name, initial settings, `onImported`, and a render prop.
 * @returns The uploader.
 * @example
 * <CsvBulkUploader settings={{ onDuplicate: 'skip' }} onImported={(r) => toast(`${r.addedCount} added`)} />
 */
export function CsvBulkUploader(props: CsvBulkUploaderProps): ReactNode {
  const csv = useCsvImport(props.settings);
  const inputId = useId();
  const progressId = useId();
  const [dragging, setDragging] = useState(false);
  const { phase, preview, report } = csv;
  const busy = phase === 'previewing' || phase === 'importing';
  // The latest callback, so an inline arrow does not announce the same report twice.
  const onImported = useRef(props.onImported);
  onImported.current = props.onImported;
  useEffect(() => {
    if (report) onImported.current?.(report);
  }, [report]);

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && !busy) csv.select(file);
  };

  return (
    <div className={props.className} data-part="csv-uploader" data-phase={phase}>
      {/* The drop zone adds dragging to the file input, which stays the keyboard way in. */}
      <fieldset
        data-part="drop-zone"
        data-dragging={dragging || undefined}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        <legend>CSV file</legend>
        <label htmlFor={inputId}>Choose a CSV file, or drop it here</label>
        <input
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) csv.select(file);
            e.target.value = '';
          }}
        />
      </fieldset>

      <p data-part="import-status" aria-live="polite">
        {phaseText(csv)}
      </p>
      {csv.error instanceof Error && (
        <p role="alert" data-part="error">
          {csv.error.message}
        </p>
      )}

      {phase === 'importing' && (
        <div data-part="progress">
          <label htmlFor={progressId}>Import progress</label>
          <progress id={progressId} max={1} value={csv.fraction ?? undefined}>
            {csv.fraction === undefined ? '' : `${Math.round(csv.fraction * 100)}%`}
          </progress>
          <span>{`${csv.progress?.rowsRead ?? 0} rows read, ${csv.progress?.rowsWritten ?? 0} written`}</span>
        </div>
      )}
      {busy && (
        <button type="button" onClick={csv.abort}>
          {phase === 'importing' ? 'Abort import' : 'Cancel preview'}
        </button>
      )}

      {preview && phase === 'ready' && (
        <section aria-label="Import preview" data-part="preview">
          <MappingTable csv={csv} report={preview} />
          <Counts report={preview} future />
          <IssueList csv={csv} max={props.maxIssueRows ?? 100} />
          <button type="button" onClick={csv.confirm}>
            {`Import ${preview.addedCount + preview.updatedCount} customers`}
          </button>
          <button type="button" onClick={csv.reset}>
            Cancel
          </button>
        </section>
      )}

      {report && (phase === 'done' || phase === 'aborted') && (
        <section aria-label="Import report" data-part="report">
          <Counts report={report} future={false} />
          <IssueList csv={csv} max={props.maxIssueRows ?? 100} />
          {csv.rejectedCsv && (
            <button type="button" onClick={() => csv.downloadRejected()}>
              {`Download the ${report.errorCount} refused rows to fix`}
            </button>
          )}
          <button type="button" onClick={csv.reset}>
            Import another file
          </button>
        </section>
      )}
      {props.children?.(csv)}
    </div>
  );
}

function phaseText(csv: UseCsvImportResult): string {
  switch (csv.phase) {
    case 'idle':
      return 'No file chosen.';
    case 'previewing':
      return 'Checking the file…';
    case 'ready':
      return 'Check the preview, then import.';
    case 'importing':
      return 'Importing…';
    case 'done':
      return 'Import finished.';
    case 'aborted':
      return 'Import stopped: the report shows what was written.';
    case 'failed':
      return 'The import failed.';
  }
}

function MappingTable(props: {
  readonly csv: UseCsvImportResult;
  readonly report: CsvImportReport;
}): ReactNode {
  return (
    <table data-part="mapping">
      <caption>Column mapping</caption>
      <thead>
        <tr>
          <th scope="col">Column in the file</th>
          <th scope="col">Imported as</th>
          <th scope="col">Confidence</th>
        </tr>
      </thead>
      <tbody>
        {props.report.mapping.columns.map((column) => (
          <tr key={column.index} data-needs-confirmation={column.needsConfirmation || undefined}>
            <th scope="row">{column.column}</th>
            <td>
              <select
                aria-label={`Import column ${column.column} as`}
                value={column.target ?? ''}
                onChange={(e) =>
                  props.csv.mapColumn(column.column, (e.target.value || null) as CsvTarget | null)
                }
              >
                <option value="">Not imported</option>
                {TARGETS.map((target) => (
                  <option key={target} value={target}>
                    {TARGET_LABELS[target as keyof typeof TARGET_LABELS]}
                  </option>
                ))}
                {column.target?.startsWith('customFields.') && (
                  <option
                    value={column.target}
                  >{`Custom field ${column.target.slice('customFields.'.length)}`}</option>
                )}
              </select>
            </td>
            <td>
              {column.target === null
                ? '—'
                : `${Math.round(column.confidence * 100)}%${column.needsConfirmation ? ' (please check)' : ''}`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Counts(props: { readonly report: CsvImportReport; readonly future: boolean }): ReactNode {
  const { report, future } = props;
  const items: [string, number][] = [
    [future ? 'To add' : 'Added', report.addedCount],
    [future ? 'To update' : 'Updated', report.updatedCount],
    [future ? 'To skip' : 'Skipped', report.skippedCount],
    [future ? 'Refused' : 'Refused', report.errorCount],
  ];
  return (
    <dl data-part="counts">
      {items.map(([label, count]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{count}</dd>
        </div>
      ))}
    </dl>
  );
}

function IssueList(props: { readonly csv: UseCsvImportResult; readonly max: number }): ReactNode {
  const rows = props.csv.issuesByRow;
  if (rows.length === 0) return <p data-part="issues">No problems found.</p>;
  return (
    <table data-part="issues">
      <caption>Problems by row</caption>
      <thead>
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Problems</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, props.max).map(({ row, issues }) => (
          <tr key={row}>
            <th scope="row">{row}</th>
            <td>
              <ul>
                {issues.map((issue, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a row's issues never reorder
                  <li key={i} data-level={issue.level}>
                    {`${issue.level === 'error' ? 'Error' : 'Warning'}${issue.column ? ` in ${issue.column}` : ''}: ${issue.message}`}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
      {rows.length > props.max && (
        <tfoot>
          <tr>
            <td colSpan={2}>{`and ${rows.length - props.max} more rows with problems`}</td>
          </tr>
        </tfoot>
      )}
    </table>
  );
}
