export type {
  LocalStore,
  RemoteStore,
  SyncConflict,
  SyncedAdapter,
  SyncedAdapterOptions,
  SyncStatus,
  SyncStatusListener,
} from './sync-types';
export { createSyncedAdapter } from './synced-adapter';
