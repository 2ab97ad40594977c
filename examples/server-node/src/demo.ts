/**
 * The browser's side, run from Node: the customer client over the HTTP adapter against the server
 * (started here in-process), with live change events, optimistic concurrency, a server-side CSV
 * import with progress, and an export. `pnpm --filter @donutauto/example-server-node demo`
 */
import { createHttpAdapter } from '@donutauto/adapter-http';
import { createCustomerClient, isCustomerError } from '@donutauto/core';
import { startCustomersServer } from './server';

// A fresh organization per run, so the demo can run again against the same database.
const organizationId = `sunrise-donuts-${Date.now().toString(36)}`;
const server = await startCustomersServer({
  databaseUrl: process.env.DATABASE_URL,
  tokens: new Map([['demo-token', organizationId]]),
});
const adapter = createHttpAdapter({ baseUrl: server.url, headers: { authorization: 'Bearer demo-token' } });
const customers = createCustomerClient({ adapter, organizationId });

const stop = customers.subscribe((event) =>
  console.log(`  change: ${event.type} ${event.ids.length} customer(s)`),
);
const ana = await customers.add({
  firstName: 'Ana',
  lastName: 'Li',
  email: 'ana@example.com',
  preferences: ['glazed'],
});
console.log(`added ${ana.firstName} (version ${ana.version})`);
const edited = await customers.update(
  ana.id,
  { notes: 'Regular on Fridays' },
  { expectedVersion: ana.version },
);
console.log(`edited: version ${edited.version}`);
try {
  await customers.update(ana.id, { notes: 'stale edit' }, { expectedVersion: ana.version });
} catch (error) {
  if (isCustomerError(error, 'version_conflict')) console.log(`refused a stale edit: ${error.message}`);
  else throw error;
}

let csv = 'First Name,Last Name,E-mail,Loyalty tier\n';
for (let i = 0; i < 2_000; i++)
  csv += `Guest${i},Visitor,guest${i}@example.com,${['bronze', 'silver', 'gold'][i % 3]}\n`;
const report = await adapter.importCsv(organizationId, new Blob([csv]), {
  batchSize: 500,
  onProgress: (p) => console.log(`  import ${p.phase}: ${p.rowsRead} rows read, ${p.rowsWritten} written`),
});
console.log(`imported ${report.addedCount}, skipped ${report.skippedCount}, errors ${report.errorCount}`);
console.log(
  `customers: ${await customers.count()}; gold tier: ${await customers.count({ customFields: { tier: 'gold' } })}`,
);

let exported = '';
for await (const chunk of adapter.exportCsv(organizationId, { filter: { text: 'ana' } })) exported += chunk;
console.log(`export of "ana":\n${exported}`);

stop();
await adapter.close();
await server.close();
