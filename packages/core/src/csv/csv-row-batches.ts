import type { ImportIssue } from '../errors/import-issue';
import type { CheckedCsvParseOptions } from './csv-parse-options';
import { CsvRecordReader } from './csv-record-reader';
import { CsvRowMapper } from './csv-row-mapper';
import type { CsvHeaderMapping, CsvRow } from './csv-types';
import { mapCsvHeaders } from './header-mapping';

// The reading half of a CSV batch stream (records, header mapping, rows): `streamCustomerCsv`
// loads it on the first read, the SDK's own import and `parseCustomerCsv` import it directly.

/** Where a batch stream keeps the header mapping once it is read. */
export interface CsvMappingState {
  mapping: CsvHeaderMapping | undefined;
}

function withIssuesFirst(mapping: CsvHeaderMapping, issues: readonly ImportIssue[]): CsvHeaderMapping {
  return issues.length === 0 ? mapping : { ...mapping, issues: [...issues, ...mapping.issues] };
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/**
 * Records → header mapping → mapped rows, in batches of `batchSize`.
 * @param chunks - The source's text.
 * @param options - The checked parse options.
 * @param state - Receives the header mapping when the header row is read (or the file ends).
 * @param keepCells - Whether rows carry their cells as read.
 * @returns The batches.
 */
export async function* csvRowBatches(
  chunks: AsyncIterable<string>,
  options: CheckedCsvParseOptions,
  state: CsvMappingState,
  keepCells: boolean,
): AsyncGenerator<CsvRow[]> {
  const records = new CsvRecordReader(options.delimiter, options.maxRowLength);
  let mapper: CsvRowMapper | undefined;
  // Records that could not be read before the header was: reported with the header's issues.
  const beforeHeader: ImportIssue[] = [];
  let batch: CsvRow[] = [];
  for await (const read of records.records(chunks)) {
    for (const record of read) {
      const unreadable = record.issue?.level === 'error';
      if (!unreadable && isBlank(record.cells)) continue;
      if (mapper) batch.push(mapper.map(record));
      else if (unreadable) beforeHeader.push(record.issue!);
      else {
        state.mapping = withIssuesFirst(
          mapCsvHeaders(record.cells, options, records.delimiter, record.row),
          beforeHeader,
        );
        mapper = new CsvRowMapper(state.mapping, options, options.maxCellLength, keepCells);
      }
      if (batch.length === options.batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  state.mapping ??= withIssuesFirst(mapCsvHeaders([], options, records.delimiter), beforeHeader);
  if (batch.length > 0) yield batch;
}
