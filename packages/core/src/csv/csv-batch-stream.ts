import { choiceOption } from '../errors/choice-option';
import type { ImportIssue } from '../errors/import-issue';
import { integerOption } from '../errors/integer-option';
import { CSV_DELIMITERS, CsvRecordReader } from './csv-record-reader';
import { CsvRowMapper } from './csv-row-mapper';
import { type CsvSource, openCsvSource } from './csv-source';
import type { CsvHeaderMapping, CsvParseOptions, CsvRow } from './csv-types';
import { mapCsvHeaders } from './header-mapping';

/** A streaming read of a customer CSV: batches of rows, plus the header mapping once known. */
export interface CsvBatchStream extends AsyncIterable<CsvRow[]> {
  /** The header mapping; `undefined` until the header row has been read. */
  readonly mapping: CsvHeaderMapping | undefined;
  /** Bytes consumed so far. */
  bytesRead(): number;
  /** The source's size when known. */
  readonly totalBytes: number | undefined;
}

/** The parse options after checking, with their defaults applied. */
interface CheckedOptions extends CsvParseOptions {
  readonly batchSize: number;
  readonly maxRowLength: number;
  readonly maxCellLength: number;
}

/**
 * Checks the parse options when they are given, so a misspelled value fails at the call.
 * @param options - The caller's options.
 * @returns The options with their defaults.
 * @throws `invalid_argument` naming the first bad option.
 */
export function checkCsvParseOptions(options: CsvParseOptions): CheckedOptions {
  choiceOption('dateOrder', options.dateOrder, ['MDY', 'DMY'], undefined);
  choiceOption('tooManyPreferences', options.tooManyPreferences, ['error', 'keepFirst'], undefined);
  choiceOption('unmappedColumns', options.unmappedColumns, ['report', 'customFields'], undefined);
  choiceOption('delimiter', options.delimiter, CSV_DELIMITERS, undefined);
  // The explicit mapping is checked before any reading starts.
  mapCsvHeaders([], { mapping: options.mapping ?? {} }, ',');
  return {
    ...options,
    batchSize: integerOption('batchSize', options.batchSize, 10_000, 500),
    maxRowLength: integerOption('maxRowLength', options.maxRowLength, 100_000_000, 100_000),
    maxCellLength: integerOption('maxCellLength', options.maxCellLength, 100_000_000, 10_000),
  };
}

function withIssuesFirst(mapping: CsvHeaderMapping, issues: readonly ImportIssue[]): CsvHeaderMapping {
  return issues.length === 0 ? mapping : { ...mapping, issues: [...issues, ...mapping.issues] };
}

function isBlank(cells: readonly string[]): boolean {
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/**
 * Streams a customer CSV as batches of rows, for `executeImport` or a custom pipeline. Reads the
 * source incrementally (papaparse over its own chunk reader), so memory is bounded by the batch size
 * and the longest row, not by the file. Never throws on malformed content: every problem becomes an
 * issue on its row (header problems are in `mapping.issues`), and every line of the file belongs to
 * exactly one row (or is the header or blank).
 * @param source - A string, `Blob`/`File`, `ReadableStream` or async iterable of text/bytes.
 * @param options - See {@link CsvParseOptions}.
 * @returns An async iterable of batches with the mapping and progress counters.
 * @throws `invalid_argument` for bad options (immediately) or an unreadable source kind.
 * @example
 * const stream = streamCustomerCsv(file);
 * for await (const rows of stream) console.log(rows.length, stream.mapping?.columns);
 */
export function streamCustomerCsv(source: CsvSource, options: CsvParseOptions = {}): CsvBatchStream {
  return openCsvBatchStream(source, options, true);
}

/**
 * {@link streamCustomerCsv}, for the SDK's own import: with `keepCells` false each row's `cells`
 * is empty, so a batch waiting on its write does not hold every cell of the file's text (an
 * import needs them only for the rejected-rows CSV).
 * @param source - See {@link CsvSource}.
 * @param options - See {@link CsvParseOptions}.
 * @param keepCells - Whether rows carry their cells as read.
 * @returns The stream.
 */
export function openCsvBatchStream(
  source: CsvSource,
  options: CsvParseOptions,
  keepCells: boolean,
): CsvBatchStream {
  const checked = checkCsvParseOptions(options);
  const reader = openCsvSource(source);
  const state: { mapping: CsvHeaderMapping | undefined } = { mapping: undefined };
  const iterable = batches(reader.chunks, checked, state, keepCells);
  return {
    get mapping() {
      return state.mapping;
    },
    bytesRead: reader.bytesRead,
    totalBytes: reader.totalBytes,
    [Symbol.asyncIterator]: () => iterable,
  };
}

/** Records → header mapping → mapped rows, in batches of `batchSize`. */
async function* batches(
  chunks: AsyncIterable<string>,
  options: CheckedOptions,
  state: { mapping: CsvHeaderMapping | undefined },
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
