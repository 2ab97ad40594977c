import { AbortedError } from '../errors/customer-error';
import type { CampaignContent } from '../model/campaign-model';
import type { CampaignFailure, CampaignRecord, CampaignStore } from '../store/campaign-store';
import type { UpdateQueueTimers } from '../updates/queue-timers';
import { createStatusWriter } from './status-writer';
import { retryStore } from './store-retry';

/** Status writes per `updateCampaigns` batch, and how long one waits for company (ms). */
const STATUS_BATCH = 250;
const STATUS_DELAY_MS = 50;

/** A campaign a runner holds: claimed under its lease, not yet ended or lost. */
export interface Held {
  /** The record as last written by this runner (its version is the next write's condition). */
  readonly record: CampaignRecord;
  /** Aborts the generator call running for it, if any. */
  readonly controller: AbortController | undefined;
  /** A final status is being written: no more lease renewals. */
  readonly ending: boolean;
  /** Another runner took it over: whatever this runner does with it is dropped. */
  readonly lost: boolean;
}

/** How a campaign ends: its status, calls made, and its content or error. */
export interface Ending {
  readonly status: 'completed' | 'failed' | 'cancelled' | 'skipped';
  readonly attempts: number;
  readonly content?: CampaignContent;
  readonly error?: CampaignFailure;
}

/** What {@link HeldCampaigns} needs. */
export interface HeldCampaignsOptions {
  readonly store: CampaignStore;
  readonly organizationId: string;
  readonly timers: UpdateQueueTimers;
  readonly leaseMs: number;
  /** Jitter of the retries of a status write that failed transiently. */
  readonly random: () => number;
  /** Records whose final status was stored, in write order. */
  readonly onEnded: (records: CampaignRecord[]) => void;
  /** A campaign left this runner (ended or lost). */
  readonly onReleased: (record: CampaignRecord) => void;
}

type Mutable = { -readonly [K in keyof Held]: Held[K] };

/**
 * The campaigns one runner holds, and every change of their state: claimed, given a call, ended,
 * lost, renewed. Status writes (ends and lease renewals) go through one batched status writer as
 * compare-and-set on the version held; a write that finds the version moved on means another
 * runner took the campaign over, and it is given up here.
 */
export class HeldCampaigns {
  readonly #held = new Map<string, Mutable>();
  readonly #options: HeldCampaignsOptions;
  readonly #writer;
  #renewal: unknown;

  /** @param options - See {@link HeldCampaignsOptions}. */
  constructor(options: HeldCampaignsOptions) {
    this.#options = options;
    this.#writer = createStatusWriter({
      store: options.store,
      organizationId: options.organizationId,
      timers: options.timers,
      maxBatch: STATUS_BATCH,
      delayMs: STATUS_DELAY_MS,
      random: options.random,
      versionOf: (id) => this.#held.get(id)?.record.version,
      onWritten: (updated, conflicts) => this.#written(updated, conflicts),
    });
  }

  /** Whether this runner holds the campaign. */
  has(id: string): boolean {
    return this.#held.has(id);
  }

  /**
   * Takes over claimed records.
   * @returns Their handles, in order.
   */
  hold(records: readonly CampaignRecord[]): Held[] {
    return records.map((record) => {
      const h: Mutable = { record, controller: undefined, ending: false, lost: false };
      this.#held.set(record.id, h);
      return h;
    });
  }

  /** Sets (or clears) the controller of the call running for `h`. */
  calling(h: Held, controller: AbortController | undefined): void {
    (h as Mutable).controller = controller;
  }

  /** Queues the final write of `h` (dropped when `h` was lost). */
  end(h: Held, ending: Ending): void {
    if (h.lost) return;
    (h as Mutable).ending = true;
    this.#writer.write(h.record.id, {
      status: ending.status,
      content: ending.content ?? null,
      error: ending.error ?? null,
      attempts: ending.attempts,
      leaseOwner: null,
      leaseExpiresAt: null,
    });
  }

  /** Aborts every running call with `reason` (the run stops). */
  abortAll(reason: unknown): void {
    for (const h of this.#held.values()) h.controller?.abort(reason);
  }

  /**
   * Starts renewing leases: every third of the lease, one batched write for everything held; a
   * campaign whose stored lease ran out is given up (another runner may be taking it over).
   */
  startRenewing(): void {
    const every = Math.max(1, Math.floor(this.#options.leaseMs / 3));
    const tick = () => {
      const now = this.#options.timers.now();
      for (const h of [...this.#held.values()]) {
        if (h.ending) continue;
        if ((h.record.leaseExpiresAt ?? 0) <= now) this.#lose(h);
        else if (!this.#writer.isPending(h.record.id)) {
          this.#writer.write(h.record.id, { leaseExpiresAt: now + this.#options.leaseMs });
        }
      }
      this.#renewal = this.#options.timers.setTimeout(tick, every);
    };
    this.#renewal = this.#options.timers.setTimeout(tick, every);
  }

  /** Stops renewing leases. */
  stopRenewing(): void {
    this.#options.timers.clearTimeout(this.#renewal);
  }

  /**
   * The earliest lease end among a run's `in_progress` campaigns that other runners hold.
   * @param runId - The run.
   * @returns Epoch ms, or `undefined` when other runners hold none (in the first 1,000).
   */
  async othersLeaseEnd(runId: string): Promise<number | undefined> {
    const { store, organizationId, timers, random } = this.#options;
    const query = {
      numItems: 1_000,
      cursor: null,
      filter: { runId, status: 'in_progress' as const },
      sort: 'oldest' as const,
    };
    const { page } = await retryStore(() => store.listCampaigns(organizationId, query), timers, random);
    let earliest: number | undefined;
    for (const record of page) {
      if (this.#held.has(record.id)) continue;
      const at = record.leaseExpiresAt ?? 0;
      if (earliest === undefined || at < earliest) earliest = at;
    }
    return earliest;
  }

  /** Resolves once every queued write is stored. @throws what the store kept failing with. */
  drain(): Promise<void> {
    return this.#writer.drain();
  }

  #lose(h: Mutable): void {
    h.lost = true;
    this.#held.delete(h.record.id);
    h.controller?.abort(new AbortedError('Another runner took this campaign over'));
    this.#options.onReleased(h.record);
  }

  #written(updated: readonly CampaignRecord[], conflicts: readonly string[]): void {
    const ended: CampaignRecord[] = [];
    for (const record of updated) {
      const h = this.#held.get(record.id);
      if (!h) continue;
      h.record = record;
      if (record.status !== 'in_progress') {
        this.#held.delete(record.id);
        this.#options.onReleased(record);
        ended.push(record);
      }
    }
    for (const id of conflicts) {
      const h = this.#held.get(id);
      if (h) this.#lose(h);
    }
    if (ended.length > 0) this.#options.onEnded(ended);
  }
}
