import { CustomerError, type CustomerErrorOptions } from './customer-error';

/**
 * Codes of the errors a server raises about a request rather than about customers: who sent it
 * (`unauthorized`, `forbidden`) and how (`payload_too_large`, `request_timeout`,
 * `idempotency_conflict`). The HTTP adapter rebuilds them in the browser.
 */
export type RequestErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'payload_too_large'
  | 'request_timeout'
  | 'idempotency_conflict';

/**
 * A request was refused before it reached storage: not signed in (`unauthorized`), not allowed
 * (`forbidden`), too large (`payload_too_large`), too slow (`request_timeout`), or an idempotency
 * key reused for another request (`idempotency_conflict`). An `authorize` function throws it to
 * reject a request; clients match it with `isCustomerError(error, 'unauthorized')`.
 * @example
 * throw new RequestError('forbidden', 'This account cannot see customers');
 */
export class RequestError extends CustomerError {
  /** Stable machine-readable code, one of {@link RequestErrorCode}. */
  declare readonly code: RequestErrorCode;

  /**
   * @param code - Why the request was refused.
   * @param message - Human-readable message (sent to the client: name no secrets).
   * @param options - `cause`, when wrapping another error (never sent to the client).
   */
  constructor(code: RequestErrorCode, message: string, options: CustomerErrorOptions = {}) {
    super(code, message, options);
  }
}
