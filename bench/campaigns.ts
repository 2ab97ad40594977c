/**
 * Benchmark: `client.generateCampaigns` for 10,000 customers × 1 content type × 1 platform with a
 * generator that takes 20 ms per call, at concurrency 16, on the memory adapter and on PostgreSQL.
 * The ideal is calls × 20 ms / concurrency (12.5 s); the floor is the same calls by `concurrency`
 * plain workers, no SDK and no storage, measured in this process (timer granularity makes it a little
 * slower than the ideal). Prints each run's ratio to both and its storage round trips (adapter
 * calls; every campaign method of the Postgres adapter is one statement).
 * Run: node --conditions=@donutauto/source --import tsx bench/campaigns.ts [customers] [delayMs] [concurrency]
 * Env: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); BENCH_SKIP_POSTGRES=1 skips it.
 */
import { createPostgresAdapter } from '@donutauto/adapter-postgres';
import {
  type CampaignGenerator,
  type CampaignRunReport,
  createCustomerClient,
  createMemoryAdapter,
  type StorageAdapter,
} from '@donutauto/core';
import pg from 'pg';

const customers = Number(process.argv[2] ?? 10_000);
const delayMs = Number(process.argv[3] ?? 20);
const concurrency = Number(process.argv[4] ?? 16);
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const idealMs = (customers * delayMs) / concurrency;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts calls per adapter method (each one storage round trip). */
function counting(inner: StorageAdapter): { adapter: StorageAdapter; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const adapter = new Proxy(inner, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function' || typeof key !== 'string') return value;
      return (...args: unknown[]) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { adapter, calls };
}

const generator: CampaignGenerator = async ({ customer }, { signal }) => {
  await sleep(delayMs);
  if (signal.aborted) throw signal.reason;
  return { text: `Hi ${customer.firstName}, did you know? Glaze keeps a donut soft.` };
};

/** The same calls by `concurrency` workers taking the next one in turn: no SDK, no storage. */
async function floor(): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < customers) await sleep(delayMs);
    }),
  );
  return performance.now() - start;
}

async function run(label: string, store: StorageAdapter, floorMs: number): Promise<void> {
  const client = createCustomerClient({ adapter: store, organizationId: 'bench-campaigns' });
  const inputs = Array.from({ length: customers }, (_, i) => ({
    firstName: `Name${i}`,
    lastName: 'Bench',
    email: `c${i}@example.com`,
    preferences: i % 2 ? ['glazed'] : ['coffee'],
  }));
  await client.bulkAddCustomers(inputs, { batchSize: 2_000 });
  const { adapter, calls } = counting(store);
  const counted = createCustomerClient({ adapter, organizationId: 'bench-campaigns' });
  const start = performance.now();
  const report: CampaignRunReport = await counted.generateCampaigns(
    { target: { filter: {} }, title: 'Bench', contentTypes: ['fact'], platforms: ['twitter_post'] },
    { generator, concurrency, maxResults: 0, maxCustomers: customers },
  );
  const ms = performance.now() - start;
  if (report.counts.completed !== customers) throw new Error(`${label}: ${JSON.stringify(report.counts)}`);
  const trips = [...calls.values()].reduce((a, b) => a + b, 0);
  const detail = [...calls].map(([method, n]) => `${method} ${n}`).join(', ');
  console.log(
    `  ${label.padEnd(10)} ${(ms / 1000).toFixed(2)} s = ${(ms / idealMs).toFixed(3)}× ideal, ` +
      `${(ms / floorMs).toFixed(3)}× floor; ${trips} storage round trips (${(trips / customers).toFixed(3)} per campaign: ${detail})`,
  );
}

console.log(
  `campaigns: ${customers.toLocaleString('en')} customers × 1 type × 1 platform, ${delayMs} ms generator, concurrency ${concurrency}`,
);
const floorMs = await floor();
console.log(
  `  ideal      ${(idealMs / 1000).toFixed(2)} s; floor (plain workers, no SDK) ${(floorMs / 1000).toFixed(2)} s = ${(floorMs / idealMs).toFixed(3)}× ideal`,
);
await run('memory', createMemoryAdapter(), floorMs);
if (process.env.BENCH_SKIP_POSTGRES !== '1') {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  const schema = `bench_campaigns_${Date.now().toString(36)}`;
  try {
    const adapter = createPostgresAdapter({ db: pool, schema, notify: false });
    await adapter.migrate();
    await run('postgres', adapter, floorMs);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}
