// What an app uses: the names of shared/DESIGN.md, their option and result types, and the errors.
// Helpers only adapter authors need are on `@donutauto/core/adapter` (adapter.ts).
// A bundler splitting by file (esbuild) loads up front every module this file reaches that a lazy
// chunk (CSV parsing, the import pipeline, the campaign runner) also uses, imported or not: exports
// whose work can wait are facades that load their module on their first call.

export type {
  CampaignBrief,
  CampaignCustomerData,
  CampaignGenerator,
  CampaignGeneratorContext,
  CampaignGeneratorInput,
  CampaignGeneratorOutput,
} from './campaigns/campaign-generator';
export { DEFAULT_MAX_CUSTOMERS_PER_RUN, MAX_CUSTOMERS_PER_RUN } from './campaigns/campaign-limits';
export type {
  CampaignProgress,
  CampaignResult,
  CampaignRunOptions,
  CampaignRunReport,
} from './campaigns/campaign-options';
export type { ListCampaignRunsOptions, ListCampaignsOptions } from './campaigns/campaign-reads';
export type { CampaignRequest } from './campaigns/campaign-request';
export { CAMPAIGN_TONES, type CampaignTone } from './campaigns/campaign-tones';
export {
  type ChatCompletionGeneratorOptions,
  createChatCompletionGenerator,
  type FetchLike,
} from './campaigns/chat-completion-generator';
export {
  type CustomerDataSharing,
  OPT_IN_CUSTOMER_FIELDS,
  type OptInCustomerField,
} from './campaigns/customer-data-sharing';
export { type TemplateGeneratorOptions, templateCampaignGenerator } from './campaigns/template-generator';
export type {
  CsvImportReport,
  ExportCsvOptions,
  ImportCsvOptions,
} from './client/client-csv';
export type { BulkAddOptions, BulkAddResult } from './client/client-operations';
export { type CustomerClient, createCustomerClient } from './client/customer-client';
export type {
  CustomerEditor,
  CustomerEditorListener,
  CustomerEditorOptions,
} from './client/customer-editor';
export { hashErasedEmail } from './client/erasure-hash';
export { uuidv7 } from './client/ids';
export type { CustomerDataExport } from './client/privacy';
export type {
  AddOptions,
  CustomerClientOptions,
  ListOptions,
  SlimCustomerClient,
  UpdateFieldArgs,
  UpdateOptions,
} from './client/slim-client';
export { CONSENT_TARGETS, type ConsentTarget } from './csv/consent-cells';
export { type CsvBatchStream, streamCustomerCsv } from './csv/csv-batch-stream';
export type { CsvDateOrder } from './csv/csv-dates';
export { customersToCsv } from './csv/csv-export';
export type { CsvSource } from './csv/csv-source';
export { CSV_TEMPLATE_EXAMPLES, csvTemplate } from './csv/csv-template';
export type {
  CsvColumnMapping,
  CsvHeaderMapping,
  CsvParseOptions,
  CsvRow,
  CsvTarget,
  HeaderMatchKind,
} from './csv/csv-types';
export type { CsvFormatOptions } from './csv/export-options';
export type { CsvStandardTarget } from './csv/header-aliases';
export {
  AbortedError,
  CampaignGenerationError,
  type CampaignGenerationErrorOptions,
  CustomerError,
  type CustomerErrorByCode,
  type CustomerErrorCode,
  type CustomerErrorOptions,
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
} from './errors/customer-error';
export { FIELD_ISSUE_CODES, type FieldIssueCode, isFieldIssueCode } from './errors/field-issue-codes';
export type { CsvIssueCode, ImportIssue, ImportIssueCode, ImportIssueLevel } from './errors/import-issue';
export { RequestError, type RequestErrorCode } from './errors/request-error';
export { type ExecuteImportOptions, executeImport } from './import/execute-import';
export { planImport } from './import/import-planner';
export type {
  DryRunPlan,
  DuplicatePolicy,
  ImportOptions,
  ImportPlan,
  ImportProgress,
  ImportReport,
  PlanImportInput,
  PlannedAction,
  PlannerRow,
  RejectedRow,
  SkipReason,
} from './import/import-types';
export {
  type CsvParseResult,
  type ParseCustomerCsvOptions,
  parseCustomerCsv,
} from './import/parse-customer-csv';
export type { CampaignAsset, CampaignContent } from './model/campaign-model';
export {
  CAMPAIGN_CONTENT_TYPES,
  CAMPAIGN_PLATFORMS,
  type CampaignContentType,
  type CampaignPlatform,
  PLATFORM_LIMITS,
  type PlatformLimits,
} from './model/campaign-types';
export {
  type ChannelConsent,
  CONSENT_CHANNELS,
  CONSENT_SOURCES,
  CONSENT_STATES,
  type ConsentChannel,
  type ConsentInput,
  type ConsentPatch,
  type ConsentSource,
  type ConsentState,
  type CustomerConsent,
  consentInputSchema,
  customerConsentSchema,
  UNKNOWN_CONSENT,
} from './model/consent';
export type { CustomFieldDefinition, CustomFieldType } from './model/custom-fields';
export {
  CUSTOM_FIELD_KEY,
  EDITABLE_FIELDS,
  type EditableField,
  FIELD_LIMITS,
  isEditableField,
  LIST_SEPARATOR,
  MAX_PREFERENCES,
  SYSTEM_FIELDS,
  type SystemField,
} from './model/customer-fields';
export {
  type Customer,
  type CustomerData,
  type CustomerInput,
  type CustomerPatch,
  type CustomerPatchInput,
  type CustomFieldValue,
  customerFieldSchemas,
  customerInputSchema,
  customerPatchSchema,
  customerSchema,
} from './model/customer-schema';
export { normalizeEmail } from './model/normalize';
export {
  validateCustomerField,
  validateCustomerInput,
  validateCustomerPatch,
} from './model/validate';
export type {
  FilterOrSegment,
  Segment,
  SegmentInput,
  SegmentRef,
  SegmentUpdate,
} from './segments/segment-types';
export {
  CAMPAIGN_STATUSES,
  type CampaignClaim,
  type CampaignConsentPolicy,
  type CampaignCounts,
  type CampaignFailure,
  type CampaignFilter,
  type CampaignListQuery,
  type CampaignPage,
  type CampaignPatch,
  type CampaignRecord,
  type CampaignRun,
  type CampaignRunListQuery,
  type CampaignRunRecord,
  type CampaignRunRequest,
  type CampaignStatus,
  type CampaignStore,
  type CampaignTarget,
  type CampaignUpdate,
  type CampaignUpdateResult,
  type ClaimableStatus,
} from './store/campaign-store';
export type { ChangeFeedStore, ChangePage, CustomerChange } from './store/change-feed';
export { MAX_CHANGE_PAGE } from './store/change-feed';
export type {
  ConsentHistoryEntry,
  ConsentStore,
  CustomerErasure,
  ErasureTombstone,
} from './store/consent-store';
export { CUSTOMER_SORTS } from './store/customer-sort';
export {
  type BirthdayWindow,
  type ConsentCondition,
  type CustomFieldCondition,
  type CustomFieldOperand,
  type ListCondition,
  type NormalizedFilter,
  PRESENCE_FIELDS,
  type PresenceField,
  type TimeRange,
} from './store/filter-types';
export {
  createMemoryAdapter,
  type MemoryAdapter,
  type MemoryAdapterOptions,
} from './store/memory-adapter';
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
export type { SegmentPatch, SegmentStore, StoredSegment } from './store/segment-store';
export type {
  ChangeEvent,
  ChangeListener,
  CustomerFilter,
  CustomerSort,
  ListResult,
  StorageAdapter,
} from './store/storage-adapter';
export { MAX_PAGE_SIZE } from './store/storage-adapter';
export type { UpdateQueueTimers } from './updates/queue-timers';
export type { RetryOptions } from './updates/retry-backoff';
export { createUpdateQueue } from './updates/update-queue';
export type {
  ConflictHandler,
  SaveFunction,
  UpdateQueue,
  UpdateQueueOptions,
  UpdateState,
  UpdateStatus,
  UpdateStatusListener,
} from './updates/update-queue-types';
