import {
  type CustomerPatch,
  createCustomerClient,
  createMemoryAdapter,
  createUpdateQueue,
  isCustomerError,
  StorageError,
  type UpdateStatus,
} from '@donutauto/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface SaveCall {
  readonly id: string;
  readonly patch: CustomerPatch;
  readonly at: number;
}

/** A real in-memory store with a client, and a save function that records every call. */
async function setup(customers = 1, saveDelayMs = 0) {
  const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
  const ids: string[] = [];
  for (let i = 0; i < customers; i++) {
    const c = await client.add({ firstName: 'Ana', lastName: `Li${i}`, email: `ana${i}@example.com` });
    ids.push(c.id);
  }
  const calls: SaveCall[] = [];
  const failNext: unknown[] = [];
  const save = async (id: string, patch: CustomerPatch) => {
    calls.push({ id, patch, at: Date.now() });
    if (saveDelayMs > 0) await new Promise((r) => setTimeout(r, saveDelayMs));
    if (failNext.length > 0) throw failNext.shift();
    return client.update(id, patch);
  };
  return { client, ids, calls, failNext, save };
}

/** Advances the fake clock until `promise` settles (slow saves and retries run on the same clock). */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  promise.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 10_000 && !done; i++) await vi.advanceTimersByTimeAsync(10);
  return promise;
}

