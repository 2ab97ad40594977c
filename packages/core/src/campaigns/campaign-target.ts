import { InvalidArgumentError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
import type { CampaignTarget } from '../store/campaign-store';
import type { CustomerFilter, StorageAdapter } from '../store/storage-adapter';

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
}

/**
 * Checks a target and prepares its walk. Each kind of target is one case: listed ids are taken as
 * given, a filter is counted and then paged oldest first. (A saved segment is its filter.)
 * @param context - The store and tenant.
 * @param target - The canonical target of a run's request.
 * @param maxCustomers - The per-run limit.
 * @param check - Refuse an empty or too large target (a new run); a resumed run was accepted when
 * it started, and only walks what is there now, up to `maxCustomers`. @defaultValue true
 * @returns The open target.
 * @throws `invalid_argument` when checking and the target matches no customer or more than `maxCustomers`.
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
  if ('filter' in target)
    return openFilter(context, target.filter, 'request.target.filter', maxCustomers, check);
  throw new InvalidArgumentError(
    'request.target.segmentId',
    'segments are not available in this version; target { customerIds } or { filter }',
  );
}

async function openFilter(
  context: TargetContext,
  filter: CustomerFilter,
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
