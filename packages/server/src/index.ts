export { type CustomersHandler, createCustomersHandler } from './customers-handler';
export {
  type Authorize,
  type CustomersHandlerOptions,
  DEFAULT_LIMITS,
  type ErrorContext,
  type HandlerLimits,
} from './handler-options';
export {
  createMemoryIdempotencyStore,
  type IdempotencyRecord,
  type IdempotencyStore,
  type MemoryIdempotencyStoreOptions,
} from './idempotency-store';
