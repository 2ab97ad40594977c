import { InvalidArgumentError } from '../errors/customer-error';
import { CUSTOM_FIELD_KEY } from '../model/customer-fields';

// Apart from the writer (csv-export.ts): an export checks its options when called, and the client
// loads the writer only when the first chunk is read.

/**
 * How a customer CSV is written: by `customersToCsv`, `csvTemplate` and `client.exportCsv`.
 * Each option is checked when the export is called: a delimiter or line break that would corrupt
 * the CSV (a quote, `=`, CR/LF or several characters as delimiter, any other line break) is refused
 * with `invalid_argument` naming it.
 */
export interface CsvFormatOptions {
  /** Column delimiter: `,`, `;` or tab. @defaultValue ',' */
  readonly delimiter?: ',' | ';' | '\t';
  /** Line break: CRLF (as RFC 4180 says) or LF. @defaultValue '\r\n' */
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

const DELIMITERS: ReadonlySet<unknown> = /* @__PURE__ */ new Set([',', ';', '\t']);
const NEWLINES: ReadonlySet<unknown> = /* @__PURE__ */ new Set(['\r\n', '\n']);

/** Export options with their defaults, checked. */
interface ResolvedExportOptions {
  readonly delimiter: string;
  readonly newline: string;
  readonly bom: boolean;
}

/**
 * Checks export options and fills in their defaults.
 * @param options - What the caller passed.
 * @param withKeys - Also check `customFieldKeys` (an option of whole exports, an argument elsewhere).
 * @returns The delimiter, line break and BOM flag.
 * @throws `invalid_argument` naming the first bad option.
 */
export function resolveExportOptions(options: unknown, withKeys = false): ResolvedExportOptions {
  if (options === undefined) return { delimiter: ',', newline: '\r\n', bom: false };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError('options', 'expected an object of export options');
  }
  const { delimiter = ',', newline = '\r\n', bom = false, customFieldKeys } = options as CsvFormatOptions;
  if (!DELIMITERS.has(delimiter)) {
    throw new InvalidArgumentError(
      'delimiter',
      "expected ',', ';' or '\\t' (anything else could corrupt the CSV)",
    );
  }
  if (!NEWLINES.has(newline)) throw new InvalidArgumentError('newline', "expected '\\r\\n' or '\\n'");
  if (typeof bom !== 'boolean') throw new InvalidArgumentError('bom', 'expected true or false');
  if (withKeys && customFieldKeys !== undefined) checkCustomFieldKeys(customFieldKeys);
  return { delimiter, newline, bom };
}

function checkCustomFieldKeys(keys: unknown): void {
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string' && CUSTOM_FIELD_KEY.test(k))) {
    throw new InvalidArgumentError('customFieldKeys', 'expected a list of custom field names');
  }
}
