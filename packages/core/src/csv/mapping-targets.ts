import { InvalidArgumentError } from '../errors/customer-error';
import { CUSTOM_FIELD_KEY } from '../model/customer-fields';
import { CONSENT_TARGETS } from './consent-cells';
import { CSV_COLUMNS } from './csv-export';
import type { CsvParseOptions, CsvTarget } from './csv-types';
import type { CsvStandardTarget } from './header-aliases';

// Apart from the header matching (loaded with the parser), so `streamCustomerCsv` can check an
// explicit mapping when it is called without the alias tables.

/** The targets a column can name besides `customFields.<key>`, in the template's order. */
export const STANDARD_TARGETS: readonly CsvStandardTarget[] = [
  ...CSV_COLUMNS,
  'fullName',
  ...CONSENT_TARGETS,
];
/** {@link STANDARD_TARGETS} as a set. */
export const STANDARD_TARGET_SET: ReadonlySet<string> = /* @__PURE__ */ new Set(STANDARD_TARGETS);

/**
 * Checks one entry of an explicit mapping.
 * @param column - The header it names.
 * @param target - Where it maps the column (`null`: ignore it).
 * @returns The target.
 * @throws `invalid_argument` (argument `mapping`) when the target is not a customer field,
 * `fullName` or `customFields.<key>`.
 */
export function checkMappingTarget(column: string, target: CsvTarget | null): CsvTarget | null {
  if (target === null) return null;
  if (typeof target === 'string' && STANDARD_TARGET_SET.has(target)) return target;
  if (
    typeof target === 'string' &&
    target.startsWith('customFields.') &&
    CUSTOM_FIELD_KEY.test(target.slice(13))
  ) {
    return target;
  }
  throw new InvalidArgumentError(
    'mapping',
    `column ${JSON.stringify(column)} maps to ${JSON.stringify(target)}, which is not a customer field, 'fullName' or 'customFields.<key>'`,
  );
}

/**
 * Checks every entry of an explicit mapping, before any reading starts.
 * @param mapping - The `mapping` option.
 * @throws `invalid_argument` for the first entry naming an unknown target.
 */
export function checkCsvMapping(mapping: CsvParseOptions['mapping']): void {
  for (const [column, target] of Object.entries(mapping ?? {})) checkMappingTarget(column, target);
}
