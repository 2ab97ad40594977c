import { createHttpAdapter, type FetchFunction, type HttpAdapter } from '@donutauto/adapter-http';
import { type Customer, type CustomerClient, createCustomerClient, isCustomerError } from '@donutauto/core';
import type pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from './support/child-process';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './support/databases';
import { bearerHeaders } from './support/loopback';

const ORGS = ['load-a', 'load-b', 'load-c', 'load-d', 'load-e'];
const CLIENTS = 50;
const OPS_PER_CLIENT = 30;
const schema = freshSchema('load');
let server: ChildServer | undefined;
let pool: pg.Pool | undefined;

afterAll(async () => {
  await server?.kill();
  if (pool) {
    await dropSchema(pool, schema);
    await pool.end();
  }
});

/** Request latencies by route, measured around `fetch`. */
const latencies = new Map<string, number[]>();
const timedFetch: FetchFunction = async (input, init) => {
  const route = String(input)
    .replace(/^.*\/v1\//, '')
    .replace(/\?.*$/, '');
  const started = performance.now();
  try {
    return await fetch(input, init);
  } finally {
    const list = latencies.get(route) ?? [];
    list.push(performance.now() - started);
    latencies.set(route, list);
  }
};

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/** What one client did, to be checked against the server at the end. */
interface Ledger {
  readonly org: string;
  /** Own customers and the notes their last successful update set. */
  readonly notes: Map<string, string | null>;
  readonly imported: string[];
  increments: number;
  readonly foreign: string[];
}

async function runClient(
  index: number,
  adapter: HttpAdapter,
  sharedIds: Map<string, string>,
): Promise<Ledger> {
  const org = ORGS[index % ORGS.length]!;
  const client: CustomerClient = createCustomerClient({ adapter, organizationId: org });
  const ledger: Ledger = { org, notes: new Map(), imported: [], increments: 0, foreign: [] };
  const own: Customer[] = [];
  const checkTenant = (customers: readonly Customer[]) => {
    for (const c of customers)
      if (c.organizationId !== org || !c.email.endsWith(`@${org}.example`)) ledger.foreign.push(c.id);
  };
  for (let op = 0; op < OPS_PER_CLIENT; op++) {
    const kind = op % 6;
    if (kind === 0 || own.length === 0) {
      const added = await client.add({
        firstName: `C${index}`,
        lastName: `Op${op}`,
        email: `c${index}-${op}@${org}.example`,
      });
      own.push(added);
      ledger.notes.set(added.id, null);
    } else if (kind === 1 || kind === 4) {
      const at = op % own.length;
      const target = own[at]!;
      const note = `client ${index} op ${op}`;
      own[at] = await client.update(target.id, { notes: note }, { expectedVersion: target.version });
      ledger.notes.set(target.id, note);
    } else if (kind === 2) {
      // A read-modify-write on the organization's shared counter: no increment may be lost.
      const id = sharedIds.get(org)!;
      for (let attempt = 0; ; attempt++) {
        const current = await client.get(id);
        const visits = Number(current.customFields.visits ?? 0);
        try {
          await client.update(
            id,
            { customFields: { visits: visits + 1 } },
            { expectedVersion: current.version },
          );
          ledger.increments++;
          break;
        } catch (error) {
          if (!isCustomerError(error, 'version_conflict') || attempt > 200) throw error;
        }
      }
    } else if (kind === 3) {
      const page = await client.list({ numItems: 50, filter: { text: `c${index}-` } });
      checkTenant(page.page);
      checkTenant((await client.list({ numItems: 100 })).page);
    } else if (index % 5 === 0) {
      let csv = 'firstName,lastName,email\n';
      for (let i = 0; i < 100; i++) {
        const email = `imp${index}-${op}-${i}@${org}.example`;
        csv += `I${i},Op${op},${email}\n`;
        ledger.imported.push(email);
      }
      const report = await adapter.importCsv(org, csv);
      expect(report.addedCount).toBe(100);
    } else {
      await client.count({ text: org });
    }
  }
  return ledger;
}

describe.runIf(DATABASE_URL)('50 concurrent clients against one server with PostgreSQL', () => {
  it('loses no write, reads no other tenant, and prints throughput and p99 latency', async () => {
    server = await startChildServer(schema);
    pool = createPool(2);
    const adapters = Array.from({ length: CLIENTS }, () =>
      createHttpAdapter({ baseUrl: server!.url, headers: bearerHeaders, fetch: timedFetch }),
    );
    const sharedIds = new Map<string, string>();
    for (const org of ORGS) {
      const shared = await createCustomerClient({ adapter: adapters[0]!, organizationId: org }).add({
        firstName: 'Shared',
        lastName: 'Counter',
        email: `shared@${org}.example`,
        customFields: { visits: 0 },
      });
      sharedIds.set(org, shared.id);
    }
    latencies.clear();
    const started = performance.now();
    const ledgers = await Promise.all(adapters.map((adapter, index) => runClient(index, adapter, sharedIds)));
    const seconds = (performance.now() - started) / 1000;

    const requests = [...latencies.values()].reduce((n, list) => n + list.length, 0);
    const all = [...latencies.values()].flat();
    console.log(
      `load: ${CLIENTS} clients, ${requests} requests in ${seconds.toFixed(1)} s = ${(requests / seconds).toFixed(0)} req/s; ` +
        `p50 ${percentile(all, 50).toFixed(1)} ms, p99 ${percentile(all, 99).toFixed(1)} ms`,
    );
    for (const [route, list] of [...latencies].sort()) {
      console.log(
        `  ${route.padEnd(18)} n=${String(list.length).padStart(5)}  p50 ${percentile(list, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(list, 99).toFixed(1).padStart(7)} ms`,
      );
    }

    expect(ledgers.flatMap((l) => l.foreign)).toEqual([]);
    for (const org of ORGS) {
      const mine = ledgers.filter((l) => l.org === org);
      const scoped = createCustomerClient({ adapter: adapters[0]!, organizationId: org });
      for (const ledger of mine) {
        for (const [id, note] of ledger.notes) expect((await scoped.get(id)).notes).toBe(note);
      }
      const shared = await scoped.get(sharedIds.get(org)!);
      expect(shared.customFields.visits).toBe(mine.reduce((n, l) => n + l.increments, 0));
      const imported = mine.flatMap((l) => l.imported);
      const found = await adapters[0]!.getByEmails(org, imported);
      expect(found.length).toBe(imported.length);
      const expected = 1 + mine.reduce((n, l) => n + l.notes.size + l.imported.length, 0);
      expect(await scoped.count()).toBe(expected);
    }
    await Promise.all(adapters.map((a) => a.close()));
  }, 300_000);
});
