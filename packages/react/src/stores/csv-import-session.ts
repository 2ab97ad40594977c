import type {
  CsvImportReport,
  CsvSource,
  CsvTarget,
  ImportCsvOptions,
  ImportIssue,
  ImportProgress,
  SlimCustomerClient,
} from '@donutauto/core';
import { importCsv } from '@donutauto/core/slim';
import { createExternalStore, type ExternalStore } from './external-store';

/**
 * Where a CSV import is: `idle` (no file), `previewing` (dry run), `ready` (preview shown, waiting
 * for confirmation), `importing`, `done`, `aborted` (stopped by `abort`; the report covers what was
 * written) or `failed` (see `error`).
 */
export type CsvImportPhase = 'idle' | 'previewing' | 'ready' | 'importing' | 'done' | 'aborted' | 'failed';

/** The issues of one row, for a preview table. */
export interface RowIssues {
  /** The row number as a spreadsheet shows it (header = 1). */
  readonly row: number;
  /** Its problems, errors and warnings. */
  readonly issues: readonly ImportIssue[];
}

/** Import options a user can change in the preview (the session collects the refused rows itself). */
export type CsvImportSettings = Omit<ImportCsvOptions, 'dryRun' | 'signal' | 'onProgress' | 'onRejectedCsv'>;

/** The import's state. */
export interface CsvImportState {
  /** Where it is. */
  readonly phase: CsvImportPhase;
  /** The chosen file (or text). */
  readonly file: CsvSource | undefined;
  /** The options the preview and the import run with. */
  readonly settings: CsvImportSettings;
  /** The dry run's report: column mapping with confidence, counts, issues. */
  readonly preview: CsvImportReport | undefined;
  /** The import's progress while it runs. */
  readonly progress: ImportProgress | undefined;
  /** The import's final report. */
  readonly report: CsvImportReport | undefined;
  /**
   * The refused rows of the final import as a CSV to fix and upload again (the file's header plus an
   * `Import errors` column); `undefined` when no row was refused.
   */
  readonly rejectedCsv: Blob | undefined;
  /** Why the preview or the import failed. */
  readonly error: unknown;
  /** Issues of the final report (or else the preview), grouped by row in row order; header issues are row 1. */
  readonly issuesByRow: readonly RowIssues[];
}

type Action =
  | {
      readonly type: 'start';
      readonly phase: 'previewing' | 'importing';
      readonly file: CsvSource;
      readonly settings: CsvImportSettings;
    }
  | { readonly type: 'progress'; readonly progress: ImportProgress }
  | { readonly type: 'previewed'; readonly report: CsvImportReport }
  | {
      readonly type: 'imported';
      readonly report: CsvImportReport;
      readonly rejectedCsv: Blob | undefined;
    }
  | { readonly type: 'failed'; readonly error: unknown; readonly aborted: boolean }
  | { readonly type: 'reset' };

const IDLE: CsvImportState = {
  phase: 'idle',
  file: undefined,
  settings: {},
  preview: undefined,
  progress: undefined,
  report: undefined,
  rejectedCsv: undefined,
  error: undefined,
  issuesByRow: [],
};

/** A CSV import with a preview step, per component. */
export interface CsvImportSession extends ExternalStore<CsvImportState, Action> {
  select(file: CsvSource): void;
  configure(settings: Partial<CsvImportSettings>): void;
  mapColumn(column: string, target: CsvTarget | null): void;
  confirm(): void;
  abort(): void;
  reset(): void;
}

/**
 * Creates the session behind `useCsvImport`: choosing a file runs a dry run (nothing written) for
 * the preview; `confirm` runs the import with the same settings; one `AbortController` per run.
 * @param client - The organization-scoped client.
 * @param initial - Settings to start from (`onDuplicate`, `mapping`, …).
 * @returns The session.
 */
