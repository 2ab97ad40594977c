/**
 * Benchmark: the cost of the HTTP transport. The same work — a 20,000-customer bulk add, then 1,000
 * get + update round trips, then paging through everything — runs through the client on the memory
 * adapter directly (the baseline), and through the HTTP adapter against `createCustomersHandler` on
 * the same memory adapter behind a loopback Node server, in the same process. A second baseline
 * is the bare transport: `fetch` to a Node server that answers a fixed JSON body, per request.
 * Run: node --conditions=@donutauto/source --import tsx bench/http.ts [rows]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpAdapter } from '@donutauto/adapter-http';
import { type CustomerClient, createCustomerClient, createMemoryAdapter } from '@donutauto/core';
import { createCustomersHandler } from '@donutauto/server';
import { toNodeHandler } from '@donutauto/server/node';

const rows = Number(process.argv[2] ?? 20_000);
const roundTrips = 1_000;
const ORG = 'bench';

async function work(client: CustomerClient): Promise<Record<string, number>> {
  const times: Record<string, number> = {};
  let start = performance.now();
  const inputs = Array.from({ length: rows }, (_, i) => ({
    firstName: `First${i}`,
    lastName: `Last${i}`,
    email: `c${i}@example.com`,
    preferences: ['glazed'],
  }));
  const report = await client.bulkAddCustomers(inputs, { batchSize: 1_000 });
  if (report.addedCount !== rows) throw new Error(`expected ${rows} added, got ${report.addedCount}`);
  times.bulkAdd = performance.now() - start;

  start = performance.now();
  for (let i = 0; i < roundTrips; i++) {
    const customer = await client.get(report.addedIds[i]!);
    await client.update(customer.id, { notes: `visit ${i}` }, { expectedVersion: customer.version });
  }
  times.getUpdate = performance.now() - start;

  start = performance.now();
  let cursor: string | null = null;
  let seen = 0;
  for (;;) {
    const page = await client.list({ numItems: 500, cursor, sort: 'oldest' });
    seen += page.page.length;
    if (page.isDone) break;
    cursor = page.continueCursor;
  }
  if (seen !== rows) throw new Error(`listed ${seen} of ${rows}`);
  times.list = performance.now() - start;
  return times;
}

const direct = await work(createCustomerClient({ adapter: createMemoryAdapter(), organizationId: ORG }));

const handler = createCustomersHandler({ adapter: createMemoryAdapter(), authorize: () => ORG });
const server = createServer(toNodeHandler(handler));
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const adapter = createHttpAdapter({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
const overHttp = await work(createCustomerClient({ adapter, organizationId: ORG }));
server.closeAllConnections();
server.close();

console.log(
  `http: ${rows.toLocaleString('en-US')} customers, ${roundTrips} get+update round trips, list all`,
);
for (const step of Object.keys(direct)) {
  const ratio = overHttp[step]! / direct[step]!;
  console.log(
    `  ${step.padEnd(10)} direct ${direct[step]!.toFixed(0).padStart(6)} ms   http ${overHttp[step]!.toFixed(0).padStart(6)} ms   ratio ${ratio.toFixed(1)}×`,
  );
}

// The bare transport: the same number of requests to a server that only answers.
const echo = createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end('{"result":1}'));
});
await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}/`;
const bareStart = performance.now();
for (let i = 0; i < 2 * roundTrips; i++) {
  const answer = await fetch(echoUrl, { method: 'POST', body: '{"args":["x"]}' });
  await answer.json();
}
const bare = performance.now() - bareStart;
echo.closeAllConnections();
echo.close();
const perRequest = overHttp.getUpdate! / (2 * roundTrips);
const barePerRequest = bare / (2 * roundTrips);
console.log(
  `  per request: bare fetch round trip ${(barePerRequest * 1000).toFixed(0)} µs, get/update via the handler ${(perRequest * 1000).toFixed(0)} µs, ratio ${(perRequest / barePerRequest).toFixed(2)}×`,
);
