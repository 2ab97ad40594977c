export { CsvBulkUploader, type CsvBulkUploaderProps } from './components/csv-bulk-uploader';
export {
  CsvTemplateDownloadButton,
  type CsvTemplateDownloadButtonProps,
} from './components/csv-template-download-button';
export { CustomerAddForm, type CustomerAddFormProps } from './components/customer-add-form';
export { CustomerEditForm, type CustomerEditFormProps } from './components/customer-edit-form';
export { CustomerList, type CustomerListProps } from './components/customer-list';
export type { CustomerListCampaign } from './components/selection-campaign';
export {
  CustomersProvider,
  type CustomersProviderProps,
  useCustomerClient,
} from './customers-provider';
export { type UseAddCustomerResult, useAddCustomer } from './hooks/use-add-customer';
export { type UseCampaignGenerationResult, useCampaignGeneration } from './hooks/use-campaign-generation';
export { type UseCsvImportResult, useCsvImport } from './hooks/use-csv-import';
export {
  type UseCsvTemplateOptions,
  type UseCsvTemplateResult,
  useCsvTemplate,
} from './hooks/use-csv-template';
export { type UseCustomerResult, useCustomer } from './hooks/use-customer';
export {
  type UseCustomerEditorOptions,
  type UseCustomerEditorResult,
  useCustomerEditor,
} from './hooks/use-customer-editor';
export {
  type UseCustomerListOptions,
  type UseCustomerListResult,
  useCustomerList,
} from './hooks/use-customer-list';
export { type UseDeleteCustomerResult, useDeleteCustomer } from './hooks/use-delete-customer';
export { type SyncStatusSource, useSyncStatus } from './hooks/use-sync-status';
export type {
  CampaignGenerationOptions,
  CampaignGenerationPhase,
  CampaignGenerationProgress,
} from './stores/campaign-generation-session';
export type { CsvImportPhase, CsvImportSettings, RowIssues } from './stores/csv-import-session';
export type { CustomerWatchState } from './stores/customer-watch';
export type {
  CustomerFormValue,
  CustomerFormValues,
  EditorConflict,
  EditorStatus,
  FieldConflict,
} from './stores/editor-state';
export type { FieldErrors } from './stores/field-errors';
export type { CustomerListStatus } from './stores/live-customer-list';
export type { MutationStatus } from './stores/mutation';
export type { StashStorage } from './stores/pending-stash';
