import {
  type CampaignGenerator,
  type CampaignRecord,
  type CustomerClient,
  createCustomerClient,
  createMemoryAdapter,
  isCustomerError,
  type StorageAdapter,
  type UpdateQueueTimers,
} from '@donutauto/core';

// The client loads its campaign code on the first campaign call (a dynamic import, which takes real
// time); loading it here keeps a virtual clock from counting that wait's idle turns as a deadlock.
const warmUp = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'warm-up' });
await warmUp.listCampaignRuns();
await warmUp
  .retryFailed('warm-up', { generator: () => Promise.reject(new Error('unused')) })
  .catch((error) => {
    if (!isCustomerError(error, 'not_found')) throw error;
  });

/** A virtual clock: timers fire only when {@link VirtualClock.step} reaches them. */
export interface VirtualClock extends UpdateQueueTimers {
  /** Fires the earliest timer, moving the clock to its time; `false` when none is pending. */
  step(): boolean;
  /** Timers pending. */
  pending(): number;
}

/**
 * Creates a virtual clock starting at `start`.
 * @param start - Epoch ms.
 * @returns The clock.
 */
export function virtualClock(start = 1_700_000_000_000): VirtualClock {
  let now = start;
  let next = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    setTimeout(fn, ms) {
      const handle = ++next;
      timers.set(handle, { at: now + Math.max(0, ms), fn });
      return handle;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    now: () => now,
    pending: () => timers.size,
    step() {
      let first: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of timers) {
        if (!first || entry[1].at < first[1].at || (entry[1].at === first[1].at && entry[0] < first[0]))
          first = entry;
      }
      if (!first) return false;
      timers.delete(first[0]);
      now = Math.max(now, first[1].at);
      first[1].fn();
      return true;
    },
  };
}

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Drives a promise to completion on a virtual clock: lets every microtask settle, then fires the
 * next timer, until the promise settles.
 * @param clock - The clock the code under test schedules with.
 * @param promise - What to wait for.
 * @returns Its value.
 * @throws Its error, or an error when nothing is left to run (a deadlock).
 */
export async function settle<T>(clock: VirtualClock, promise: Promise<T>): Promise<T> {
  let state: { done: false } | { done: true; ok: boolean; value: unknown } = { done: false };
  promise.then(
    (value) => {
      state = { done: true, ok: true, value };
    },
    (value: unknown) => {
      state = { done: true, ok: false, value };
    },
  );
  for (let idle = 0; ; ) {
    await macrotask();
    if (state.done) break;
    if (clock.step()) idle = 0;
    else if (++idle > 20) throw new Error('deadlock: the promise is pending and no timer is left');
  }
  const settled = state as { done: true; ok: boolean; value: unknown };
  if (!settled.ok) throw settled.value;
  return settled.value as T;
}

/**
 * Drives a virtual clock until `condition` holds (used to stop a run at a chosen point).
 * @param clock - The clock.
 * @param condition - Checked after every step.
 * @throws When nothing is left to run before the condition holds.
 */
export async function runUntil(clock: VirtualClock, condition: () => boolean): Promise<void> {
  for (let idle = 0; !condition(); ) {
    await macrotask();
    if (condition()) return;
    if (clock.step()) idle = 0;
    else if (++idle > 20) throw new Error('the condition never held and no timer is left');
  }
}

/**
 * Sleeps on the virtual clock, rejecting with the signal's reason when it aborts.
 * @param clock - The clock.
 * @param ms - How long.
 * @param signal - The generator's signal.
 */
export function clockSleep(clock: UpdateQueueTimers, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A generator writing "<type> for <name>" (with a subject for email), after `delayMs` on the clock. */
export function echoGenerator(clock: UpdateQueueTimers, delayMs = 0): CampaignGenerator {
  return async ({ campaign, customer }, { signal }) => {
    if (delayMs > 0) await clockSleep(clock, delayMs, signal);
    const text = `${campaign.contentType} for ${customer.firstName}`;
    return campaign.platform === 'email' ? { text, subject: `Hi ${customer.firstName}` } : { text };
  };
}

/**
 * A client on a memory adapter holding `n` customers (every third likes glazed; every fifth is vip),
 * all subscribed to email (the consent rules have their own tests).
 * @param n - How many customers.
 * @param adapter - The adapter (a fresh memory adapter by default).
 * @returns The client and the customers' ids in creation order.
 */
export async function clientWith(
  n: number,
  adapter: StorageAdapter = createMemoryAdapter(),
): Promise<{ client: CustomerClient; ids: string[] }> {
  const client = createCustomerClient({ adapter, organizationId: 'org-campaigns' });
  const result = await client.bulkAddCustomers(
    Array.from({ length: n }, (_, i) => ({
      firstName: `Name${i}`,
      lastName: `Last${i}`,
      email: `c${i}@example.com`,
      phone: '+15550100',
      notes: `secret note ${i}`,
      dob: i % 2 ? '1990-03-14' : null,
      location: i % 4 ? 'Leeds' : null,
      preferences: i % 3 === 0 ? ['glazed'] : ['vegan', 'coffee'],
      tags: i % 5 === 0 ? ['vip'] : [],
      customFields: { tier: 'gold', loyaltyId: `L${i}` },
      consent: { email: 'subscribed' },
    })),
  );
  return { client, ids: result.addedIds };
}

/**
 * Wraps an adapter so that, once `crash()` is called, every call hangs forever: the process is
 * "dead" to the store (nothing it does afterwards is written).
 * @param inner - The real adapter.
 * @returns The wrapper and its crash switch.
 */
export function crashable(inner: StorageAdapter): {
  adapter: StorageAdapter;
  crash(): void;
  calls(): number;
} {
  let dead = false;
  let calls = 0;
  const adapter = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls++;
        if (dead) return new Promise(() => {});
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    adapter,
    crash() {
      dead = true;
    },
    calls: () => calls,
  };
}

/**
 * Every campaign of a run, oldest first, paging `numItems` at a time through `client.listCampaigns`.
 * @param client - The client.
 * @param runId - The run.
 * @param numItems - Page size (small pages exercise the cursors).
 * @returns The records.
 */
export async function campaignsOf(
  client: CustomerClient,
  runId: string,
  numItems = 7,
): Promise<CampaignRecord[]> {
  const out: CampaignRecord[] = [];
  let cursor: string | null = null;
  for (;;) {
    const result = await client.listCampaigns({ runId, numItems, cursor, sort: 'oldest' });
    out.push(...result.page);
    if (result.isDone) return out;
    cursor = result.continueCursor;
  }
}
