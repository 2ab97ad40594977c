import {
  type CsvImportReport,
  type CsvSource,
  type ImportIssue,
  type ImportProgress,
  InvalidArgumentError,
  isCustomerError,
  StorageError,
} from '@donutauto/core';
import { fromWireError } from '@donutauto/core/adapter';
import { markRetryable, type Transport } from './http-transport';
import {
  CONTENT_TYPES,
  type ExportRequestOptions,
  type ImportRequestOptions,
  type ImportStreamLine,
  type ImportStreamRequest,
  OPTIONS_PARAM,
  ROUTES,
} from './protocol';

/** Options of `HttpAdapter.importCsv`: the import's options, progress, cancellation and key. */
export interface HttpImportOptions extends ImportRequestOptions {
  /** Called with the server's progress after each batch (`rowsRead`, `rowsWritten`, `bytesRead`). */
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Receives every issue as the server finds it, beyond the report's first `maxIssues` (as core's
   * `onIssue`). After a retried upload, an issue may arrive again; the report is authoritative.
   */
  readonly onIssue?: (issue: ImportIssue) => void;
  /**
   * Receives the refused rows as CSV chunks to fix (as core's `onRejectedCsv`). The server waits
   * while a returned promise is pending, so a slow consumer slows the import instead of filling
   * memory. A replayed answer (same `idempotencyKey`) carries the report only.
   */
  readonly onRejectedCsv?: (chunk: string) => void | Promise<void>;
  /** Cancels the upload; the server stops between batches (what was written stays written). */
  readonly signal?: AbortSignal;
  /**
   * Names the import for retries: sending the same file again with the same key never imports it
   * twice (see docs/server.md, "Idempotency"). @defaultValue a fresh key per call (its own retries share it)
   */
  readonly idempotencyKey?: string;
}

/**
 * Uploads a CSV to the server's import route and reads its progress lines and final report.
 * Strings, bytes and `Blob`s are sent again (same key) when the connection fails; streams and
 * iterables can be sent once only.
 * @returns The server's report.
 * @throws The server's typed error (with `progress` when it stopped mid-import); `storage_failed`
 * when unreachable.
 */
export async function uploadCsv(
  transport: Transport,
  organizationId: string,
  source: CsvSource,
  options: HttpImportOptions = {},
): Promise<CsvImportReport> {
  const { onProgress, onIssue, onRejectedCsv, signal, idempotencyKey, ...importOptions } = options;
  const streamed: ImportStreamRequest = {
    ...(onIssue ? { streamIssues: true } : {}),
    ...(onRejectedCsv ? { streamRejectedCsv: true } : {}),
  };
  const { body, resendable } = requestBody(source);
  return transport.send(
    organizationId,
    {
      path: ROUTES.import,
      method: 'POST',
      query: { [OPTIONS_PARAM]: JSON.stringify({ ...importOptions, ...streamed }) },
      body,
      contentType: `${CONTENT_TYPES.csv}; charset=utf-8`,
      accept: CONTENT_TYPES.ndjson,
      idempotencyKey: idempotencyKey ?? transport.newKey(),
      signal,
      retry: resendable,
      timeoutMs: false,
    },
    async (response) => {
      let report: CsvImportReport | undefined;
      for await (const line of ndjsonLines(response)) {
        if (line.type === 'progress') onProgress?.(line.progress);
        else if (line.type === 'issue') onIssue?.(line.issue);
        else if (line.type === 'rejected') await onRejectedCsv?.(line.csv);
        else if (line.type === 'report') report = line.report;
        else throw importError(line);
      }
      if (!report)
        throw new StorageError('The import answer ended before its report', new Error('truncated'));
      return report;
    },
  );
}

function importError(line: Extract<ImportStreamLine, { type: 'error' }>): Error {
  const error = fromWireError({ error: line.error });
  if (line.progress) Object.defineProperty(error, 'progress', { value: line.progress, enumerable: true });
  const again =
    (isCustomerError(error, 'storage_failed') && error.retryable) ||
    isCustomerError(error, 'request_timeout');
  return again ? markRetryable(error) : error;
}

async function* ndjsonLines(response: Response): AsyncGenerator<ImportStreamLine> {
  if (!response.body) return;
  const decoder = new TextDecoderStream();
  let buffer = '';
  for await (const text of response.body.pipeThrough(decoder) as unknown as AsyncIterable<string>) {
    buffer += text;
    let newline = buffer.indexOf('\n');
    while (newline !== -1) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (line) yield JSON.parse(line) as ImportStreamLine;
      newline = buffer.indexOf('\n');
    }
  }
  if (buffer.trim()) yield JSON.parse(buffer) as ImportStreamLine;
}

/** A body maker for each attempt; streams and iterables can be read once only. */
function requestBody(source: CsvSource): { body: () => BodyInit; resendable: boolean } {
  if (typeof source === 'string' || source instanceof Blob) return { body: () => source, resendable: true };
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
    return { body: () => source as BodyInit, resendable: true };
  }
  if (source instanceof ReadableStream) return { body: () => encoded(source), resendable: false };
  if (typeof source === 'object' && source !== null) {
    const iterable = source as AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
    return { body: () => encoded(fromIterable(iterable)), resendable: false };
  }
  throw new InvalidArgumentError(
    'source',
    'expected a string, bytes, a Blob, a ReadableStream or an iterable',
  );
}

function fromIterable(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>) {
  const iterator =
    Symbol.asyncIterator in source
      ? source[Symbol.asyncIterator]()
      : (source as Iterable<Uint8Array | string>)[Symbol.iterator]();
  return new ReadableStream<Uint8Array | string>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** Text chunks become UTF-8 bytes; byte chunks pass through. */
function encoded(stream: ReadableStream<Uint8Array | string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return stream.pipeThrough(
    new TransformStream<Uint8Array | string, Uint8Array>({
      transform(chunk, controller) {
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      },
    }),
  );
}

/** Options of `HttpAdapter.exportCsv`: the export's options and cancellation. */
export interface HttpExportOptions extends ExportRequestOptions {
  /** Stops the download. */
  readonly signal?: AbortSignal;
}

/**
 * Downloads the organization's customers as CSV text chunks from the server's export route.
 * Retried (it only reads) until the first chunk arrives; a download cut after that throws
 * `storage_failed` rather than ending short.
 * @returns The CSV text, chunk by chunk.
 * @throws `invalid_argument` for a bad option (from the server, before any chunk); `storage_failed`.
 */
export async function* downloadCsv(
  transport: Transport,
  organizationId: string,
  options: HttpExportOptions = {},
): AsyncGenerator<string> {
  const { signal, ...exportOptions } = options;
  const body = await transport.send(
    organizationId,
    {
      path: ROUTES.export,
      method: 'GET',
      query: { [OPTIONS_PARAM]: JSON.stringify(exportOptions) },
      accept: CONTENT_TYPES.csv,
      signal,
      streamsBody: true,
    },
    async (response) => response.body,
  );
  if (!body) return;
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<string>;
      try {
        next = await reader.read();
      } catch (error) {
        throw new StorageError('The CSV download was cut off before its end', error);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
