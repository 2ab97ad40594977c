import { isCustomerError } from '../errors/customer-error';
import { newSystemFields, toCustomerSharing } from '../model/customer-record';
import type { Customer } from '../model/customer-schema';
import type { StorageAdapter } from '../store/storage-adapter';
import type { ImportPlan, PlannerRow } from './import-types';

/**
 * How many times a batch is planned again when a concurrent writer took one of its emails (or
 * changed one of its customers) first. Each attempt re-reads the stored customers, so rows another
 * writer has just added become skips or updates; only a writer racing on the very same emails every
 * time can exhaust it.
 */
export const MAX_REPLANS = 10;

/** Longest pause before a re-plan, in ms (the pause doubles per attempt, with full jitter). */
const MAX_BACKOFF_MS = 250;

/** What one batch wrote (or, in a dry run, would write). */
export interface BatchOutcome {
  /** The plan that was carried out (the combined plans when the batch was re-planned). */
  readonly plan: ImportPlan;
  /** Ids of the inserted customers (none in a dry run). */
  readonly addedIds: string[];
  /** Customers updated (none in a dry run). */
  readonly updated: number;
}

/** What {@link writeBatch} needs from the import. */
export interface BatchWriterContext {
  /** Where customers are written. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** Plan without writing. */
  readonly dryRun: boolean;
  /** Clock, epoch ms. */
  readonly now: () => number;
  /** Id generator. */
  readonly generateId: (now: number) => string;
  /** Plans rows again against freshly read stored customers. */
  readonly replan: (rows: readonly PlannerRow[]) => Promise<ImportPlan>;
  /** Waits before a re-plan. @defaultValue a jittered exponential pause (at most 250 ms) */
  readonly pause?: (attempt: number) => Promise<void>;
}

/** A race lost to a concurrent writer: nothing of the failed write landed, so planning again is safe. */
const isRace = (error: unknown) =>
  isCustomerError(error, 'duplicate_email') || isCustomerError(error, 'version_conflict');

/** Full-jitter exponential backoff: racing importers spread out instead of colliding again. */
function jitteredPause(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * Writes one planned batch: its inserts in one atomic `insertMany`, then its updates in one
 * `updateMany`. When a write loses a race (`duplicate_email`, `version_conflict`) nothing of that
 * write landed, so the rows it carried are planned again on fresh data — after a short jittered
 * pause, at most {@link MAX_REPLANS} times — and nothing is written twice.
 * @param context - Adapter, tenant, clock, ids and the re-planner.
 * @param rows - The batch's rows.
 * @param first - The batch's first plan.
 * @returns What was written.
 * @throws The last race error after {@link MAX_REPLANS} re-plans; any other adapter error at once.
 */
export async function writeBatch(
  context: BatchWriterContext,
  rows: readonly PlannerRow[],
  first: ImportPlan,
): Promise<BatchOutcome> {
  // A dry run writes nothing: its outcome is the plan, which the import counts.
  if (context.dryRun) return { plan: first, addedIds: [], updated: 0 };
  const pause = context.pause ?? jitteredPause;
  const done: BatchOutcome[] = [];
  let pending = rows;
  let plan = first;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      await pause(attempt);
      plan = await context.replan(pending);
    }
    const result = await writePlan(context, plan).catch((error: unknown) => {
      if (!isRace(error) || attempt >= MAX_REPLANS) throw error;
      return undefined;
    });
    if (result === undefined) continue; // nothing of this plan was written: plan again on fresh data
    if (result.updatesFailed !== undefined) {
      // Inserts landed, updates lost a race: keep what was written, re-plan only the update rows.
      const retry = new Set<number>();
      for (const action of plan.actions) if (action.kind === 'update') retry.add(action.row);
      done.push({ plan: withoutRows(plan, retry), addedIds: result.addedIds, updated: 0 });
      pending = pending.filter((r) => retry.has(r.row));
      if (attempt >= MAX_REPLANS) throw result.updatesFailed;
      continue;
    }
    done.push({ plan, addedIds: result.addedIds, updated: result.updated });
    return combine(done);
  }
}

interface WriteResult {
  readonly addedIds: string[];
  readonly updated: number;
  /** Set when the inserts were written but the updates lost a race. */
  readonly updatesFailed?: unknown;
}

async function writePlan(context: BatchWriterContext, plan: ImportPlan): Promise<WriteResult> {
  const timestamp = context.now();
  const inserts: Customer[] = [];
  const updates = [];
  for (const action of plan.actions) {
    if (action.kind === 'insert')
      // The plan's data was made for this import and is dropped once the batch is written: its lists
      // and custom fields go into the customer as they are (adapters copy what they keep).
      inserts.push(
        toCustomerSharing(
          action.data,
          newSystemFields(context.organizationId, timestamp, context.generateId),
        ),
      );
    else if (action.kind === 'update') {
      updates.push({ id: action.id, patch: action.patch, expectedVersion: action.expectedVersion });
    }
  }
  if (inserts.length) await context.adapter.insertMany(context.organizationId, inserts);
  const addedIds = inserts.map((c) => c.id);
  if (updates.length) {
    try {
      await context.adapter.updateMany(context.organizationId, updates, { updatedAt: timestamp });
    } catch (error) {
      if (!isRace(error)) throw error;
      return { addedIds, updated: 0, updatesFailed: error };
    }
  }
  return { addedIds, updated: updates.length };
}

function withoutRows(plan: ImportPlan, rows: ReadonlySet<number>): ImportPlan {
  return {
    actions: plan.actions.filter((a) => !rows.has(a.row)),
    issues: plan.issues.filter((i) => !rows.has(i.row)),
    newEmails: plan.newEmails,
  };
}

function combine(outcomes: readonly BatchOutcome[]): BatchOutcome {
  if (outcomes.length === 1) return outcomes[0]!;
  return {
    plan: {
      actions: outcomes.flatMap((o) => o.plan.actions),
      issues: outcomes.flatMap((o) => o.plan.issues),
      newEmails: new Map(outcomes.flatMap((o) => [...o.plan.newEmails])),
    },
    addedIds: outcomes.flatMap((o) => o.addedIds),
    updated: outcomes.reduce((n, o) => n + o.updated, 0),
  };
}
