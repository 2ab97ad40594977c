import { createHttpAdapter } from '@donutauto/adapter-http';
import type { ImportStreamLine } from '@donutauto/adapter-http/protocol';
import {
  createCustomerClient,
  createMemoryAdapter,
  type ImportProgress,
  isCustomerError,
} from '@donutauto/core';
import type { StorageAdapter } from '@donutauto/core/adapter';
import { type CustomersHandler, createCustomersHandler, type HandlerLimits } from '@donutauto/server';
import { afterEach, describe, expect, it } from 'vitest';
import { bearerAuthorize, bearerHeaders, type Loopback, serveOnLoopback } from './support/loopback';
import { send } from './support/raw-client';

const ORG = 'org-csv';
let running: { handler: CustomersHandler; server: Loopback } | undefined;

afterEach(async () => {
  await running?.handler.close();
  await running?.server.close();
  running = undefined;
});

async function start(limits: Partial<HandlerLimits> = {}, store: StorageAdapter = createMemoryAdapter()) {
  const handler = createCustomersHandler({
    adapter: store,
    authorize: bearerAuthorize,
    limits,
    customFields: [{ key: 'tier', type: 'select', options: ['gold', 'silver'] }],
    onError: () => {},
  });
  const server = await serveOnLoopback(handler);
  running = { handler, server };
  const adapter = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders, retry: { retries: 0 } });
  return { store, adapter, url: server.url };
}

function csvOf(rows: number, from = 0): string {
  let text = 'First Name,Last Name,E-mail,Tier\n';
  for (let i = from; i < from + rows; i++)
    text += `F${i},L${i},p${i}@example.com,${i % 2 ? 'gold' : 'silver'}\n`;
  return text;
}