describe('createUpdateQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesces N keystrokes on one field within the window into 1 save of the last value', async () => {
    const { ids, calls, save, client } = await setup();
    const id = ids[0]!;
    const queue = createUpdateQueue({ save, delayMs: 500 });
    const typed = 'Annabelle';
    for (let n = 1; n <= typed.length; n++) {
      expect(queue.set(id, 'firstName', typed.slice(0, n))).toBeUndefined();
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls.map((c) => c.patch)).toEqual([{ firstName: 'Annabelle' }]);
    expect((await client.get(id)).firstName).toBe('Annabelle');
    expect(queue.status(id).state).toBe('saved');
  });

  it('saves edits to K fields of one customer within the window in 1 save containing all K', async () => {
    const { ids, calls, save, client } = await setup();
    const id = ids[0]!;
    const queue = createUpdateQueue({ save });
    queue.set(id, 'firstName', 'Bea');
    await vi.advanceTimersByTimeAsync(200);
    queue.set(id, 'email', 'bea@example.com');
    queue.set(id, 'phone', '+1 (555) 010-9999');
    queue.set(id, 'preferences', ['glazed', 'vegan']);
    await vi.advanceTimersByTimeAsync(499);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.patch).toEqual({
      firstName: 'Bea',
      email: 'bea@example.com',
      phone: '+15550109999',
      preferences: ['glazed', 'vegan'],
    });
    const stored = await client.get(id);
    expect([stored.firstName, stored.email, stored.phone]).toEqual([
      'Bea',
      'bea@example.com',
      '+15550109999',
    ]);
  });

  it('saves at least every maxWaitMs while typing never pauses', async () => {
    const { ids, calls, save } = await setup();
    const id = ids[0]!;
    const queue = createUpdateQueue({ save, delayMs: 500, maxWaitMs: 2000 });
    const start = Date.now();
    for (let n = 1; n <= 100; n++) {
      queue.set(id, 'notes', 'x'.repeat(n));
      await vi.advanceTimersByTimeAsync(100); // 10 000 ms of typing, one key per 100 ms
    }
    const times = [start, ...calls.map((c) => c.at)];
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual(2000);
    await queue.flush();
    expect(calls.at(-1)!.patch).toEqual({ notes: 'x'.repeat(100) });
  });

  it('keeps the first field when a second one is typed within the window (the original bug)', async () => {
    const { ids, save, client } = await setup();
    const id = ids[0]!;
    const queue = createUpdateQueue({ save });
    queue.set(id, 'firstName', 'Carla');
    await vi.advanceTimersByTimeAsync(300);
    queue.set(id, 'email', 'carla@example.com');
    await vi.advanceTimersByTimeAsync(600);
    const stored = await client.get(id);
    expect([stored.firstName, stored.email]).toEqual(['Carla', 'carla@example.com']);
  });

  it('returns a typed error and queues nothing for a forbidden field or a bad value', async () => {
    const { ids, calls, save } = await setup();
    const id = ids[0]!;
    const queue = createUpdateQueue({ save });
    const forbidden = queue.set(id, 'version', 7);
    expect(isCustomerError(forbidden, 'forbidden_field')).toBe(true);
    const bad = queue.set(id, 'email', 'not-an-email');
    expect(isCustomerError(bad, 'validation_failed')).toBe(true);
    expect(isCustomerError(queue.set(id, 'firstName', ''), 'validation_failed')).toBe(true);
    expect(isCustomerError(queue.set('', 'notes', 'x'), 'invalid_argument')).toBe(true);
    expect([queue.status(id).state, queue.pendingCount()]).toEqual(['idle', 0]);
    await vi.advanceTimersByTimeAsync(5000);
    expect(calls).toHaveLength(0);
  });

  it('saves clearing a field ("" or null) as an edit', async () => {
    const { ids, calls, save, client } = await setup();
    const id = ids[0]!;
    await client.update(id, { phone: '5550100', notes: 'likes jam' });
    const queue = createUpdateQueue({ save });
    queue.set(id, 'phone', '');
    queue.set(id, 'notes', null);
    await queue.flush();
    expect(calls.map((c) => c.patch)).toEqual([{ phone: null, notes: null }]);
    const stored = await client.get(id);
    expect([stored.phone, stored.notes]).toEqual([null, null]);
  });

  it('runs one save per customer at a time, puts edits made meanwhile in the next patch, and lets customers save independently', async () => {
    const { ids, calls, save, client } = await setup(2, 1000);
    const [a, b] = [ids[0]!, ids[1]!];
    const queue = createUpdateQueue({ save });
    queue.set(a, 'firstName', 'A1');
    await vi.advanceTimersByTimeAsync(500); // save of A starts, takes 1000 ms
    expect(queue.status(a).state).toBe('saving');
    queue.set(a, 'firstName', 'A2');
    queue.set(a, 'lastName', 'Z');
    queue.set(b, 'firstName', 'B1');
    await vi.advanceTimersByTimeAsync(500); // A's next window is due, but A is still saving; B saves
    expect(calls.map((c) => [c.id, c.patch])).toEqual([
      [a, { firstName: 'A1' }],
      [b, { firstName: 'B1' }],
    ]);
    expect(queue.status(a)).toMatchObject({ state: 'saving', pendingFields: ['firstName', 'lastName'] });
    await vi.advanceTimersByTimeAsync(500); // A's first save ends: the next one starts at once
    expect(calls.map((c) => c.patch)).toEqual([
      { firstName: 'A1' },
      { firstName: 'B1' },
      { firstName: 'A2', lastName: 'Z' },
    ]);
    await settle(queue.flush());
    expect((await client.get(a)).firstName).toBe('A2');
    expect((await client.get(b)).firstName).toBe('B1');
  });

  it('reports idle → pending → saving → saved to subscribers, with a stable status object', async () => {
    const { ids, save } = await setup(1, 100);
    const id = ids[0]!;
    const queue = createUpdateQueue({ save });
    const seen: UpdateStatus[] = [];
    const unsubscribe = queue.subscribe((changed, status) => {
      if (changed === id) seen.push(status);
    });
    expect(queue.status(id).state).toBe('idle');
    queue.set(id, 'notes', 'a');
    queue.set(id, 'notes', 'ab'); // same fields: no change to report
    expect(queue.status(id)).toBe(queue.status(id));
    await settle(queue.flush());
    expect(seen.map((s) => s.state)).toEqual(['pending', 'saving', 'saved']);
    expect(seen[0]!.pendingFields).toEqual(['notes']);
    unsubscribe();
    queue.set(id, 'notes', 'abc');
    expect(seen).toHaveLength(3);
  });

  it('retries transient failures with exponential backoff and jitter, keeping the edits under newer ones', async () => {
    const { ids, calls, failNext, save, client } = await setup();
    const id = ids[0]!;
    failNext.push(new Error('network down'), new StorageError('db restarting'));
    const queue = createUpdateQueue({
      save,
      retry: { retries: 3, minDelayMs: 1000, maxDelayMs: 8000, random: () => 0.5 },
    });
    queue.set(id, 'firstName', 'Dee');
    queue.set(id, 'notes', 'first');
    await vi.advanceTimersByTimeAsync(500);
    expect(queue.status(id)).toMatchObject({ state: 'pending', failedAttempts: 1 });
    expect(String(queue.status(id).error)).toContain('network down');
    queue.set(id, 'notes', 'second');
    await vi.advanceTimersByTimeAsync(749); // first retry after 500 + 0.5 × 500 = 750 ms
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.patch).toEqual({ firstName: 'Dee', notes: 'second' });
    await vi.advanceTimersByTimeAsync(1499); // second retry after 1000 + 0.5 × 1000 = 1500 ms
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(3);
    expect(queue.status(id)).toMatchObject({ state: 'saved', error: undefined, failedAttempts: 0 });
    expect((await client.get(id)).notes).toBe('second');
  });

  it('keeps a newer edit when the save of an older one fails while it is in flight', async () => {
    const { ids, calls, failNext, save, client } = await setup(1, 200);
    const id = ids[0]!;
    failNext.push(new Error('network down'));
    const queue = createUpdateQueue({
      save,
      delayMs: 500,
      retry: { retries: 3, minDelayMs: 1000, maxDelayMs: 1000, random: () => 0 },
    });
    queue.set(id, 'notes', 'older');
    queue.set(id, 'location', 'Porto');
    await vi.advanceTimersByTimeAsync(500); // the save of 'older' starts and takes 200 ms
    expect(queue.status(id).state).toBe('saving');
    queue.set(id, 'notes', 'newer');
    await vi.advanceTimersByTimeAsync(200); // … and fails
    expect(calls.map((c) => c.patch)).toEqual([{ notes: 'older', location: 'Porto' }]);
    // The failed edits are kept, under the newer one.
    expect(queue.pendingPatch(id)).toEqual({ notes: 'newer', location: 'Porto' });
    await settle(queue.flush());
    expect(calls.slice(1).map((c) => c.patch)).toEqual([{ notes: 'newer', location: 'Porto' }]);
    expect(await client.get(id)).toMatchObject({ notes: 'newer', location: 'Porto' });
    expect(queue.status(id).state).toBe('saved');
  });

  it('marks the customer error when retries run out, rejects flush, and saves again on the next edit', async () => {
    const { ids, calls, failNext, save, client } = await setup();
    const id = ids[0]!;
    const outage = new Error('offline');
    failNext.push(outage, outage, outage);
    const queue = createUpdateQueue({
      save,
      retry: { retries: 2, minDelayMs: 10, maxDelayMs: 10, random: () => 0 },
    });
    queue.set(id, 'location', 'Porto');
    const flushed = queue.flush(id).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await flushed).toBe(outage);
    expect(calls).toHaveLength(3);
    expect(queue.status(id)).toMatchObject({ state: 'error', error: outage, pendingFields: ['location'] });
    expect(queue.pendingCount()).toBe(1);
    queue.set(id, 'gender', 'f');
    await vi.advanceTimersByTimeAsync(500);
    expect(calls.at(-1)!.patch).toEqual({ location: 'Porto', gender: 'f' });
    expect(queue.status(id).state).toBe('saved');
    expect((await client.get(id)).location).toBe('Porto');
  });

  it('marks the customer error on a validation error from the store and keeps the local value', async () => {
    const client = createCustomerClient({
      adapter: createMemoryAdapter(),
      organizationId: 'org',
      customFields: [{ key: 'visits', type: 'number' }],
    });
    const c = await client.add({ firstName: 'Eve', lastName: 'Ng', email: 'eve@example.com' });
    let saves = 0;
    const queue = createUpdateQueue({
      save: (id, patch) => {
        saves++;
        return client.update(id, patch);
      },
    });
    queue.set(c.id, 'customFields', { visits: 'many' });
    const error = await queue.flush(c.id).catch((e: unknown) => e);
    expect(isCustomerError(error, 'validation_failed')).toBe(true);
    expect(saves).toBe(1); // permanent: not retried
    expect(queue.status(c.id)).toMatchObject({ state: 'error', error });
    expect(queue.pendingPatch(c.id)).toEqual({ customFields: { visits: 'many' } });
    queue.set(c.id, 'customFields', { visits: 3 });
    await queue.flush(c.id);
    expect((await client.get(c.id)).customFields).toEqual({ visits: 3 });
  });

  it('flush(id) resolves once that customer is stored and leaves the others to their timers', async () => {
    const { ids, calls, save, client } = await setup(2);
    const [a, b] = [ids[0]!, ids[1]!];
    const queue = createUpdateQueue({ save });
    queue.set(a, 'notes', 'a');
    queue.set(b, 'notes', 'b');
    expect(queue.pendingCount()).toBe(2);
    await queue.flush(a);
    expect((await client.get(a)).notes).toBe('a');
    expect(calls.map((c) => c.id)).toEqual([a]);
    expect(queue.pendingCount()).toBe(1);
    await queue.flush();
    expect(queue.pendingCount()).toBe(0);
    await queue.flush(); // nothing queued: resolves at once
  });

  it('dispose flushes, stops the timers and refuses further edits', async () => {
    const { ids, calls, save } = await setup();
    const id = ids[0]!;
    const queue = createUpdateQueue({ save });
    queue.set(id, 'notes', 'bye');
    await queue.dispose();
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    expect(isCustomerError(queue.set(id, 'notes', 'late'), 'invalid_argument')).toBe(true);
  });

  it('refuses bad options with invalid_argument', () => {
    const save = async () => undefined;
    expect(() => createUpdateQueue({ save, delayMs: -1 })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => createUpdateQueue({ save, retry: { retries: 1.5 } })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() => createUpdateQueue({ save: 'nope' as never })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
