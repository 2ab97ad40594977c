import Papa from 'papaparse';
import { InvalidArgumentError } from '../errors/customer-error';
import { integerOption } from '../errors/integer-option';
import type { ImportIssue, PlannerRow } from '../import/import-types';
import { CsvRowMapper } from './csv-row-mapper';
import { type CsvSource, openCsvSource } from './csv-source';
import type { CsvHeaderMapping, CsvParseOptions } from './csv-types';
import { mapCsvHeaders } from './header-mapping';

/** Characters read before guessing the delimiter and line break. */
const SAMPLE = 64 * 1024;
const DELIMITERS = [',', ';', '\t', '|'];

/** A streaming read of a customer CSV: batches of planner rows, plus the header mapping once known. */
export interface CsvBatchStream extends AsyncIterable<PlannerRow[]> {
  /** The header mapping; `undefined` until the header row has been read. */
  readonly mapping: CsvHeaderMapping | undefined;
  /** Bytes consumed so far. */
  bytesRead(): number;
  /** The source's size when known. */
  readonly totalBytes: number | undefined;
}

/** A parsed row's length: its cells' characters and the delimiters between them. */
function rowLength(cells: readonly string[]): number {
  let length = cells.length - 1;
  for (const cell of cells) length += cell.length;
  return length;
}

/** The first 100 characters of a parsed row's text (an issue shows no more of it). */
function rowStart(cells: readonly string[], delimiter: string): string {
  let text = '';
  for (let i = 0; i < cells.length && text.length < 100; i++)
    text += (i === 0 ? '' : delimiter) + cells[i]!.slice(0, 100);
  return text.slice(0, 100);
}

function isBlank(cells: readonly string[]): boolean {
  // Quick answer for the usual row: a first cell starting with a visible ASCII character.
  const first = cells[0]?.charCodeAt(0) ?? 0;
  if (first > 32 && first < 127) return false;
  for (const cell of cells) if (cell.trim() !== '') return false;
  return true;
}

/**
 * Streams a customer CSV as batches of planner rows, for `executeImport` or a custom pipeline.
 * Reads the source incrementally (papaparse over its own chunk reader), so memory is bounded by
 * the batch size and the longest row, not by the file. Never throws on malformed content: every
 * problem becomes an issue on its row (header problems are in `mapping.issues`).
 *
 * Each row's `input` (its non-empty mapped cells keyed by field, in column order) is an accessor
 * built on first read — planning a clean row with the `skip` policy never builds it — and is the
 * same object on later reads. It is not an own property: spreading a row or `structuredClone(row)`
 * leaves it out, so copy `row.input` explicitly.
 * @param source - A string, `Blob`/`File`, `ReadableStream` or async iterable of text/bytes.
 * @param options - See {@link CsvParseOptions}.
 * @returns An async iterable of batches with the mapping and progress counters.
 * @throws `invalid_argument` for bad options (immediately) or an unreadable source kind.
 * @example
 * const stream = streamCustomerCsv(file);
 * for await (const rows of stream) console.log(rows.length, stream.mapping?.columns);
 */
