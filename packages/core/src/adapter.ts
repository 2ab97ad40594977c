// Helpers for adapter authors (`@donutauto/core/adapter`): what a StorageAdapter implementation
// needs beyond the app-facing entry. Apps import `@donutauto/core`.

export { parseCampaignRequest } from './campaigns/campaign-request';
export { type CursorSigner, createCursorSigner } from './client/signed-cursor';
export {
  type ErrorBody,
  fromWireError,
  toWireError,
  type WireError,
  type WireErrorDetail,
} from './errors/error-wire';
export { campaignContentSchema, codePointLength } from './model/campaign-model';
export { mergeConsent, sameChannelConsent } from './model/consent';
export { type CustomFieldIndex, checkCustomFieldDefinitions, checkCustomFields } from './model/custom-fields';
export {
  applyCustomerPatch,
  buildCustomer,
  copyCustomer,
  type SystemFields,
  toCustomer,
} from './model/customer-record';
export { birthdayMonth, normalizeEmail } from './model/normalize';
export { toFieldIssues } from './model/validate';
export { readStoredFilter, SEGMENT_FILTER_VERSION } from './segments/stored-filter';
export { checkBatchOrganization, checkDistinctIds, checkPutEmails } from './store/batch-checks';
export { birthdayWindowKeys } from './store/birthday-window';
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
  type ChangePosition,
  encodeChangeCursor,
  readChangeCursor,
  readSequenceCursor,
} from './store/change-cursor';
export type { ChangeFeedStore, ChangePage, CustomerChange } from './store/change-feed';
export { MAX_CHANGE_PAGE } from './store/change-feed';
export {
  checkTombstone,
  compareConsentEntries,
  consentHistoryOf,
} from './store/consent-records';
export type {
  ConsentHistoryEntry,
  ConsentStore,
  CustomerErasure,
  ErasureTombstone,
} from './store/consent-store';
export {
  type CursorPosition,
  type CursorQuery,
  decodeCursor,
  encodeCursor,
  hashString,
  type KeysetKey,
  keysetPage,
  readKeysetCursor,
} from './store/cursor';
export { type CustomerPredicate, compileFilter, matchesFilter } from './store/customer-filter';
export {
  birthdayKey,
  type CustomerKeys,
  customerKeys,
  customerWords,
  listKeys,
  phoneDigits,
  SEARCH_FIELDS,
} from './store/customer-keys';
export {
  CUSTOMER_SORTS,
  checkSortPosition,
  comparePositions,
  isDescending,
  type SortPosition,
  sortPosition,
} from './store/customer-sort';
export type {
  NormalizedCustomFieldCondition,
  NormalizedFilter,
  NormalizedListCondition,
  NormalizedTimeRange,
} from './store/filter-types';
export {
  canonicalizeFilter,
  type NormalizeFilterOptions,
  normalizeFilter,
} from './store/normalize-filter';
export type {
  LocalWrite,
  LocalWriteResults,
  OutboxChange,
  OutboxDraft,
  OutboxEntry,
  OutboxEntryMaker,
  OutboxRead,
  OutboxStore,
  SyncCommit,
} from './store/outbox-store';
export {
  applySegmentPatch,
  checkSegmentOrganization,
  compareSegments,
  copySegment,
} from './store/segment-records';
export type { SegmentPatch, SegmentStore, StoredSegment } from './store/segment-store';
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
export { compareText, foldText, isStorableText, searchWords } from './store/text-fold';
export {
  backoffDelay,
  isTransientSaveError,
  type ResolvedRetryOptions,
  resolveRetryOptions,
} from './updates/retry-backoff';
