import { CONTENT_TYPES } from '@donutauto/adapter-http/protocol';
import { type CustomerError, type CustomerErrorCode, isCustomerError, StorageError } from '@donutauto/core';
import { toWireError } from '@donutauto/core/adapter';

/** The HTTP status of each error code. */
export const STATUS_OF_CODE: { readonly [C in CustomerErrorCode]: number } = {
  invalid_argument: 400,
  invalid_cursor: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  request_timeout: 408,
  version_conflict: 409,
  duplicate_email: 409,
  payload_too_large: 413,
  validation_failed: 422,
  forbidden_field: 422,
  idempotency_conflict: 422,
  // Raised by the client before it calls the store; listed so every code has a status.
  customer_erased: 409,
  storage_failed: 500,
  // A campaign generator (an upstream service) failed; storage routes never raise it themselves.
  generation_failed: 502,
  aborted: 503,
};

const UTF8 = new TextEncoder();

/**
 * A complete (not streamed) text answer, with its length and `cache-control: no-store`.
 * @param text - The body.
 * @param status - HTTP status.
 * @param contentType - The body's media type.
 * @param headers - Extra headers.
 */
export function textResponse(
  text: string,
  status: number,
  contentType: string,
  headers: Record<string, string> = {},
): Response {
  const bytes = UTF8.encode(text);
  return new Response(bytes, {
    status,
    headers: {
      'content-type': contentType,
      'content-length': String(bytes.byteLength),
      'cache-control': 'no-store',
      ...headers,
    },
  });
}

/**
 * A JSON answer.
 * @param body - JSON-safe value.
 * @param status - HTTP status. @defaultValue 200
 * @param headers - Extra headers.
 */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return textResponse(JSON.stringify(body), status, JSON_TYPE, headers);
}

/** The `content-type` of JSON answers. */
export const JSON_TYPE = `${CONTENT_TYPES.json}; charset=utf-8`;

/**
 * The error a client may see: SDK errors as they are, except storage failures and anything else,
 * which become a generic `storage_failed` (their message may hold SQL or a driver's text). The
 * hidden error goes to `report`.
 * @param error - What was thrown.
 * @param report - Receives errors hidden from the client.
 * @returns The error to send.
 */
export function publicError(error: unknown, report: (error: unknown) => void): CustomerError {
  if (isCustomerError(error) && error.code !== 'storage_failed') return error;
  report(error);
  // A retryable storage error (a dropped connection) stays retryable for the client.
  const retryable = isCustomerError(error, 'storage_failed') && error.retryable;
  const hidden = new StorageError(
    'The server could not complete the request; it has been logged',
    undefined,
    {
      retryable,
    },
  );
  return hidden;
}

/**
 * An error answer: `{ "error": { code, message, issues?, …details } }` with the code's status.
 * @param error - A client-safe error (see {@link publicError}).
 * @param status - Overrides the code's status (404 for an unknown route, 405, 415).
 * @param headers - Extra headers.
 */
export function errorResponse(
  error: CustomerError,
  status?: number,
  headers: Record<string, string> = {},
): Response {
  const retryable = isCustomerError(error, 'storage_failed') && error.retryable;
  const code = status ?? (retryable ? 503 : STATUS_OF_CODE[error.code]);
  return jsonResponse({ error: toWireError(error) }, code, headers);
}
