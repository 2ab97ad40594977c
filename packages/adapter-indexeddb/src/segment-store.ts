import { StorageError } from '@donutauto/core';
import {
  applySegmentPatch,
  checkSegmentOrganization,
  copySegment,
  type SegmentStore,
} from '@donutauto/core/adapter';
import type { TransactionRunner } from './transaction-runner';

/**
 * The IndexedDB {@link SegmentStore}: the `segments` object store keyed by
 * `[organizationId, id]`, listed through its `byCreated` index. Each call is one transaction.
 * @param run - A transaction runner on the `segments` store.
 * @param keyRange - The factory's `IDBKeyRange`.
 * @returns The segment methods.
 */
export function createSegmentStore(
  run: TransactionRunner<'segments'>,
  keyRange: typeof IDBKeyRange,
): SegmentStore {
  return {
    async insertSegment(org, segment) {
      checkSegmentOrganization(org, segment);
      const stored = copySegment(segment);
      const added = await run('readwrite', 'saving a segment', async (tx) => {
        if ((await tx.store.getKey([org, segment.id])) !== undefined) return false;
        await tx.store.add(stored);
        return true;
      });
      if (!added) throw new StorageError(`Segment id ${JSON.stringify(segment.id)} already exists`);
    },

    async getSegment(org, id) {
      return run('readonly', 'reading a segment', (tx) => tx.store.get([org, id]));
    },

    async listSegments(org) {
      return run('readonly', 'listing segments', (tx) =>
        tx.store.index('byCreated').getAll(keyRange.bound([org], [org, []])),
      );
    },

    async updateSegment(org, id, patch, options) {
      return run('readwrite', 'updating a segment', async (tx) => {
        const next = applySegmentPatch(id, await tx.store.get([org, id]), patch, options);
        await tx.store.put(next);
        return next;
      });
    },

    async deleteSegment(org, id) {
      return run('readwrite', 'deleting a segment', async (tx) => {
        if ((await tx.store.getKey([org, id])) === undefined) return false;
        await tx.store.delete([org, id]);
        return true;
      });
    },
  };
}
