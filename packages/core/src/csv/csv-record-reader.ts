import type Papa from 'papaparse';
import type { ImportIssue } from '../errors/import-issue';
import { CSV_DELIMITERS } from './csv-parse-options';
import {
  countBreaks,
  FINAL_BREAK,
  hasLoneCr,
  LINE_BREAK_CHAR,
  loneCrAsLf,
  QuoteScanner,
} from './quote-scanner';

/** Characters read before guessing the delimiter. */
const SAMPLE = 64 * 1024;

/** One record of a CSV file: a row as a spreadsheet shows it, possibly spanning several lines. */
export interface CsvRecord {
  /** Its cells as parsed (empty when the record could not be read). */
  readonly cells: string[];
  /** The row number a spreadsheet shows (records counted from 1, blank ones included). */
  readonly row: number;
  /** The physical line it starts on (from 1). */
  readonly firstLine: number;
  /** The physical line it ends on. */
  readonly lastLine: number;
  /**
   * A problem of the record itself (quotes, length), its `row` already set. An `error` means the
   * record was not read (`cells` is empty).
   */
  readonly issue?: ImportIssue;
}

/**
 * Turns the text chunks of a CSV into records with papaparse, tracking physical lines so every line
 * of the file belongs to exactly one record. Line breaks are read alike whether CRLF, LF or CR, even
 * mixed in one file (inside quoted cells they are kept as written). A record longer than `maxRowLength`
 * characters is not kept in memory: its end is found by {@link QuoteScanner} with papaparse's own
 * quoting rules, so reading resumes after it and never inside one of its quoted cells.
 */
type Papaparse = typeof Papa;
let papaparse: Promise<Papaparse> | undefined;

/**
 * Papaparse, loaded when the first CSV is read (a dynamic import): an app that never reads a CSV
 * does not download it, even when its bundler cannot drop a module without a `sideEffects` flag.
 */
function loadPapaparse(): Promise<Papaparse> {
  papaparse ??= import('papaparse').then(
    (module) => ('default' in module ? module.default : module) as Papaparse,
  );
  return papaparse;
}

export class CsvRecordReader {
  /** The delimiter in use: given, or guessed from the first 64 KiB (`,` until then). */
  delimiter: string;
  private readonly given: string | undefined;
  private readonly maxRow: number;
  private parser: Papa.Parser | undefined;
  private papa: Papaparse | undefined;
  /** Text read but not parsed yet: the start of an unfinished record. */
  private buffer = '';
  /** The physical line `buffer` starts on. */
  private line = 1;
  private row = 0;
  /** Set while skipping the rest of a record too long to keep. */
  private skip: { scanner: QuoteScanner; row: number; firstLine: number } | undefined;

  /**
   * @param delimiter - The delimiter, or `undefined` to guess it.
   * @param maxRowLength - The longest record kept, in characters of its cells.
   */
  constructor(delimiter: string | undefined, maxRowLength: number) {
    this.given = delimiter;
    this.delimiter = delimiter ?? ',';
    this.maxRow = maxRowLength;
  }

  /**
   * Reads every record of the text.
   * @param chunks - The file's text, in order.
   * @returns Records in file order, a chunk's worth at a time.
   */
  async *records(chunks: AsyncIterable<string>): AsyncGenerator<CsvRecord[]> {
    this.papa = await loadPapaparse();
    for await (const text of chunks) {
      this.buffer += text;
      if (!this.parser && this.skip === undefined) {
        if (this.buffer.length < SAMPLE) continue;
        this.start();
      }
      const records = this.read(false);
      if (records.length > 0) yield records;
    }
    if (!this.parser) this.start();
    const records = this.read(true);
    if (records.length > 0) yield records;
  }

  private start(): void {
    const Papa = this.papa!;
    if (this.given === undefined) {
      const guess = Papa.parse<string[]>(this.buffer.slice(0, SAMPLE), {
        preview: 20,
        delimitersToGuess: [...CSV_DELIMITERS],
      });
      const found = guess.meta.delimiter;
      this.delimiter = (CSV_DELIMITERS as readonly string[]).includes(found) ? found : ',';
    }
    this.parser = new Papa.Parser({
      delimiter: this.delimiter,
      newline: '\n',
      quoteChar: '"',
      escapeChar: '"',
    });
  }

