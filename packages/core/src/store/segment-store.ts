import type { WriteOptions } from './storage-adapter';

/**
 * A segment as adapters store it: a named, saved filter of one organization. The filter is JSON
 * data in the format `filterVersion` names, so an SDK release that changes the filter's shape still
 * reads segments written by an earlier one. Adapters store both and return them unchanged.
 */
export interface StoredSegment {
  /** The segment's id. */
  readonly id: string;
  /** The tenant. */
  readonly organizationId: string;
  /** The name shown to users, 1–100 characters. */
  readonly name: string;
  /** The saved filter: a JSON object in format {@link StoredSegment.filterVersion}. */
  readonly filter: Readonly<Record<string, unknown>>;
  /** Format version of `filter` (see `SEGMENT_FILTER_VERSION`). */
  readonly filterVersion: number;
  /** Creation time, epoch ms. */
  readonly createdAt: number;
  /** Last update time, epoch ms. */
  readonly updatedAt: number;
  /** Optimistic-concurrency version, from 1. */
  readonly version: number;
}

/** What `updateSegment` changes: the name, or the filter together with its format version. */
export interface SegmentPatch {
  /** The new name. */
  readonly name?: string;
  /** The new filter, in format `filterVersion`. */
  readonly filter?: Readonly<Record<string, unknown>>;
  /** The format of the new `filter` (required with it). */
  readonly filterVersion?: number;
}

/**
 * The segments part of the storage contract (`StorageAdapter` extends it). Like every part, each
 * method takes the organization id and never reaches another organization's segments. Segments are
 * independent of customers: deleting one never touches a customer.
 */
export interface SegmentStore {
  /**
   * Stores a new segment.
   * @param organizationId - The tenant.
   * @param segment - The complete segment, of this organization.
   * @throws `invalid_argument` for a segment of another organization; `storage_failed` when the id
   *   is taken or the backend fails.
   */
  insertSegment(organizationId: string, segment: StoredSegment): Promise<void>;

  /**
   * Reads one segment.
   * @returns The segment, or `undefined` when absent in this organization.
   */
  getSegment(organizationId: string, id: string): Promise<StoredSegment | undefined>;

  /**
   * Reads the organization's segments.
   * @returns Every segment, oldest first (by `createdAt`, then `id`).
   */
  listSegments(organizationId: string): Promise<StoredSegment[]>;

  /**
   * Renames a segment or replaces its filter, bumping `version` by one.
   * @param options - The `updatedAt` to store and, optionally, the `expectedVersion`.
   * @returns The stored segment after the update.
   * @throws `not_found`; `version_conflict` when `expectedVersion` differs (nothing is written).
   */
  updateSegment(
    organizationId: string,
    id: string,
    patch: SegmentPatch,
    options: WriteOptions,
  ): Promise<StoredSegment>;

  /**
   * Deletes one segment (never a customer).
   * @returns `true` when it existed.
   */
  deleteSegment(organizationId: string, id: string): Promise<boolean>;
}
