import pLimit from 'p-limit';
import { AbortedError, NotFoundError } from '../errors/customer-error';
import type { CampaignPlatform } from '../model/campaign-types';
import type { Customer } from '../model/customer-schema';
import type {
  CampaignConsentPolicy,
  CampaignFailure,
  CampaignRunRecord,
  CampaignRunRequest,
  ClaimableStatus,
} from '../store/campaign-store';
import type { StorageAdapter } from '../store/storage-adapter';
import { backoffDelay } from '../updates/retry-backoff';
import type { CampaignRunReport, ResolvedCampaignRunOptions } from './campaign-options';
import { consentChannelOfPlatform } from './campaign-request';
import type { TargetBatch } from './campaign-target';
import { callGenerator, failureOf, isRetryable, retryAfterOf } from './generator-call';
import { generatorInput } from './generator-input';
import { type Held, HeldCampaigns } from './held-campaigns';
import { prepareRun } from './run-preparation';
import { RunProgress } from './run-progress';
import { retryStore } from './store-retry';

/** Records per cancelling claim. */
const WRITE_BATCH = 500;
/** Records claimed beyond the running ones, so a free slot never waits for a claim round trip. */
const CLAIM_AHEAD = 32;

const ABORTED: CampaignFailure = { code: 'aborted', message: 'The campaign run was aborted' };

/** The rule of a run stored before consent existed: email needs consent. */
const DEFAULT_CONSENT: CampaignConsentPolicy = { requiredFor: ['email'], override: null };

/**
 * Why a campaign may not reach its customer: the platform needs consent, the run has no override,
 * and the customer's consent for the platform's channel is not `subscribed`.
 * @returns The `no_consent` failure, or `undefined` when the campaign may be generated.
 */
export function missingConsent(
  customer: Customer,
  platform: CampaignPlatform,
  request: CampaignRunRequest,
): CampaignFailure | undefined {
  const policy = request.consent ?? DEFAULT_CONSENT;
  if (policy.override !== null || !policy.requiredFor.includes(platform)) return undefined;
  const channel = consentChannelOfPlatform(platform);
  const state = customer.consent[channel].state;
  if (state === 'subscribed') return undefined;
  return {
    code: 'no_consent',
    message: `The customer's ${channel} consent is ${state}, not subscribed: no ${platform} campaign was generated`,
  };
}

/** Why a call stops early: the signal aborted it, or the store kept failing. */
type Stop = { readonly kind: 'abort' } | { readonly kind: 'fatal'; readonly error: unknown };

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
export function runCampaigns(
  context: RunnerContext,
  plan: RunPlan,
  options: ResolvedCampaignRunOptions,
): Promise<CampaignRunReport> {
  return new CampaignRunner(context, plan, options).run();
}

class CampaignRunner {
  readonly #context: RunnerContext;
  readonly #plan: RunPlan;
  readonly #options: ResolvedCampaignRunOptions;
  readonly #held: HeldCampaigns;
  readonly #progress: RunProgress;
  readonly #owner: string;
  readonly #startedAt: number;
  /** Customers by id, read once per run (dropped once all their campaigns left this runner). */
  readonly #customers = new Map<string, Promise<Customer | null>>();
  readonly #left = new Map<string, number>();
  #stop: Stop | undefined;
  #preparing: boolean;
  #notify: () => void = () => {};

