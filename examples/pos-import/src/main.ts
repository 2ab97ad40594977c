/**
 * POS import: streams a generated 100,000-row POS export into PostgreSQL through the SDK, with a
 * progress bar, then prints the import report (every issue counted through `onIssue`, the refused
 * rows written to a CSV to fix and upload again) and the first page of customers.
 * Uses DATABASE_URL when set (a real server, batches loaded with COPY), otherwise embedded PGlite
 * stored in ./.pglite-data. Run it with `pnpm --filter @donutauto/example-pos-import start`.
 * Optional: ROWS=20000 for a shorter run.
 */

import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresAdapter, type PostgresDatabase } from '@donutauto/adapter-postgres';
import { createCustomerClient, type ImportProgress } from '@donutauto/core';
import { posExport } from './pos-export';

const rows = Number(process.env.ROWS ?? 100_000);
const url = process.env.DATABASE_URL;
const organizationId = 'sunrise-donuts';

async function openDatabase(): Promise<{
  db: PostgresDatabase;
  label: string;
  close: () => Promise<void>;
  copyFrom?: typeof import('pg-copy-streams').from;
}> {
  if (url) {
    const { default: pg } = await import('pg');
    const { from } = await import('pg-copy-streams');
    const pool = new pg.Pool({ connectionString: url, max: 8 });
    return {
      db: pool,
      label: `PostgreSQL at ${url.replace(/:[^:@/]*@/, ':***@')}`,
      close: () => pool.end(),
      copyFrom: from,
    };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dataDir = new URL('../.pglite-data', import.meta.url).pathname;
  const db = await PGlite.create(dataDir);
  return { db, label: `embedded PGlite in ${dataDir}`, close: () => db.close() };
}

function progressBar(progress: ImportProgress): void {
  const done = Math.min(1, progress.rowsRead / rows);
  const width = 30;
  const filled = Math.round(done * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  process.stdout.write(
    `\r  ${bar} ${(done * 100).toFixed(0).padStart(3)}%  read ${progress.rowsRead.toLocaleString()}  written ${progress.rowsWritten.toLocaleString()}  `,
  );
}

const database = await openDatabase();
console.log(`Importing ${rows.toLocaleString()} POS rows into ${database.label}`);
const adapter = createPostgresAdapter({
  db: database.db,
  schema: 'pos_import',
  ...(database.copyFrom ? { copyFrom: database.copyFrom } : {}),
});
try {
  await adapter.migrate();
  const customers = createCustomerClient({ adapter, organizationId });
  // The report keeps the first 1,000 issues; onIssue sees them all. Refused rows go to a CSV.
  const byCode = new Map<string, number>();
  const rejectedFile = join(tmpdir(), 'pos-import-rejected.csv');
  const rejected = createWriteStream(rejectedFile);
  const report = await customers.importCsv(posExport(rows), {
    batchSize: 2_000,
    concurrency: 3,
    onProgress: progressBar,
    onIssue: (issue) => byCode.set(issue.code, (byCode.get(issue.code) ?? 0) + 1),
    onRejectedCsv: (chunk) => {
      rejected.write(chunk);
    },
  });
  await new Promise((resolve) => rejected.end(resolve));
  process.stdout.write('\n\n');
  console.log('Report');
  console.log(`  added    ${report.addedCount.toLocaleString()}`);
  console.log(`  updated  ${report.updatedCount.toLocaleString()}`);
  console.log(
    `  skipped  ${report.skippedCount.toLocaleString()} (duplicates in the file or already stored — run it again: everything is skipped)`,
  );
  console.log(`  errors   ${report.errorCount.toLocaleString()}`);
  console.log(
    `  time     ${(report.durationMs / 1000).toFixed(1)} s (${Math.round((rows / report.durationMs) * 1000).toLocaleString()} rows/s)`,
  );
  console.log(
    `  columns  ${report.mapping.columns.map((c) => `${c.column} → ${c.target ?? '(unmapped)'}`).join(', ')}`,
  );
  console.log(`  issues   ${[...byCode].map(([code, n]) => `${code} × ${n}`).join(', ') || 'none'}`);
  if (report.errorCount > 0) console.log(`  refused rows, to fix and upload again: ${rejectedFile}`);
  for (const issue of report.issues.filter((i) => i.level === 'error').slice(0, 3)) {
    console.log(`           row ${issue.row}${issue.column ? ` (${issue.column})` : ''}: ${issue.message}`);
  }

  const total = await customers.count();
  const page = await customers.list({ numItems: 10, sort: 'newest' });
  console.log(`\nFirst page of ${total.toLocaleString()} customers (newest first)`);
  for (const c of page.page) {
    console.log(
      `  ${`${c.firstName} ${c.lastName}`.padEnd(18)} ${c.email.padEnd(28)} ${(c.phone ?? '').padEnd(12)} ${c.dob ?? ''}` +
        (c.preferences.length ? `  likes ${c.preferences.join(', ')}` : ''),
    );
  }
  console.log(page.isDone ? '  (no more pages)' : '  … more pages: pass continueCursor to list()');
} finally {
  await adapter.close();
  await database.close();
}
