import { InvalidArgumentError, NotFoundError } from '../errors/customer-error';
import type { CustomFieldIndex } from '../model/custom-fields';
import type { CustomerFilter, NormalizedFilter } from '../store/filter-types';
import { canonicalizeFilter, normalizeFilter } from '../store/normalize-filter';
import type { SegmentPatch, StoredSegment } from '../store/segment-store';
import type { StorageAdapter } from '../store/storage-adapter';
import { isStorableText } from '../store/text-fold';
import type { FilterOrSegment, Segment, SegmentInput, SegmentUpdate } from './segment-types';
import { readStoredFilter, SEGMENT_FILTER_VERSION } from './stored-filter';

/** Longest segment name, in characters. */
export const MAX_SEGMENT_NAME = 100;

/** What the segment methods need from the client. */
export interface SegmentContext {
  /** Where segments and customers are stored. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** The organization's custom field definitions, indexed, when it has any. */
  readonly definitions: CustomFieldIndex | undefined;
  /** Clock, epoch ms. */
  readonly now: () => number;
  /** Id generator. */
  readonly generateId: (now: number) => string;
}

/** The client's segment methods (documented on `CustomerClient`), and the target resolver. */
export interface SegmentMethods {
  /**
   * `resolveFilter` without the promise for a plain filter: it is checked at once (so a bad one
   * throws when the caller calls), only a segment is read through the adapter.
   */
  resolveTarget(target?: FilterOrSegment): NormalizedFilter | Promise<NormalizedFilter>;
  createSegment(input: SegmentInput): Promise<Segment>;
  getSegment(id: string): Promise<Segment>;
  listSegments(): Promise<Segment[]>;
  updateSegment(
    id: string,
    update: SegmentUpdate,
    options?: { readonly expectedVersion?: number },
  ): Promise<Segment>;
  deleteSegment(id: string): Promise<void>;
  resolveFilter(target?: FilterOrSegment): Promise<NormalizedFilter>;
}

/**
 * Builds the segment methods of one client.
 * @param context - The client's adapter, organization, definitions, clock and id generator.
 * @returns The methods.
 */
export function createSegmentMethods(context: SegmentContext): SegmentMethods {
  const { adapter, organizationId, definitions, now, generateId } = context;
  const canonical = (filter: unknown, path: string) =>
    canonicalizeFilter(filter as CustomerFilter, {
      ...(definitions ? { customFields: definitions } : {}),
      path,
    }) as Readonly<Record<string, unknown>>;
  const toSegment = (stored: StoredSegment): Segment => ({
    id: stored.id,
    organizationId: stored.organizationId,
    name: stored.name,
    filter: readStoredFilter(stored),
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    version: stored.version,
  });
  const read = async (id: unknown): Promise<StoredSegment> => {
    const stored = await adapter.getSegment(organizationId, segmentId(id, 'id'));
    if (!stored) throw new NotFoundError(String(id), 'Segment');
    return stored;
  };

  const methods: SegmentMethods = {
    async createSegment(input) {
      if (typeof input !== 'object' || input === null) {
        throw new InvalidArgumentError('segment', 'expected { name, filter }');
      }
      onlyKeys(input, ['name', 'filter'], 'segment');
      const name = segmentName(input.name, 'segment.name');
      if (input.filter === undefined) throw new InvalidArgumentError('segment.filter', 'expected a filter');
      const filter = canonical(input.filter, 'segment.filter');
      const timestamp = now();
      const segment: StoredSegment = {
        id: generateId(timestamp),
        organizationId,
        name,
        filter,
        filterVersion: SEGMENT_FILTER_VERSION,
        createdAt: timestamp,
        updatedAt: timestamp,
        version: 1,
      };
      await adapter.insertSegment(organizationId, segment);
      return toSegment(segment);
    },

    async getSegment(id) {
      return toSegment(await read(id));
    },

    async listSegments() {
      return (await adapter.listSegments(organizationId)).map(toSegment);
    },

    async updateSegment(id, update, options = {}) {
      const checked = segmentId(id, 'id');
      if (typeof update !== 'object' || update === null) {
        throw new InvalidArgumentError('update', 'expected { name?, filter? }');
      }
      onlyKeys(update, ['name', 'filter'], 'update');
      const expectedVersion = options.expectedVersion;
      if (expectedVersion !== undefined && (!Number.isSafeInteger(expectedVersion) || expectedVersion < 1)) {
        throw new InvalidArgumentError('expectedVersion', 'expected a positive integer');
      }
      const patch: SegmentPatch = {
        ...(update.name === undefined ? {} : { name: segmentName(update.name, 'update.name') }),
        ...(update.filter === undefined
          ? {}
          : { filter: canonical(update.filter, 'update.filter'), filterVersion: SEGMENT_FILTER_VERSION }),
      };
      const stored = await adapter.updateSegment(organizationId, checked, patch, {
        updatedAt: now(),
        ...(expectedVersion === undefined ? {} : { expectedVersion }),
      });
      return toSegment(stored);
    },

    async deleteSegment(id) {
      const checked = segmentId(id, 'id');
      if (!(await adapter.deleteSegment(organizationId, checked)))
        throw new NotFoundError(checked, 'Segment');
    },

    async resolveFilter(target) {
      return methods.resolveTarget(target);
    },

    resolveTarget(target) {
      const options = { ...(definitions ? { customFields: definitions } : {}), now: now() };
      if (typeof target !== 'object' || target === null || !Object.hasOwn(target, 'segmentId')) {
        return normalizeFilter(target as CustomerFilter | undefined, options);
      }
      const other = Object.keys(target).find((key) => key !== 'segmentId');
      if (other !== undefined) {
        throw new InvalidArgumentError(
          `filter.${other}`,
          'a segment cannot be combined with other conditions (save a segment with the combined filter)',
        );
      }
      const id = segmentId((target as { segmentId: unknown }).segmentId, 'filter.segmentId');
      return read(id).then((stored) =>
        normalizeFilter(readStoredFilter(stored), {
          ...options,
          path: `segment(${JSON.stringify(id)}).filter`,
        }),
      );
    },
  };
  return methods;
}

function segmentId(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '' || value.length > 200) {
    throw new InvalidArgumentError(path, 'expected a non-empty segment id');
  }
  return value;
}

function segmentName(value: unknown, path: string): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name === '' || name.length > MAX_SEGMENT_NAME || !isStorableText(name)) {
    throw new InvalidArgumentError(path, `expected a name of 1 to ${MAX_SEGMENT_NAME} characters`);
  }
  return name;
}

function onlyKeys(source: object, keys: readonly string[], path: string): void {
  for (const key of Object.keys(source)) {
    if (!keys.includes(key))
      throw new InvalidArgumentError(`${path}.${key}`, `unknown key (expected ${keys.join(', ')})`);
  }
}
