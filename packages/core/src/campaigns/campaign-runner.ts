import pLimit from 'p-limit';
import { AbortedError, CampaignGenerationError, isCustomerError } from '../errors/customer-error';
import { type CampaignContent, campaignContentSchema, toStorableText } from '../model/campaign-model';
import type { Customer } from '../model/customer-schema';
import type {
  CampaignFailure,
  CampaignPatch,
  CampaignRecord,
  CampaignRunRecord,
  ClaimableStatus,
} from '../store/campaign-store';
import type { StorageAdapter } from '../store/storage-adapter';
import { backoffDelay, isTransientSaveError } from '../updates/retry-backoff';
import type { CampaignGeneratorInput } from './campaign-generator';
import type { CampaignResult, CampaignRunReport, ResolvedCampaignRunOptions } from './campaign-options';
import type { TargetBatch } from './campaign-target';
import { generatorInput } from './generator-input';
import { createStatusWriter } from './status-writer';

/** Records per `insertCampaigns` and per cancelling claim. */
const WRITE_BATCH = 500;
/** Status writes per `updateCampaigns` batch, and how long one waits for company (ms). */
const STATUS_BATCH = 250;
const STATUS_DELAY_MS = 50;
/** Records claimed beyond the running ones, so a slot never waits for a claim round trip. */
const CLAIM_AHEAD = 32;
/** Longest error message kept on a record. */
const MAX_ERROR_MESSAGE = 1_000;

/** What a runner needs from the client. */
export interface RunnerContext {
  /** The store. */
  readonly adapter: StorageAdapter;
  /** The tenant. */
  readonly organizationId: string;
  /** Id generator (records, lease tokens). */
  readonly generateId: (now: number) => string;
}

/** What one call works on. */
export interface RunPlan {
  /** The run. */
  readonly run: CampaignRunRecord;
  /** Statuses it claims (`in_progress` ones only once their lease expired). */
  readonly statuses: readonly ClaimableStatus[];
  /** Campaign records of the run already stored when the call starts. */
  readonly total: number;
  /** Creates the run's records first (a new run, or one whose preparation was interrupted). */
  readonly prepare?: () => AsyncIterable<TargetBatch>;
  /** Whether to wait for campaigns other runners hold, taking them over if their lease expires. */
  readonly waitForOthers: boolean;
}

/** A record this call holds: claimed, not yet ended or lost. */
interface Held {
  record: CampaignRecord;
  /** Aborts the running generator call. */
  controller?: AbortController | undefined;
  /** Wakes a retry's backoff sleep. */
  wake?: (() => void) | undefined;
  /** A final status is waiting to be written: no more lease renewals. */
  ending: boolean;
  /** Another runner took it over: drop whatever this call was doing. */
  lost: boolean;
}

type Outcome = { ok: true; content: CampaignContent } | { ok: false; error: unknown };

