/** How to read an all-numeric date whose day and month could be swapped (`03/04/1990`). */
export type CsvDateOrder = 'MDY' | 'DMY';

/** A date cell read by {@link parseCsvDate}. */
export type CsvDateResult =
  /** Normalized `YYYY-MM-DD`, or `--MM-DD` (`yearless: true` when the cell had no year). */
  | { readonly kind: 'date'; readonly value: string; readonly yearless: boolean }
  /** Day and month could be swapped and no order was given. */
  | { readonly kind: 'ambiguous' }
  /** Not a date format the importer knows: the schema reports it. */
  | { readonly kind: 'unknown' };

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?$/;
const YEAR_FIRST = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const NUMERIC = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?$/;
const pad = (n: number) => String(n).padStart(2, '0');

function dateOf(year: number | undefined, month: number, day: number): CsvDateResult {
  if (year === undefined || year === 0)
    return { kind: 'date', value: `--${pad(month)}-${pad(day)}`, yearless: true };
  return { kind: 'date', value: `${year}-${pad(month)}-${pad(day)}`, yearless: false };
}

function monthIndex(token: string): number | undefined {
  const lower = token.toLowerCase();
  if (lower.length < 3) return undefined;
  // "Mar", "March", "Sept" are months; "Marble" is not.
  const index = MONTHS.findIndex((name) => name.startsWith(lower));
  return index < 0 ? undefined : index + 1;
}

function readMonthName(value: string): CsvDateResult {
  const tokens = value.split(/[\s,./-]+/).filter((t) => t !== '');
  if (tokens.length < 2 || tokens.length > 3) return { kind: 'unknown' };
  let month: number | undefined;
  let day: number | undefined;
  let year: number | undefined;
  for (const token of tokens) {
    const named = monthIndex(token);
    if (named !== undefined && month === undefined) month = named;
    else if (/^\d{4}$/.test(token) && year === undefined) year = Number(token);
    else if (/^\d{1,2}(?:st|nd|rd|th)?$/i.test(token) && day === undefined) day = Number.parseInt(token, 10);
    else return { kind: 'unknown' };
  }
  if (month === undefined || day === undefined) return { kind: 'unknown' };
  return dateOf(year, month, day);
}

/**
 * Whether `value` has the shape: `d` a digit, `n` a digit but 0, any other character itself.
 */
function hasShape(value: string, shape: string): boolean {
  if (value.length !== shape.length) return false;
  for (let i = 0; i < shape.length; i++) {
    const code = value.charCodeAt(i);
    const want = shape.charCodeAt(i);
    // 100 'd', 110 'n', 48 '0', 49 '1', 57 '9'
    if (want === 100 ? code < 48 || code > 57 : want === 110 ? code < 49 || code > 57 : code !== want)
      return false;
  }
  return true;
}

/**
 * Whether a cell already has a normalized date's shape (`--MM-DD`, or `YYYY-MM-DD` from year 1000),
 * checked without the regexes below: {@link parseCsvDate} returns such a cell as it is (the CSV
 * mapper checks it first, to skip the parse result object).
 * @param value - A cleaned cell.
 * @returns `true` for those two shapes (digits in place; the date itself is checked later).
 */
export const isPlainIso = (value: string) => hasShape(value, '--dd-dd') || hasShape(value, 'nddd-dd-dd');

/**
 * Reads a date-of-birth cell in the formats POS tools and spreadsheets export: ISO `YYYY-MM-DD`
 * (a time part is ignored), `YYYY/MM/DD`, `MM/DD/YYYY` or `DD/MM/YYYY` (also with `-` or `.`),
 * month names (`March 15, 1990`, `15 Mar 1990`), and year-less birthdays (`MM-DD`, `MM/DD`,
 * `March 15`, Square's `0000-MM-DD`), which become `--MM-DD`.
 * @param value - A cleaned, non-empty cell.
 * @param order - How to read a numeric date whose day and month could be swapped; without it such
 * a full date is `ambiguous` (never guessed), and a year-less one with `-` or `/` is read month
 * first, as the tools that export year-less birthdays write them (`DMY` reads `03-04` as 3 April;
 * a dotted `03.04` stays ambiguous).
 * @returns The normalized date, `ambiguous`, or `unknown` (left to the schema to report).
 */
export function parseCsvDate(value: string, order?: CsvDateOrder): CsvDateResult {
  if (isPlainIso(value)) return { kind: 'date', value, yearless: false };
  const iso = ISO.exec(value);
  if (iso) return dateOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const yearFirst = YEAR_FIRST.exec(value);
  if (yearFirst) return dateOf(Number(yearFirst[1]), Number(yearFirst[2]), Number(yearFirst[3]));
  const numeric = NUMERIC.exec(value);
  if (numeric) {
    const a = Number(numeric[1]);
    const b = Number(numeric[2]);
    const year = numeric[3] === undefined ? undefined : Number(numeric[3]);
    if (a > 12 && b <= 12) return dateOf(year, b, a);
    if (b > 12 && a <= 12) return dateOf(year, a, b);
    if (a > 12 && b > 12) return { kind: 'unknown' };
    // A year-less birthday is written month first (`MM-DD`, `MM/DD`) by the POS and marketing tools
    // that export one, unless the file's order says otherwise. Dotted dates (`03.04`) are usually
    // day first: those stay ambiguous.
    const monthFirst = order === undefined && year === undefined && !value.includes('.');
    if (a === b || order === 'MDY' || monthFirst) return dateOf(year, a, b);
    if (order === 'DMY') return dateOf(year, b, a);
    return { kind: 'ambiguous' };
  }
  if (/[a-z]/i.test(value)) return readMonthName(value);
  return { kind: 'unknown' };
}
