// `@donutauto/core/slim`: the client without the methods that need the CSV parser, the import
// pipeline or the campaign runner, which are functions here taking the client. For bundlers that
// inline lazy code (esbuild without `--splitting`): an app holds only the operations it imports.
// The errors are here too: with esbuild's `--splitting`, importing any value of `@donutauto/core`
// loads the modules its lazy parts share up front. Types can come from either entry.

export {
  type BulkAddOptions,
  type BulkAddResult,
  bulkAddCustomers,
  generateCampaigns,
  importCsv,
  resumeCampaignRun,
  retryFailed,
} from './client/client-operations';
export {
  type AddOptions,
  type CustomerClientOptions,
  createSlimClient,
  type ListOptions,
  type SlimCustomerClient,
  type UpdateFieldArgs,
  type UpdateOptions,
} from './client/slim-client';
export * from './errors/customer-error';
export { createMemoryAdapter, type MemoryAdapter, type MemoryAdapterOptions } from './store/memory-adapter';
