import type { StorageAdapter } from '@donutauto/core';
import type { CopyFromLike, PostgresDatabase } from './query-driver';

/** Options of {@link createPostgresAdapter}. */
export interface PostgresAdapterOptions {
  /** A `pg.Pool` (recommended on a server), a `pg.Client`, or a PGlite instance. The adapter never closes it. */
  readonly db: PostgresDatabase;
  /**
   * Schema holding the tables: letters, digits and `_`, not starting with a digit. Created by `migrate()`.
   * @defaultValue 'public'
   */
  readonly schema?: string;
  /**
   * Prefix of the table names (`<prefix>customers`, `<prefix>schema_migrations`): letters, digits, `_`.
   * @defaultValue ''
   */
  readonly tablePrefix?: string;
  /**
   * Send a NOTIFY for every write so subscribers in this and other processes see it.
   * @defaultValue true
   */
  readonly notify?: boolean;
  /**
   * Run every operation in a transaction that sets `donutauto.organization_id` to the caller's
   * organization: needed when the adapter connects as a role subject to the policies of
   * `enableRowLevelSecurity()`.
   * @defaultValue false
   */
  readonly rowLevelSecurity?: boolean;
  /**
   * `from` of the `pg-copy-streams` package. With it, batch inserts on `pg` stream into
   * `COPY … FROM STDIN` (the fastest load Postgres has) instead of one set-based `INSERT … SELECT
   * FROM unnest(…)`; both are atomic per batch. Ignored for PGlite.
   * @defaultValue undefined (set-based INSERT)
   * @example
   * import { from as copyFrom } from 'pg-copy-streams';
   * createPostgresAdapter({ db: pool, copyFrom });
   */
  readonly copyFrom?: CopyFromLike;
}

/** The Postgres {@link StorageAdapter}, plus schema management. */
export interface PostgresAdapter extends StorageAdapter {
  /**
   * Creates the schema (if missing) and applies pending migrations, recorded in
   * `<prefix>schema_migrations`. Idempotent, and safe when several processes call it at once
   * (a transaction-scoped advisory lock serializes them). It also creates the search indexes that
   * need the `pg_trgm` and `btree_gin` extensions when the database offers them (see
   * docs/search-and-segments.md); without them every filter still works, reading more rows.
   * @returns The versions this call applied (empty when up to date) and the names of the search
   *   indexes it could not create (empty when all exist).
   * @throws `storage_failed` when the database refuses (for example missing privileges).
   */
  migrate(): Promise<{ readonly applied: readonly number[]; readonly missingIndexes: readonly string[] }>;
  /**
   * Enables row-level security on the customers table with a policy admitting only rows whose
   * `organization_id` equals the session setting `donutauto.organization_id`. Roles that own the
   * table or have `BYPASSRLS` are not restricted. Idempotent.
   * @throws `storage_failed` when the database refuses.
   */
  enableRowLevelSecurity(): Promise<void>;
  /** Quoted, schema-qualified table names, for hand-written SQL and operations. */
  readonly tables: { readonly customers: string; readonly migrations: string; readonly segments: string };
  /** Stops LISTENing and closes the dedicated LISTEN connection; the `db` you passed stays open. */
  close(): Promise<void>;
}
