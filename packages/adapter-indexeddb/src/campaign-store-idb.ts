import type { CampaignRecord, CampaignRun, CampaignRunRecord } from '@donutauto/core';
import {
  applyCampaignPatch,
  type CampaignFilter,
  type CampaignStore,
  campaignKey,
  campaignListKey,
  campaignPage,
  checkCampaignBatch,
  checkCampaignRun,
  checkDistinctCampaignUpdates,
  claimPatch,
  isClaimable,
  type KeysetKey,
  matchesCampaignFilter,
  readCampaignCursor,
} from '@donutauto/core/adapter';
import type { IDBPTransaction } from 'idb';
import { CAMPAIGN_RUNS, CAMPAIGNS } from './campaign-schema-idb';
import type { Connection } from './connection';
import type { CustomersDb } from './customer-schema-idb';
import { IndexedDbStorageError } from './indexeddb-error';
import { createTransactionRunner } from './transaction-runner';

type Tx = IDBPTransaction<CustomersDb, ['campaigns', 'campaignRuns'], 'readwrite'>;
/** The campaign indexes a listing walks; each key is `[organizationId, …prefix, createdAt, id]`. */
type IndexName = 'byCreated' | 'byRun' | 'byRunStatus' | 'byCustomer';

const STATUSES = ['queued', 'in_progress', 'completed', 'failed', 'cancelled', 'skipped'] as const;

const byKey = (a: CampaignRecord, b: CampaignRecord) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The IndexedDB {@link CampaignStore}: campaign records and runs in their own object stores of the
 * same database. Each method is one transaction (IndexedDB runs read-write transactions over the
 * same stores one at a time, across tabs), so batches are atomic and claims never overlap.
 * @param connection - The adapter's connection manager.
 * @param keyRange - The factory's `IDBKeyRange` class.
 * @returns The campaign methods of the adapter.
 */
