import { InvalidArgumentError, isCustomerError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
import type { FilterOrSegment } from '../segments/segment-types';
import type { CampaignTarget } from '../store/campaign-store';
import type { NormalizedFilter } from '../store/filter-types';
import type { StorageAdapter } from '../store/storage-adapter';

/** Customers read (or ids taken) per step of a run's preparation. */
export const TARGET_BATCH_SIZE = 500;

/**
 * One step of a target: the customer ids it adds, and those customers when they were read on the
 * way (a filter's pages); listed ids are read later, when their campaigns are generated.
 */
export interface TargetBatch {
  /** Customer ids, each once across the whole target. */
  readonly customerIds: readonly string[];
  /** The customers already read, by id. */
  readonly customers: readonly Customer[];
}

/** A target checked and ready to be walked. */
export interface OpenTarget {
  /** Walks it in batches of at most {@link TARGET_BATCH_SIZE}, stopping at `maxCustomers`. */
  batches(): AsyncIterable<TargetBatch>;
}

/** What resolving a target needs from the client. */
export interface TargetContext {
  /** The store. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /**
   * The client's filter resolver: checks a filter against the organization's custom field
   * definitions, and reads a segment's saved filter.
   */
  readonly resolveFilter: (target: FilterOrSegment) => Promise<NormalizedFilter>;
}

/**
 * Checks a target and prepares its walk. Each kind of target is one case: listed ids are taken as
 * given, a filter is counted and then paged oldest first, and a segment is its saved filter as it is
 * when the walk is prepared (a run resumed before its records were all created reads it again).
 * @param context - The store and tenant.
 * @param target - The canonical target of a run's request.
 * @param maxCustomers - The per-run limit.
 * @param check - Refuse an empty or too large target (a new run); a resumed run was accepted when
 * it started, and only walks what is there now, up to `maxCustomers`. @defaultValue true
 * @returns The open target.
 * @throws `invalid_argument` when checking and the target matches no customer or more than
 * `maxCustomers`, or when its filter does not fit the custom field definitions; `not_found` for an
 * unknown segment.
 */
export async function openTarget(
  context: TargetContext,
  target: CampaignTarget,
  maxCustomers: number,
  check = true,
): Promise<OpenTarget> {
  if ('customerIds' in target) {
    const ids = target.customerIds;
    if (check && ids.length > maxCustomers)
      throw tooMany('request.target.customerIds', ids.length, maxCustomers);
    const taken = ids.slice(0, maxCustomers);
    return {
      async *batches() {
        for (let start = 0; start < taken.length; start += TARGET_BATCH_SIZE) {
          yield { customerIds: taken.slice(start, start + TARGET_BATCH_SIZE), customers: [] };
        }
      },
    };
  }
  // Resolved through the client, so custom field conditions are typed by the definitions.
  const path = 'filter' in target ? 'request.target.filter' : 'request.target.segmentId';
  const filter = await targetFilter(context, 'filter' in target ? target.filter : target);
  return openFilter(context, filter, path, maxCustomers, check);
}

async function targetFilter(context: TargetContext, target: FilterOrSegment): Promise<NormalizedFilter> {
  try {
    return await context.resolveFilter(target);
  } catch (error) {
    // The resolver names paths from `filter` (a segment id as `filter.segmentId`); a run names them
    // from its request.
    if (isCustomerError(error, 'invalid_argument') && /^filter(\.|$)/.test(error.argument)) {
      const rest = error.argument.slice('filter'.length);
      const argument = rest === '.segmentId' ? 'request.target.segmentId' : `request.target.filter${rest}`;
      throw new InvalidArgumentError(argument, error.message.replace(/^Invalid [^:]*: /, ''));
    }
    throw error;
  }
}

async function openFilter(
  context: TargetContext,
  filter: NormalizedFilter,
  path: string,
  maxCustomers: number,
  check: boolean,
): Promise<OpenTarget> {
  const { adapter, organizationId } = context;
  const size = await adapter.count(organizationId, filter);
  if (check && size === 0) throw new InvalidArgumentError(path, 'matches no customers: the target is empty');
  if (check && size > maxCustomers) throw tooMany(path, size, maxCustomers);
  return {
    async *batches() {
      let cursor: string | null = null;
      let taken = 0;
      while (taken < maxCustomers) {
        const numItems = Math.min(TARGET_BATCH_SIZE, maxCustomers - taken);
        const result = await adapter.list(organizationId, { numItems, cursor, filter, sort: 'oldest' });
        taken += result.page.length;
        if (result.page.length > 0)
          yield { customerIds: result.page.map((c) => c.id), customers: result.page };
        if (result.isDone) return;
        cursor = result.continueCursor;
      }
    },
  };
}

function tooMany(path: string, size: number, maxCustomers: number): InvalidArgumentError {
  return new InvalidArgumentError(
    path,
    `${size} customers is more than the per-run limit of ${maxCustomers} (option maxCustomers)`,
  );
}
