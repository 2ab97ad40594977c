import { isCustomerError } from '../errors/customer-error';
import { stampConsent } from '../model/consent';
import { newSystemFields, toCustomerSharing } from '../model/customer-record';
import type { Customer } from '../model/customer-schema';
import type { CustomerUpdate, StorageAdapter } from '../store/storage-adapter';
import type { ImportPlan, PlannerRow } from './import-types';

/**
 * How many times a batch is planned again when another writer took one of its emails (or changed
 * one of its customers) between its lookup and its write. Each attempt reads the stored customers
 * again, so rows the other writer has just added become skips or updates; only a writer racing on
 * the very same emails every time can exhaust it.
 */
export const MAX_REPLANS = 10;

/** Longest pause before a re-plan, in ms (the pause doubles per attempt, with full jitter). */
const MAX_BACKOFF_MS = 250;

/** What one batch wrote. */
export interface BatchOutcome {
  /** The plan that was carried out (the combined plans when the batch was re-planned). */
  readonly plan: ImportPlan;
  /** Ids of the inserted customers, in row order. */
  readonly addedIds: string[];
  /** Customers updated. */
  readonly updated: number;
}

/** What {@link writeBatch} needs from the import. */
export interface BatchWriterContext {
  /** Where customers are written. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** Clock, epoch ms. */
  readonly now: () => number;
  /** Id generator. */
  readonly generateId: (now: number) => string;
  /** Who the rows' consent is recorded by, unless a row names someone. @defaultValue null */
  readonly consentRecordedBy?: string | null;
  /** Plans rows again against freshly read stored customers. */
  readonly replan: (rows: readonly PlannerRow[]) => Promise<ImportPlan>;
  /** Waits before a re-plan. @defaultValue a jittered exponential pause (at most 250 ms) */
  readonly pause?: (attempt: number) => Promise<void>;
}

/** A race lost to another writer: nothing of the failed write landed, so planning again is safe. */
const isRace = (error: unknown) =>
  isCustomerError(error, 'duplicate_email') || isCustomerError(error, 'version_conflict');

/** Full-jitter exponential backoff: racing importers spread out instead of colliding again. */
function jitteredPause(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_BACKOFF_MS, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

/**
 * Writes one planned batch: its inserts in one atomic `insertMany`, then its updates in one
 * `updateMany`. The plan was made against the stored customers read just before, so a write is
 * refused (`duplicate_email`, `version_conflict`) only when another writer got in between; nothing
 * of that write landed, so the rows it carried are planned again on fresh data, after a short
 * jittered pause, at most {@link MAX_REPLANS} times. Nothing is written twice.
 * @param context - Adapter, tenant, clock, ids and the re-planner.
 * @param rows - The batch's rows.
 * @param first - The batch's plan.
 * @returns What was written.
 * @throws The last race error after {@link MAX_REPLANS} re-plans; any other adapter error at once.
 */
export async function writeBatch(
  context: BatchWriterContext,
  rows: readonly PlannerRow[],
  first: ImportPlan,
): Promise<BatchOutcome> {
  const pause = context.pause ?? jitteredPause;
  const done: BatchOutcome[] = [];
  let pending = rows;
  let plan = first;
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      await pause(attempt);
      plan = await context.replan(pending);
    }
    const { timestamp, inserts, updates } = writesOf(context, plan);
    try {
      if (inserts.length > 0) await context.adapter.insertMany(context.organizationId, inserts);
    } catch (error) {
      if (!isRace(error) || attempt >= MAX_REPLANS) throw error;
      continue; // nothing of this plan was written: plan it again on fresh data
    }
    const addedIds = inserts.map((c) => c.id);
    try {
      if (updates.length > 0) {
        await context.adapter.updateMany(context.organizationId, updates, { updatedAt: timestamp });
      }
    } catch (error) {
      if (!isRace(error) || attempt >= MAX_REPLANS) throw error;
      // The inserts landed: keep them, and plan only the update rows again.
      const retry = new Set(plan.actions.flatMap((a) => (a.kind === 'update' ? [a.row] : [])));
      done.push({ plan: withoutRows(plan, retry), addedIds, updated: 0 });
      pending = pending.filter((r) => retry.has(r.row));
      continue;
    }
    done.push({ plan, addedIds, updated: updates.length });
    return combine(done);
  }
}

function writesOf(context: BatchWriterContext, plan: ImportPlan) {
  const timestamp = context.now();
  const inserts: Customer[] = [];
  const updates: CustomerUpdate[] = [];
  // Consent the rows carry is recorded now, by the import (a CSV cell says `import`; a bulk add, `api`).
  const by = context.consentRecordedBy ?? null;
  for (const action of plan.actions) {
    if (action.kind === 'insert') {
      const data = action.data.consent
        ? { ...action.data, consent: stampConsent(action.data.consent, timestamp, 'api', by) }
        : action.data;
      // The planned data is this batch's own: the customer takes its lists instead of copies.
      const system = newSystemFields(context.organizationId, timestamp, context.generateId);
      inserts.push(toCustomerSharing(data, system));
    } else if (action.kind === 'update') {
      const patch = action.patch.consent
        ? { ...action.patch, consent: stampConsent(action.patch.consent, timestamp, 'api', by) }
        : action.patch;
      updates.push({ id: action.id, patch, expectedVersion: action.expectedVersion });
    }
  }
  return { timestamp, inserts, updates };
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
      issues: outcomes.flatMap((o) => o.plan.issues).sort((a, b) => a.row - b.row),
      newEmails: new Map(outcomes.flatMap((o) => [...o.plan.newEmails])),
    },
    addedIds: outcomes.flatMap((o) => o.addedIds),
    updated: outcomes.reduce((n, o) => n + o.updated, 0),
  };
}
