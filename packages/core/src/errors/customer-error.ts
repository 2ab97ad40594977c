import type { FieldIssueCode } from './field-issue-codes';
import type { RequestError, RequestErrorCode } from './request-error';

/**
 * Every stable error code the SDK throws. Codes are public API: match on them (or use
 * {@link isCustomerError}) instead of `instanceof`, which fails across duplicate package copies.
 */
export type CustomerErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'version_conflict'
  | 'forbidden_field'
  | 'duplicate_email'
  | 'invalid_argument'
  | 'invalid_cursor'
  | 'storage_failed'
  | 'aborted'
  | 'generation_failed'
  | 'customer_erased'
  | RequestErrorCode;

/** One problem found while validating a value, discriminated by `code` like zod's issues. */
export interface FieldIssue {
  /** Where the problem is, e.g. `['preferences']` or `['customFields', 'favouriteDonut']`. */
  readonly path: readonly (string | number)[];
  /** Machine-readable reason, one of {@link FieldIssueCode} (`too_big`, `invalid_format`, `required`, …). */
  readonly code: FieldIssueCode;
  /** Human-readable explanation naming the field. */
  readonly message: string;
}

/** Options common to every {@link CustomerError}. */
export interface CustomerErrorOptions {
  /** The underlying error, kept for debugging. */
  readonly cause?: unknown;
}

/**
 * Base class of every error the SDK throws on purpose. `name` is the subclass name and `code` a
 * stable string from {@link CustomerErrorCode}.
 */
export class CustomerError extends Error {
  /** Stable machine-readable code. */
  readonly code: CustomerErrorCode;