export function streamCustomerCsv(source: CsvSource, options: CsvParseOptions = {}): CsvBatchStream {
  const batchSize = integerOption('batchSize', options.batchSize, 10_000, 500);
  const maxRow = integerOption('maxRowLength', options.maxRowLength, 100_000_000, 100_000);
  const maxCell = integerOption('maxCellLength', options.maxCellLength, 100_000_000, 10_000);
  if (options.delimiter !== undefined && !DELIMITERS.includes(options.delimiter)) {
    throw new InvalidArgumentError('delimiter', "expected ',', ';', tab or '|'");
  }
  // Validate the explicit mapping before any reading starts.
  mapCsvHeaders([], { mapping: options.mapping ?? {} }, ',');
  const reader = openCsvSource(source);
  let mapping: CsvHeaderMapping | undefined;

  async function* batches(): AsyncGenerator<PlannerRow[]> {
    let buffer = '';
    let parser: Papa.Parser | undefined;
    let newline: '\n' | '\r' | '\r\n' = '\n';
    let mapper: CsvRowMapper | undefined;
    let row = 0;
    let skipping = false;
    let batch: PlannerRow[] = [];

    /**
     * Maps parsed rows into `pending`. `checkLength`: the parsed text was longer than `maxRow`, so a
     * row in it may be too (shorter text cannot hold one; a row left unfinished at a chunk's end is
     * measured by `dropOversized` instead).
     */
    const consume = (
      data: string[][],
      errors: readonly Papa.ParseError[],
      pending: PlannerRow[],
      checkLength: boolean,
    ) => {
      const flagged = new Map<number, ImportIssue[]>();
      for (const error of errors) {
        if (error.row === undefined || error.type !== 'Quotes') continue;
        const list = flagged.get(error.row) ?? [];
        list.push({
          row: 0,
          code: 'malformed_quotes',
          message: `Malformed quotes: ${error.message}`,
          level: 'warning',
        });
        flagged.set(error.row, list);
      }
      for (let i = 0; i < data.length; i++) {
        const cells = data[i]!;
        row++;
        if (isBlank(cells)) continue;
        if (checkLength && mapper && rowLength(cells) > maxRow) {
          pending.push(tooLong(row, rowStart(cells, delimiter)));
          continue;
        }
        if (!mapper) {
          mapping = mapCsvHeaders(cells, options, delimiter, row);
          mapper = new CsvRowMapper(mapping, options, maxCell);
          continue;
        }
        const extra = flagged.size === 0 ? undefined : flagged.get(i)?.map((issue) => ({ ...issue, row }));
        pending.push(mapper.map(cells, row, extra));
      }
    };

    // The delimiter the one parser of this stream uses (',' until it exists).
    let delimiter = ',';
    const start = (sample: string) => {
      const guess = Papa.parse<string[]>(sample, {
        preview: 20,
        ...(options.delimiter === undefined
          ? { delimitersToGuess: DELIMITERS }
          : { delimiter: options.delimiter }),
      });
      delimiter =
        options.delimiter ?? (DELIMITERS.includes(guess.meta.delimiter) ? guess.meta.delimiter : ',');
      const linebreak = guess.meta.linebreak;
      newline = linebreak === '\r\n' || linebreak === '\r' ? linebreak : '\n';
      return new Papa.Parser({ delimiter, newline, quoteChar: '"', escapeChar: '"' });
    };

    /**
     * Parses `leftover` (the start of an unfinished row) joined with `chunk`'s first line. When that
     * completes the row, it is consumed and the rest of `chunk` is returned to be parsed on its own;
     * when it does not (a quoted field runs on past that line), nothing is consumed and the whole
     * `leftover + chunk` is returned.
     */
    const finishLeftover = (p: Papa.Parser, leftover: string, chunk: string, pending: PlannerRow[]) => {
      const end = chunk.indexOf(newline);
      if (end < 0 || leftover.length + end > maxRow) return leftover + chunk;
      const head = leftover + chunk.slice(0, end + newline.length);
      const result = p.parse(head, 0, true) as Papa.ParseResult<string[]>;
      if (result.meta.cursor !== head.length) return leftover + chunk;
      consume(result.data, result.errors, pending, head.length > maxRow);
      return chunk.slice(end + newline.length);
    };

    const tooLong = (at: number, text: string): PlannerRow => ({
      row: at,
      input: {},
      issues: [
        {
          row: at,
          code: 'row_too_long',
          message: `Row is longer than ${maxRow} characters (often an unclosed quote): it was skipped`,
          value: `${text.slice(0, 100)}…`,
          level: 'error',
        },
      ],
    });

    const dropOversized = (pending: PlannerRow[]) => {
      row++;
      pending.push(tooLong(row, buffer));
      const end = buffer.indexOf(newline, 1);
      if (end < 0) {
        buffer = '';
        skipping = true;
      } else buffer = buffer.slice(end + newline.length);
    };

    for await (const chunk of reader.chunks) {
      if (skipping) {
        const end = chunk.indexOf(newline);
        if (end < 0) continue;
        skipping = false;
        buffer = chunk.slice(end + newline.length);
      } else if (parser && buffer !== '') {
        // Finish the row left over from the last chunk with this chunk's first line, then parse the
        // rest of the chunk as it is: joining the two would copy the whole chunk once more.
        buffer = finishLeftover(parser, buffer, chunk, batch);
      } else buffer += chunk;
      if (!parser) {
        if (buffer.length < SAMPLE) continue;
        parser = start(buffer);
      }
      const result = parser.parse(buffer, 0, true) as Papa.ParseResult<string[]>;
      const checkLength = buffer.length > maxRow;
      buffer = buffer.slice(result.meta.cursor);
      consume(result.data, result.errors, batch, checkLength);
      // A row still open after the chunk is cut off only when even its quoting cannot explain its
      // size: quoting at most triples a row (every cell quoted, every quote doubled), so a row whose
      // cells fit `maxRow` never is, wherever the chunks end. Complete rows are measured by their
      // cells in `consume`.
      if (buffer.length > 3 * maxRow + 2) dropOversized(batch);
      while (batch.length >= batchSize) {
        yield batch.slice(0, batchSize);
        batch = batch.slice(batchSize);
      }
    }
    if (!skipping && buffer !== '') {
      parser ??= start(buffer);
      const result = parser.parse(buffer, 0, false) as Papa.ParseResult<string[]>;
      consume(result.data, result.errors, batch, buffer.length > maxRow);
    }
    if (!mapper) mapping = mapCsvHeaders([], options, delimiter);
    while (batch.length > 0) {
      yield batch.slice(0, batchSize);
      batch = batch.slice(batchSize);
    }
  }

  const iterable = batches();
  return {
    get mapping() {
      return mapping;
    },
    bytesRead: reader.bytesRead,
    totalBytes: reader.totalBytes,
    [Symbol.asyncIterator]: () => iterable,
  };
}
