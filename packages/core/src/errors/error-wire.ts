import {
  AbortedError,
  CampaignGenerationError,
  type CustomerError,
  type CustomerErrorCode,
  DuplicateEmailError,
  ErasedCustomerError,
  type FieldIssue,
  ForbiddenFieldError,
  type GenerationFailureReason,
  InvalidArgumentError,
  InvalidCursorError,
  isCustomerError,
  NotFoundError,
  StorageError,
  ValidationError,
  VersionConflictError,
} from './customer-error';
import { RequestError, type RequestErrorCode } from './request-error';

/** A primitive detail of an error as it travels: `id`, `expectedVersion`, `field`, `index`, … */
export type WireErrorDetail = string | number | boolean | null;

/**
 * A `CustomerError` as JSON: its `code`, `message`, validation `issues` and its details (the
 * class's own primitive properties: `id`, `expectedVersion`, `actualVersion`, `field`, `email`,
 * `index`, `existingId`, `argument`, …). Never a stack or a `cause`.
 */
export interface WireError {
  /** The stable error code. */
  readonly code: string;
  /** The human-readable message. */
  readonly message: string;
  /** The field issues of a `validation_failed` error. */
  readonly issues?: readonly FieldIssue[];
  /** Details, by the error class's property name. */
  readonly [detail: string]: WireErrorDetail | readonly FieldIssue[] | undefined;
}

/** The JSON body of an error response: `{ "error": { "code", "message", "issues"?, …details } }`. */
export interface ErrorBody {
  /** The error. */
  readonly error: WireError;
}

const NOT_DETAILS: ReadonlySet<string> = new Set(['code', 'name', 'message', 'stack', 'cause', 'issues']);

/**
 * Serializes an SDK error for a response body: code, message, issues and primitive details.
 * @param error - The error to send.
 * @returns A JSON-safe object without stack or cause.
 */
export function toWireError(error: CustomerError): WireError {
  const wire: Record<string, WireErrorDetail | readonly FieldIssue[]> = {
    code: error.code,
    message: error.message,
  };
  if (error instanceof ValidationError || isCustomerError(error, 'validation_failed')) {
    wire.issues = (error as ValidationError).issues.map((i) => ({
      path: [...i.path],
      code: i.code,
      message: i.message,
    }));
  }
  for (const [key, value] of Object.entries(error)) {
    if (NOT_DETAILS.has(key) || !isDetail(value)) continue;
    wire[key] = value;
  }
  return wire as WireError;
}

/**
 * Rebuilds the SDK error a server sent, as an instance of the same class with the same code,
 * message and details, so `isCustomerError(e, 'version_conflict')` and `instanceof` work in a
 * browser exactly as on the server.
 * @param body - A parsed response body, expected to be an {@link ErrorBody}.
 * @returns The error; a body that is not one (or names an unknown code) gives a `storage_failed`
 * error describing what was received.
 */
export function fromWireError(body: unknown): CustomerError {
  const wire = (body as { error?: unknown } | null)?.error;
  if (typeof wire !== 'object' || wire === null) {
    return new StorageError('The server answered with an error the client cannot read');
  }
  const { code, message } = wire as { code?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') {
    return new StorageError('The server answered with an error the client cannot read');
  }
  const details = wire as Record<string, unknown>;
  const error = build(code as CustomerErrorCode, details);
  if (!error) return new StorageError(`The server answered with an unknown error (${code}): ${message}`);
  // Constructors compose their own message; the server's is the one to show.
  error.message = message;
  for (const [key, value] of Object.entries(details)) {
    if (NOT_DETAILS.has(key) || !isDetail(value) || key === '__proto__' || key === 'constructor') continue;
    if (Object.hasOwn(error, key)) continue;
    Object.defineProperty(error, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return error;
}

const REQUEST_CODES: ReadonlySet<string> = new Set<RequestErrorCode>([
  'unauthorized',
  'forbidden',
  'payload_too_large',
  'request_timeout',
  'idempotency_conflict',
]);

function build(code: CustomerErrorCode, d: Record<string, unknown>): CustomerError | undefined {
  const text = (key: string) => (typeof d[key] === 'string' ? (d[key] as string) : '');
  const int = (key: string) => (typeof d[key] === 'number' ? (d[key] as number) : undefined);
  switch (code) {
    case 'validation_failed':
      return new ValidationError(
        Array.isArray(d.issues)
          ? d.issues.filter(isFieldIssue).map(({ path, code, message }) => ({ path, code, message }))
          : [],
      );
    case 'not_found':
      return new NotFoundError(text('id'));
    case 'version_conflict':
      return new VersionConflictError(text('id'), int('expectedVersion') ?? 0, int('actualVersion'));
    case 'forbidden_field':
      return new ForbiddenFieldError(text('field'));
    case 'duplicate_email': {
      const index = int('index');
      const existingId = text('existingId');
      return new DuplicateEmailError(text('email'), {
        ...(index === undefined ? {} : { index }),
        ...(existingId === '' ? {} : { existingId }),
      });
    }
    case 'invalid_argument':
      return new InvalidArgumentError(text('argument'), '');
    case 'customer_erased':
      return new ErasedCustomerError(text('email'));
    case 'invalid_cursor':
      return new InvalidCursorError('');
    case 'storage_failed':
      return new StorageError('', undefined, { retryable: d.retryable === true });
    case 'aborted':
      return new AbortedError();
    case 'generation_failed': {
      const reason = typeof d.reason === 'string' ? (d.reason as GenerationFailureReason) : 'failed';
      const status = int('status');
      const retryAfterMs = int('retryAfterMs');
      return new CampaignGenerationError(reason, '', {
        retryable: d.retryable !== false,
        ...(status === undefined ? {} : { status }),
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    default:
      return REQUEST_CODES.has(code) ? new RequestError(code as RequestErrorCode, '') : undefined;
  }
}

function isDetail(value: unknown): value is WireErrorDetail {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isFieldIssue(value: unknown): value is FieldIssue {
  if (typeof value !== 'object' || value === null) return false;
  const { path, code, message } = value as { path?: unknown; code?: unknown; message?: unknown };
  return (
    Array.isArray(path) &&
    path.every((p) => typeof p === 'string' || typeof p === 'number') &&
    typeof code === 'string' &&
    typeof message === 'string'
  );
}
