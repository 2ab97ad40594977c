import { InvalidArgumentError } from '../errors/customer-error';
import { EDITABLE_FIELDS } from '../model/customer-fields';
import type { CustomerData, CustomFieldValue } from '../model/customer-schema';
import { consentChannelOf } from './consent-cells';
import { neutralizeFormula, quoteCell } from './csv-values';
import { type CsvFormatOptions, resolveExportOptions } from './export-options';

/** The template's columns: the customer fields in template order (custom fields come after). */
export const CSV_COLUMNS = /* @__PURE__ */ EDITABLE_FIELDS.filter(
  (f): f is Exclude<(typeof EDITABLE_FIELDS)[number], 'customFields' | 'consent'> =>
    f !== 'customFields' && f !== 'consent',
);

/**
 * The consent columns written after the fields: each channel's state (`subscribed`,
 * `unsubscribed`; empty when unknown). The importer maps these headers back to consent, so an
 * export imported again keeps each channel's state (with source `import` and the import's time).
 */
export const CSV_CONSENT_COLUMNS = ['consent.email', 'consent.sms', 'consent.socialDm'] as const;

/** Header of the column holding custom field `key`. */
export function customFieldColumn(key: string): string {
  return `custom.${key}`;
}

const HANDLES: ReadonlySet<string> = /* @__PURE__ */ new Set([
  'instagramHandle',
  'tiktokHandle',
  'twitterHandle',
]);

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
 * @throws `invalid_argument` for a bad `delimiter`, `newline` or `bom`.
 */
export function customerCsvHeader(customFieldKeys: readonly string[], options?: CsvFormatOptions): string {
  const { delimiter, newline, bom } = resolveExportOptions(options);
  const cells = [...CSV_COLUMNS, ...CSV_CONSENT_COLUMNS, ...customFieldKeys.map(customFieldColumn)];
  return (bom ? '\uFEFF' : '') + cells.map((c) => quoteCell(c, delimiter)).join(delimiter) + newline;
}

/**
 * Writes one customer as a CSV line: lists joined with `, `, handles without `@`, empty values as empty cells, every
 * cell neutralized against formula injection and quoted per RFC 4180.
 * @param customer - Normalized customer data (a stored customer works too; system fields are ignored).
 * @param customFieldKeys - Custom field columns, in order.
 * @param options - Delimiter and line break.
 * @returns The line, with its line break.
 * @throws `invalid_argument` for a bad `delimiter` or `newline`.
 */
export function customerCsvLine(
  customer: CustomerData,
  customFieldKeys: readonly string[],
  options?: CsvFormatOptions,
): string {
  const { delimiter, newline } = resolveExportOptions(options);
  const cells: string[] = [];
  for (const column of CSV_COLUMNS) {
    const value = text(customer[column]);
    // Handles are written without their `@` (the importer adds it back): no `'` marker needed.
    cells.push(HANDLES.has(column) && value.startsWith('@') ? value.slice(1) : value);
  }
  for (const column of CSV_CONSENT_COLUMNS) {
    const state = customer.consent?.[consentChannelOf(column)]?.state;
    cells.push(state === undefined || state === 'unknown' ? '' : state);
  }
  const custom: Readonly<Record<string, CustomFieldValue>> = customer.customFields ?? {};
  // Own values only: a key named like an Object.prototype member (`constructor`) is empty when unset.
  for (const key of customFieldKeys) cells.push(Object.hasOwn(custom, key) ? text(custom[key]) : '');
  return cells.map((c) => quoteCell(neutralizeFormula(c), delimiter)).join(delimiter) + newline;
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
 * Writes customers as an RFC 4180 CSV in the template's column order, then the consent columns
 * (`consent.email`, `consent.sms`, `consent.socialDm`), custom fields as extra `custom.<key>`
 * columns. Cells starting with `=`, `+`, `-`, `@`, tab or CR get a leading `'` so
 * no spreadsheet runs them as formulas; `parseCustomerCsv` reads the file back into the same
 * customers (list entries containing `,`, `;` or `|` cannot round-trip: they split on import).
 * @param customers - Normalized customers (stored customers work too).
 * @param options - See {@link CsvFormatOptions}.
 * @returns The CSV text.
 * @throws `invalid_argument` naming a bad option, or when `customers` is not iterable.
 * @example
 * const csv = customersToCsv(page, { customFieldKeys: ['tier'] });
 */
export function customersToCsv(customers: Iterable<CustomerData>, options?: CsvFormatOptions): string {
  resolveExportOptions(options, true);
  if (typeof (customers as Partial<Iterable<CustomerData>>)?.[Symbol.iterator] !== 'function') {
    throw new InvalidArgumentError('customers', 'expected an iterable of customers');
  }
  const list = [...customers];
  const keys = options?.customFieldKeys ?? customFieldKeysOf(list);
  let out = customerCsvHeader(keys, options);
  for (const customer of list) out += customerCsvLine(customer, keys, options);
  return out;
}
