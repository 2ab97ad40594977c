import {
  type CustomerPatch,
  createCustomerClient,
  createMemoryAdapter,
  createUpdateQueue,
  isCustomerError,
  type StorageAdapter,
} from '@donutauto/core';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const DELAY = 500;
const MAX_WAIT = 2000;
const CUSTOMERS = 3;
/** Fields typed through the queue; the other client writes `gender` (never typed) and `location` (typed too). */
const TYPED = ['firstName', 'notes', 'location'] as const;
type Typed = (typeof TYPED)[number];

type Op =
  | { kind: 'set'; c: number; field: Typed; clear: '' | null | false }
  | { kind: 'advance'; ms: number }
  | { kind: 'flush'; c: number | null }
  | { kind: 'fault'; fault: 'fail' | 'dropAck' | 'slow'; ms: number }
  | { kind: 'other'; c: number; field: 'gender' | 'location' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      c: fc.nat(CUSTOMERS - 1),
      field: fc.constantFrom(...TYPED),
      clear: fc.constantFrom<('' | null | false)[]>(false, false, false, false, '', null),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 2500 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('flush' as const), c: fc.option(fc.nat(CUSTOMERS - 1)) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('fault' as const),
      fault: fc.constantFrom('fail' as const, 'dropAck' as const, 'slow' as const),
      ms: fc.integer({ min: 50, max: 3000 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('other' as const),
      c: fc.nat(CUSTOMERS - 1),
      field: fc.constantFrom('gender' as const, 'location' as const),
    }),
  },
);

class InjectedFault extends Error {}

