import type { CsvSource } from '../csv/csv-source';
import type { CsvHeaderMapping, CsvParseOptions } from '../csv/csv-types';
import type { ImportIssue } from '../errors/import-issue';
import type { CustomerData } from '../model/customer-schema';

/** Options of {@link parseCustomerCsv}: how to read the file, and whether to refuse rows over any bad value. */
export interface ParseCustomerCsvOptions extends CsvParseOptions {
  /**
   * Refuse a row over any bad value. By default a bad optional value is left out with a warning and
   * the customer kept. @defaultValue false
   */
  readonly strict?: boolean;
}

/** Result of {@link parseCustomerCsv}: what importing the file into an empty store would add. */
export interface CsvParseResult {
  /** The valid customers, normalized, in file order, first occurrence of each email only. */
  readonly customers: CustomerData[];
  /** The spreadsheet row of each customer (same order as `customers`). */
  readonly rows: number[];
  /** Every problem, header issues first, then by row. */
  readonly issues: ImportIssue[];
  /** The header mapping. */
  readonly mapping: CsvHeaderMapping;
  /** Data rows read (blank lines excluded). */
  readonly rowCount: number;
  /** Rows refused because of an error. */
  readonly errorCount: number;
  /** Rows skipped because their email appeared earlier in the file. */
  readonly duplicateCount: number;
}

/**
 * Reads a whole customer CSV into validated, normalized customers: what importing it into an
 * empty store would add. Maps headers by name (template names, variants, aliases, POS exports,
 * the explicit `mapping`), splits preferences and tags, reads dates, validates every row with the
 * customer schema and drops later rows repeating an email. Never throws on malformed content:
 * problems are issues `{ row, column, code, message, value, level }` with spreadsheet row numbers.
 * The result holds every customer and issue in memory; use `client.importCsv` for large files.
 * The parser and the import planner load on the first call (a dynamic import).
 * @param source - A string, `Blob`/`File`, `ReadableStream` or async iterable of text/bytes.
 * @param options - See {@link ParseCustomerCsvOptions}.
 * @returns The customers, their rows, the issues and the header mapping.
 * @throws `invalid_argument` for bad options or an unreadable source kind.
 * @example
 * const { customers, issues, mapping } = await parseCustomerCsv(await file.text());
 */
export async function parseCustomerCsv(
  source: CsvSource,
  options: ParseCustomerCsvOptions = {},
): Promise<CsvParseResult> {
  return (await import('./customer-csv-reader')).readCustomerCsv(source, options);
}
