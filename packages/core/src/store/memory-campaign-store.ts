import { StorageError } from '../errors/customer-error';
import { campaignListKey, campaignPage, readCampaignCursor } from './campaign-cursor';
import {
  applyCampaignPatch,
  campaignKey,
  checkCampaignBatch,
  checkCampaignRun,
  checkDistinctCampaignUpdates,
  claimPatch,
  copyCampaign,
  countCampaignStatuses,
  isClaimable,
  matchesCampaignFilter,
} from './campaign-records';
import type { CampaignRecord, CampaignRun, CampaignRunRecord, CampaignStore } from './campaign-store';
import type { KeysetKey } from './cursor';
import { compareCustomerKeys } from './customer-filter';

/** A stored record in a box: the listing and the per-run arrays share the box, a write replaces its content. */
interface Slot {
  record: CampaignRecord;
}

interface Keyed {
  readonly createdAt: number;
  readonly id: string;
}

interface OrgCampaigns {
  readonly byId: Map<string, Slot>;
  readonly keys: Set<string>;
  /** Every record ascending by (createdAt, id): the keyset index. */
  readonly ordered: Slot[];
  /** Each run's records ascending by (createdAt, id): claims and counts walk only their run. */
  readonly byRun: Map<string, Slot[]>;
  readonly runs: Map<string, CampaignRunRecord>;
  /** Runs ascending by (createdAt, id). */
  readonly runsOrdered: CampaignRunRecord[];
}

/** The memory campaign store plus what the adapter's erasure needs. */
export interface MemoryCampaignStore extends CampaignStore {
  /** Removes every campaign record of one customer (an erasure). */
  forgetCustomer(organizationId: string, customerId: string): void;
}

/**
 * The memory adapter's {@link CampaignStore}: the reference every other adapter's campaign store is
 * checked against. Writes validate the whole batch before changing anything, so each is atomic.
 * @returns The campaign methods, mixed into `createMemoryAdapter()`.
 */
