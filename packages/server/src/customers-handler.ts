import {
  CONTENT_TYPES,
  HEADERS,
  OPTIONS_PARAM,
  ROUTES,
  RPC_METHODS,
  type RpcMethod,
} from '@donutauto/adapter-http/protocol';
import { type CustomFieldDefinition, InvalidArgumentError, RequestError } from '@donutauto/core';
import { checkCustomFieldDefinitions, createCursorSigner } from '@donutauto/core/adapter';
import { BodyDigest, digestOf } from './body-digest';
import { campaignRoutes } from './campaign-routes';
import { changeRoutes } from './change-routes';
import { consentRoutes } from './consent-routes';
import { type CsvRouteContext, runExport, runImport } from './csv-routes';
import { customerRoutes } from './customer-routes';
import { eventStreamResponse, type OpenStreams } from './event-stream-route';
import { type CustomersHandlerOptions, resolveLimits } from './handler-options';
import { IdempotencyGate, idempotencyKeyOf, type WriteOutcome } from './idempotency-gate';
import { createMemoryIdempotencyStore } from './idempotency-store';
import { guardBody, parseJson, readBody } from './request-body';
import { errorResponse, JSON_TYPE, publicError, textResponse } from './responses';
import { parseArgs, type RouteContext, type RouteTable } from './rpc-route';
import { segmentRoutes } from './segment-routes';

/**
 * A Fetch-API request handler: `(request) => Promise<Response>`, usable as is by Hono, Next.js
 * route handlers, Deno, Bun and Workers, and through `toNodeHandler` by Node's `http` and Express.
 */
export interface CustomersHandler {
  /**
   * Answers one request.
   * @param request - Any request; those outside the protocol's routes get `404`.
   * @returns The answer (never rejects: failures are error answers).
   */
  (request: Request): Promise<Response>;
  /** Ends every open change stream (for a graceful shutdown). */
  close(): Promise<void>;
}

/** Every storage method's route: one table per part of the contract. */
const RPC_ROUTES: RouteTable<RpcMethod> = {
  ...customerRoutes,
  ...segmentRoutes,
  ...campaignRoutes,
  ...consentRoutes,
  ...changeRoutes,
};

type Target =
  | { readonly kind: 'rpc'; readonly method: string }
  | { readonly kind: 'events' | 'import' | 'export' };

/** The protocol route a path names, found by its `/v1/…` suffix wherever the handler is mounted. */
function targetOf(pathname: string): Target | undefined {
  const at = pathname.lastIndexOf('/v1/');
  if (at === -1) return undefined;
  const path = pathname.slice(at);
  if (path.startsWith(ROUTES.rpc)) return { kind: 'rpc', method: path.slice(ROUTES.rpc.length) };
  if (path === ROUTES.events) return { kind: 'events' };
  if (path === ROUTES.import) return { kind: 'import' };
  if (path === ROUTES.export) return { kind: 'export' };
  return undefined;
}

const CSV_UPLOAD_TYPES: ReadonlySet<string> = new Set([
  CONTENT_TYPES.csv,
  'application/csv',
  'application/octet-stream',
]);

