// Helpers for adapter authors (`@donutauto/core/adapter`): what a StorageAdapter implementation
// needs beyond the app-facing entry. Apps import `@donutauto/core`.

export { parseCampaignRequest } from './campaigns/campaign-request';
export {
  type ErrorBody,
  fromWireError,
  toWireError,
  type WireError,
  type WireErrorDetail,
} from './errors/error-wire';
export { campaignContentSchema, codePointLength } from './model/campaign-model';
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
  campaignListKey,
  campaignPage,
  encodeCampaignCursor,
  readCampaignCursor,
} from './store/campaign-cursor';
export {
  applyCampaignPatch,
  campaignKey,
  checkCampaignBatch,
  checkCampaignRun,
  checkDistinctCampaignUpdates,
  claimPatch,
  copyCampaign,
  countCampaignStatuses,
  isClaimable,
  matchesCampaignFilter,
} from './store/campaign-records';
export type {
  CampaignClaim,
  CampaignCounts,
  CampaignFilter,
  CampaignListQuery,
  CampaignPage,
  CampaignPatch,
  CampaignRecord,
  CampaignRun,
  CampaignRunListQuery,
  CampaignRunRecord,
  CampaignStatus,
  CampaignStore,
  CampaignUpdate,
  CampaignUpdateResult,
  ClaimableStatus,
} from './store/campaign-store';
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
