import type { FieldIssue } from './customer-error';

/**
 * Codes of problems found while reading a CSV file: the header row (`missing_column`,
 * `unmapped_column`, `duplicate_column`), the file's structure (`too_few_cells`, `too_many_cells`,
 * `unnamed_column`, `malformed_quotes`, `unclosed_quote`, `row_too_long`, `cell_too_long`) and cells
 * the reader converts (`too_many_preferences`, `preferences_truncated`, `ambiguous_date`,
 * `yearless_birthday`). See docs/csv-import.md for each.
 */
export type CsvIssueCode =
  | 'missing_column'
  | 'unmapped_column'
  | 'duplicate_column'
  | 'too_few_cells'
  | 'too_many_cells'
  | 'unnamed_column'
  | 'malformed_quotes'
  | 'unclosed_quote'
  | 'row_too_long'
  | 'cell_too_long'
  | 'too_many_preferences'
  | 'preferences_truncated'
  | 'ambiguous_date'
  | 'yearless_birthday';

/**
 * Every code an import issue can carry: the CSV reader's ({@link CsvIssueCode}), the duplicate
 * checks' (`duplicate_in_file`, `duplicate_existing`), the privacy checks' (`erased_customer`: the
 * email belongs to an erased customer and was not added again; `resubscribe_refused`: the row would
 * turn an `unsubscribed` channel back to `subscribed`, which needs `allowResubscribe`) and the
 * validation codes of the customer schema and custom field definitions (`FieldIssue['code']`).
 */
export type ImportIssueCode =
  | CsvIssueCode
  | 'duplicate_in_file'
  | 'duplicate_existing'
  | 'erased_customer'
  | 'resubscribe_refused'
  | FieldIssue['code'];

/**
 * Severity of an import issue: `error` (the row was not imported) or `warning` (it was imported or
 * deliberately skipped, with something changed or left out).
 */
export type ImportIssueLevel = 'error' | 'warning';

/**
 * One problem with one row of a CSV import or a bulk add.
 * @example
 * { row: 7, column: 'Phone', field: 'phone', code: 'invalid_format', level: 'warning',
 *   value: 'call me', message: 'Phone must be 4–15 digits, optionally starting with +; the value was not imported' }
 */
export interface ImportIssue {
  /**
   * Which row: for a CSV file, the row a spreadsheet shows (the header is row 1, blank lines count);
   * for `bulkAddCustomers`, the input's index in the array (from 0).
   */
  readonly row: number;
  /** The CSV column header, when the problem is in one cell. */
  readonly column?: string;
  /** The customer field concerned, when known (`customFields` for a custom field). */
  readonly field?: string;
  /** Machine-readable reason. */
  readonly code: ImportIssueCode;
  /** Human-readable explanation. */
  readonly message: string;
  /** The offending value as the row gave it (at most 100 characters, then `…`), when there is one. */
  readonly value?: string;
  /** `error`: the row was not imported; `warning`: it was, or was deliberately skipped. */
  readonly level: ImportIssueLevel;
  /**
   * The physical lines of the file the row spans, when it spans more than one: a quoted cell with
   * line breaks, or a malformed or unclosed quote that swallowed the lines after it.
   */
  readonly lines?: { readonly first: number; readonly last: number };
}
