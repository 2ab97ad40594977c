export {
  createPostgresAdapter,
  type PostgresAdapter,
  type PostgresAdapterOptions,
} from './postgres-adapter';
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
