import type { CsvHeaderMapping, CsvParseOptions } from '../csv/csv-types';
import { type CsvFormatOptions, resolveExportOptions } from '../csv/export-options';
import { InvalidArgumentError } from '../errors/customer-error';
import { integerOption } from '../errors/integer-option';
import { objectArgument } from '../errors/object-argument';
import type { ImportOptions, ImportReport, PlanImportInput } from '../import/import-types';
import type { CustomFieldDefinition } from '../model/custom-fields';
import type { FilterOrSegment } from '../segments/segment-types';
import { CUSTOMER_SORTS, type CustomerSort } from '../store/customer-sort';
import type { NormalizedFilter } from '../store/filter-types';
import { type ListQuery, MAX_PAGE_SIZE, type StorageAdapter } from '../store/storage-adapter';

/** Options of `client.importCsv`: how to read the file and how to write it. */
export interface ImportCsvOptions extends Omit<CsvParseOptions, 'customFieldDefinitions'>, ImportOptions {
  /** Keep the inserted customers' ids in the report's `addedIds`. @defaultValue false */
  readonly keepAddedIds?: boolean;
  /**
   * Receives the refused rows as a CSV a merchant can fix and upload again: the file's header plus
   * an `Import errors` column, then each refused row's cells as read with its errors (formula
   * characters neutralized). The first chunk holds the header; each later one a batch's rows. The
   * import waits for a returned promise, so writing to a file applies backpressure. Not called
   * when no row is refused.
   * @example
   * const parts: string[] = [];
   * await client.importCsv(file, { onRejectedCsv: (chunk) => { parts.push(chunk); } });
   * if (parts.length) download(new Blob(parts, { type: 'text/csv' }));
   */
  readonly onRejectedCsv?: (chunk: string) => void | Promise<void>;
}

/** Report of `client.importCsv`: the import report plus the header mapping. */
export interface CsvImportReport extends ImportReport {
  /** How each column was mapped (with confidence, for a UI to confirm guesses). */
  readonly mapping: CsvHeaderMapping;
}

/** Options of `client.exportCsv`. */
export interface ExportCsvOptions extends CsvFormatOptions {
  /** Only customers matching this filter, or the members of `{ segmentId }`. */
  readonly filter?: FilterOrSegment;
  /** Row order (see `CUSTOMER_SORTS`). @defaultValue 'oldest' */
  readonly sort?: CustomerSort;
  /** Customers read per page, as in `list` (one yielded chunk per page). @defaultValue 1000 */
  readonly numItems?: number;
}

/** What the CSV methods need from the client (internal). */
export interface CsvClientContext {
  /** Where customers are read and written. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** The organization's custom field definitions, when it has any. */
  readonly definitions: readonly CustomFieldDefinition[] | undefined;
  /** Id generator for new customers. */
  readonly generateId: (now: number) => string;
  /** Clock, epoch ms. */
  readonly now: () => number;
  /**
   * Resolves a filter or `{ segmentId }` to the canonical filter: at once for a filter (so a bad one
   * fails when called), through the adapter for a segment.
   */
  readonly resolveFilter: (target?: FilterOrSegment) => NormalizedFilter | Promise<NormalizedFilter>;
  /** Checks a customer's custom fields against the definitions; absent when there are none. */
  readonly check?: NonNullable<PlanImportInput['check']>;
  /** Finds the erased customers among normalized emails (see `ExecuteImportOptions.findErased`). */
  readonly findErased?: (emails: readonly string[]) => Promise<ReadonlySet<string>>;
}

/**
 * Streams the organization's customers (or a filter's) as CSV text chunks: the header, then one
 * chunk per page. Custom field columns are the definitions' keys, or (without definitions) every
 * key in use, found by a first pass over the customers.
 * @param context - The client's adapter and organization.
 * @param options - See {@link ExportCsvOptions}.
 * @returns An async iterable of CSV text chunks.
 * @throws `invalid_argument` when called (not when iterated) for a bad export option, a `numItems`
 * outside 1–1000, an unknown sort or a bad filter; `not_found` (when iterated) for an unknown segment.
 */
export function exportCsvFrom(
  context: CsvClientContext,
  maybeOptions?: ExportCsvOptions,
): AsyncGenerator<string> {
  const options = objectArgument('options', maybeOptions, {});
  resolveExportOptions(options, true);
  const sort = options.sort ?? 'oldest';
  if (!(CUSTOMER_SORTS as readonly unknown[]).includes(sort)) {
    throw new InvalidArgumentError('options.sort', `expected one of ${CUSTOMER_SORTS.join(', ')}`);
  }
  const numItems = integerOption('numItems', options.numItems, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
  const filter = context.resolveFilter(options.filter);
  return exportPages(context, options, { numItems, sort, cursor: null }, filter);
}

async function* exportPages(
  context: CsvClientContext,
  options: ExportCsvOptions,
  query: Omit<ListQuery, 'filter'>,
  resolving: NormalizedFilter | Promise<NormalizedFilter>,
): AsyncGenerator<string> {
  const first: ListQuery = { ...query, filter: await resolving };
  // The writer loads with the first chunk: the options were checked when the export was called.
  yield* (await import('./csv-export-pages')).csvExportPages(context, options, first);
}