describe('HttpAdapter.importCsv', () => {
  it('imports on the server with progress per batch, the server’s definitions, and the same report as a local import', async () => {
    const { store, adapter } = await start();
    const progress: ImportProgress[] = [];
    const csv = `${csvOf(1_200)}Bad,Row,not-an-email,gold\nF1,L1,p1@example.com,gold\n`;
    const report = await adapter.importCsv(ORG, new Blob([csv]), {
      batchSize: 250,
      keepAddedIds: true,
      onProgress: (p) => progress.push(p),
    });
    expect(report).toMatchObject({ addedCount: 1_200, errorCount: 1, skippedCount: 1, aborted: false });
    expect(report.mapping.columns.map((c) => c.target)).toEqual([
      'firstName',
      'lastName',
      'email',
      'customFields.tier',
    ]);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toMatchObject({ rowsWritten: 1_200 });
    expect(await store.count(ORG, {})).toBe(1_200);
    const stored = await store.get(ORG, report.addedIds?.[1] ?? '');
    expect(stored?.customFields).toEqual({ tier: 'gold' });

    const local = await createCustomerClient({
      adapter: createMemoryAdapter(),
      organizationId: ORG,
      customFields: [{ key: 'tier', type: 'select', options: ['gold', 'silver'] }],
    }).importCsv(csv, { batchSize: 250, keepAddedIds: true });
    const comparable = (r: typeof report) => ({ ...r, addedIds: r.addedIds?.length, durationMs: 0 });
    expect(comparable(report)).toEqual(comparable(local));
  });

  it('streams every issue and the refused rows as CSV, as a local import hands them to its callbacks', async () => {
    const { store, adapter } = await start();
    let csv = csvOf(600);
    for (let i = 0; i < 30; i++) csv += `Bad${i},,bad${i}@example.com,gold\n`;
    csv += 'Tiv,Er,tiv@example.com,bronze\n';
    const options = { batchSize: 100, maxIssues: 5 } as const;
    const remote = { issues: [] as unknown[], rejected: [] as string[] };
    const report = await adapter.importCsv(ORG, csv, {
      ...options,
      onIssue: (issue) => remote.issues.push(issue),
      onRejectedCsv: (chunk) => {
        remote.rejected.push(chunk);
      },
    });
    const local = { issues: [] as unknown[], rejected: [] as string[] };
    const localReport = await createCustomerClient({
      adapter: createMemoryAdapter(),
      organizationId: ORG,
      customFields: [{ key: 'tier', type: 'select', options: ['gold', 'silver'] }],
    }).importCsv(csv, {
      ...options,
      onIssue: (issue) => local.issues.push(issue),
      onRejectedCsv: (chunk) => {
        local.rejected.push(chunk);
      },
    });
    expect(report).toMatchObject({ addedCount: 601, errorCount: 30, issueCount: 31 });
    expect(report.issues).toHaveLength(5);
    expect(remote.issues).toHaveLength(31);
    expect(remote.issues).toEqual(local.issues);
    expect({ ...report, durationMs: 0 }).toEqual({ ...localReport, durationMs: 0 });
    expect(remote.rejected.join('')).toBe(local.rejected.join(''));
    const rejectedLines = remote.rejected.join('').trim().split(/\r?\n/);
    expect(rejectedLines[0]).toBe('First Name,Last Name,E-mail,Tier,Import errors');
    expect(rejectedLines).toHaveLength(1 + 30);
    expect(await store.count(ORG, {})).toBe(601);
  });

  it.each(['streamRejectedCsv', 'streamIssues'] as const)(
    'with %s, stops reading the upload while the client does not read, and loses nothing',
    async (flag) => {
      const handler = createCustomersHandler({
        adapter: createMemoryAdapter(),
        authorize: bearerAuthorize,
        onError: () => {},
      });
      const rows = 20_000;
      // Each refused row carries a long cell, so the answer passes the server's buffer bound quickly.
      const filler = 'x'.repeat(500);
      let rowsPulled = 0;
      const encoder = new TextEncoder();
      const upload = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (rowsPulled === 0) controller.enqueue(encoder.encode('First Name,Last Name,E-mail\n'));
          if (rowsPulled >= rows) return controller.close();
          let text = '';
          for (const end = rowsPulled + 100; rowsPulled < end; rowsPulled++)
            text += `F${rowsPulled},,p${rowsPulled}@example.com ${filler}\n`;
          controller.enqueue(encoder.encode(text));
        },
      });
      const options = encodeURIComponent(JSON.stringify({ batchSize: 250, [flag]: true }));
      const response = await handler(
        new Request(`http://local/v1/import?options=${options}`, {
          method: 'POST',
          headers: { ...bearerHeaders({ organizationId: ORG }), 'content-type': 'text/csv' },
          body: upload,
          duplex: 'half',
        } as RequestInit),
      );
      expect(response.status).toBe(200);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let text = (await reader.read()).value ?? '';
      // The client stops reading: the server fills its bound (1 MiB of lines, ~2,000 rows) and waits.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(rowsPulled).toBeLessThan(rows / 2);
      for (;;) {
        const next = await reader.read();
        if (next.done) break;
        text += next.value;
      }
      const lines = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as ImportStreamLine);
      const firstNames =
        flag === 'streamRejectedCsv'
          ? lines
              .flatMap((l) => (l.type === 'rejected' ? [l.csv] : []))
              .join('')
              .trim()
              .split(/\r?\n/)
              .slice(1)
              .map((l) => l.split(',')[0])
          : lines.flatMap((l) =>
              l.type === 'issue' && l.issue.field === 'lastName' ? [`F${l.issue.row - 2}`] : [],
            );
      expect(firstNames).toEqual(Array.from({ length: rows }, (_, i) => `F${i}`));
      expect(lines.at(-1)).toMatchObject({ type: 'report', report: { errorCount: rows } });
      await handler.close();
    },
  );

  it('refuses a stream flag that is not a boolean', async () => {
    const { url } = await start();
    const options = encodeURIComponent(JSON.stringify({ streamIssues: 'yes' }));
    const answer = await send(`${url}/v1/import?options=${options}`, ORG, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csvOf(2),
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'invalid_argument', argument: 'streamIssues' } });
  });

  it('streams a ReadableStream upload and runs a dry run without writing', async () => {
    const { store, adapter } = await start();
    const bytes = new TextEncoder().encode(csvOf(40));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 100) controller.enqueue(bytes.slice(at, at + 100));
        controller.close();
      },
    });
    const report = await adapter.importCsv(ORG, stream, { dryRun: true });
    expect(report).toMatchObject({ dryRun: true, addedCount: 40 });
    expect(report.plan?.inserts).toHaveLength(40);
    expect(await store.count(ORG, {})).toBe(0);
  });

  it('answers bad options and a wrong upload type before importing anything', async () => {
    const { store, adapter, url } = await start({ maxImportConcurrency: 2 });
    const bad = await adapter.importCsv(ORG, csvOf(3), { batchSize: 0 }).catch((e: unknown) => e);
    expect(isCustomerError(bad, 'invalid_argument')).toBe(true);
    const greedy = await adapter.importCsv(ORG, csvOf(3), { concurrency: 16 }).catch((e: unknown) => e);
    expect(isCustomerError(greedy, 'invalid_argument') && greedy.argument).toBe('concurrency');
    const notJson = await send(`${url}/v1/import?options=nope`, ORG, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csvOf(2),
    });
    expect(notJson.status).toBe(400);
    expect(await store.count(ORG, {})).toBe(0);
  });

  it('ignores custom field definitions a client sends with its options', async () => {
    const store = createMemoryAdapter();
    const handler = createCustomersHandler({ adapter: store, authorize: bearerAuthorize });
    const server = await serveOnLoopback(handler);
    running = { handler, server };
    const adapter = createHttpAdapter({ baseUrl: server.url, headers: bearerHeaders });
    const options = {
      unmappedColumns: 'customFields',
      customFieldDefinitions: [{ key: 'visits', type: 'number' }],
      keepAddedIds: true,
    } as const;
    const report = await adapter.importCsv(
      ORG,
      'firstName,lastName,email,visits\nAna,Li,ana@example.com,42\n',
      options as never,
    );
    expect((await store.get(ORG, report.addedIds?.[0] ?? ''))?.customFields).toEqual({ visits: '42' });
  });

  it('stops an upload over its limit between batches, saying how far it got', async () => {
    const { store, adapter } = await start({ maxImportBytes: 300_000 });
    const csv = csvOf(20_000);
    const declared = await adapter.importCsv(ORG, csv).catch((e: unknown) => e);
    expect(isCustomerError(declared, 'payload_too_large')).toBe(true);
    expect(await store.count(ORG, {})).toBe(0);
    // Streamed (no length): refused once the limit is passed, after whole batches only.
    const bytes = new TextEncoder().encode(csv);
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.slice(at, at + 16_384));
        at += 16_384;
      },
    });
    const streamed = await adapter.importCsv(ORG, stream, { batchSize: 100 }).catch((e: unknown) => e);
    expect(isCustomerError(streamed, 'payload_too_large')).toBe(true);
    const written = (streamed as { progress?: ImportProgress }).progress?.rowsWritten;
    expect(written).toBeGreaterThan(0);
    expect(written! % 100).toBe(0);
    expect(await store.count(ORG, {})).toBe(written);
  });

  it('stops an upload that pauses for longer than the idle timeout', async () => {
    const { adapter } = await start({ importIdleTimeoutMs: 300 });
    const bytes = new TextEncoder().encode(csvOf(600));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (sent >= 8_000) return new Promise(() => {}); // the upload stalls
        controller.enqueue(bytes.slice(sent, sent + 4_000));
        sent += 4_000;
      },
    });
    const error = await adapter.importCsv(ORG, stream, { batchSize: 50 }).catch((e: unknown) => e);
    expect(isCustomerError(error, 'request_timeout')).toBe(true);
  });
});