  /**
   * @param code - The stable error code.
   * @param message - Human-readable message.
   * @param options - `cause`, when wrapping another error.
   */
  constructor(code: CustomerErrorCode, message: string, options: CustomerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** A value failed the customer schema (or an argument failed its rules); `issues` names each field. */
export class ValidationError extends CustomerError {
  /** One entry per invalid field. */
  readonly issues: readonly FieldIssue[];

  /**
   * @param issues - The problems found, at least one.
   * @param options - `cause`, typically the zod error.
   */
  constructor(issues: readonly FieldIssue[], options: CustomerErrorOptions = {}) {
    super('validation_failed', formatIssues(issues), options);
    this.issues = issues;
  }
}

/**
 * The customer (or campaign run, segment, …) does not exist, or belongs to another organization
 * (the two are indistinguishable).
 */
export class NotFoundError extends CustomerError {
  /** The id that was looked up. */
  readonly id: string;

  /**
   * @param id - The id that was looked up.
   * @param what - What was looked up, for the message. @defaultValue 'Customer'
   */
  constructor(id: string, what = 'Customer') {
    super('not_found', `${what} ${JSON.stringify(id)} was not found`);
    this.id = id;
  }
}

/** An update named an `expectedVersion` that is no longer the stored version. */
export class VersionConflictError extends CustomerError {
  /** The customer's id. */
  readonly id: string;
  /** The version the caller expected. */
  readonly expectedVersion: number;
  /** The stored version, when the adapter knows it. */
  readonly actualVersion: number | undefined;

  /**
   * @param id - The customer's id.
   * @param expectedVersion - The version the caller expected.
   * @param actualVersion - The stored version, if known.
   */
  constructor(id: string, expectedVersion: number, actualVersion?: number) {
    super(
      'version_conflict',
      `Customer ${JSON.stringify(id)} changed: expected version ${expectedVersion}` +
        (actualVersion === undefined ? '' : `, stored version is ${actualVersion}`),
    );
    this.id = id;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/** A caller tried to set a system field (`id`, `organizationId`, …) or a field that does not exist. */
export class ForbiddenFieldError extends CustomerError {
  /** The field that was refused. */
  readonly field: string;

  /** @param field - The field that was refused. */
  constructor(field: string) {
    super(
      'forbidden_field',
      `Field ${JSON.stringify(field)} cannot be set: it is not an editable customer field`,
    );
    this.field = field;
  }
}

/** Another customer of the organization (or another row of the same batch) already has this email. */
export class DuplicateEmailError extends CustomerError {
  /** The normalized email. */
  readonly email: string;
  /** Index of the offending row in the batch passed to the adapter, when known. */
  readonly index: number | undefined;
  /** Id of the customer that already holds the email, when known. */
  readonly existingId: string | undefined;

  /**
   * @param email - The normalized email.
   * @param details - Batch index and existing customer's id, when known.
   */
  constructor(email: string, details: { index?: number; existingId?: string; cause?: unknown } = {}) {
    super(
      'duplicate_email',
      `A customer with email ${JSON.stringify(email)} already exists` +
        (details.index === undefined ? '' : ` (batch row ${details.index})`),
      { cause: details.cause },
    );
    this.email = email;
    this.index = details.index;
    this.existingId = details.existingId;
  }
}

/**
 * The email belongs to a customer who was erased (`eraseCustomer`): adding it again needs an
 * explicit `reconsent: true`, stating that the person gave their data and consent again.
 */
export class ErasedCustomerError extends CustomerError {
  /** The normalized email. */
  readonly email: string;

  /** @param email - The normalized email. */
  constructor(email: string) {
    super(
      'customer_erased',
      `The customer with email ${JSON.stringify(email)} was erased; pass reconsent: true only if they gave their data again`,
    );
    this.email = email;
  }
}

/** An argument broke its rules: empty organization id, `numItems` out of range, bad option, … */
export class InvalidArgumentError extends CustomerError {
  /** The argument's name. */
  readonly argument: string;

  /**
   * @param argument - The argument's name.
   * @param message - What is wrong with it.
   */
  constructor(argument: string, message: string) {
    super('invalid_argument', `Invalid ${argument}: ${message}`);
    this.argument = argument;
  }
}

/** A pagination cursor is malformed, was tampered with, or was issued for another organization or query. */
export class InvalidCursorError extends CustomerError {
  /** @param reason - Why the cursor was refused. */
  constructor(reason: string) {
    super('invalid_cursor', `Invalid cursor: ${reason}`);
  }
}

/**
 * The storage backend failed; the driver's error is kept as `cause`. `retryable` tells whether
 * the same call may succeed if run again (a dropped connection, a deadlock): check it before
 * retrying, e.g. `if (isCustomerError(e, 'storage_failed') && e.retryable) retry()`.
 */
export class StorageError extends CustomerError {
  /**
   * `true` when the failure was transient and running the same call again is safe and may
   * succeed: the connection to the database was lost (the pool opens a new one), or the database
   * aborted the transaction to resolve a deadlock or serialization conflict. The failed call's
   * transaction was rolled back — except when the connection dropped while its `COMMIT` was in
   * flight, where the outcome is unknown: a retried insert then reports `duplicate_email` naming
   * the stored customer. `false` for everything else.
   */
  readonly retryable: boolean;

  /**
   * @param message - What the SDK was doing.
   * @param cause - The driver's error.
   * @param options - `retryable` (default `false`), see {@link StorageError.retryable}.
   */
  constructor(message: string, cause?: unknown, options: { readonly retryable?: boolean } = {}) {
    super('storage_failed', message, { cause });
    this.retryable = options.retryable ?? false;
  }
}

/** The operation was cancelled through its `AbortSignal`. */
export class AbortedError extends CustomerError {
  /** @param message - What was cancelled. */
  constructor(message = 'The operation was aborted') {
    super('aborted', message);
  }
}

/**
 * Why a campaign generator failed: `timeout` (no answer in time), `network` (the request did not
 * complete), `rate_limited` (HTTP 429), `http_error` (another HTTP status), `invalid_response` (an
 * answer that is not what the service promised), `invalid_output` (content outside the platform's
 * limits), `failed` (anything else a generator reports).
 */
export type GenerationFailureReason =
  | 'timeout'
  | 'network'
  | 'rate_limited'
  | 'http_error'
  | 'invalid_response'
  | 'invalid_output'
  | 'failed';

/** Details of a {@link CampaignGenerationError}. */
export interface CampaignGenerationErrorOptions extends CustomerErrorOptions {
  /** Whether trying again may succeed. @defaultValue true */
  readonly retryable?: boolean;
  /** The HTTP status of the service's answer, when there was one. */
  readonly status?: number;
  /** How long the service asked to wait before trying again (HTTP `Retry-After`), in ms. */
  readonly retryAfterMs?: number;
}

/**
 * A campaign generator (an AI or design service) failed for one campaign. Generators throw it to
 * say whether trying again may help; the campaign runner retries `retryable` failures with backoff.
 * Its message never contains credentials.
 * @example
 * throw new CampaignGenerationError('rate_limited', 'Too many requests', { retryAfterMs: 2_000 });
 */
export class CampaignGenerationError extends CustomerError {
  /** What went wrong, see {@link GenerationFailureReason}. */
  readonly reason: GenerationFailureReason;
  /** Whether trying again may succeed. */
  readonly retryable: boolean;
  /** The HTTP status, when the service answered. */
  readonly status: number | undefined;
  /** The wait the service asked for before a retry, in ms. */
  readonly retryAfterMs: number | undefined;

  /**
   * @param reason - What went wrong.
   * @param message - Human-readable explanation.
   * @param options - `retryable` (default true), `status`, `retryAfterMs`, `cause`.
   */
  constructor(
    reason: GenerationFailureReason,
    message: string,
    options: CampaignGenerationErrorOptions = {},
  ) {
    super('generation_failed', message, options);
    this.reason = reason;
    this.retryable = options.retryable ?? true;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Tells whether a value is an SDK error, optionally of one code. Works across duplicate copies of
 * the package because it checks `code`, not the prototype chain.
 * @param error - Any thrown value.
 * @param code - When given, also require this code.
 * @returns `true` when `error` is a {@link CustomerError} (with that code).
 * @example
 * if (isCustomerError(e, 'version_conflict')) reload();
 */
export function isCustomerError<C extends CustomerErrorCode = CustomerErrorCode>(
  error: unknown,
  code?: C,
): error is CustomerErrorByCode[C] {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = (error as { code?: unknown }).code;
  if (typeof candidate !== 'string' || !(error instanceof Error)) return false;
  if (!ERROR_CODES.has(candidate)) return false;
  return code === undefined || candidate === code;
}

/** The error class thrown for each code, so {@link isCustomerError} narrows to its details. */
export interface CustomerErrorByCode {
  /** A value failed validation. */
  validation_failed: ValidationError;
  /** The customer is absent or in another organization. */
  not_found: NotFoundError;
  /** The stored version differs from the expected one. */
  version_conflict: VersionConflictError;
  /** A system or unknown field was set. */
  forbidden_field: ForbiddenFieldError;
  /** The email is already taken in the organization. */
  duplicate_email: DuplicateEmailError;
  /** An argument broke its rules. */
  invalid_argument: InvalidArgumentError;
  /** A cursor was refused. */
  invalid_cursor: InvalidCursorError;
  /** The backend failed. */
  storage_failed: StorageError;
  /** The operation was aborted. */
  aborted: AbortedError;
  /** A campaign generator failed. */
  generation_failed: CampaignGenerationError;
  /** The email belongs to an erased customer. */
  customer_erased: ErasedCustomerError;
  /** The request carried no valid credentials. */
  unauthorized: RequestError;
  /** The credentials do not allow the request. */
  forbidden: RequestError;
  /** The request body was over its limit. */
  payload_too_large: RequestError;
  /** The request body arrived too slowly. */
  request_timeout: RequestError;
  /** An idempotency key was reused for a different request. */
  idempotency_conflict: RequestError;
}

const ERROR_CODES: ReadonlySet<string> = new Set<CustomerErrorCode>([
  'validation_failed',
  'not_found',
  'version_conflict',
  'forbidden_field',
  'duplicate_email',
  'invalid_argument',
  'invalid_cursor',
  'storage_failed',
  'aborted',
  'generation_failed',
  'customer_erased',
  'unauthorized',
  'forbidden',
  'payload_too_large',
  'request_timeout',
  'idempotency_conflict',
]);

function formatIssues(issues: readonly FieldIssue[]): string {
  if (issues.length === 0) return 'Validation failed';
  const parts = issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(value)'}: ${i.message}`);
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return `Validation failed: ${parts.join('; ')}${more}`;
}
