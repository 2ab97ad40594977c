import { StorageError } from '../errors/customer-error';
import type { CustomerFilter } from '../store/filter-types';
import type { StoredSegment } from '../store/segment-store';

/**
 * The format of the filters this SDK writes into segments. Version 1 is a canonical, still relative
 * `CustomerFilter` as JSON (see `canonicalizeFilter`). A release that changes the filter's shape
 * bumps it and teaches {@link readStoredFilter} to read every earlier version.
 */
export const SEGMENT_FILTER_VERSION = 1;

/**
 * Reads a stored segment's filter, whatever SDK version wrote it.
 * @param segment - The stored segment.
 * @returns The filter as this SDK spells it (checked again when the segment is used).
 * @throws `storage_failed` for a format this SDK does not know (written by a newer SDK).
 */
export function readStoredFilter(segment: StoredSegment): CustomerFilter {
  if (segment.filterVersion === 1) return segment.filter as CustomerFilter;
  throw new StorageError(
    `Segment ${JSON.stringify(segment.id)} holds a filter of format ${segment.filterVersion}, newer than this SDK reads (${SEGMENT_FILTER_VERSION}); upgrade @donutauto/core`,
  );
}
