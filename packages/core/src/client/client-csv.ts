import { streamCustomerCsv } from '../csv/csv-batch-stream';
import {
  type CsvExportOptions,
  customerCsvHeader,
  customerCsvLine,
  customFieldKeysOf,
  resolveExportOptions,
} from '../csv/csv-export';
import type { CsvSource } from '../csv/csv-source';
import type { CsvHeaderMapping, CsvParseOptions } from '../csv/csv-types';
import { InvalidArgumentError } from '../errors/customer-error';
import { integerOption } from '../errors/integer-option';
import { objectArgument } from '../errors/object-argument';
import { executeImport } from '../import/import-executor';
import type { DuplicatePolicy, ImportProgress, ImportReport, PlanImportInput } from '../import/import-types';
import type { CustomFieldDefinition } from '../model/custom-fields';
import type { FilterOrSegment } from '../segments/segment-types';
import { CUSTOMER_SORTS, type CustomerSort } from '../store/customer-sort';
import type { NormalizedFilter } from '../store/filter-types';
import { type ListQuery, MAX_PAGE_SIZE, type StorageAdapter } from '../store/storage-adapter';

/** Options of `client.importCsv`: how to read the file and how to write it. */
export interface ImportCsvOptions extends Omit<CsvParseOptions, 'customFieldDefinitions'> {
  /** What to do with an email already stored. @defaultValue 'skip' */
  readonly onDuplicate?: DuplicatePolicy;
  /** Plan and report without writing anything. @defaultValue false */
  readonly dryRun?: boolean;
  /** Batches written at once. @defaultValue 2 */
  readonly concurrency?: number;
  /** Stops between batches; the report covers exactly what was written. */
  readonly signal?: AbortSignal;
  /** Called after each batch is read and written: `{ phase, rowsRead, rowsWritten, bytesRead, totalBytes? }`. */
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** Report of `client.importCsv`: the import report plus the header mapping. */
export interface CsvImportReport extends ImportReport {
  /** How each column was mapped (with confidence, for a UI to confirm guesses). */
  readonly mapping: CsvHeaderMapping;
}

/** Options of `client.exportCsv`. */
export interface ExportCsvOptions extends CsvExportOptions {
  /** Only customers matching this filter, or the members of `{ segmentId }`. */
  readonly filter?: FilterOrSegment;
  /** Row order (see `CUSTOMER_SORTS`). @defaultValue 'oldest' */
  readonly sort?: CustomerSort;
  /** Customers read per page (one yielded chunk per page). @defaultValue 1000 */
  readonly pageSize?: number;
}

/** What the CSV methods need from the client. */
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
}

/**
 * Streams a CSV into the organization: parse → map → plan → write, batch by batch.
 * @param context - The client's adapter, organization and helpers.
 * @param source - The CSV.
 * @param options - See {@link ImportCsvOptions}.
 * @returns The report, with the header mapping; header issues come first in `issues`.
 * @throws `invalid_argument` for bad options or source; `storage_failed` when the adapter fails.
 */
export async function importCsvInto(
  context: CsvClientContext,
  source: CsvSource,
  maybeOptions?: ImportCsvOptions,
): Promise<CsvImportReport> {
  const options = objectArgument('options', maybeOptions, {});
  const stream = streamCustomerCsv(source, {
    ...options,
    ...(context.definitions ? { customFieldDefinitions: context.definitions } : {}),
  });
  const report = await executeImport({
    adapter: context.adapter,
    organizationId: context.organizationId,
    batches: stream,
    generateId: context.generateId,
    now: context.now,
    ...(context.check ? { check: context.check } : {}),
    bytesRead: stream.bytesRead,
    ...(stream.totalBytes === undefined ? {} : { totalBytes: stream.totalBytes }),
    ...(options.onDuplicate ? { onDuplicate: options.onDuplicate } : {}),
    ...(options.dryRun !== undefined ? { dryRun: options.dryRun } : {}),
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  // An import aborted before the header was read has no mapping yet.
  const mapping = stream.mapping ?? { columns: [], issues: [], delimiter: options.delimiter ?? ',' };
  return { ...report, issues: [...mapping.issues, ...report.issues], mapping };
}

/**
 * Streams the organization's customers (or a filter's) as CSV text chunks: the header, then one
 * chunk per page. Custom field columns are the definitions' keys, or (without definitions) every
 * key in use, found by a first pass over the customers.
 * @param context - The client's adapter and organization.
 * @param options - See {@link ExportCsvOptions}.
 * @returns An async iterable of CSV text chunks.
 * @throws `invalid_argument` when called (not when iterated) for a bad export option, a `pageSize`
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
  const numItems = integerOption('pageSize', options.pageSize, MAX_PAGE_SIZE, MAX_PAGE_SIZE);
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
  const pages = async function* () {
    let cursor: string | null = null;
    for (;;) {
      const result = await context.adapter.list(context.organizationId, { ...first, cursor });
      yield result.page;
      if (result.isDone) return;
      cursor = result.continueCursor;
    }
  };
  let keys = options.customFieldKeys ?? context.definitions?.map((d) => d.key);
  if (keys === undefined) {
    const found = new Set<string>();
    for await (const page of pages()) for (const key of customFieldKeysOf(page)) found.add(key);
    keys = [...found].sort();
  }
  yield customerCsvHeader(keys, options);
  for await (const page of pages()) {
    let chunk = '';
    for (const customer of page) chunk += customerCsvLine(customer, keys, options);
    if (chunk !== '') yield chunk;
  }
}
