import { InvalidArgumentError, NotFoundError, VersionConflictError } from '../errors/customer-error';
import type { SegmentPatch, StoredSegment } from './segment-store';
import type { WriteOptions } from './storage-adapter';

/**
 * Refuses a segment of another organization before anything is written.
 * @param organizationId - The tenant of the call.
 * @param segment - The segment to insert.
 * @throws `invalid_argument` (`segment.organizationId`).
 */
export function checkSegmentOrganization(organizationId: string, segment: StoredSegment): void {
  if (segment.organizationId !== organizationId) {
    throw new InvalidArgumentError('segment.organizationId', 'belongs to another organization');
  }
}

/**
 * The next stored state of a segment: the patch applied, `updatedAt` set and `version` bumped, after
 * the version check. Adapters that keep segments as objects use it so every store agrees.
 * @param id - The segment's id.
 * @param current - The stored segment, or `undefined` when absent.
 * @param patch - What changes.
 * @param options - `updatedAt` and, optionally, `expectedVersion`.
 * @returns A new segment sharing no mutable state with `current` or `patch`.
 * @throws `not_found` when absent; `version_conflict` when `expectedVersion` differs.
 */
export function applySegmentPatch(
  id: string,
  current: StoredSegment | undefined,
  patch: SegmentPatch,
  options: WriteOptions,
): StoredSegment {
  if (!current) throw new NotFoundError(id, 'Segment');
  if (options.expectedVersion !== undefined && options.expectedVersion !== current.version) {
    throw new VersionConflictError(id, options.expectedVersion, current.version);
  }
  return copySegment({
    ...current,
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.filter === undefined
      ? {}
      : { filter: patch.filter, filterVersion: patch.filterVersion ?? current.filterVersion }),
    updatedAt: options.updatedAt,
    version: current.version + 1,
  });
}

/**
 * Deep-copies a segment (its filter is plain JSON data).
 * @param segment - A segment.
 * @returns An equal segment sharing no mutable state with the original.
 */
export function copySegment(segment: StoredSegment): StoredSegment {
  return {
    id: segment.id,
    organizationId: segment.organizationId,
    name: segment.name,
    filter: JSON.parse(JSON.stringify(segment.filter)) as Record<string, unknown>,
    filterVersion: segment.filterVersion,
    createdAt: segment.createdAt,
    updatedAt: segment.updatedAt,
    version: segment.version,
  };
}

/**
 * Orders segments as `listSegments` returns them: by `createdAt`, then `id`.
 * @returns Negative, zero or positive, like any comparator.
 */
export function compareSegments(a: StoredSegment, b: StoredSegment): number {
  if (a.createdAt !== b.createdAt) return a.createdAt - b.createdAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
