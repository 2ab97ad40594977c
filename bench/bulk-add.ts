/**
 * Benchmark: 100,000 customers through `bulkAddCustomers` on the memory adapter, against a plain
 * `Map` insert of the same objects measured in the same process (the baseline).
 * Run: node --conditions=@donutauto/source --import tsx bench/bulk-add.ts [rows]
 */
import { type CustomerInput, createCustomerClient, createMemoryAdapter } from '@donutauto/core';

const rows = Number(process.argv[2] ?? 100_000);
const rounds = 3;

function makeInputs(n: number): CustomerInput[] {
  const prefs = ['glazed', 'chocolate', 'vegan', 'coffee', 'sprinkles'];
  return Array.from({ length: n }, (_, i) => ({
    firstName: `First${i}`,
    lastName: `Last${i % 997}`,
    email: `customer${i}@example.com`,
    phone: `+1555${String(i).padStart(7, '0')}`,
    dob: i % 3 === 0 ? `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}` : null,
    preferences: [prefs[i % 5]!, prefs[(i + 2) % 5]!],
    instagramHandle: i % 4 === 0 ? `@fan${i}` : null,
    tags: i % 10 === 0 ? ['vip'] : [],
    notes: i % 7 === 0 ? 'Allergic to nuts' : null,
  }));
}

async function time(fn: () => Promise<void> | void): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const inputs = makeInputs(rows);
const results: { baseline: number; sdk: number }[] = [];
for (let round = 0; round < rounds; round++) {
  const baseline = await time(() => {
    const map = new Map<string, CustomerInput>();
    for (const input of inputs) map.set(input.email, input);
    if (map.size !== rows) throw new Error('baseline lost rows');
  });
  let added = 0;
  const sdk = await time(async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'bench' });
    const report = await client.bulkAddCustomers(inputs);
    added = report.addedCount;
  });
  if (added !== rows) throw new Error(`expected ${rows} added, got ${added}`);
  results.push({ baseline, sdk });
}
const best = (key: 'baseline' | 'sdk') => Math.min(...results.map((r) => r[key]));
const rate = (ms: number) => Math.round(rows / (ms / 1000));
console.log(`bulk-add: ${rows.toLocaleString('en-US')} customers, best of ${rounds} rounds`);
console.log(
  `  baseline  Map.set of the same objects : ${best('baseline').toFixed(1)} ms  (${rate(best('baseline')).toLocaleString('en-US')} rows/s)`,
);
console.log(
  `  sdk       bulkAddCustomers → memory   : ${best('sdk').toFixed(1)} ms  (${rate(best('sdk')).toLocaleString('en-US')} rows/s)`,
);
console.log(`  ratio     sdk time / baseline time    : ${(best('sdk') / best('baseline')).toFixed(1)}×`);
console.log(`  peak RSS  ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