/** The media type of a request's body, without parameters, lower case. */
function mediaType(request: Request): string {
  return (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Creates the HTTP handler of the customers API: the storage contract as RPC routes (what
 * `createHttpAdapter` calls), change events as Server-Sent Events, and CSV import (streamed
 * upload, NDJSON progress) and export (streamed download). The organization of every request comes
 * from `authorize` alone; every argument is checked with the core's schemas before the adapter sees
 * it; writes named by an `Idempotency-Key` are carried out once; errors are JSON
 * `{ error: { code, message, issues? } }` with the core's codes, and never show SQL or stacks.
 * @param options - Adapter, `authorize`, limits, custom field definitions, idempotency store, error log.
 * @returns The handler.
 * @throws `invalid_argument` when the adapter or `authorize` is missing, a limit is not a positive
 * number, or static custom field definitions are malformed.
 * @example
 * const handler = createCustomersHandler({
 *   adapter: createPostgresAdapter({ db: pool }),
 *   authorize: async (request) => (await sessionOf(request))?.organizationId,
 * });
 * // Next.js: app/api/customers/[...path]/route.ts
 * export { handler as GET, handler as POST };
 */
export function createCustomersHandler(options: CustomersHandlerOptions): CustomersHandler {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'expected { adapter, authorize }');
  }
  const { adapter, authorize } = options;
  if (!adapter || typeof adapter.insertMany !== 'function') {
    throw new InvalidArgumentError('adapter', 'expected a StorageAdapter');
  }
  if (typeof authorize !== 'function') throw new InvalidArgumentError('authorize', 'expected a function');
  const limits = resolveLimits(options.limits);
  const now = options.now ?? Date.now;
  const gate = new IdempotencyGate(options.idempotencyStore ?? createMemoryIdempotencyStore());
  const onError =
    options.onError ?? ((error: unknown) => console.error('[@donutauto/server] request failed:', error));
  const openStreams: OpenStreams = new Set();
  const customFields = options.customFields;
  const cursorSecret = options.cursorSecret;
  // Refuses a short secret at creation (the signer checks it).
  if (cursorSecret !== undefined) createCursorSigner(cursorSecret, 'secret-check');
  if (customFields !== undefined && typeof customFields !== 'function')
    checkCustomFieldDefinitions(customFields);

  const handle = async (request: Request): Promise<Response> => {
    let organizationId: string | undefined;
    const report = (error: unknown) =>
      onError(error, { request, ...(organizationId ? { organizationId } : {}) });
    try {
      const url = new URL(request.url);
      const target = targetOf(url.pathname);
      const method = target?.kind === 'rpc' ? target.method : undefined;
      if (!target || (method !== undefined && !Object.hasOwn(RPC_ROUTES, method))) {
        const error = new InvalidArgumentError(
          'operation',
          `unknown operation ${request.method} ${url.pathname}`,
        );
        return errorResponse(error, 404);
      }
      const allowed = target.kind === 'events' || target.kind === 'export' ? 'GET' : 'POST';
      if (request.method !== allowed) {
        const error = new InvalidArgumentError('method', `${url.pathname} answers ${allowed} only`);
        return errorResponse(error, 405, { allow: allowed });
      }
      organizationId = await authenticate(request);
      const context = routeContext(organizationId, request);
      switch (target.kind) {
        case 'events':
          return eventStreamResponse(adapter, organizationId, request, limits, openStreams);
        case 'export':
          return await runExport({ ...context, report }, request);
        case 'import':
          return await importCsv({ ...context, report }, request, url);
        case 'rpc':
          return await rpc(context, request, method as RpcMethod, report);
      }
    } catch (error) {
      return errorResponse(publicError(error, report));
    }
  };

  const authenticate = async (request: Request): Promise<string> => {
    const organizationId = await authorize(request);
    if (organizationId === null || organizationId === undefined || organizationId === '') {
      throw new RequestError('unauthorized', 'This request carries no valid credentials');
    }
    if (typeof organizationId !== 'string')
      throw new TypeError('authorize must return an organization id string');
    const named = request.headers.get(HEADERS.organization);
    if (named !== null && named !== organizationId) {
      throw new RequestError(
        'forbidden',
        `The request names organization ${JSON.stringify(named)}, but its credentials are for another one`,
      );
    }
    return organizationId;
  };

  const routeContext = (organizationId: string, request: Request): RouteContext => {
    let definitions: Promise<readonly CustomFieldDefinition[] | undefined> | undefined;
    const signer = cursorSecret === undefined ? undefined : createCursorSigner(cursorSecret, organizationId);
    return {
      adapter,
      organizationId,
      limits,
      now,
      retried:
        request.headers.has(HEADERS.idempotencyKey) && Number(request.headers.get(HEADERS.attempt)) > 1,
      cursors: {
        sign: (cursor) => (signer ? signer.sign(cursor) : cursor),
        open: (cursor) => (signer && cursor !== null ? signer.open(cursor) : cursor),
      },
      definitions: () => {
        definitions ??= (async () => {
          const found =
            typeof customFields === 'function' ? await customFields(organizationId) : customFields;
          if (found === undefined) return undefined;
          try {
            return checkCustomFieldDefinitions(found);
          } catch (error) {
            // The server's configuration is wrong, not the request: a 500, reported through onError.
            const message = `customFields(${JSON.stringify(organizationId)}) returned malformed definitions`;
            throw new Error(message, { cause: error });
          }
        })();
        return definitions;
      },
    };
  };

  const rpc = async (
    context: RouteContext,
    request: Request,
    method: RpcMethod,
    report: (error: unknown) => void,
  ): Promise<Response> => {
    if (mediaType(request) !== CONTENT_TYPES.json) {
      return errorResponse(new InvalidArgumentError('content-type', `expected ${CONTENT_TYPES.json}`), 415);
    }
    const key = idempotencyKeyOf(request);
    const bytes = await readBody(request, { maxBytes: limits.maxJsonBytes, timeoutMs: limits.bodyTimeoutMs });
    const body = parseJson(bytes) as { args?: unknown } | null;
    if (typeof body !== 'object' || body === null || !Array.isArray(body.args)) {
      throw new InvalidArgumentError('body', 'expected { "args": [ …the method’s arguments ] }');
    }
    const route = RPC_ROUTES[method];
    const fingerprint = () => digestOf(bytes, `POST ${ROUTES.rpc}${method}`);
    const execute = async (): Promise<WriteOutcome> => {
      let status = 200;
      let text: string;
      try {
        const result = await route.run(context, parseArgs(route.args, body.args));
        text = JSON.stringify(result === undefined ? {} : { result });
      } catch (error) {
        const response = errorResponse(publicError(error, report));
        status = response.status;
        text = await response.text();
      }
      const remember =
        key !== undefined && status < 500
          ? { fingerprint: await fingerprint(), status, contentType: JSON_TYPE, body: text }
          : undefined;
      return { response: textResponse(text, status, JSON_TYPE), settled: Promise.resolve(remember) };
    };
    if (RPC_METHODS[method] === 'write' && key !== undefined) {
      return gate.run(scoped(context.organizationId, key), fingerprint, execute);
    }
    return (await execute()).response;
  };

  const importCsv = async (context: CsvRouteContext, request: Request, url: URL): Promise<Response> => {
    if (!CSV_UPLOAD_TYPES.has(mediaType(request))) {
      return errorResponse(new InvalidArgumentError('content-type', `expected ${CONTENT_TYPES.csv}`), 415);
    }
    const key = idempotencyKeyOf(request);
    const digest = new BodyDigest();
    const fingerprintContext = `POST ${ROUTES.import} ${url.searchParams.get(OPTIONS_PARAM) ?? ''}`;
    const execute = () => runImport(context, request, digest, fingerprintContext);
    if (key === undefined) return (await execute()).response;
    const fingerprint = async () => {
      const reader = guardBody(request, {
        maxBytes: limits.maxImportBytes,
        timeoutMs: limits.importIdleTimeoutMs,
        onChunk: (chunk) => digest.update(chunk),
      }).getReader();
      while (!(await reader.read()).done);
      return digest.digest(fingerprintContext);
    };
    return gate.run(scoped(context.organizationId, key), fingerprint, execute);
  };

  const handler = handle as CustomersHandler;
  handler.close = async () => {
    for (const stop of [...openStreams]) stop();
  };
  return handler;
}

/** An idempotency key scoped to its organization: one organization never sees another's answers. */
function scoped(organizationId: string, key: string): string {
  return `${organizationId}\u0000${key}`;
}
