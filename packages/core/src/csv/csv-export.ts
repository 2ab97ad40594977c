import { EDITABLE_FIELDS } from '../model/customer-fields';
import type { CustomerData, CustomFieldValue } from '../model/customer-schema';
import { neutralizeFormula, quoteCell } from './csv-values';

/** How a customer CSV is written: by {@link customersToCsv}, `csvTemplate` and `client.exportCsv`. */
export interface CsvFormatOptions {
  /** Column delimiter. @defaultValue ',' */
  readonly delimiter?: ',' | ';' | '\t';
  /** Line break; RFC 4180 says CRLF. @defaultValue '\r\n' */
  readonly newline?: '\r\n' | '\n';
  /**
   * Custom field keys to write as extra columns (headed `custom.<key>`), in this order. By default
   * every key found in the customers, sorted (`customersToCsv`), or the organization's definitions
   * (`client.exportCsv`).
   */
  readonly customFieldKeys?: readonly string[];
  /** Start with a UTF-8 BOM so Excel detects the encoding. @defaultValue false */
  readonly bom?: boolean;
}

/** The template's columns: the customer fields in template order (custom fields come after). */
export const CSV_COLUMNS = EDITABLE_FIELDS.filter(
  (f): f is Exclude<(typeof EDITABLE_FIELDS)[number], 'customFields'> => f !== 'customFields',
);

/** Header of the column holding custom field `key`. */
export function customFieldColumn(key: string): string {
  return `custom.${key}`;
}

const HANDLES: ReadonlySet<string> = new Set(['instagramHandle', 'tiktokHandle', 'twitterHandle']);

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(', ');
  // `String(-0)` is "0": written so that reading it back gives -0 again.
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/**
 * Writes the header line of a customer CSV.
 * @param customFieldKeys - Custom field columns, in order.
 * @param options - Delimiter and line break.
 * @returns The header line, with its line break.
 */
export function customerCsvHeader(
  customFieldKeys: readonly string[],
  options: CsvFormatOptions = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const cells = [...CSV_COLUMNS, ...customFieldKeys.map(customFieldColumn)];
  return (
    (options.bom ? '\uFEFF' : '') +
    cells.map((c) => quoteCell(c, delimiter)).join(delimiter) +
    (options.newline ?? '\r\n')
  );
}

/**
 * Writes one customer as a CSV line: lists joined with `, `, handles without `@`, empty values as empty cells, every
 * cell neutralized against formula injection and quoted per RFC 4180.
 * @param customer - Normalized customer data (a stored customer works too; system fields are ignored).
 * @param customFieldKeys - Custom field columns, in order.
 * @param options - Delimiter and line break.
 * @returns The line, with its line break.
 */
export function customerCsvLine(
  customer: CustomerData,
  customFieldKeys: readonly string[],
  options: CsvFormatOptions = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const cells: string[] = [];
  for (const column of CSV_COLUMNS) {
    const value = text(customer[column]);
    // Handles are written without their `@` (the importer adds it back): no `'` marker needed.
    cells.push(HANDLES.has(column) && value.startsWith('@') ? value.slice(1) : value);
  }
  const custom: Readonly<Record<string, CustomFieldValue | undefined>> = customer.customFields ?? {};
  for (const key of customFieldKeys) cells.push(text(custom[key]));
  return (
    cells.map((c) => quoteCell(neutralizeFormula(c), delimiter)).join(delimiter) + (options.newline ?? '\r\n')
  );
}

/**
 * Collects the custom field keys used by some customers, sorted.
 * @param customers - The customers.
 * @returns The distinct keys.
 */
export function customFieldKeysOf(customers: Iterable<CustomerData>): string[] {
  const keys = new Set<string>();
  for (const customer of customers) for (const key of Object.keys(customer.customFields ?? {})) keys.add(key);
  return [...keys].sort();
}

/**
 * Writes customers as an RFC 4180 CSV in the template's column order, custom fields as extra
 * `custom.<key>` columns. Cells starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so
 * no spreadsheet runs them as formulas; `parseCustomerCsv` reads the file back into the same
 * customers (list entries containing `,`, `;` or `|` cannot round-trip: they split on import).
 * @param customers - Normalized customers (stored customers work too).
 * @param options - See {@link CsvFormatOptions}.
 * @returns The CSV text.
 * @example
 * const csv = customersToCsv(page, { customFieldKeys: ['tier'] });
 */
export function customersToCsv(customers: Iterable<CustomerData>, options: CsvFormatOptions = {}): string {
  const list = [...customers];
  const keys = options.customFieldKeys ?? customFieldKeysOf(list);
  let out = customerCsvHeader(keys, options);
  for (const customer of list) out += customerCsvLine(customer, keys, options);
  return out;
}
