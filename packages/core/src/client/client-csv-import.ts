import { openCsvBatchStream } from '../csv/csv-batch-stream';
import { csvRowBatches } from '../csv/csv-row-batches';
import type { CsvSource } from '../csv/csv-source';
import type { CsvRow } from '../csv/csv-types';
import type { ImportIssue } from '../errors/import-issue';
import { objectArgument, optionalFunction } from '../errors/object-argument';
import { checkImportOptions, runImport } from '../import/import-executor';
import { rejectedRowsCsv } from '../import/rejected-rows-csv';
import type { CsvClientContext, CsvImportReport, ImportCsvOptions } from './client-csv';

// `client.importCsv` loads this module on first use (a dynamic import), so an app that never
// imports a CSV does not download the parser, the header mapping or the import pipeline.

/**
 * Streams a CSV into the organization: parse → map → validate → plan → write, batch by batch. The
 * header's issues come first, in `issues` and to `onIssue`.
 * @param context - The client's adapter, organization and helpers.
 * @param source - The CSV.
 * @param options - See {@link ImportCsvOptions}.
 * @returns The report, with the header mapping.
 * @throws `invalid_argument` for bad options or source; `storage_failed` when the adapter fails.
 */
export async function importCsvInto(
  context: CsvClientContext,
  source: CsvSource,
  maybeOptions?: ImportCsvOptions,
): Promise<CsvImportReport> {
  const options = objectArgument('options', maybeOptions, {});
  // Every option is checked before the source is opened.
  checkImportOptions(options);
  const onRejectedCsv = optionalFunction('onRejectedCsv', options.onRejectedCsv);
  // Rows keep their cells only for the rejected-rows CSV.
  const stream = openCsvBatchStream(
    source,
    { ...options, ...(context.definitions ? { customFieldDefinitions: context.definitions } : {}) },
    onRejectedCsv !== undefined,
    csvRowBatches,
  );
  let headerIssues: readonly ImportIssue[] | undefined;
  /** Sends the header's issues to `onIssue` once, before any row's. */
  const sendHeaderIssues = () => {
    if (headerIssues !== undefined || stream.mapping === undefined) return;
    headerIssues = stream.mapping.issues;
    for (const issue of headerIssues) options.onIssue?.(issue);
  };
  async function* batches(): AsyncGenerator<CsvRow[]> {
    for await (const rows of stream) {
      sendHeaderIssues();
      yield rows;
    }
  }
  const report = await runImport({
    ...options,
    adapter: context.adapter,
    organizationId: context.organizationId,
    batches: batches(),
    generateId: context.generateId,
    now: context.now,
    ...(context.check ? { check: context.check } : {}),
    ...(context.findErased ? { findErased: context.findErased } : {}),
    ...(onRejectedCsv ? { onRejectedRows: rejectedRowsCsv(() => stream.mapping, onRejectedCsv) } : {}),
    bytesRead: stream.bytesRead,
    ...(stream.totalBytes === undefined ? {} : { totalBytes: stream.totalBytes }),
  });
  sendHeaderIssues();
  // An import aborted before the header was read has no mapping yet.
  const mapping = stream.mapping ?? { columns: [], issues: [], delimiter: options.delimiter ?? ',' };
  const first = headerIssues ?? [];
  return {
    ...report,
    issueCount: first.length + report.issueCount,
    issues: [...first, ...report.issues].slice(0, options.maxIssues ?? 1000),
    mapping,
  };
}