/** Advances the fake clock until `promise` settles. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  let done = false;
  const mark = () => {
    done = true;
  };
  promise.then(mark, mark);
  for (let i = 0; i < 5000 && !done; i++) await vi.advanceTimersByTimeAsync(50);
  return promise;
}

/** Deterministic jitter for a run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

async function runModel(mode: 'editors' | 'queue', ops: readonly Op[], seed: number): Promise<void> {
  vi.clearAllTimers();
  const inner = createMemoryAdapter();
  const org = 'org';
  const other = createCustomerClient({ adapter: inner, organizationId: org });
  const ids: string[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    ids.push((await other.add({ firstName: `F${c}`, lastName: 'L', email: `c${c}@example.com` })).id);
  }
  const index = new Map(ids.map((id, c) => [id, c]));

  // Model: every accepted set gets a global index; values are unique strings or clears (null).
  let setCount = 0;
  const setLog: { c: number; field: Typed; value: string | null; idx: number }[] = [];
  const latest = (c: number, field: Typed) => setLog.findLast((s) => s.c === c && s.field === field);
  const idxOf = (c: number, field: Typed, value: unknown): number =>
    setLog.findLast((s) => s.c === c && s.field === field && s.value === value)?.idx ?? -1;
  const storedIdx = new Map<string, number>();
  const otherLast = new Map<string, { value: string; at: number }>();
  // Debounce windows per customer, counted from the set calls, timer deadlines and flushes alone.
  const windows = ids.map(() => ({ count: 0, open: false, start: 0, last: 0 }));
  let successes = 0;
  const violations: string[] = [];

  // Faults are armed by the op sequence and consumed by the next saves.
  const faults: { fault: 'fail' | 'dropAck' | 'slow'; ms: number }[] = [];
  let faultsOn = true;
  const faulty: StorageAdapter = {
    ...inner,
    async update(organizationId, id, patch: CustomerPatch, options) {
      const c = index.get(id)!;
      // Checked here, recorded for later: an assertion thrown inside a save would count as a failure.
      for (const field of TYPED) {
        if (!(field in patch)) continue;
        const carried = idxOf(c, field, patch[field]);
        if (carried < 0) violations.push(`customer ${c}: a save carried ${field}=${patch[field]}, never set`);
        // Never an older value after a newer one was stored.
        const newest = storedIdx.get(`${c}:${field}`) ?? -1;
        if (carried < newest)
          violations.push(`customer ${c}: ${field} #${carried} sent after #${newest} was stored`);
      }
      const fault = faultsOn ? faults.shift() : undefined;
      if (fault?.fault === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
      if (fault?.fault === 'fail') throw new InjectedFault('transient');
      const stored = await inner.update(organizationId, id, patch, options);
      for (const field of TYPED) {
        if (field in patch) storedIdx.set(`${c}:${field}`, idxOf(c, field, patch[field]));
      }
      if (fault?.fault === 'dropAck') throw new InjectedFault('lost ack');
      successes++;
      return stored;
    },
  };
  const client = createCustomerClient({ adapter: faulty, organizationId: org });
  const options = {
    delayMs: DELAY,
    maxWaitMs: MAX_WAIT,
    retry: { retries: 3, minDelayMs: 100, maxDelayMs: 800, random: seededRandom(seed) },
  };
  const editors = mode === 'editors' ? ids.map((id) => client.createEditor(id, options)) : [];
  const queue =
    mode === 'queue'
      ? createUpdateQueue({ ...options, save: (id, patch) => client.update(id, patch) })
      : null;
  const set = (c: number, field: Typed, value: unknown) =>
    queue ? queue.set(ids[c]!, field, value) : editors[c]!.set(field, value);
  const flush = (c: number | null) =>
    queue
      ? queue.flush(c === null ? undefined : ids[c])
      : Promise.all((c === null ? editors : [editors[c]!]).map((e) => e.flush())).then(() => undefined);

  const flushChecks: Promise<void>[] = [];
  for (const op of ops) {
    if (op.kind === 'set') {
      const now = Date.now();
      const w = windows[op.c]!;
      const value = op.clear === false ? `v${setCount}` : op.clear;
      const error = set(op.c, op.field, value);
      if (op.field === 'firstName' && op.clear !== false) {
        expect(isCustomerError(error, 'validation_failed')).toBe(true);
        continue;
      }
      expect(error).toBeUndefined();
      setLog.push({ c: op.c, field: op.field, value: value === '' ? null : value, idx: setCount++ });
      if (!w.open || now >= Math.min(w.last + DELAY, w.start + MAX_WAIT)) {
        w.count++;
        w.start = now;
      }
      w.open = true;
      w.last = now;
    } else if (op.kind === 'advance') {
      await vi.advanceTimersByTimeAsync(op.ms);
    } else if (op.kind === 'fault') {
      faults.push({ fault: op.fault, ms: op.ms });
    } else if (op.kind === 'other') {
      const value = `o${Date.now()}-${otherLast.size}`;
      await other.update(ids[op.c]!, { [op.field]: value });
      otherLast.set(`${op.c}:${op.field}`, { value, at: setCount });
    } else {
      const covered = op.c === null ? ids.map((_, c) => c) : [op.c];
      for (const c of covered) windows[c]!.open = false;
      const expected = covered.flatMap((c) =>
        (['firstName', 'notes'] as const).map((field) => ({ c, field, idx: latest(c, field)?.idx ?? -1 })),
      );
      flushChecks.push(
        flush(op.c).then(
          async () => {
            // Everything set before the flush is stored (or overtaken by a newer set).
            for (const e of expected) {
              const stored = await other.get(ids[e.c]!);
              if (e.idx >= 0) expect(idxOf(e.c, e.field, stored[e.field])).toBeGreaterThanOrEqual(e.idx);
            }
          },
          (error: unknown) => {
            expect(error instanceof InjectedFault || isCustomerError(error, 'version_conflict')).toBe(true);
          },
        ),
      );
    }
  }

  faultsOn = false;
  await settle(flush(null));
  expect(violations).toEqual([]);
  await settle(Promise.all(flushChecks));
  for (let c = 0; c < CUSTOMERS; c++) {
    const stored = await other.get(ids[c]!);
    for (const field of TYPED) {
      const mine = latest(c, field);
      const theirs = otherLast.get(`${c}:${field}`);
      if (mine === undefined) {
        if (theirs) expect(stored[field]).toBe(theirs.value);
      } else if (theirs === undefined || theirs.at <= mine.idx) {
        expect(stored[field], `customer ${c} ${field}`).toBe(mine.value);
      } else {
        expect([mine.value, theirs.value]).toContain(stored[field]);
      }
    }
    expect(stored.gender).toBe(otherLast.get(`${c}:gender`)?.value ?? null);
    if (queue) expect(queue.status(ids[c]!).state).not.toBe('error');
  }
  // Failed calls (faults, lost acks, conflicts) are retries; every successful save closes a window.
  expect(successes).toBeLessThanOrEqual(windows.reduce((n, w) => n + w.count, 0));
  if (queue) {
    expect(queue.pendingCount()).toBe(0);
    await queue.dispose();
  } else {
    for (const e of editors) expect(e.pendingPatch()).toEqual({});
    await Promise.all(editors.map((e) => e.dispose()));
  }
  expect(vi.getTimerCount()).toBe(0);
}

describe('createUpdateQueue (model)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('never loses or reorders an edit under failures, slow saves, conflicts, flushes and timer advances', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('editors' as const, 'queue' as const),
        fc.array(opArb, { maxLength: 60 }),
        fc.integer(),
        (mode, ops, seed) => runModel(mode, ops, seed),
      ),
      {
        numRuns: 1500,
        // Counterexamples fast-check found against deliberately broken queues (older edits winning
        // after a conflict; saves not serialized per customer), kept as fixed examples.
        examples: [
          [
            'editors',
            [
              { kind: 'set', c: 1, field: 'notes', clear: false },
              { kind: 'fault', fault: 'slow', ms: 50 },
              { kind: 'advance', ms: 500 },
              { kind: 'set', c: 1, field: 'notes', clear: false },
              { kind: 'other', c: 1, field: 'gender' },
            ],
            0,
          ],
          [
            'editors',
            [
              { kind: 'fault', fault: 'slow', ms: 501 },
              { kind: 'set', c: 0, field: 'firstName', clear: false },
              { kind: 'advance', ms: 500 },
              { kind: 'set', c: 0, field: 'notes', clear: false },
            ],
            0,
          ],
          // Found against the real queue (seeds -709141416 and 1973961988): a second flush while the
          // first one's save was in flight marked the customer due, so an edit typed after both
          // flushes was saved at once instead of waiting for its debounce (3 saves for 2 windows).
          [
            'queue',
            [
              { kind: 'set', c: 1, field: 'firstName', clear: false },
              { kind: 'flush', c: null },
              { kind: 'flush', c: null },
              { kind: 'set', c: 1, field: 'firstName', clear: false },
              { kind: 'other', c: 0, field: 'gender' },
              { kind: 'set', c: 1, field: 'firstName', clear: false },
            ],
            0,
          ],
          [
            'editors',
            [
              { kind: 'set', c: 0, field: 'firstName', clear: false },
              { kind: 'flush', c: null },
              { kind: 'flush', c: null },
              { kind: 'set', c: 0, field: 'firstName', clear: false },
              { kind: 'advance', ms: 1 },
              { kind: 'set', c: 0, field: 'firstName', clear: false },
            ],
            0,
          ],
          // Found against the real queue (seeds 594393323 and -1039005874): lost acknowledgements
          // each followed by their version conflict spent the transient retry budget, so the final
          // flush was rejected with `version_conflict`. Conflicts now have their own bound.
          [
            'editors',
            [
              { kind: 'set', c: 0, field: 'firstName', clear: false },
              { kind: 'fault', fault: 'dropAck', ms: 50 },
              { kind: 'fault', fault: 'dropAck', ms: 50 },
              { kind: 'fault', fault: 'dropAck', ms: 50 },
              { kind: 'advance', ms: 562 },
            ],
            0,
          ],
          [
            'editors',
            [
              { kind: 'fault', fault: 'dropAck', ms: 50 },
              { kind: 'fault', fault: 'slow', ms: 50 },
              { kind: 'fault', fault: 'dropAck', ms: 50 },
              { kind: 'set', c: 0, field: 'firstName', clear: false },
              { kind: 'advance', ms: 612 },
            ],
            0,
          ],
        ],
      },
    );
  }, 60_000);
});
