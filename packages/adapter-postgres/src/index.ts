export { createPostgresAdapter } from './postgres-adapter';
export type { PostgresAdapter, PostgresAdapterOptions } from './postgres-adapter-types';
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
