export type { BroadcastChannelLike } from './change-feed';
export { SCHEMA_VERSION } from './customer-schema-idb';
export {
  createIndexedDbAdapter,
  type IndexedDbAdapter,
  type IndexedDbAdapterOptions,
  type IndexedDbFactory,
  type IndexedDbKeyRangeClass,
} from './indexeddb-adapter';
export { type IndexedDbFailureReason, IndexedDbStorageError } from './indexeddb-error';
