import { LIST_SEPARATOR } from '../model/customer-fields';
import { normalizeList } from '../model/normalize';

/** Characters after which a leading `'` is a spreadsheet's "treat as text" marker, not data. */
const QUOTE_MARKED = /^'[=+\-@\t\r'0-9]/;
/** Cells starting with one of these are run as formulas by spreadsheets. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Cleans one CSV cell as the importer reads it: strips a spreadsheet's text marker (a leading `'`
 * before a digit, a formula character or another `'`, as exports put before phone numbers and ids)
 * and trims. Never converts types: `007` stays `007`, `+44…` stays `+44…`.
 * @param cell - The raw cell.
 * @returns The cleaned text.
 */
export function cleanCell(cell: string): string {
  // charCode checks first: this runs for every cell of every row.
  const value = cell.charCodeAt(0) === 39 && QUOTE_MARKED.test(cell) ? cell.slice(1) : cell;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(value.length - 1);
  // Printable ASCII at both ends cannot be whitespace: skip the trim.
  return first > 32 && first < 128 && last > 32 && last < 128 ? value : value.trim();
}

/**
 * Splits a list cell (preferences, tags) on `,`, `;` or `|`, then cleans it like any list
 * (`normalizeList`: entries trimmed, empty ones and case-insensitive duplicates dropped, the first
 * spelling winning). The CSV mapper splits each distinct cell once, so this is off the hot path.
 * @param cell - A cleaned cell.
 * @returns The entries, in cell order.
 */
export function splitList(cell: string): string[] {
  return cell === '' ? [] : normalizeList(cell.split(LIST_SEPARATOR));
}

/**
 * Tells whether a spreadsheet would run a cell as a formula (it starts with `=`, `+`, `-`, `@`, tab
 * or CR).
 * @param value - The cell's text.
 * @returns `true` when it needs a leading `'` to be shown as text.
 */
export function startsLikeFormula(value: string): boolean {
  return FORMULA_START.test(value);
}

/**
 * Makes a cell safe to open in a spreadsheet: a value starting with `=`, `+`, `-`, `@`, tab or CR
 * (or with the `'` text marker itself) gets a leading `'`, so it is shown as text and never run as
 * a formula. {@link cleanCell} removes exactly that marker again on import.
 * @param value - The cell's text.
 * @returns The neutralized text.
 */
export function neutralizeFormula(value: string): string {
  return FORMULA_START.test(value) || QUOTE_MARKED.test(value) ? `'${value}` : value;
}

/**
 * Quotes a cell per RFC 4180 when it holds the delimiter, a quote, CR or LF (or leading/trailing
 * spaces, which some readers would trim).
 * @param value - The cell's text.
 * @param delimiter - The column delimiter.
 * @returns The cell as written in the file.
 */
export function quoteCell(value: string, delimiter: string): string {
  if (
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r') ||
    value !== value.trim()
  ) {
    return `"${value.replaceAll('"', '""')}"`;
  }
  return value;
}
