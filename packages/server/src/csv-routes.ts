import {
  CONTENT_TYPES,
  type ImportStreamLine,
  type ImportStreamRequest,
  OPTIONS_PARAM,
} from '@donutauto/adapter-http/protocol';
import {
  type CsvImportReport,
  createCustomerClient,
  type ImportProgress,
  InvalidArgumentError,
} from '@donutauto/core';
import { toWireError } from '@donutauto/core/adapter';
import type { BodyDigest } from './body-digest';
import type { WriteOutcome } from './idempotency-gate';
import type { IdempotencyRecord } from './idempotency-store';
import { guardBody } from './request-body';
import { publicError } from './responses';
import type { RouteContext } from './rpc-route';

/** What the CSV routes need beyond a storage route. */
export interface CsvRouteContext extends RouteContext {
  /** Receives errors hidden from the client. */
  readonly report: (error: unknown) => void;
}

/**
 * Reads a CSV route's `options` query parameter: a JSON object, or `{}` when absent. The core's
 * import and export check every option; functions and signals cannot come from JSON, and the
 * server sets its own.
 * @throws `invalid_argument` (argument `options`) for anything but a JSON object.
 */
export function csvOptions(url: URL): Record<string, unknown> {
  const text = url.searchParams.get(OPTIONS_PARAM);
  if (text === null || text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(OPTIONS_PARAM, 'expected a JSON object');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(OPTIONS_PARAM, 'expected a JSON object');
  }
  return value as Record<string, unknown>;
}

async function clientFor(context: RouteContext) {
  const customFields = await context.definitions();
  return createCustomerClient({
    adapter: context.adapter,
    organizationId: context.organizationId,
    now: context.now,
    ...(customFields ? { customFields } : {}),
  });
}

const UTF8 = new TextEncoder();
const SERVER_OWNED_IMPORT_OPTIONS = [
  'customFieldDefinitions',
  'signal',
  'onProgress',
  'onIssue',
  'onRejectedCsv',
];
const line = (value: ImportStreamLine) => `${JSON.stringify(value)}\n`;
/** Characters of issue and refused-row lines the answer may hold before the import stops reading. */
const STREAM_HIGH_WATER = 1 << 20;

/** Takes the {@link ImportStreamRequest} flags out of the options. */
function streamRequest(options: Record<string, unknown>): Required<ImportStreamRequest> {
  const flag = (name: keyof ImportStreamRequest) => {
    const value = options[name] ?? false;
    delete options[name];
    if (typeof value !== 'boolean') throw new InvalidArgumentError(name, 'expected a boolean');
    return value;
  };
  return { streamIssues: flag('streamIssues'), streamRejectedCsv: flag('streamRejectedCsv') };
}

/** A body the import reads only while `ready` allows: how a slow reader of the answer slows the import. */
function gated(body: ReadableStream<Uint8Array>, ready: () => Promise<void>): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await ready();
      const next = await reader.read();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/**
 * Runs a server-side CSV import of the request's body (`POST /v1/import`), streaming NDJSON: a
 * `progress` line after each batch (coalesced when the client reads slowly), `issue` and `rejected`
 * lines when asked for ({@link ImportStreamRequest}; not coalesced: while the client has not read
 * them, the import stops reading the body), then the `report`, or an `error` line with the last
 * progress. Errors before the first batch are ordinary error answers. The body is bounded
 * (`maxImportBytes`, `importIdleTimeoutMs`): past a bound the import stops between batches and the
 * error says how far it got.
 * @param context - The route context.
 * @param request - The upload.
 * @param digest - Fingerprints the body as it is read (for the idempotency record).
 * @param fingerprintContext - What else the fingerprint covers (route and options).
 * @returns The answer, and the record to remember once the import has finished (its body holds
 * the report line only).
 */
