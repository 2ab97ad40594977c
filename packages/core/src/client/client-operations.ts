import type { CampaignRunOptions, CampaignRunReport } from '../campaigns/campaign-options';
import type { CampaignRequest } from '../campaigns/campaign-request';
import type { CsvSource } from '../csv/csv-source';
import { InvalidArgumentError } from '../errors/customer-error';
import { integerOption } from '../errors/integer-option';
import { objectArgument } from '../errors/object-argument';
import type { ImportOptions, ImportReport } from '../import/import-types';
import type { CustomerInput } from '../model/customer-schema';
import type { CsvImportReport, ImportCsvOptions } from './client-csv';
import { internalsOf } from './client-internals';
import type { SlimCustomerClient } from './slim-client';

// The client operations that need the CSV parser, the import pipeline or the campaign runner: each
// loads its module on its first call (a dynamic import), so a bundler that splits code downloads
// it only when used, and one that does not holds it only where the app imports the function.
// `createCustomerClient`'s methods of the same names call these.

/** Options of `bulkAddCustomers`. */
export interface BulkAddOptions extends ImportOptions {
  /** Customers per atomic write. @defaultValue 500 */
  readonly batchSize?: number;
}

/**
 * Result of `bulkAddCustomers`: an import report whose issues' `row` is the input's index in the
 * array (from 0), and which always lists the inserted ids.
 */
export interface BulkAddResult extends ImportReport {
  /** Ids of the inserted customers, in input order. */
  readonly addedIds: string[];
}

/**
 * Imports a CSV into the client's organization: `client.importCsv(source, options)` of
 * `CustomerClient`, for a client of `createSlimClient`.
 * @param client - A client of `createSlimClient` or `createCustomerClient`.
 * @param source - The CSV: string, `Blob`/`File`, `ReadableStream` or async iterable of text/bytes.
 * @param options - See {@link ImportCsvOptions}.
 * @returns The report with the first issues and the header mapping.
 * @throws `invalid_argument` for another client object or bad options; `storage_failed` when the
 * adapter fails.
 * @example
 * const report = await importCsv(client, file, { onDuplicate: 'update' });
 */
export async function importCsv(
  client: SlimCustomerClient,
  source: CsvSource,
  options?: ImportCsvOptions,
): Promise<CsvImportReport> {
  const { csv, importChecks } = internalsOf(client);
  return (await import('./client-csv-import')).importCsvInto({ ...csv, ...importChecks() }, source, options);
}

/**
 * Adds many customers in atomic batches: `client.bulkAddCustomers(inputs, options)` of
 * `CustomerClient`, for a client of `createSlimClient`.
 * @param client - A client of `createSlimClient` or `createCustomerClient`.
 * @param inputs - The customers' fields.
 * @param options - Batch size, duplicate policy, strictness, progress, signal.
 * @returns The report, issues numbered by input index, with the inserted ids.
 * @throws `invalid_argument` for another client object, when `inputs` is not an array or an option
 * is bad; `storage_failed` when the adapter fails.
 */
export async function bulkAddCustomers(
  client: SlimCustomerClient,
  inputs: readonly CustomerInput[],
  options?: BulkAddOptions,
): Promise<BulkAddResult> {
  const { csv, importChecks } = internalsOf(client);
  if (!Array.isArray(inputs)) throw new InvalidArgumentError('inputs', 'expected an array of customers');
  const bulkOptions = objectArgument('options', options, {});
  const batchSize = integerOption('batchSize', bulkOptions.batchSize, 10_000, 500);
  const { inputBatches, runImport } = await import('../import/import-executor');
  const report = await runImport({
    ...bulkOptions,
    adapter: csv.adapter,
    organizationId: csv.organizationId,
    batches: inputBatches(inputs, batchSize),
    generateId: csv.generateId,
    now: csv.now,
    keepAddedIds: true,
    ...importChecks(),
  });
  return { ...report, addedIds: report.addedIds ?? [] };
}

const campaignApi = () => import('../campaigns/campaign-api');

/**
 * Generates a campaign for each customer of the target, content type and platform:
 * `client.generateCampaigns(request, options)` of `CustomerClient`, for a client of
 * `createSlimClient`.
 * @param client - A client of `createSlimClient` or `createCustomerClient`.
 * @param request - `{ target, title, contentTypes, platforms, instructions?, requestedBy? }`.
 * @param options - `{ generator, concurrency = 4, retries = 2, onProgress, signal, … }`.
 * @returns The report: `{ runId, counts, results, aborted, … }`.
 * @throws `invalid_argument` for another client object or a bad request (naming the path);
 * `aborted` when `signal` was already aborted; `storage_failed`.
 */
export async function generateCampaigns(
  client: SlimCustomerClient,
  request: CampaignRequest,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const { campaigns } = internalsOf(client);
  return (await campaignApi()).generateCampaignsIn(campaigns, request, options);
}

/**
 * Generates again the `failed` campaigns of a run: `client.retryFailed(runId, options)` of
 * `CustomerClient`, for a client of `createSlimClient`.
 * @param client - A client of `createSlimClient` or `createCustomerClient`.
 * @param runId - The run.
 * @param options - As for `generateCampaigns`.
 * @returns The report of this call.
 * @throws `invalid_argument`; `not_found` for an unknown run; `storage_failed`.
 */
export async function retryFailed(
  client: SlimCustomerClient,
  runId: string,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const { campaigns } = internalsOf(client);
  return (await campaignApi()).retryFailedIn(campaigns, runId, options);
}

/**
 * Finishes a run whose process died: `client.resumeCampaignRun(runId, options)` of
 * `CustomerClient`, for a client of `createSlimClient`.
 * @param client - A client of `createSlimClient` or `createCustomerClient`.
 * @param runId - The run.
 * @param options - As for `generateCampaigns`.
 * @returns The report of this call.
 * @throws `invalid_argument`; `not_found` for an unknown run; `storage_failed`.
 */
export async function resumeCampaignRun(
  client: SlimCustomerClient,
  runId: string,
  options: CampaignRunOptions,
): Promise<CampaignRunReport> {
  const { campaigns } = internalsOf(client);
  return (await campaignApi()).resumeCampaignRunIn(campaigns, runId, options);
}