export function createIndexedDbCampaignStore(
  connection: Connection,
  keyRange: typeof IDBKeyRange,
): CampaignStore {
  const runner = createTransactionRunner(connection, [CAMPAIGNS, CAMPAIGN_RUNS]);
  const run = <T>(mode: IDBTransactionMode, doing: string, body: (tx: Tx) => Promise<T>) =>
    runner(mode, doing, (tx) => body(tx as unknown as Tx));

  /** Counts a run's records per status: one `count` per status on `byRunStatus`. */
  async function withCounts(tx: Tx, record: CampaignRunRecord): Promise<CampaignRun> {
    const index = tx.objectStore(CAMPAIGNS).index('byRunStatus');
    const org = record.organizationId;
    const counted = await Promise.all(
      STATUSES.map((status) =>
        index.count(keyRange.bound([org, record.id, status], [org, record.id, status, []])),
      ),
    );
    const [queued = 0, inProgress = 0, completed = 0, failed = 0, cancelled = 0, skipped = 0] = counted;
    const total = queued + inProgress + completed + failed + cancelled + skipped;
    return { ...record, counts: { total, queued, inProgress, completed, failed, cancelled, skipped } };
  }

  /** Walks one keyset page of an index range `[org, ...prefix, createdAt, id]`. */
  async function page<T extends CampaignRecord | CampaignRunRecord>(
    source: { openCursor(range: IDBKeyRange, direction: IDBCursorDirection): Promise<Walk<T> | null> },
    prefix: IDBValidKey[],
    after: KeysetKey | undefined,
    newest: boolean,
    numItems: number,
    matches: (item: T) => boolean,
  ): Promise<{ items: T[]; more: boolean }> {
    const lower = !newest && after ? [...prefix, after[0], after[1]] : prefix;
    const upper = newest && after ? [...prefix, after[0], after[1]] : [...prefix, []];
    const range = keyRange.bound(lower, upper, !newest && after !== undefined, true);
    const items: T[] = [];
    let cursor = await source.openCursor(range, newest ? 'prev' : 'next');
    while (cursor) {
      if (matches(cursor.value)) {
        if (items.length === numItems) return { items, more: true };
        items.push(cursor.value);
      }
      cursor = await cursor.continue();
    }
    return { items, more: false };
  }

  return {
    async insertCampaignRun(org, record) {
      checkCampaignRun(org, record);
      await run('readwrite', 'storing a campaign run', async (tx) => {
        const store = tx.objectStore(CAMPAIGN_RUNS);
        if ((await store.getKey([org, record.id])) !== undefined) {
          throw new IndexedDbStorageError(
            'failed',
            `Campaign run ${JSON.stringify(record.id)} already exists`,
          );
        }
        await store.add(record);
      });
    },

    async markCampaignRunPrepared(org, runId, preparedAt) {
      return run('readwrite', 'marking a campaign run prepared', async (tx) => {
        const store = tx.objectStore(CAMPAIGN_RUNS);
        const record = await store.get([org, runId]);
        if (!record) return false;
        await store.put({ ...record, preparedAt, updatedAt: preparedAt });
        return true;
      });
    },

    async getCampaignRun(org, runId) {
      return run('readonly', 'reading a campaign run', async (tx) => {
        const record = await tx.objectStore(CAMPAIGN_RUNS).get([org, runId]);
        return record ? withCounts(tx, record) : undefined;
      });
    },

    async listCampaignRuns(org, query) {
      const key = campaignListKey('runs');
      const after = readCampaignCursor(org, key, query.cursor);
      if (after === null) return campaignPage(org, key, [], false);
      const { runs, more } = await run('readonly', 'listing campaign runs', async (tx) => {
        const index = tx.objectStore(CAMPAIGN_RUNS).index('byCreated');
        const found = await page<CampaignRunRecord>(index, [org], after, true, query.numItems, () => true);
        return { runs: await Promise.all(found.items.map((r) => withCounts(tx, r))), more: found.more };
      });
      return campaignPage(org, key, runs, more);
    },

    async insertCampaigns(org, records) {
      if (records.length === 0) return 0;
      checkCampaignBatch(org, records);
      return run('readwrite', 'inserting campaigns', async (tx) => {
        const store = tx.objectStore(CAMPAIGNS);
        const keys = store.index('byKey');
        const stored = await Promise.all(
          records.map((r) => keys.getKey([org, r.runId, r.customerId, r.contentType, r.platform])),
        );
        const seen = new Set<string>();
        const fresh = records.filter((record, i) => {
          const k = campaignKey(record);
          if (stored[i] !== undefined || seen.has(k)) return false;
          seen.add(k);
          return true;
        });
        // A repeated id fails its `add` and aborts the whole transaction: nothing is written.
        await Promise.all(fresh.map((record) => store.add(record)));
        return fresh.length;
      });
    },

    async claimCampaigns(org, claim) {
      if (claim.limit < 1) return [];
      const patch = claimPatch(claim);
      return run('readwrite', 'claiming campaigns', async (tx) => {
        const store = tx.objectStore(CAMPAIGNS);
        const index = store.index('byRunStatus');
        const candidates: CampaignRecord[] = [];
        for (const status of new Set(claim.statuses)) {
          const range = keyRange.bound([org, claim.runId, status], [org, claim.runId, status, []]);
          let taken = 0;
          let cursor = await index.openCursor(range);
          while (cursor && taken < claim.limit) {
            if (isClaimable(cursor.value, claim)) {
              candidates.push(cursor.value);
              taken++;
            }
            cursor = await cursor.continue();
          }
        }
        const claimed = candidates
          .sort(byKey)
          .slice(0, claim.limit)
          .map((record) => applyCampaignPatch(record, patch, claim.now));
        await Promise.all(claimed.map((record) => store.put(record)));
        return claimed;
      });
    },

    async updateCampaigns(org, updates, { updatedAt }) {
      if (updates.length === 0) return { updated: [], conflicts: [] };
      checkDistinctCampaignUpdates(updates);
      return run('readwrite', 'updating campaigns', async (tx) => {
        const store = tx.objectStore(CAMPAIGNS);
        const current = await Promise.all(updates.map((u) => store.get([org, u.id])));
        const updated: CampaignRecord[] = [];
        const conflicts: string[] = [];
        updates.forEach((update, i) => {
          const record = current[i];
          if (!record || record.version !== update.expectedVersion) conflicts.push(update.id);
          else updated.push(applyCampaignPatch(record, update.patch, updatedAt));
        });
        await Promise.all(updated.map((record) => store.put(record)));
        return { updated, conflicts };
      });
    },

    async listCampaigns(org, query) {
      const key = campaignListKey(query);
      const after = readCampaignCursor(org, key, query.cursor);
      if (after === null) return campaignPage(org, key, [], false);
      const { filter } = query;
      const [indexName, prefix] = listIndex(org, filter);
      const { items, more } = await run('readonly', 'listing campaigns', (tx) =>
        page<CampaignRecord>(
          tx.objectStore(CAMPAIGNS).index(indexName),
          prefix,
          after,
          query.sort === 'newest',
          query.numItems,
          (record) => matchesCampaignFilter(record, filter),
        ),
      );
      return campaignPage(org, key, items, more);
    },
  };
}

/** A cursor as `page` walks it. */
interface Walk<T> {
  readonly value: T;
  continue(): Promise<Walk<T> | null>;
}

/** The index whose key prefix narrows a filter most, and that prefix. */
function listIndex(org: string, filter: CampaignFilter): [IndexName, IDBValidKey[]] {
  if (filter.runId !== undefined && filter.status !== undefined) {
    return ['byRunStatus', [org, filter.runId, filter.status]];
  }
  if (filter.runId !== undefined) return ['byRun', [org, filter.runId]];
  if (filter.customerId !== undefined) return ['byCustomer', [org, filter.customerId]];
  return ['byCreated', [org]];
}