export function createMemoryCampaignStore(): MemoryCampaignStore {
  const orgs = new Map<string, OrgCampaigns>();

  function org(organizationId: string): OrgCampaigns {
    let state = orgs.get(organizationId);
    if (!state) {
      state = {
        byId: new Map(),
        keys: new Set(),
        ordered: [],
        byRun: new Map(),
        runs: new Map(),
        runsOrdered: [],
      };
      orgs.set(organizationId, state);
    }
    return state;
  }

  function withCounts(state: OrgCampaigns, run: CampaignRunRecord): CampaignRun {
    const slots = state.byRun.get(run.id) ?? [];
    return {
      ...structuredClone(run),
      counts: countCampaignStatuses(slots.map((s) => s.record.status)),
    };
  }

  return {
    forgetCustomer(organizationId, customerId) {
      const state = orgs.get(organizationId);
      if (!state) return;
      const gone = (slot: Slot) => slot.record.customerId === customerId;
      for (const slot of state.ordered) {
        if (!gone(slot)) continue;
        state.byId.delete(slot.record.id);
        state.keys.delete(campaignKey(slot.record));
      }
      const kept = state.ordered.filter((slot) => !gone(slot));
      state.ordered.splice(0, state.ordered.length, ...kept);
      for (const [runId, slots] of state.byRun)
        state.byRun.set(
          runId,
          slots.filter((slot) => !gone(slot)),
        );
    },

    async insertCampaignRun(organizationId, run) {
      checkCampaignRun(organizationId, run);
      const state = org(organizationId);
      if (state.runs.has(run.id))
        throw new StorageError(`Campaign run ${JSON.stringify(run.id)} already exists`);
      const copy = structuredClone(run);
      state.runs.set(copy.id, copy);
      insertSorted(state.runsOrdered, copy, (r) => r);
    },

    async markCampaignRunPrepared(organizationId, runId, preparedAt) {
      const state = orgs.get(organizationId);
      const run = state?.runs.get(runId);
      if (!state || !run) return false;
      const next = { ...run, preparedAt, updatedAt: preparedAt };
      state.runs.set(runId, next);
      state.runsOrdered[findIndex(state.runsOrdered, run, (r) => r)] = next;
      return true;
    },

    async getCampaignRun(organizationId, runId) {
      const state = orgs.get(organizationId);
      const run = state?.runs.get(runId);
      return state && run ? withCounts(state, run) : undefined;
    },

    async listCampaignRuns(organizationId, query) {
      const key = campaignListKey('runs');
      const after = readCampaignCursor(organizationId, key, query.cursor);
      const state = orgs.get(organizationId);
      if (after === null || !state) return campaignPage(organizationId, key, [], false);
      const { items, more } = walk(
        state.runsOrdered,
        (r) => r,
        after,
        true,
        query.numItems,
        () => true,
      );
      return campaignPage(
        organizationId,
        key,
        items.map((r) => withCounts(state, r)),
        more,
      );
    },

    async insertCampaigns(organizationId, records) {
      checkCampaignBatch(organizationId, records);
      const state = org(organizationId);
      const fresh: CampaignRecord[] = [];
      const batchKeys = new Set<string>();
      for (const [index, record] of records.entries()) {
        if (state.byId.has(record.id)) {
          throw new StorageError(
            `Campaign id ${JSON.stringify(record.id)} already exists (batch row ${index})`,
          );
        }
        const key = campaignKey(record);
        if (state.keys.has(key) || batchKeys.has(key)) continue;
        batchKeys.add(key);
        fresh.push(record);
      }
      // Checked as a whole: nothing below can fail, so the batch is atomic.
      for (const record of fresh) {
        const slot: Slot = { record: copyCampaign(record) };
        state.byId.set(record.id, slot);
        state.keys.add(campaignKey(record));
        insertSorted(state.ordered, slot, (s) => s.record);
        let run = state.byRun.get(record.runId);
        if (!run) {
          run = [];
          state.byRun.set(record.runId, run);
        }
        insertSorted(run, slot, (s) => s.record);
      }
      return fresh.length;
    },

    async claimCampaigns(organizationId, claim) {
      const slots = orgs.get(organizationId)?.byRun.get(claim.runId);
      if (!slots) return [];
      const patch = claimPatch(claim);
      const taken: CampaignRecord[] = [];
      for (const slot of slots) {
        if (taken.length >= claim.limit) break;
        if (!isClaimable(slot.record, claim)) continue;
        slot.record = applyCampaignPatch(slot.record, patch, claim.now);
        taken.push(copyCampaign(slot.record));
      }
      return taken;
    },

    async updateCampaigns(organizationId, updates, { updatedAt }) {
      checkDistinctCampaignUpdates(updates);
      const state = orgs.get(organizationId);
      const updated: CampaignRecord[] = [];
      const conflicts: string[] = [];
      for (const update of updates) {
        const slot = state?.byId.get(update.id);
        if (!slot || slot.record.version !== update.expectedVersion) {
          conflicts.push(update.id);
          continue;
        }
        slot.record = applyCampaignPatch(slot.record, update.patch, updatedAt);
        updated.push(copyCampaign(slot.record));
      }
      return { updated, conflicts };
    },

    async listCampaigns(organizationId, query) {
      const key = campaignListKey(query);
      const after = readCampaignCursor(organizationId, key, query.cursor);
      const state = orgs.get(organizationId);
      if (after === null || !state) return campaignPage(organizationId, key, [], false);
      const source =
        query.filter.runId === undefined ? state.ordered : (state.byRun.get(query.filter.runId) ?? []);
      const { items, more } = walk(
        source,
        (s) => s.record,
        after,
        query.sort === 'newest',
        query.numItems,
        (s) => matchesCampaignFilter(s.record, query.filter),
      );
      return campaignPage(
        organizationId,
        key,
        items.map((s) => copyCampaign(s.record)),
        more,
      );
    },
  };
}

/** Index of the first item whose key is >= the given one, in an array ascending by (createdAt, id). */
function findIndex<T>(ordered: readonly T[], target: Keyed, keyOf: (item: T) => Keyed): number {
  let lo = 0;
  let hi = ordered.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keyOf(ordered[mid]!);
    if (compareCustomerKeys(k.createdAt, k.id, target.createdAt, target.id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted<T>(ordered: T[], item: T, keyOf: (item: T) => Keyed): void {
  const last = ordered[ordered.length - 1];
  const key = keyOf(item);
  // Records arrive in key order (time-ordered ids): appending is the common case.
  if (!last || compareCustomerKeys(keyOf(last).createdAt, keyOf(last).id, key.createdAt, key.id) < 0) {
    ordered.push(item);
  } else ordered.splice(findIndex(ordered, key, keyOf), 0, item);
}

/** One keyset page of an ascending array, walked in either direction from after `after`. */
function walk<T>(
  ordered: readonly T[],
  keyOf: (item: T) => Keyed,
  after: KeysetKey | undefined,
  newest: boolean,
  numItems: number,
  matches: (item: T) => boolean,
): { items: T[]; more: boolean } {
  let index: number;
  if (after === undefined) index = newest ? ordered.length - 1 : 0;
  else {
    const [createdAt, id] = after;
    const at = findIndex(ordered, { createdAt, id }, keyOf);
    const found = ordered[at];
    const exact = found !== undefined && keyOf(found).createdAt === createdAt && keyOf(found).id === id;
    index = newest ? at - 1 : exact ? at + 1 : at;
  }
  const items: T[] = [];
  for (let step = newest ? -1 : 1; index >= 0 && index < ordered.length; index += step) {
    const item = ordered[index]!;
    if (!matches(item)) continue;
    if (items.length === numItems) return { items, more: true };
    items.push(item);
  }
  return { items, more: false };
}
