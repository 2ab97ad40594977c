import type { Customer } from '../model/customer-schema';
import type { CampaignRecord, CampaignRunRecord } from '../store/campaign-store';
import type { StorageAdapter } from '../store/storage-adapter';
import type { TargetBatch } from './campaign-target';

/** Records per `insertCampaigns`. */
const INSERT_BATCH = 500;

/** What {@link prepareRun} needs. */
export interface PreparationOptions {
  readonly adapter: StorageAdapter;
  readonly organizationId: string;
  readonly generateId: (now: number) => string;
  /** Runs a store call, retrying it while it fails transiently. */
  readonly retry: <T>(call: () => Promise<T>) => Promise<T>;
  readonly run: CampaignRunRecord;
  /** The target, walked once. */
  readonly batches: AsyncIterable<TargetBatch>;
  readonly now: () => number;
  /** Why the runner stopped, if it did: an abort ends preparation, a fatal error too. */
  readonly stopped: () => 'abort' | 'fatal' | undefined;
  /** Customers the target read on the way (a filter's pages). */
  readonly onCustomers: (customers: readonly Customer[]) => void;
  /** How many records a batch insert stored. */
  readonly onInserted: (count: number) => void;
}

/**
 * Creates a run's records: one per customer of the target, content type and platform, `queued`,
 * inserted in batches. A record already stored for the same (run, customer, content type,
 * platform) is skipped by the store, so preparing again after a crash creates only what is missing.
 * The run is then marked prepared; also after an abort, so that the run ends with the records it
 * has and a later resume does not create the rest of the target.
 * @param options - See {@link PreparationOptions}.
 * @throws What the store throws.
 */
export async function prepareRun(options: PreparationOptions): Promise<void> {
  const { adapter, organizationId, run } = options;
  for await (const batch of options.batches) {
    if (options.stopped()) break;
    const now = options.now();
    const records: CampaignRecord[] = [];
    for (const customerId of batch.customerIds) {
      for (const contentType of run.request.contentTypes) {
        for (const platform of run.request.platforms) {
          records.push(newRecord(options.generateId(now), run, { customerId, contentType, platform }, now));
        }
      }
    }
    options.onCustomers(batch.customers);
    for (let start = 0; start < records.length; start += INSERT_BATCH) {
      const batchRecords = records.slice(start, start + INSERT_BATCH);
      options.onInserted(await options.retry(() => adapter.insertCampaigns(organizationId, batchRecords)));
    }
  }
  if (options.stopped() !== 'fatal') {
    const at = options.now();
    await options.retry(() => adapter.markCampaignRunPrepared(organizationId, run.id, at));
  }
}

function newRecord(
  id: string,
  run: CampaignRunRecord,
  key: Pick<CampaignRecord, 'customerId' | 'contentType' | 'platform'>,
  now: number,
): CampaignRecord {
  return {
    id,
    organizationId: run.organizationId,
    ...key,
    runId: run.id,
    title: run.request.title,
    status: 'queued',
    content: null,
    error: null,
    attempts: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
