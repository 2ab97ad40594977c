import {
  createCustomerClient,
  createMemoryAdapter,
  createUpdateQueue,
  DuplicateEmailError,
  ForbiddenFieldError,
  InvalidArgumentError,
  NotFoundError,
  StorageError,
  ValidationError,
  VersionConflictError,
} from '@donutauto/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isTransientSaveError } from '../retry-backoff';

describe('isTransientSaveError', () => {
  it('treats validation, forbidden-field, duplicate-email, argument, not-found and conflict errors as permanent', () => {
    const permanent = [
      new ValidationError([{ path: ['email'], code: 'invalid_format', message: 'bad' }]),
      new ForbiddenFieldError('id'),
      new NotFoundError('c1'),
      new VersionConflictError('c1', 1, 2),
      new DuplicateEmailError('a@example.com'),
      new InvalidArgumentError('id', 'empty'),
    ];
    const transient = [
      new Error('ECONNRESET'),
      new TypeError('Failed to fetch'),
      new StorageError('db down'),
      'a string',
      undefined,
    ];
    expect(permanent.map(isTransientSaveError)).toEqual(permanent.map(() => false));
    expect(transient.map(isTransientSaveError)).toEqual(transient.map(() => true));
  });
});

describe('createUpdateQueue retry backoff', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Times (relative to the first save) of every save attempt while the store is down `failures` times. */
  async function attemptTimes(random: number, failures: number): Promise<number[]> {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const c = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    const times: number[] = [];
    let down = failures;
    const queue = createUpdateQueue({
      save: async (id, patch) => {
        times.push(Date.now());
        if (down-- > 0) throw new Error('offline');
        return client.update(id, patch);
      },
      retry: { retries: failures, minDelayMs: 100, maxDelayMs: 1000, random: () => random },
    });
    queue.set(c.id, 'notes', 'x');
    await vi.advanceTimersByTimeAsync(500);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(queue.status(c.id).state).toBe('saved');
    return times.slice(1).map((t, i) => t - times[i]!);
  }

  it('doubles the delay from minDelayMs, caps it at maxDelayMs, and spreads it by the injected jitter', async () => {
    // Equal jitter: half of the capped exponential delay is fixed, the other half random.
    expect(await attemptTimes(0, 6)).toEqual([50, 100, 200, 400, 500, 500]);
    expect(await attemptTimes(0.5, 6)).toEqual([75, 150, 300, 600, 750, 750]);
    expect(await attemptTimes(0.999, 6)).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('lets flush skip the wait of a scheduled retry', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const c = await client.add({ firstName: 'Ana', lastName: 'Li', email: 'ana@example.com' });
    let calls = 0;
    const queue = createUpdateQueue({
      save: async (id, patch) => {
        if (calls++ === 0) throw new Error('offline');
        return client.update(id, patch);
      },
      retry: { minDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    queue.set(c.id, 'notes', 'now please');
    await vi.advanceTimersByTimeAsync(500);
    expect(queue.status(c.id).state).toBe('pending');
    await queue.flush(c.id);
    expect([calls, (await client.get(c.id)).notes]).toEqual([2, 'now please']);
  });
});
