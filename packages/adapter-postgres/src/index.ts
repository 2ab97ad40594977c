export type {
  ConnectionState,
  ConnectionStateListener,
  ConnectionStatus,
} from './connection-state';
export { createPostgresAdapter } from './postgres-adapter';
export type { PostgresAdapter, PostgresAdapterOptions, ReconnectOptions } from './postgres-adapter-types';
export type {
  CopyFromLike,
  CopyStreamLike,
  DriverQueryResult,
  PGliteLike,
  PgClientLike,
  PgNotification,
  PgPoolClientLike,
  PgPoolLike,
  PgStandaloneClientLike,
  PostgresDatabase,
} from './query-driver';