  /** Parses the complete records in the buffer (all of it at the end of the file). */
  private read(final: boolean): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.skip !== undefined && !this.skipRest(out, final)) return out;
    if (this.buffer === '') return out;
    if (hasLoneCr(this.buffer, final)) this.buffer = loneCrAsLf(this.buffer, this.delimiter, final);
    const result = this.parser!.parse(this.buffer, 0, !final) as Papa.ParseResult<string[]>;
    const quoted = quoteErrors(result.errors);
    const parsed = final ? this.buffer.length : result.meta.cursor;
    // The usual text needs no look inside its cells: each record is one line when the LFs are just
    // the records' own line breaks (at the end of the file the last record has none) and no CR is a
    // line break of its own; no record can be longer than the limit when the whole text is not.
    const ownBreaks = final ? result.data.length - 1 : result.data.length;
    const oneLineEach = lineFeeds(this.buffer, parsed) === ownBreaks && !hasLoneCr(this.buffer, true);
    const measure = parsed > this.maxRow;
    for (let i = 0; i < result.data.length; i++) {
      out.push(this.record(result.data[i]!, quoted?.get(i), !oneLineEach, measure));
    }
    this.buffer = final ? '' : this.buffer.slice(result.meta.cursor);
    // An open record is dropped only when even its quoting cannot explain its size: quoting at most
    // triples a record (every cell quoted, every quote doubled).
    if (!final && this.buffer.length > 3 * this.maxRow + 2) {
      this.skip = { scanner: new QuoteScanner(this.delimiter), row: ++this.row, firstLine: this.line };
      this.skipRest(out, false);
    }
    return out;
  }

  private record(
    cells: string[],
    quoteError: Papa.ParseError['code'] | undefined,
    multiline: boolean,
    measure: boolean,
  ): CsvRecord {
    const row = ++this.row;
    const firstLine = this.line;
    // The last cell of a CRLF line ends with the CR of the record's own line break (a quote left
    // open has no line break of its own: it runs to the end of the file).
    const last = cells.length - 1;
    const open = quoteError === 'MissingQuotes';
    if (!open && cells[last]!.charCodeAt(cells[last]!.length - 1) === 13)
      cells[last] = cells[last]!.slice(0, -1);
    let breaks = 0;
    for (let i = 0; multiline && i <= last; i++) {
      // A quote left open runs to the end of the file, whose last line break ends the last line.
      const cell =
        i === last && quoteError === 'MissingQuotes' ? cells[i]!.replace(FINAL_BREAK, '') : cells[i]!;
      if (cell.length > 0 && LINE_BREAK_CHAR.test(cell)) breaks += countBreaks(cell);
    }
    const lastLine = firstLine + breaks;
    this.line = lastLine + 1;
    if (quoteError === 'MissingQuotes') {
      return this.unreadable(
        row,
        firstLine,
        lastLine,
        'unclosed_quote',
        unclosedMessage(firstLine, lastLine),
      );
    }
    let length = cells.length - 1;
    if (measure) for (const cell of cells) length += cell.length;
    if (length > this.maxRow) {
      return this.unreadable(
        row,
        firstLine,
        lastLine,
        'row_too_long',
        tooLongMessage(this.maxRow, firstLine, lastLine),
      );
    }
    if (quoteError !== undefined && breaks > 0) {
      return this.unreadable(
        row,
        firstLine,
        lastLine,
        'malformed_quotes',
        `A malformed quote makes this row run over lines ${firstLine}–${lastLine}; none of them was imported`,
      );
    }
    if (quoteError !== undefined) {
      const issue: ImportIssue = {
        row,
        code: 'malformed_quotes',
        message: 'Malformed quotes: a quoted cell has text after its closing quote',
        level: 'warning',
      };
      return { cells, row, firstLine, lastLine, issue };
    }
    return { cells, row, firstLine, lastLine };
  }

  /**
   * Scans the buffer for the end of the record being skipped.
   * @returns `true` when the record ended (the buffer then holds what follows it).
   */
  private skipRest(out: CsvRecord[], final: boolean): boolean {
    const skip = this.skip!;
    const end = skip.scanner.scan(this.buffer);
    if (end < 0 && !final) {
      this.buffer = '';
      return false;
    }
    const unclosed = end < 0 && skip.scanner.inQuotes;
    // The file's last line break, inside the open quote, ends its last line.
    const lastLine = skip.firstLine + skip.scanner.breaks - (unclosed && skip.scanner.afterBreak ? 1 : 0);
    out.push(
      this.unreadable(
        skip.row,
        skip.firstLine,
        lastLine,
        unclosed ? 'unclosed_quote' : 'row_too_long',
        unclosed
          ? unclosedMessage(skip.firstLine, lastLine)
          : tooLongMessage(this.maxRow, skip.firstLine, lastLine),
      ),
    );
    this.buffer = end < 0 ? '' : this.buffer.slice(end);
    this.line = lastLine + 1;
    this.skip = undefined;
    return true;
  }

  private unreadable(
    row: number,
    firstLine: number,
    lastLine: number,
    code: 'unclosed_quote' | 'row_too_long' | 'malformed_quotes',
    message: string,
  ): CsvRecord {
    const issue: ImportIssue = {
      row,
      code,
      message,
      level: 'error',
      ...(lastLine > firstLine ? { lines: { first: firstLine, last: lastLine } } : {}),
    };
    return { cells: [], row, firstLine, lastLine, issue };
  }
}

function unclosedMessage(first: number, last: number): string {
  return `A quote opened on line ${first} is never closed: lines ${first}–${last} (the rest of the file) were not imported`;
}

function tooLongMessage(max: number, first: number, last: number): string {
  const where = last > first ? `lines ${first}–${last}` : `line ${first}`;
  return `Row is longer than ${max} characters (often a stray quote): ${where} were not imported`;
}

/** The LFs in the first `end` characters of the text. */
function lineFeeds(text: string, end: number): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/** Papaparse's quote errors by the index of their record in the parse result. */
function quoteErrors(errors: readonly Papa.ParseError[]): Map<number, Papa.ParseError['code']> | undefined {
  let found: Map<number, Papa.ParseError['code']> | undefined;
  for (const error of errors) {
    if (error.type !== 'Quotes' || error.row === undefined) continue;
    found ??= new Map();
    // An unclosed quote outweighs a malformed one on the same record.
    if (found.get(error.row) !== 'MissingQuotes') found.set(error.row, error.code);
  }
  return found;
}
