import { checkCsvParseOptions } from './csv-parse-options';
import type { csvRowBatches } from './csv-row-batches';
import { type CsvSource, openCsvSource } from './csv-source';
import type { CsvHeaderMapping, CsvParseOptions, CsvRow } from './csv-types';

/** A streaming read of a customer CSV: batches of rows, plus the header mapping once known. */
export interface CsvBatchStream extends AsyncIterable<CsvRow[]> {
  /** The header mapping; `undefined` until the header row has been read. */
  readonly mapping: CsvHeaderMapping | undefined;
  /** Bytes consumed so far. */
  bytesRead(): number;
  /** The source's size when known. */
  readonly totalBytes: number | undefined;
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
  return openCsvBatchStream(source, options, true, loadingRowBatches);
}

/** How a stream's rows are read: {@link csvRowBatches}, or the same loaded on the first read. */
export type CsvRowReader = typeof csvRowBatches;

/**
 * {@link csvRowBatches}, loaded on the first read (a dynamic import): opening a stream checks the
 * options and the source at once, but an app pays for the parser and the header matching only when
 * it reads a file.
 */
async function* loadingRowBatches(...args: Parameters<CsvRowReader>): AsyncGenerator<CsvRow[]> {
  const { csvRowBatches } = await import('./csv-row-batches');
  yield* csvRowBatches(...args);
}

/**
 * {@link streamCustomerCsv}, for the SDK's own import: with `keepCells` false each row's `cells`
 * is empty, so a batch waiting on its write does not hold every cell of the file's text (an
 * import needs them only for the rejected-rows CSV).
 * @param source - See {@link CsvSource}.
 * @param options - See {@link CsvParseOptions}.
 * @param keepCells - Whether rows carry their cells as read.
 * @param readRows - {@link csvRowBatches} itself where the caller has it already (the import
 * pipeline), else the same loaded on the first read.
 * @returns The stream.
 */
export function openCsvBatchStream(
  source: CsvSource,
  options: CsvParseOptions,
  keepCells: boolean,
  readRows: CsvRowReader,
): CsvBatchStream {
  const checked = checkCsvParseOptions(options);
  const reader = openCsvSource(source);
  const state: { mapping: CsvHeaderMapping | undefined } = { mapping: undefined };
  const iterable = readRows(reader.chunks, checked, state, keepCells);
  return {
    get mapping() {
      return state.mapping;
    },
    bytesRead: reader.bytesRead,
    totalBytes: reader.totalBytes,
    [Symbol.asyncIterator]: () => iterable,
  };
}
