import { createHttpAdapter } from '@donutauto/adapter-http';
import { createCustomerClient, isCustomerError } from '@donutauto/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from './support/child-process';
import { createPool, DATABASE_URL, dropSchema, freshSchema } from './support/databases';
import { bearerHeaders } from './support/loopback';

const ORG = 'org-killed';
const schema = freshSchema('killed');
let pool: pg.Pool;
let server: ChildServer | undefined;

beforeAll(async () => {
  if (DATABASE_URL) pool = createPool(2);
});

afterAll(async () => {
  await server?.kill();
  if (DATABASE_URL) {
    await dropSchema(pool, schema);
    await pool.end();
  }
});

/** `rows` customers with distinct emails, one invalid row and one repeated email. */
function bigCsv(rows: number, org: string): { csv: string; valid: number } {
  let csv = 'First Name,Last Name,Email\n';
  for (let i = 0; i < rows; i++) csv += `First${i},Last${i},p${i}@${org}.example\n`;
  csv += 'Bad,Row,not-an-email\nAgain,Row,p1@' + org + '.example\n';
  return { csv, valid: rows };
}

async function stored(org: string): Promise<{ count: number; repeated: number }> {
  const table = `"${schema}".customers`;
  const count = await pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE organization_id = $1`, [org]);
  const repeated = await pool.query(
    `SELECT count(*)::int AS n FROM (SELECT lower(email) FROM ${table} WHERE organization_id = $1 GROUP BY 1 HAVING count(*) > 1) d`,
    [org],
  );
  return { count: count.rows[0].n, repeated: repeated.rows[0].n };
}

describe.runIf(DATABASE_URL)('a server killed with SIGKILL mid-import (PostgreSQL)', () => {
  it('ends exact when the import is retried with the same idempotency key', async () => {
    const { csv, valid } = bigCsv(30_000, ORG);
    // maxIssues: every issue stays in the report (by default it holds the first 1,000).
    await server?.kill();
    server = await startChildServer(schema);
    const first = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders, retry: { retries: 0 } });
    const victim = server;
    let killed: Promise<void> | undefined;
    const failure = await first
      .importCsv(ORG, new Blob([csv]), {
        idempotencyKey: 'import-2026-01',
        batchSize: 500,
        maxIssues: 100_000,
        onProgress: (p) => {
          if (p.rowsWritten >= 5_000) killed ??= victim.kill();
        },
      })
      .catch((e: unknown) => e);
    await killed;
    expect(isCustomerError(failure, 'storage_failed')).toBe(true);
    const before = await stored(ORG);
    expect(before.count).toBeGreaterThanOrEqual(5_000);
    expect(before.count).toBeLessThan(valid);

    server = await startChildServer(schema, victim.port);
    const retry = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders });
    const report = await retry.importCsv(ORG, new Blob([csv]), {
      idempotencyKey: 'import-2026-01',
      batchSize: 500,
      maxIssues: 100_000,
    });
    const after = await stored(ORG);
    expect(after).toEqual({ count: valid, repeated: 0 });
    // The retry wrote the rest; what the killed attempt wrote it found stored and skipped.
    const alreadyStored = report.issues.filter((i) => i.code === 'duplicate_existing').length;
    expect(report.addedCount).toBe(valid - before.count);
    expect(alreadyStored).toBe(before.count);
    expect(report.errorCount).toBe(1);

    // Once finished, the same key gets the same report, and nothing more is written.
    const replay = await retry.importCsv(ORG, new Blob([csv]), {
      idempotencyKey: 'import-2026-01',
      batchSize: 500,
      maxIssues: 100_000,
    });
    expect({ ...replay, durationMs: 0 }).toEqual({ ...report, durationMs: 0 });
    expect(await stored(ORG)).toEqual({ count: valid, repeated: 0 });
    await retry.close();
  }, 180_000);

  it('ends exact when a bulk add rides through a restart on its own retries', async () => {
    const org = `${ORG}-bulk`;
    await server?.kill();
    server = await startChildServer(schema);
    const port = server.port;
    const adapter = createHttpAdapter({
      baseUrl: server.url,
      headers: bearerHeaders,
      retry: { retries: 40, minDelayMs: 100, maxDelayMs: 400 },
    });
    const client = createCustomerClient({ adapter, organizationId: org });
    const inputs = Array.from({ length: 20_000 }, (_, i) => ({
      firstName: `F${i}`,
      lastName: `L${i}`,
      email: `b${i}@${org}.example`,
    }));
    let restarted: Promise<void> | undefined;
    const result = await client.bulkAddCustomers(inputs, {
      batchSize: 500,
      concurrency: 2,
      onProgress: (p) => {
        if (p.rowsWritten >= 4_000 && !restarted) {
          const victim = server!;
          restarted = victim.kill().then(async () => {
            server = await startChildServer(schema, port);
          });
        }
      },
    });
    await restarted;
    expect(restarted).toBeDefined();
    expect(result).toMatchObject({ addedCount: 20_000, skippedCount: 0, errorCount: 0 });
    expect(new Set(result.addedIds).size).toBe(20_000);
    expect(await stored(org)).toEqual({ count: 20_000, repeated: 0 });
    await adapter.close();
  }, 180_000);
});