/** The content or error an ended record is stored with. */
interface Detail {
  readonly content?: CampaignContent;
  readonly error?: CampaignFailure;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

const ABORTED: CampaignFailure = { code: 'aborted', message: 'The campaign run was aborted' };

/**
 * Runs the campaigns of one run: creates its records when asked, then claims them in batches,
 * calls the generator for each with at most `concurrency` calls at once, retries transient
 * failures with backoff and jitter, renews the leases of what it holds, and writes statuses in
 * batches. Each record ends once: every status write is a compare-and-set on the version this call
 * holds, so a record another runner took over is dropped here, never written twice.
 * @param context - Store, tenant, id generator.
 * @param plan - The run and what to claim.
 * @param options - The resolved options.
 * @returns The report.
 * @throws `storage_failed` when the store keeps failing (held records stay `in_progress` until a
 * resume takes them over).
 */
export async function runCampaigns(
  context: RunnerContext,
  plan: RunPlan,
  options: ResolvedCampaignRunOptions,
): Promise<CampaignRunReport> {
  const { adapter: store, organizationId: org } = context;
  const { run } = plan;
  const { timers, generator, concurrency, leaseMs } = options;
  const startedAt = timers.now();
  const owner = `runner-${context.generateId(startedAt)}`;
  const held = new Map<string, Held>();
  const customers = new Map<string, Promise<Customer | null>>();
  const remaining = new Map<string, number>();
  const perCustomer = run.request.contentTypes.length * run.request.platforms.length;
  const results: CampaignResult[] = [];
  const tally = { completed: 0, failed: 0, cancelled: 0 };
  let total = plan.total;
  let resultsTruncated = false;
  let stop: 'abort' | 'fatal' | undefined;
  let fatal: unknown;
  let producing = plan.prepare !== undefined;

  // One wake-up for the claim loop: a task ended, a batch was prepared, the call was stopped.
  let notify: () => void = () => {};
  const nextEvent = () => new Promise<void>((resolve) => (notify = resolve));
  const wake = () => notify();

  /** Waits `ms`; `wake` (kept on `h` when given) ends the wait early and clears its timer. */
  const sleep = (ms: number, h?: { wake?: (() => void) | undefined }) =>
    new Promise<void>((resolve) => {
      const handle = timers.setTimeout(done, ms);
      function done() {
        timers.clearTimeout(handle);
        if (h) h.wake = undefined;
        resolve();
      }
      if (h) h.wake = done;
    });

  const report = (ended: CampaignResult[]) => {
    for (const result of ended) {
      tally[result.status]++;
      if (results.length < options.maxResults) results.push(result);
      else resultsTruncated = true;
    }
    try {
      options.onProgress?.({ runId: run.id, total, ...tally, results: ended });
    } catch {
      // A failing progress callback must not stop the run.
    }
  };

  const release = (customerId: string) => {
    const left = (remaining.get(customerId) ?? perCustomer) - 1;
    if (left > 0) remaining.set(customerId, left);
    else {
      remaining.delete(customerId);
      customers.delete(customerId);
    }
  };

  const lose = (h: Held) => {
    h.lost = true;
    held.delete(h.record.id);
    h.controller?.abort(new AbortedError('Another runner took this campaign over'));
    h.wake?.();
    release(h.record.customerId);
  };

  const writer = createStatusWriter({
    store,
    organizationId: org,
    timers,
    maxBatch: STATUS_BATCH,
    delayMs: STATUS_DELAY_MS,
    retry: options.backoff,
    versionOf: (id) => held.get(id)?.record.version,
    onWritten(updated, conflicts) {
      const ended: CampaignResult[] = [];
      for (const record of updated) {
        const h = held.get(record.id);
        if (!h) continue;
        h.record = record;
        if (TERMINAL.has(record.status)) {
          held.delete(record.id);
          release(record.customerId);
          ended.push(resultOf(record));
        }
      }
      for (const id of conflicts) {
        const h = held.get(id);
        if (h) lose(h);
      }
      if (ended.length > 0) report(ended);
      wake();
    },
  });

  const fail = (error: unknown) => {
    if (stop === 'fatal') return;
    fatal = error;
    stop = 'fatal';
    for (const h of held.values()) {
      h.controller?.abort(error);
      h.wake?.();
    }
    wake();
  };

  const onAbort = () => {
    if (stop) return;
    stop = 'abort';
    const reason = new AbortedError('The campaign run was aborted');
    for (const h of held.values()) {
      h.controller?.abort(reason);
      h.wake?.();
    }
    wake();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();

  const end = (h: Held, status: 'completed' | 'failed' | 'cancelled', attempts: number, detail: Detail) => {
    if (h.lost || stop === 'fatal') return;
    h.ending = true;
    const patch: CampaignPatch = {
      status,
      content: detail.content ?? null,
      error: detail.error ?? null,
      attempts,
      leaseOwner: null,
      leaseExpiresAt: null,
    };
    writer.write(h.record.id, patch);
  };

  function customerOf(id: string): Promise<Customer | null> {
    let customer = customers.get(id);
    if (customer === undefined) {
      customer = store.get(org, id).then((found) => found ?? null);
      customers.set(id, customer);
    }
    return customer;
  }

  async function call(h: Held, input: CampaignGeneratorInput, attempt: number): Promise<Outcome> {
    const controller = new AbortController();
    h.controller = controller;
    const timer = timers.setTimeout(() => {
      controller.abort(
        new CampaignGenerationError('timeout', `The generator did not answer within ${options.timeoutMs} ms`),
      );
    }, options.timeoutMs);
    try {
      // Called synchronously: the abort check just before the call and the call itself are one step.
      const output = await untilAborted(
        invoke(() => generator(input, { signal: controller.signal, campaignId: h.record.id, attempt })),
        controller.signal,
      );
      const checked = campaignContentSchema(h.record.platform).safeParse(output);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        throw new CampaignGenerationError(
          'invalid_output',
          `The generator's answer does not fit ${h.record.platform}: ${issue?.path.join('.') || 'answer'}: ${issue?.message}`,
        );
      }
      return { ok: true, content: checked.data };
    } catch (error) {
      return { ok: false, error: controller.signal.aborted ? controller.signal.reason : error };
    } finally {
      timers.clearTimeout(timer);
      h.controller = undefined;
    }
  }

  async function work(h: Held): Promise<void> {
    if (stop === 'fatal' || h.lost) return;
    if (stop === 'abort') return end(h, 'cancelled', h.record.attempts, { error: ABORTED });
    const customer = await customerOf(h.record.customerId);
    if (customer === null) {
      return end(h, 'failed', h.record.attempts, {
        error: {
          code: 'not_found',
          message: `Customer ${JSON.stringify(h.record.customerId)} was not found`,
        },
      });
    }
    const input = generatorInput(customer, h.record, run.request, options.sharing);
    let attempts = h.record.attempts;
    for (let retry = 0; ; retry++) {
      if (stop === 'abort') return end(h, 'cancelled', attempts, { error: ABORTED });
      if (stop === 'fatal' || h.lost) return;
      attempts++;
      const outcome = await call(h, input, attempts);
      if (outcome.ok) return end(h, 'completed', attempts, { content: outcome.content });
      if (stop === 'abort') return end(h, 'cancelled', attempts, { error: ABORTED });
      if (stop === 'fatal' || h.lost) return;
      const { error } = outcome;
      if (!isRetryable(error) || retry >= options.retries) {
        return end(h, 'failed', attempts, { error: failureOf(error) });
      }
      const asked = isCustomerError(error, 'generation_failed') ? (error.retryAfterMs ?? 0) : 0;
      await sleep(Math.max(backoffDelay(retry + 1, options.backoff), asked), h);
    }
  }

  // Lease renewal: one batched write every third of the lease for everything held; a record whose
  // lease ran out before a renewal was stored is given up (another runner may be taking it over).
  let renewal: unknown;
  const renew = () => {
    const now = timers.now();
    for (const h of [...held.values()]) {
      if (h.ending) continue;
      if ((h.record.leaseExpiresAt ?? 0) <= now) lose(h);
      else if (!writer.isPending(h.record.id)) writer.write(h.record.id, { leaseExpiresAt: now + leaseMs });
    }
    renewal = timers.setTimeout(renew, Math.max(1, Math.floor(leaseMs / 3)));
  };
  renewal = timers.setTimeout(renew, Math.max(1, Math.floor(leaseMs / 3)));

  async function prepare(batches: AsyncIterable<TargetBatch>): Promise<void> {
    try {
      for await (const batch of batches) {
        if (stop) return;
        const now = timers.now();
        const records: CampaignRecord[] = [];
        for (const customerId of batch.customerIds) {
          for (const contentType of run.request.contentTypes) {
            for (const platform of run.request.platforms) {
              records.push(newRecord(context.generateId(now), run, customerId, contentType, platform, now));
            }
          }
        }
        for (const customer of batch.customers) customers.set(customer.id, Promise.resolve(customer));
        for (let start = 0; start < records.length; start += WRITE_BATCH) {
          total += await store.insertCampaigns(org, records.slice(start, start + WRITE_BATCH));
          wake();
        }
      }
      // Also after an abort: the run then ends with the records it has, and a later resume does not
      // create the rest of the target.
      if (stop !== 'fatal') await store.markCampaignRunPrepared(org, run.id, timers.now());
    } catch (error) {
      fail(error);
    } finally {
      producing = false;
      wake();
    }
  }

  /** The earliest lease end among the run's `in_progress` records other runners hold, if any. */
  async function othersLeaseEnd(): Promise<number | undefined> {
    const { page } = await store.listCampaigns(org, {
      numItems: 1_000,
      cursor: null,
      filter: { runId: run.id, status: 'in_progress' },
      sort: 'oldest',
    });
    let earliest: number | undefined;
    for (const record of page) {
      if (held.has(record.id)) continue;
      const at = record.leaseExpiresAt ?? 0;
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  const limit = pLimit(concurrency);
  const tasks = new Set<Promise<void>>();
  const preparing = plan.prepare ? prepare(plan.prepare()) : Promise.resolve();
  try {
    for (;;) {
      if (stop) break;
      const backlog = limit.activeCount + limit.pendingCount;
      if (backlog > concurrency) {
        await nextEvent();
        continue;
      }
      const now = timers.now();
      const claimed = await store.claimCampaigns(org, {
        runId: run.id,
        statuses: plan.statuses,
        limit: concurrency + Math.max(concurrency, CLAIM_AHEAD) - backlog,
        now,
        status: 'in_progress',
        leaseOwner: owner,
        leaseExpiresAt: now + leaseMs,
      });
      for (const record of claimed) {
        const h: Held = { record, ending: false, lost: false };
        held.set(record.id, h);
        const task: Promise<void> = limit(() => work(h))
          .catch(fail)
          .finally(() => {
            tasks.delete(task);
            wake();
          });
        tasks.add(task);
      }
      if (claimed.length > 0 || stop) continue;
      if (producing) {
        await nextEvent();
        continue;
      }
      if (!plan.waitForOthers) break;
      const until = await othersLeaseEnd();
      if (until === undefined) break;
      // Campaigns other runners hold: look again when the first of their leases would expire.
      const waiting: { wake?: (() => void) | undefined } = {};
      await Promise.race([sleep(Math.max(10, until - timers.now() + 1), waiting), nextEvent()]);
      waiting.wake?.();
    }
  } catch (error) {
    fail(error);
  }
  while (tasks.size > 0) await Promise.all([...tasks]);
  await preparing;
  timers.clearTimeout(renewal);
  options.signal?.removeEventListener('abort', onAbort);

  if (stop === 'abort') {
    // Nothing may stay queued or (taken over from a dead runner) in progress: cancel the rest.
    try {
      await writer.drain();
      for (;;) {
        const cancelled = await store.claimCampaigns(org, {
          runId: run.id,
          statuses: ['queued', 'in_progress'],
          limit: WRITE_BATCH,
          now: timers.now(),
          status: 'cancelled',
          error: ABORTED,
        });
        if (cancelled.length > 0) report(cancelled.map(resultOf));
        if (cancelled.length < WRITE_BATCH) break;
      }
    } catch (error) {
      fail(error);
    }
  }
  try {
    await writer.drain();
  } catch (error) {
    fail(error);
  }
  if (stop === 'fatal') throw fatal;
  const stored = await store.getCampaignRun(org, run.id);
  return {
    runId: run.id,
    counts: stored?.counts ?? { total, queued: 0, inProgress: 0, completed: 0, failed: 0, cancelled: 0 },
    results,
    resultsTruncated,
    aborted: stop === 'abort',
    durationMs: timers.now() - startedAt,
  };
}

function newRecord(
  id: string,
  run: CampaignRunRecord,
  customerId: string,
  contentType: CampaignRecord['contentType'],
  platform: CampaignRecord['platform'],
  now: number,
): CampaignRecord {
  return {
    id,
    organizationId: run.organizationId,
    customerId,
    runId: run.id,
    title: run.request.title,
    contentType,
    platform,
    status: 'queued',
    content: null,
    error: null,
    attempts: 0,
    leaseOwner: null,
    leaseExpiresAt: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

function resultOf(record: CampaignRecord): CampaignResult {
  return {
    customerId: record.customerId,
    campaignId: record.id,
    contentType: record.contentType,
    platform: record.platform,
    status: record.status as CampaignResult['status'],
    ...(record.content === null ? {} : { content: record.content }),
    ...(record.error === null ? {} : { error: record.error }),
    attempts: record.attempts,
  };
}

/** A generation error says whether to retry; other typed permanent errors are not retried. */
function isRetryable(error: unknown): boolean {
  if (isCustomerError(error, 'generation_failed')) return error.retryable;
  return isTransientSaveError(error);
}

function failureOf(error: unknown): CampaignFailure {
  const code = isCustomerError(error) ? error.code : 'generation_failed';
  const message =
    error instanceof Error
      ? isCustomerError(error)
        ? error.message
        : `${error.name}: ${error.message}`
      : `The generator failed: ${String(error)}`;
  return { code: toStorableText(code), message: toStorableText(message.slice(0, MAX_ERROR_MESSAGE)) };
}

/** Calls `fn`, turning a synchronous throw into a rejection. */
function invoke<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts: a generator
 * that ignores its signal does not keep the run waiting (its late answer is discarded).
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
