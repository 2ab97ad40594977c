/**
 * Benchmark: 1,000,000 `set` calls across 1,000 customers through `createUpdateQueue`, saving into the
 * memory adapter, on a virtual clock (every customer types one key every `keyGapMs`, without pause,
 * rotating over three fields). Prints the wall time per `set`, its ratio to the baseline — the same
 * 1,000,000 values through `validateCustomerField` alone, the least work a `set` must do — measured in
 * the same run, and the ratio of saves issued to `set` calls.
 * Run: node --conditions=@donutauto/source --import tsx bench/update-queue.ts [sets] [customers] [keyGapMs]
 */
import {
  type CustomerPatch,
  createCustomerClient,
  createMemoryAdapter,
  createUpdateQueue,
  type UpdateQueueTimers,
  validateCustomerField,
} from '@donutauto/core';

const totalSets = Number(process.argv[2] ?? 1_000_000);
const customers = Number(process.argv[3] ?? 1_000);
const keyGapMs = Number(process.argv[4] ?? 150);
const rounds = Math.ceil(totalSets / customers);
const FIELDS = ['firstName', 'notes', 'location'] as const;

/** A virtual clock: timers fire only when `advance` passes their deadline. */
function virtualTimers(): UpdateQueueTimers & { advance(ms: number): void; count(): number } {
  let now = 0;
  let next = 1;
  const pending = new Map<number, { at: number; callback: () => void }>();
  return {
    setTimeout(callback, ms) {
      const handle = next++;
      pending.set(handle, { at: now + ms, callback });
      return handle;
    },
    clearTimeout: (handle) => {
      pending.delete(handle as number);
    },
    now: () => now,
    advance(ms) {
      now += ms;
      const due = [...pending].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at);
      for (const [handle, timer] of due) {
        pending.delete(handle);
        timer.callback();
      }
    },
    count: () => pending.size,
  };
}

const typedValue = (round: number, customer: number, field: (typeof FIELDS)[number]) =>
  field === 'firstName' ? `Name${round % 50}x${customer}` : `${field} ${round} of ${customer}`;

// Baseline: validating the same values, nothing else; best of 3 so the first pass warms the JIT.
let checksum = 0;
let baselineMs = Number.POSITIVE_INFINITY;
for (let pass = 0; pass < 3; pass++) {
  const baselineStart = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (let c = 0; c < customers; c++) {
      const field = FIELDS[(round + c) % FIELDS.length]!;
      checksum += String(validateCustomerField(field, typedValue(round, c, field))).length;
    }
  }
  baselineMs = Math.min(baselineMs, performance.now() - baselineStart);
}

const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'bench' });
const ids: string[] = [];
for (let c = 0; c < customers; c++) {
  ids.push((await client.add({ firstName: 'F', lastName: 'L', email: `c${c}@example.com` })).id);
}
const timers = virtualTimers();
let saves = 0;
const queue = createUpdateQueue({
  timers,
  save: (id: string, patch: CustomerPatch) => {
    saves++;
    return client.update(id, patch);
  },
});

let setMs = 0;
let sets = 0;
const totalStart = performance.now();
for (let round = 0; round < rounds; round++) {
  const start = performance.now();
  for (let c = 0; c < customers && sets < totalSets; c++, sets++) {
    const field = FIELDS[(round + c) % FIELDS.length]!;
    const error = queue.set(ids[c]!, field, typedValue(round, c, field));
    if (error) throw error;
  }
  setMs += performance.now() - start;
  timers.advance(keyGapMs);
  await new Promise((resolve) => setImmediate(resolve)); // let the saves started by the timers finish
}
await queue.flush();
const totalMs = performance.now() - totalStart;

// Correctness: every customer ends with the last value typed in each field.
for (let c = 0; c < customers; c++) {
  const stored = await client.get(ids[c]!);
  for (const field of FIELDS) {
    let round = rounds - 1;
    while ((round + c) % FIELDS.length !== FIELDS.indexOf(field)) round--;
    if (stored[field] !== typedValue(round, c, field))
      throw new Error(`customer ${c} lost its last ${field}`);
  }
}
await queue.dispose();

const perSetUs = (setMs * 1000) / sets;
console.log(
  `update-queue: ${sets.toLocaleString('en')} set calls across ${customers} customers, a key every ${keyGapMs} ms`,
);
console.log(
  `  baseline validateCustomerField: ${((baselineMs * 1000) / sets).toFixed(3)} µs per value (checksum ${checksum})`,
);
console.log(
  `  queue.set:                      ${perSetUs.toFixed(3)} µs per set (${(setMs / baselineMs).toFixed(2)}× baseline)`,
);
console.log(
  `  total incl. saves and timers:   ${totalMs.toFixed(0)} ms for ${(rounds * keyGapMs) / 1000} s of virtual typing`,
);
console.log(
  `  saves issued: ${saves.toLocaleString('en')} = ${(saves / sets).toFixed(4)} per set (1 per ${(sets / saves).toFixed(1)} keystrokes)`,
);
console.log(`  timers left after dispose: ${timers.count()}`);