export async function runImport(
  context: CsvRouteContext,
  request: Request,
  digest: BodyDigest,
  fingerprintContext: string,
): Promise<WriteOutcome> {
  const options = csvOptions(new URL(request.url));
  const streamed = streamRequest(options);
  // What only the server decides: its definitions, and the callbacks it reads the import with.
  for (const key of SERVER_OWNED_IMPORT_OPTIONS) delete options[key];
  const concurrency = options.concurrency;
  if (typeof concurrency === 'number' && concurrency > context.limits.maxImportConcurrency) {
    throw new InvalidArgumentError(
      'concurrency',
      `this server allows at most ${context.limits.maxImportConcurrency}`,
    );
  }
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  request.signal.addEventListener('abort', onAbort, { once: true });
  const guarded = guardBody(request, {
    maxBytes: context.limits.maxImportBytes,
    timeoutMs: context.limits.importIdleTimeoutMs,
    onChunk: (chunk) => digest.update(chunk),
    beforeFail: onAbort,
  });
  const client = await clientFor(context);

  // What the answer stream has yet to send: issue and refused-row lines in order, the latest
  // progress and, at the end, the outcome.
  const queued: string[] = [];
  let queuedChars = 0;
  let progress: ImportProgress | undefined;
  let lastProgress: ImportProgress | undefined;
  let outcome: { readonly line: string } | { readonly error: unknown } | undefined;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const resolve of waiters) resolve();
    waiters.clear();
  };
  stop.signal.addEventListener('abort', wake, { once: true });
  const until = async (ready: () => boolean) => {
    while (!ready()) await new Promise<void>((resolve) => waiters.add(resolve));
  };
  const enqueue = (value: ImportStreamLine) => {
    const text = line(value);
    queued.push(text);
    queuedChars += text.length;
    wake();
  };
  const roomInAnswer = () => until(() => queuedChars < STREAM_HIGH_WATER || stop.signal.aborted);
  const body = streamed.streamIssues || streamed.streamRejectedCsv ? gated(guarded, roomInAnswer) : guarded;

  const settled = client
    .importCsv(body, {
      ...options,
      signal: stop.signal,
      onProgress: (next) => {
        progress = next;
        lastProgress = next;
        wake();
      },
      ...(streamed.streamIssues ? { onIssue: (issue) => enqueue({ type: 'issue', issue }) } : {}),
      ...(streamed.streamRejectedCsv
        ? {
            onRejectedCsv: (csv: string) => {
              enqueue({ type: 'rejected', csv });
              return roomInAnswer();
            },
          }
        : {}),
    })
    .then(
      async (report: CsvImportReport): Promise<IdempotencyRecord> => {
        const text = line({ type: 'report', report });
        outcome = { line: text };
        wake();
        return {
          fingerprint: await digest.digest(fingerprintContext),
          status: 200,
          contentType: `${CONTENT_TYPES.ndjson}; charset=utf-8`,
          body: text,
        };
      },
      (error: unknown) => {
        outcome = { error };
        wake();
        return undefined;
      },
    );
  void settled.finally(() => request.signal.removeEventListener('abort', onAbort));

  // Until the first batch, an error is an ordinary error answer (bad options, a body over its limit).
  await until(() => lastProgress !== undefined || queued.length > 0 || outcome !== undefined);
  if (lastProgress === undefined && queued.length === 0 && outcome && 'error' in outcome) {
    throw outcome.error;
  }

  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      await until(() => queued.length > 0 || progress !== undefined || outcome !== undefined);
      if (queued.length > 0) {
        // Everything queued goes out in one chunk, then the import may read on.
        const text = queued.join('');
        queued.length = 0;
        queuedChars = 0;
        controller.enqueue(UTF8.encode(text));
        wake();
        return;
      }
      if (progress !== undefined) {
        controller.enqueue(UTF8.encode(line({ type: 'progress', progress })));
        progress = undefined;
        return;
      }
      const end = outcome!;
      const text =
        'line' in end
          ? end.line
          : line({
              type: 'error',
              error: toWireError(publicError(end.error, context.report)),
              ...(lastProgress ? { progress: lastProgress } : {}),
            });
      controller.enqueue(UTF8.encode(text));
      controller.close();
    },
    cancel() {
      stop.abort();
    },
  });
  return {
    response: new Response(stream, {
      headers: { 'content-type': `${CONTENT_TYPES.ndjson}; charset=utf-8`, 'cache-control': 'no-store' },
    }),
    settled,
  };
}

/**
 * Streams the organization's customers as CSV (`GET /v1/export`). Option errors and a failure
 * before the first chunk are ordinary error answers; a failure after it cuts the download off
 * (the client sees an incomplete transfer, never a short file that looks whole).
 * @param context - The route context.
 * @param request - The request (options in its query).
 * @returns The streaming answer.
 */
export async function runExport(context: CsvRouteContext, request: Request): Promise<Response> {
  const client = await clientFor(context);
  const chunks = client.exportCsv(csvOptions(new URL(request.url)) as never)[Symbol.asyncIterator]();
  const first = await chunks.next();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (first.done) controller.close();
      else controller.enqueue(UTF8.encode(first.value));
    },
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(UTF8.encode(next.value));
      } catch (error) {
        controller.error(publicError(error, context.report));
      }
    },
    async cancel() {
      await chunks.return?.();
    },
  });
  return new Response(body, {
    headers: {
      'content-type': `${CONTENT_TYPES.csv}; charset=utf-8`,
      'content-disposition': 'attachment; filename="customers.csv"',
      'cache-control': 'no-store',
    },
  });
}
