import { StorageError } from '../errors/customer-error';
import { applySegmentPatch, checkSegmentOrganization, compareSegments, copySegment } from './segment-records';
import type { SegmentStore, StoredSegment } from './segment-store';

/**
 * The memory adapter's {@link SegmentStore}: one map of segments per organization, holding copies.
 * @returns The segment methods.
 */
export function createMemorySegmentStore(): SegmentStore {
  const orgs = new Map<string, Map<string, StoredSegment>>();
  const of = (organizationId: string) => {
    let segments = orgs.get(organizationId);
    if (!segments) {
      segments = new Map();
      orgs.set(organizationId, segments);
    }
    return segments;
  };
  return {
    async insertSegment(organizationId, segment) {
      checkSegmentOrganization(organizationId, segment);
      const segments = of(organizationId);
      if (segments.has(segment.id)) {
        throw new StorageError(`Segment id ${JSON.stringify(segment.id)} already exists`);
      }
      segments.set(segment.id, copySegment(segment));
    },
    async getSegment(organizationId, id) {
      const found = orgs.get(organizationId)?.get(id);
      return found ? copySegment(found) : undefined;
    },
    async listSegments(organizationId) {
      return [...(orgs.get(organizationId)?.values() ?? [])].sort(compareSegments).map(copySegment);
    },
    async updateSegment(organizationId, id, patch, options) {
      const segments = of(organizationId);
      const next = applySegmentPatch(id, segments.get(id), patch, options);
      segments.set(id, next);
      return copySegment(next);
    },
    async deleteSegment(organizationId, id) {
      return orgs.get(organizationId)?.delete(id) ?? false;
    },
  };
}