  constructor(context: RunnerContext, plan: RunPlan, options: ResolvedCampaignRunOptions) {
    this.#context = context;
    this.#plan = plan;
    this.#options = options;
    this.#startedAt = options.timers.now();
    this.#owner = `runner-${context.generateId(this.#startedAt)}`;
    this.#preparing = plan.prepare !== undefined;
    this.#progress = new RunProgress(plan.run.id, plan.total, options.maxResults, options.onProgress);
    this.#held = new HeldCampaigns({
      store: context.adapter,
      organizationId: context.organizationId,
      timers: options.timers,
      leaseMs: options.leaseMs,
      random: options.backoff.random,
      onEnded: (records) => {
        this.#progress.ended(records);
        this.#wake();
      },
      onReleased: (record) => this.#release(record.customerId),
    });
  }

  async run(): Promise<CampaignRunReport> {
    const { signal } = this.#options;
    const onAbort = () => this.#halt({ kind: 'abort' });
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    this.#held.startRenewing();
    const preparing = this.#plan.prepare ? this.#prepare(this.#plan.prepare()) : Promise.resolve();
    const tasks = new Set<Promise<void>>();
    try {
      await this.#claimLoop(tasks);
    } catch (error) {
      this.#halt({ kind: 'fatal', error });
    }
    while (tasks.size > 0) await Promise.all([...tasks]);
    await preparing;
    this.#held.stopRenewing();
    signal?.removeEventListener('abort', onAbort);
    if (this.#stop?.kind === 'abort') await this.#guard(() => this.#cancelTheRest());
    await this.#guard(() => this.#held.drain());
    if (this.#stop?.kind === 'fatal') throw this.#stop.error;
    const { adapter, organizationId } = this.#context;
    const stored = await this.#retry(() => adapter.getCampaignRun(organizationId, this.#plan.run.id));
    if (!stored) throw new NotFoundError(this.#plan.run.id, 'Campaign run');
    return {
      runId: this.#plan.run.id,
      counts: stored.counts,
      results: this.#progress.results,
      resultsTruncated: this.#progress.truncated,
      aborted: this.#stop?.kind === 'abort',
      durationMs: this.#options.timers.now() - this.#startedAt,
    };
  }

  /** Claims records in batches while slots free up, until nothing is left to claim (or wait for). */
  async #claimLoop(tasks: Set<Promise<void>>): Promise<void> {
    const { concurrency, leaseMs, timers } = this.#options;
    const { adapter, organizationId } = this.#context;
    const limit = pLimit(concurrency);
    // Claimed records wait in p-limit's queue: a new claim goes out while half of that reserve is
    // still there, so freed slots find work during the claim's round trip.
    const ahead = Math.max(concurrency, CLAIM_AHEAD);
    while (!this.#stop) {
      const backlog = limit.activeCount + limit.pendingCount;
      if (backlog > concurrency + ahead / 2) {
        await this.#nextEvent();
        continue;
      }
      const now = timers.now();
      const claimed = await this.#retry(() =>
        adapter.claimCampaigns(organizationId, {
          runId: this.#plan.run.id,
          statuses: this.#plan.statuses,
          limit: concurrency + ahead - backlog,
          now,
          status: 'in_progress',
          leaseOwner: this.#owner,
          leaseExpiresAt: now + leaseMs,
        }),
      );
      for (const h of this.#held.hold(claimed)) {
        const task: Promise<void> = limit(() => this.#work(h))
          .catch((error: unknown) => this.#halt({ kind: 'fatal', error }))
          .finally(() => {
            tasks.delete(task);
            this.#wake();
          });
        tasks.add(task);
      }
      if (claimed.length > 0 || this.#stop) continue;
      if (this.#preparing) {
        await this.#nextEvent();
        continue;
      }
      if (!this.#plan.waitForOthers) return;
      const until = await this.#held.othersLeaseEnd(this.#plan.run.id);
      if (until === undefined) return;
      // Campaigns other runners hold: look again when the first of their leases would expire, or
      // sooner (they renew their leases while they work, and may end them any time).
      const wait = Math.min(until - timers.now() + 1, Math.ceil(leaseMs / 3));
      await this.#sleep(Math.max(10, wait), this.#nextEvent());
    }
  }

  /** Generates one campaign: calls, retries with backoff, and queues its final status. */
  async #work(h: Held): Promise<void> {
    const { record } = h;
    const cancelled = (attempts: number) =>
      this.#held.end(h, { status: 'cancelled', attempts, error: ABORTED });
    // Checked before every step (the stop state changes while a step awaits): an abort cancels the
    // campaign, a fatal error or a lost lease leaves it alone.
    const next = (attempts: number): 'go' | 'stop' => {
      if (this.#stopped()?.kind === 'abort') cancelled(attempts);
      return this.#stopped() || h.lost ? 'stop' : 'go';
    };
    if (next(record.attempts) === 'stop') return;
    const customer = await this.#customerOf(record.customerId);
    if (customer === null) {
      const error = {
        code: 'not_found',
        message: `Customer ${JSON.stringify(record.customerId)} was not found`,
      };
      return this.#held.end(h, { status: 'failed', attempts: record.attempts, error });
    }
    const missing = missingConsent(customer, record.platform, this.#plan.run.request);
    if (missing) return this.#held.end(h, { status: 'skipped', attempts: record.attempts, error: missing });
    const { generator, timers, timeoutMs, retries, backoff } = this.#options;
    const input = generatorInput(customer, record, this.#plan.run.request, this.#options.sharing);
    for (let retry = 0, attempts = record.attempts; ; retry++) {
      if (next(attempts) === 'stop') return;
      attempts++;
      const controller = new AbortController();
      this.#held.calling(h, controller);
      const outcome = await callGenerator(controller, generator, input, record, attempts, timers, timeoutMs);
      this.#held.calling(h, undefined);
      if (outcome.ok) return this.#held.end(h, { status: 'completed', attempts, content: outcome.content });
      if (next(attempts) === 'stop') return;
      if (!isRetryable(outcome.error) || retry >= retries) {
        return this.#held.end(h, { status: 'failed', attempts, error: failureOf(outcome.error) });
      }
      // The backoff wait is abortable like a call: an abort or a lost lease ends it early.
      const waiting = new AbortController();
      this.#held.calling(h, waiting);
      const delay = Math.max(backoffDelay(retry + 1, backoff), retryAfterOf(outcome.error));
      await this.#sleep(delay, new Promise((resolve) => waiting.signal.addEventListener('abort', resolve)));
      this.#held.calling(h, undefined);
    }
  }

  /** Creates the run's records batch by batch (skipping ones already stored), then marks it prepared. */
  async #prepare(batches: AsyncIterable<TargetBatch>): Promise<void> {
    try {
      await prepareRun({
        ...this.#context,
        retry: (call) => this.#retry(call),
        run: this.#plan.run,
        batches,
        now: () => this.#options.timers.now(),
        stopped: () => this.#stopped()?.kind,
        onCustomers: (customers) => {
          for (const customer of customers) this.#customers.set(customer.id, Promise.resolve(customer));
        },
        onInserted: (count) => {
          this.#progress.total += count;
          this.#wake();
        },
      });
    } catch (error) {
      this.#halt({ kind: 'fatal', error });
    } finally {
      this.#preparing = false;
      this.#wake();
    }
  }

  /** After an abort nothing may stay queued or (taken over from a dead runner) in progress. */
  async #cancelTheRest(): Promise<void> {
    const { adapter, organizationId } = this.#context;
    await this.#held.drain();
    for (;;) {
      const cancelled = await this.#retry(() =>
        adapter.claimCampaigns(organizationId, {
          runId: this.#plan.run.id,
          statuses: ['queued', 'in_progress'],
          limit: WRITE_BATCH,
          now: this.#options.timers.now(),
          status: 'cancelled',
          error: ABORTED,
        }),
      );
      if (cancelled.length > 0) this.#progress.ended(cancelled);
      if (cancelled.length < WRITE_BATCH) return;
    }
  }

  #customerOf(id: string): Promise<Customer | null> {
    let customer = this.#customers.get(id);
    if (customer === undefined) {
      const { adapter, organizationId } = this.#context;
      customer = this.#retry(() => adapter.get(organizationId, id)).then((found) => found ?? null);
      this.#customers.set(id, customer);
    }
    return customer;
  }

  /** One of the customer's campaigns left this runner; forget the customer after the last one. */
  #release(customerId: string): void {
    const request = this.#plan.run.request;
    const left = (this.#left.get(customerId) ?? request.contentTypes.length * request.platforms.length) - 1;
    if (left > 0) this.#left.set(customerId, left);
    else {
      this.#left.delete(customerId);
      this.#customers.delete(customerId);
    }
  }

  /** Stops the call: an abort cancels what is left; a fatal error leaves it for a resume. */
  #halt(stop: Stop): void {
    if (this.#stop?.kind === 'fatal' || (this.#stop && stop.kind === 'abort')) return;
    this.#stop = stop;
    this.#held.abortAll(
      stop.kind === 'abort' ? new AbortedError('The campaign run was aborted') : stop.error,
    );
    this.#wake();
  }

  /** A store call, retried while it fails transiently. */
  #retry<T>(call: () => Promise<T>): Promise<T> {
    return retryStore(call, this.#options.timers, this.#options.backoff.random);
  }

  /** The stop state, read through a call so that checks after an `await` are not narrowed away. */
  #stopped(): Stop | undefined {
    return this.#stop;
  }

  /** Runs a final step; a failure of the store becomes the call's error. */
  async #guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.#halt({ kind: 'fatal', error });
    }
  }

  /** The claim loop's wake-up: a task ended, a batch was prepared, campaigns ended, the call stopped. */
  #nextEvent(): Promise<void> {
    return new Promise((resolve) => {
      this.#notify = resolve;
    });
  }

  #wake(): void {
    this.#notify();
  }

  /** Waits `ms` on the run's timers, or until `early` settles. */
  #sleep(ms: number, early: Promise<unknown>): Promise<void> {
    const { timers } = this.#options;
    let handle: unknown;
    const timer = new Promise<void>((resolve) => {
      handle = timers.setTimeout(resolve, ms);
    });
    return Promise.race([timer, early]).then(() => timers.clearTimeout(handle));
  }
}