export function createCsvImportSession(
  client: SlimCustomerClient,
  initial: CsvImportSettings = {},
): CsvImportSession {
  let controller: AbortController | undefined;
  let run = 0;
  const store = createExternalStore<CsvImportState, Action>({ ...IDLE, settings: initial }, reduce);

  const start = (phase: 'previewing' | 'importing', file: CsvSource, settings: CsvImportSettings): void => {
    controller?.abort();
    const current = new AbortController();
    controller = current;
    const ticket = ++run;
    const mine = () => ticket === run;
    store.dispatch({ type: 'start', phase, file, settings });
    // A Blob per chunk lets the browser keep a large rejected file out of the JS heap.
    const rejected: Blob[] = [];
    importCsv(client, file, {
      ...settings,
      dryRun: phase === 'previewing',
      signal: current.signal,
      onProgress: (progress) => {
        if (mine()) store.dispatch({ type: 'progress', progress });
      },
      ...(phase === 'importing'
        ? { onRejectedCsv: (chunk: string) => void rejected.push(new Blob([chunk])) }
        : {}),
    }).then(
      (report) => {
        if (!mine()) return;
        if (phase === 'previewing') store.dispatch({ type: 'previewed', report });
        else {
          const rejectedCsv =
            rejected.length > 0 ? new Blob(rejected, { type: 'text/csv;charset=utf-8' }) : undefined;
          store.dispatch({ type: 'imported', report, rejectedCsv });
        }
      },
      (error: unknown) => {
        if (mine()) store.dispatch({ type: 'failed', error, aborted: current.signal.aborted });
      },
    );
  };

  const rerun = (settings: CsvImportSettings): void => {
    const { file } = store.getSnapshot();
    if (file !== undefined) start('previewing', file, settings);
  };

  return {
    ...store,
    select: (file) => start('previewing', file, store.getSnapshot().settings),
    configure: (settings) => rerun({ ...store.getSnapshot().settings, ...settings }),
    mapColumn(column, target) {
      const { settings } = store.getSnapshot();
      rerun({ ...settings, mapping: { ...settings.mapping, [column]: target } });
    },
    confirm() {
      const { phase, file, settings } = store.getSnapshot();
      if (phase === 'ready' && file !== undefined) start('importing', file, settings);
    },
    abort: () => controller?.abort(),
    reset() {
      controller?.abort();
      run++;
      store.dispatch({ type: 'reset' });
    },
  };
}

function reduce(state: CsvImportState, action: Action): CsvImportState {
  switch (action.type) {
    case 'start':
      return {
        ...state,
        phase: action.phase,
        file: action.file,
        settings: action.settings,
        progress: undefined,
        report: undefined,
        rejectedCsv: undefined,
        error: undefined,
        ...(action.phase === 'previewing' ? { preview: undefined, issuesByRow: [] } : {}),
      };
    case 'progress':
      return { ...state, progress: action.progress };
    case 'previewed':
      return {
        ...state,
        phase: action.report.aborted ? 'aborted' : 'ready',
        preview: action.report,
        issuesByRow: groupByRow(action.report.issues),
      };
    case 'imported':
      return {
        ...state,
        phase: action.report.aborted ? 'aborted' : 'done',
        report: action.report,
        rejectedCsv: action.rejectedCsv,
        issuesByRow: groupByRow(action.report.issues),
      };
    case 'failed':
      if (action.aborted && state.phase === 'previewing')
        return { ...state, phase: 'idle', error: undefined };
      return { ...state, phase: action.aborted ? 'aborted' : 'failed', error: action.error };
    case 'reset':
      return { ...IDLE, settings: state.settings };
  }
}

function groupByRow(issues: readonly ImportIssue[]): RowIssues[] {
  const rows = new Map<number, ImportIssue[]>();
  for (const issue of issues) {
    const list = rows.get(issue.row);
    if (list) list.push(issue);
    else rows.set(issue.row, [issue]);
  }
  return [...rows].sort(([a], [b]) => a - b).map(([row, list]) => ({ row, issues: list }));
}