describe('HttpAdapter.exportCsv', () => {
  it('downloads the same CSV a local export gives, filters and options applied on the server', async () => {
    const { adapter } = await start();
    await adapter.importCsv(ORG, csvOf(2_500));
    let remote = '';
    for await (const chunk of adapter.exportCsv(ORG, {
      filter: { customFields: { tier: 'gold' } },
      delimiter: ';',
    }))
      remote += chunk;
    const local = createCustomerClient({
      adapter,
      organizationId: ORG,
      customFields: [{ key: 'tier', type: 'select', options: ['gold', 'silver'] }],
    });
    let expected = '';
    for await (const chunk of local.exportCsv({ filter: { customFields: { tier: 'gold' } }, delimiter: ';' }))
      expected += chunk;
    expect(remote).toBe(expected);
    expect(remote.trim().split(/\r?\n/)).toHaveLength(1 + 1_250);
    const bad = await (async () => {
      for await (const _ of adapter.exportCsv(ORG, { delimiter: 'x' as never }));
    })().catch((e: unknown) => e);
    expect(isCustomerError(bad, 'invalid_argument')).toBe(true);
  });

  it('cuts the download off (never a short file that looks whole) when storage fails midway', async () => {
    const store = createMemoryAdapter();
    const { adapter } = await start({}, store);
    await adapter.importCsv(ORG, csvOf(2_500));
    const list = store.list.bind(store);
    let pages = 0;
    store.list = async (org, query) => {
      if (++pages === 3) throw new Error('connection lost');
      return list(org, query);
    };
    let received = '';
    const error = await (async () => {
      for await (const chunk of adapter.exportCsv(ORG)) received += chunk;
    })().catch((e: unknown) => e);
    expect(isCustomerError(error, 'storage_failed')).toBe(true);
    expect(received.length).toBeGreaterThan(0);
  });
});
