// Helpers for adapter authors (`@donutauto/core/adapter`): what a StorageAdapter implementation
// needs beyond the app-facing entry. Apps import `@donutauto/core`.

export {
  type ErrorBody,
  fromWireError,
  toWireError,
  type WireError,
  type WireErrorDetail,
} from './errors/error-wire';
export { checkCustomFieldDefinitions } from './model/custom-fields';
export {
  applyCustomerPatch,
  buildCustomer,
  copyCustomer,
  type SystemFields,
  toCustomer,
} from './model/customer-record';
export { birthdayMonth, normalizeEmail } from './model/normalize';
export { checkBatchOrganization, checkDistinctIds } from './store/batch-checks';
export {
  type CursorPosition,
  decodeCursor,
  encodeCursor,
  hashString,
  type KeysetKey,
  keysetPage,
  readKeysetCursor,
} from './store/cursor';
export {
  compareCustomerKeys,
  matchesFilter,
  normalizeFilter,
  searchableTexts,
} from './store/customer-filter';
export type {
  ChangeEvent,
  ChangeListener,
  CustomerFilter,
  CustomerSort,
  CustomerUpdate,
  ListQuery,
  ListResult,
  StorageAdapter,
  WriteOptions,
} from './store/storage-adapter';
export { MAX_PAGE_SIZE } from './store/storage-adapter';
export {
  backoffDelay,
  type ResolvedRetryOptions,
  resolveRetryOptions,
} from './updates/retry-backoff';
