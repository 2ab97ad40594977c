import type { IncomingMessage, ServerResponse } from 'node:http';

/** A Fetch-API handler, such as the one `createCustomersHandler` returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** A Node `http` request listener that is also Express middleware. */
export type NodeHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * Serves a Fetch-API handler from Node's `http` (or `https`, or Express): the request body
 * streams into the handler (with backpressure), the answer streams out (Server-Sent Events and
 * downloads flush as they are written), and a client that goes away aborts `request.signal`.
 * Express: mount it before any body parser (`express.json()` would consume the body first); it
 * keeps the full path (`originalUrl`), so the handler finds its routes wherever it is mounted.
 * @param handler - The Fetch-API handler.
 * @returns The Node listener / Express middleware.
 * @example
 * import { createServer } from 'node:http';
 * createServer(toNodeHandler(handler)).listen(3000);
 * // Express: app.use('/api/customers', toNodeHandler(handler));
 */
export function toNodeHandler(handler: FetchHandler): NodeHandler {
  return (req, res, next) => {
    serve(handler, req, res).catch((error: unknown) => {
      if (next) return next(error);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy(error instanceof Error ? error : undefined);
    });
  };
}

async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const aborted = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) aborted.abort();
  });
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  if (hasBody && (req as { body?: unknown }).body !== undefined && req.readableEnded) {
    throw new Error(
      'The request body was already read by another middleware (such as express.json()): mount the customers handler before body parsers',
    );
  }
  const path = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/';
  const url = new URL(path, `http://${req.headers.host ?? 'localhost'}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name.startsWith(':')) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  const body = hasBody ? bodyStream(req, () => res.setHeader('connection', 'close')) : undefined;
  const request = new Request(url, {
    method,
    headers,
    signal: aborted.signal,
    ...(body ? { body, duplex: 'half' } : {}),
  } as RequestInit);
  const response = await handler(request);
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  if (!response.body) {
    res.end();
    return;
  }
  // A streamed answer (no length: events, progress, downloads) starts at once.
  if (!response.headers.has('content-length')) res.flushHeaders();
  const reader = response.body.getReader();
  const stop = () => void reader.cancel().catch(() => {});
  res.on('close', stop);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!res.write(value)) await drained(res);
    }
    res.end();
  } catch {
    // The answer failed midway (a cut download): end the connection so the client sees the cut.
    res.destroy();
  } finally {
    res.off('close', stop);
  }
}

/** Waits until the response can take more, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * The request body as a Web stream that reads only as fast as it is consumed. When the handler
 * stops reading early (a body over its limit, a stalled upload), the rest is discarded and the
 * connection closes after the answer.
 */
function bodyStream(req: IncomingMessage, onCancel: () => void): ReadableStream<Uint8Array> {
  // Once the stream is closed, errored or cancelled, late events of the request are ignored.
  let open = true;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        const settle = (finish: () => void) => {
          if (!open) return;
          open = false;
          finish();
        };
        req.on('data', (chunk: Buffer) => {
          if (!open) return;
          controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        req.on('end', () => settle(() => controller.close()));
        req.on('error', (error) => settle(() => controller.error(error)));
        req.on('close', () => settle(() => controller.error(new Error('The client closed the request'))));
        req.pause();
      },
      pull() {
        req.resume();
      },
      cancel() {
        open = false;
        onCancel();
        // The rest of the body is read and dropped; the connection closes after the answer.
        req.resume();
      },
    },
    { highWaterMark: 64 * 1024, size: (chunk) => chunk.byteLength },
  );
}
