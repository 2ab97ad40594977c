import type { CampaignPatch, CampaignRecord, CampaignStore, CampaignUpdate } from '../store/campaign-store';
import type { UpdateQueueTimers } from '../updates/queue-timers';
import { retryStore } from './store-retry';

/** What a {@link StatusWriter} needs. */
export interface StatusWriterOptions {
  /** Where the records are. */
  readonly store: CampaignStore;
  /** The tenant. */
  readonly organizationId: string;
  /** Timers and clock. */
  readonly timers: UpdateQueueTimers;
  /** The version the runner holds for a record (the compare-and-set condition). */
  readonly versionOf: (id: string) => number | undefined;
  /** Called after each write with the records written and the ids that had moved on. */
  readonly onWritten: (updated: readonly CampaignRecord[], conflicts: readonly string[]) => void;
  /** Writes waiting before a batch goes out at once. */
  readonly maxBatch: number;
  /** How long a write may wait for others to join its batch, in ms. */
  readonly delayMs: number;
  /** Jitter of the retries of a write that failed transiently. */
  readonly random: () => number;
}

/** Batches a runner's status writes: one `updateCampaigns` round trip per batch, one batch at a time. */
export interface StatusWriter {
  /**
   * Queues a patch of one record. A later patch of the same record merges into a waiting one.
   * @param id - The record.
   * @param patch - What changes.
   */
  write(id: string, patch: CampaignPatch): void;
  /** Whether a write of this record is waiting or being sent. */
  isPending(id: string): boolean;
  /** Resolves once everything queued so far is written. @throws what the store threw after the retries. */
  drain(): Promise<void>;
  /** The error that stopped the writer, if any (later writes are dropped). */
  readonly failure: unknown;
}

/**
 * Creates a status writer. Writes go out when `maxBatch` are waiting or `delayMs` after the first
 * one, strictly one batch after another, so the versions each batch expects are those the previous
 * one returned. A batch that failed transiently (`storage_failed`, `retryable`) is retried with
 * backoff; after any other failure, or the last retry, the writer stops and `drain()` rejects.
 * @param options - See {@link StatusWriterOptions}.
 * @returns The writer.
 */
export function createStatusWriter(options: StatusWriterOptions): StatusWriter {
  const waiting = new Map<string, CampaignPatch>();
  const sending = new Set<string>();
  let timer: unknown;
  let running: Promise<void> | undefined;
  let failure: unknown;

  async function send(batch: Map<string, CampaignPatch>): Promise<void> {
    const updates: CampaignUpdate[] = [];
    for (const [id, patch] of batch) {
      const expectedVersion = options.versionOf(id);
      if (expectedVersion !== undefined) updates.push({ id, expectedVersion, patch });
    }
    if (updates.length === 0) return;
    const result = await retryStore(
      () =>
        options.store.updateCampaigns(options.organizationId, updates, { updatedAt: options.timers.now() }),
      options.timers,
      options.random,
    );
    options.onWritten(result.updated, result.conflicts);
  }

  /** Sends batches until nothing waits; one pump at a time (a second call joins the running one). */
  function pump(): Promise<void> {
    if (running) return running;
    // Nothing to send: do not start a pump, whose state would outlive it (a timer can fire after
    // a running pump already sent what it was set for).
    if (waiting.size === 0 || failure !== undefined) return Promise.resolve();
    const current = (async () => {
      while (waiting.size > 0 && failure === undefined) {
        const batch = new Map<string, CampaignPatch>();
        for (const [id, patch] of waiting) {
          if (batch.size >= options.maxBatch) break;
          batch.set(id, patch);
          sending.add(id);
        }
        for (const id of batch.keys()) waiting.delete(id);
        try {
          await send(batch);
        } catch (error) {
          failure = error;
          waiting.clear();
        } finally {
          sending.clear();
        }
      }
    })();
    running = current;
    // Cleared only after `running` was set: the pump always awaits its first send, so it cannot
    // have ended before this line.
    void current.then(() => {
      if (running === current) running = undefined;
    });
    return current;
  }

  function schedule(): void {
    if (waiting.size >= options.maxBatch) {
      if (timer !== undefined) options.timers.clearTimeout(timer);
      timer = undefined;
      void pump();
    } else if (timer === undefined) {
      timer = options.timers.setTimeout(() => {
        timer = undefined;
        void pump();
      }, options.delayMs);
    }
  }

  return {
    write(id, patch) {
      if (failure !== undefined) return;
      const earlier = waiting.get(id);
      waiting.set(id, earlier ? { ...earlier, ...patch } : patch);
      schedule();
    },
    isPending: (id) => waiting.has(id) || sending.has(id),
    async drain() {
      if (timer !== undefined) options.timers.clearTimeout(timer);
      timer = undefined;
      while (running !== undefined || (waiting.size > 0 && failure === undefined)) await pump();
      if (failure !== undefined) throw failure;
    },
    get failure() {
      return failure;
    },
  };
}
