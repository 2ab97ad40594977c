import type { CustomerFilter } from '../store/filter-types';

/** A named, saved filter of one organization, as the client returns it. */
export interface Segment {
  /** The segment's id: pass `{ segmentId: id }` wherever a filter goes. */
  readonly id: string;
  /** The tenant. */
  readonly organizationId: string;
  /** The name shown to users. */
  readonly name: string;
  /**
   * The saved filter in canonical form. It stays relative: a birthday window without `from` means
   * "from today" each time the segment is used.
   */
  readonly filter: CustomerFilter;
  /** Creation time, epoch ms. */
  readonly createdAt: number;
  /** Last update time, epoch ms. */
  readonly updatedAt: number;
  /** Optimistic-concurrency version, from 1. */
  readonly version: number;
}

/** What {@link Segment}s are created from. */
export interface SegmentInput {
  /** The name shown to users: 1–100 characters after trimming. */
  readonly name: string;
  /** The filter to save. */
  readonly filter: CustomerFilter;
}

/** What `updateSegment` may change. */
export interface SegmentUpdate {
  /** A new name. */
  readonly name?: string;
  /** A new filter (replaces the old one entirely). */
  readonly filter?: CustomerFilter;
}

/** Refers to a saved segment where a filter is expected: its members are the customers it selects. */
export interface SegmentRef {
  /** The segment's id. */
  readonly segmentId: string;
}

/** A filter, or a segment standing for its saved filter. */
export type FilterOrSegment = CustomerFilter | SegmentRef;
