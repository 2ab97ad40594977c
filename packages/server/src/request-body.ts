import { AbortedError, InvalidArgumentError, RequestError } from '@donutauto/core';

/** Bounds of a request body. */
export interface BodyLimits {
  /** Largest body, in bytes. */
  readonly maxBytes: number;
  /** `read`: time for the whole body; `guard`: longest pause between two chunks (ms). */
  readonly timeoutMs: number;
}

function tooLarge(maxBytes: number): RequestError {
  return new RequestError('payload_too_large', `The request body is over its limit of ${maxBytes} bytes`);
}

/** Refuses a body whose declared length is already over the limit, before reading any of it. */
function checkDeclaredLength(request: Request, maxBytes: number): void {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
}

/**
 * Reads a whole request body within its limits.
 * @param request - The request.
 * @param limits - Size and time bounds.
 * @returns The bytes.
 * @throws `payload_too_large` past `maxBytes`; `request_timeout` when the body has not fully
 * arrived within `timeoutMs`; `aborted` when the client went away.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  checkDeclaredLength(request, limits.maxBytes);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new RequestError(
            'request_timeout',
            `The request body did not arrive within ${limits.timeoutMs} ms`,
          ),
        ),
      limits.timeoutMs,
    );
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]).catch((error: unknown) => {
        throw error instanceof RequestError ? error : new AbortedError('The client closed the request');
      });
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) throw tooLarge(limits.maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    void reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0]!;
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * Parses a JSON body.
 * @param bytes - The body.
 * @returns The value.
 * @throws `invalid_argument` (argument `body`) for bytes that are not UTF-8 JSON.
 */
export function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    throw new InvalidArgumentError('body', `malformed JSON (${reason})`);
  }
}

/** Options of {@link guardBody}. */
export interface GuardOptions extends BodyLimits {
  /** Sees every chunk that passes (e.g. to hash the body). */
  readonly onChunk?: (chunk: Uint8Array) => void;
  /** Called before the stream fails on a limit, so a consumer stops before it reads the error. */
  readonly beforeFail?: (error: RequestError) => void;
}

/**
 * Wraps a streamed body so it fails with a typed error instead of growing or stalling forever:
 * `payload_too_large` past `maxBytes`, `request_timeout` when no chunk arrives for `timeoutMs`.
 * @param request - The request whose body to guard.
 * @param options - Bounds and hooks.
 * @returns The guarded body.
 * @throws `payload_too_large` at once when the declared length is over the limit.
 */
export function guardBody(request: Request, options: GuardOptions): ReadableStream<Uint8Array> {
  checkDeclaredLength(request, options.maxBytes);
  const source = request.body?.getReader();
  let size = 0;
  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: RequestError) => {
    options.beforeFail?.(error);
    controller.error(error);
    void source?.cancel().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!source) return controller.close();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const idle = new Promise<'idle'>((resolve) => {
        timer = setTimeout(() => resolve('idle'), options.timeoutMs);
      });
      try {
        const next = await Promise.race([source.read(), idle]);
        if (next === 'idle') {
          const message = `The upload paused for more than ${options.timeoutMs} ms`;
          return fail(controller, new RequestError('request_timeout', message));
        }
        if (next.done) return controller.close();
        size += next.value.byteLength;
        if (size > options.maxBytes) return fail(controller, tooLarge(options.maxBytes));
        options.onChunk?.(next.value);
        controller.enqueue(next.value);
      } catch {
        controller.error(new AbortedError('The client closed the upload'));
      } finally {
        clearTimeout(timer);
      }
    },
    cancel(reason) {
      return source?.cancel(reason);
    },
  });
}
