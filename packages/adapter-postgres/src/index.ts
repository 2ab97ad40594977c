export {
  createPostgresAdapter,
  type PostgresAdapter,
  type PostgresAdapterOptions,
} from './postgres-adapter';
export type {
  DriverQueryResult,
  PGliteLike,
  PgClientLike,
  PgNotification,
  PgPoolClientLike,
  PgPoolLike,
  PgStandaloneClientLike,
  PostgresDatabase,
} from './query-driver';
