import type { EditableField } from '@donutauto/core';
import {
  DERIVED_CASTS,
  DERIVED_COLUMNS,
  type DerivedColumn,
  SEARCH_SOURCE_COLUMNS,
} from '../derived-columns';
import type { QueryRunner } from '../query-driver';
import { campaignMigrationSql, campaignRowLevelSecuritySql } from './campaign-statements';
import { changeFeedMigration } from './change-feed-sql';
import { consentMigrationSql, consentRowLevelSecuritySql } from './consent-statements';
import {
  backfillDerivedColumns,
  customerIndex,
  searchKeysMigration,
  segmentsMigration,
} from './search-migrations';
import { ORGANIZATION_SETTING, quote, type SqlNames } from './sql-names';

/** Editable field → column. The only column names the adapter's SQL uses, with the system ones below. */
export const FIELD_COLUMNS = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  dob: 'dob',
  preferences: 'preferences',
  instagramHandle: 'instagram_handle',
  tiktokHandle: 'tiktok_handle',
  twitterHandle: 'twitter_handle',
  gender: 'gender',
  location: 'location',
  notes: 'notes',
  tags: 'tags',
  customFields: 'custom_fields',
  consent: 'consent',
} as const satisfies Record<EditableField, string>;

/** The editable fields in column order. */
export const FIELDS = Object.keys(FIELD_COLUMNS) as EditableField[];

const LIST_FIELDS: ReadonlySet<EditableField> = new Set(['preferences', 'tags']);

/** How a field's parameter is typed and cast: text, `text[]` (sent as an array literal) or jsonb. */
export function fieldKind(field: EditableField): 'text' | 'list' | 'json' {
  if (field === 'customFields' || field === 'consent') return 'json';
  return LIST_FIELDS.has(field) ? 'list' : 'text';
}

/** The columns every customer read selects, in `rowToCustomer` order. */
export const SELECT_COLUMNS = [
  'id',
  'organization_id',
  ...FIELDS.map((f) => FIELD_COLUMNS[f]),
  'created_at',
  'updated_at',
  'version',
].join(', ');

/** One versioned migration: statements run in one transaction under an advisory lock. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (names: SqlNames) => string[];
  /** Work SQL alone cannot do (values only the SDK computes), run after the statements. */
  readonly after?: (q: QueryRunner, names: SqlNames) => Promise<void>;
}

/**
 * The migrations, in order. Never edit an applied one: append a new version. The organization id
 * leads the primary key and every index so the table distributes by it (Citus).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'create customers',
    statements: (n) => [
      `CREATE TABLE IF NOT EXISTS ${n.customers} (
        organization_id text NOT NULL,
        id text COLLATE "C" NOT NULL,
        first_name text NOT NULL,
        last_name text NOT NULL,
        email text NOT NULL,
        phone text,
        dob text,
        preferences text[] NOT NULL DEFAULT '{}',
        instagram_handle text,
        tiktok_handle text,
        twitter_handle text,
        gender text,
        location text,
        notes text,
        tags text[] NOT NULL DEFAULT '{}',
        custom_fields jsonb NOT NULL DEFAULT '{}',
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        version integer NOT NULL DEFAULT 1,
        CONSTRAINT ${n.primaryKey} PRIMARY KEY (organization_id, id)
      )`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${n.emailIndex} ON ${n.customers} (organization_id, lower(email))`,
      `CREATE INDEX IF NOT EXISTS ${n.keysetIndex} ON ${n.customers} (organization_id, created_at DESC, id DESC)`,
    ],
  },
  {
    version: 2,
    name: 'search and sort keys',
    statements: searchKeysMigration,
    after: backfillDerivedColumns,
  },
  { version: 3, name: 'create segments', statements: segmentsMigration },
  {
    version: 4,
    name: 'create campaign runs and campaigns',
    statements: (n) => campaignMigrationSql(n.campaign),
  },
  {
    // PostgreSQL's lower() depends on the database's locale (a C locale lower-cases ASCII only, and
    // none applies JavaScript's final-sigma or dotted-I rules), so emails are compared by the key
    // the SDK computes (`normalizeEmail`), as the other adapters do.
    version: 5,
    name: 'email key written by the SDK',
    statements: (n) => [
      `ALTER TABLE ${n.customers} ADD COLUMN IF NOT EXISTS email_key text`,
      // Earlier versions stored ASCII emails only, whose key is their ASCII lower case whatever the locale.
      `UPDATE ${n.customers} SET email_key = lower(email COLLATE "C") WHERE email_key IS NULL`,
      `ALTER TABLE ${n.customers} ALTER COLUMN email_key SET NOT NULL`,
      `DROP INDEX IF EXISTS ${n.schema}.${n.emailIndex}`,
      `CREATE UNIQUE INDEX IF NOT EXISTS ${n.emailIndex} ON ${n.customers} (organization_id, email_key)`,
    ],
  },
  { version: 6, name: 'consent, consent history and erasure tombstones', statements: consentMigrationSql },
  { version: 7, name: 'change feed', statements: changeFeedMigration },
  {
    // The phone's digits are a word of `search_words`, whose trigram index now serves a digits
    // search (see `filterSql`): the phone's own trigram index only slowed every write.
    version: 8,
    name: 'drop the phone trigram index',
    statements: (n) => [`DROP INDEX IF EXISTS ${n.schema}.${customerIndex(n, 'phone_trgm_idx')}`],
  },
];

/** Statements of `migrate()`, in the order the adapter runs them inside one transaction. */
export const migrationSql = {
  lock: 'SELECT pg_advisory_xact_lock(hashtext($1))',
  createSchema: (n: SqlNames) => `CREATE SCHEMA IF NOT EXISTS ${n.schema}`,
  createLedger: (n: SqlNames) =>
    `CREATE TABLE IF NOT EXISTS ${n.migrations} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`,
  applied: (n: SqlNames) => `SELECT version FROM ${n.migrations} ORDER BY version`,
  record: (n: SqlNames) => `INSERT INTO ${n.migrations} (version, name) VALUES ($1, $2)`,
};

/** Statements of `enableRowLevelSecurity()`: a policy keyed on the session's organization setting. */
export function rowLevelSecuritySql(n: SqlNames): string[] {
  const current = `current_setting('${ORGANIZATION_SETTING}', true)`;
  const segmentsPolicy = quote(`${n.segmentsName}_tenant_isolation`);
  const tombstonesPolicy = quote(`${n.tombstonesName}_tenant_isolation`);
  return [
    `ALTER TABLE ${n.customers} ENABLE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS ${n.tenantPolicy} ON ${n.customers}`,
    `CREATE POLICY ${n.tenantPolicy} ON ${n.customers} USING (organization_id = ${current}) WITH CHECK (organization_id = ${current})`,
    `ALTER TABLE ${n.segments} ENABLE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS ${segmentsPolicy} ON ${n.segments}`,
    `CREATE POLICY ${segmentsPolicy} ON ${n.segments} USING (organization_id = ${current}) WITH CHECK (organization_id = ${current})`,
    `ALTER TABLE ${n.tombstones} ENABLE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS ${tombstonesPolicy} ON ${n.tombstones}`,
    `CREATE POLICY ${tombstonesPolicy} ON ${n.tombstones} USING (organization_id = ${current}) WITH CHECK (organization_id = ${current})`,
    ...campaignRowLevelSecuritySql(n.campaign, current),
    ...consentRowLevelSecuritySql(n, current),
  ];
}

/** Sets the organization the row-level-security policy admits, for the current transaction only. */
export const setOrganizationSql = `SELECT set_config('${ORGANIZATION_SETTING}', $1, true)`;

/** `SELECT pg_notify($1, $2)`: queued in the writing transaction, delivered on commit. */
export const notifySql = 'SELECT pg_notify($1, $2)';

/**
 * Wraps a single-row `UPDATE`/`DELETE … RETURNING` so the same statement NOTIFYs when (and only
 * when) it changed a row: one round trip, and the notification is sent on commit.
 * @param statement - The data-modifying statement.
 * @param channel - Placeholder of the channel.
 * @param payload - Placeholder of the payload.
 */
export function withNotifySql(statement: string, channel: string, payload: string): string {
  return `WITH changed AS (${statement}) SELECT changed.*, pg_notify(${channel}, ${payload})::text AS notified FROM changed`;
}

/** Whether a schema exists. $1 schema name (unquoted). */
export const schemaExistsSql = 'SELECT 1 AS found FROM pg_namespace WHERE nspname = $1';

/** A derived column's value read from a text parameter element (lists arrive as array literals). */
function castDerived(column: DerivedColumn, value: string): string {
  return DERIVED_CASTS[column] === 'text' ? value : `${value}::${DERIVED_CASTS[column]}`;
}

/**
 * Set-based insert of a whole batch: one statement, one array parameter per column, `unnest`ed.
 * Rows whose email or id is taken are skipped (`ON CONFLICT DO NOTHING`); the caller compares the
 * returned count with the batch size and rolls back on a shortfall.
 * Parameters: $1 organization, $2 ids, $3… one per editable field, then created_at, updated_at,
 * version, then one per derived column (`batchColumns` lays them out).
 */
export function insertBatchSql(n: SqlNames): string {
  const inputs = FIELDS.map((_f, i) => `$${i + 3}::text[]`);
  const base = FIELDS.length + 3;
  const derivedInputs = DERIVED_COLUMNS.map((_c, i) => `$${base + 3 + i}::text[]`);
  const aliases = [
    ...FIELDS.map((f) => FIELD_COLUMNS[f]),
    'created_at',
    'updated_at',
    'version',
    ...DERIVED_COLUMNS,
  ];
  const values = FIELDS.map((f) => {
    const kind = fieldKind(f);
    const column = `u.${FIELD_COLUMNS[f]}`;
    return kind === 'list' ? `${column}::text[]` : kind === 'json' ? `${column}::jsonb` : column;
  });
  const derived = DERIVED_COLUMNS.map((c) => castDerived(c, `u.${c}`));
  return `INSERT INTO ${n.customers} (organization_id, id, ${aliases.join(', ')})
    SELECT $1, u.id, ${values.join(', ')}, u.created_at, u.updated_at, u.version, ${derived.join(', ')}
    FROM unnest($2::text[], ${inputs.join(', ')}, $${base}::bigint[], $${base + 1}::bigint[], $${base + 2}::int[], ${derivedInputs.join(', ')})
      AS u(id, ${aliases.join(', ')})
    ON CONFLICT DO NOTHING
    RETURNING id`;
}

/**
 * The columns of `COPY … FROM STDIN` into the customers table, in the order `copyText` writes
 * them: the system columns around the {@link FIELDS}, then the {@link DERIVED_COLUMNS}.
 */
export const COPY_COLUMNS: readonly string[] = [
  'organization_id',
  'id',
  ...FIELDS.map((f) => FIELD_COLUMNS[f]),
  'created_at',
  'updated_at',
  'version',
  ...DERIVED_COLUMNS,
];

/**
 * `COPY … FROM STDIN` straight into the customers table, columns in {@link COPY_COLUMNS} order.
 * A unique violation aborts it, and with it the batch's transaction.
 */
export function copySql(n: SqlNames): string {
  return `COPY ${n.customers} (${COPY_COLUMNS.join(', ')}) FROM STDIN`;
}

/** Which of these ids and email keys are stored: to name the row a failed batch tripped on. */
export function conflictsSql(n: SqlNames): string {
  return `SELECT c.id, c.email_key FROM unnest($3::text[]) AS e(key)
      CROSS JOIN LATERAL (
        SELECT x.id, x.email_key FROM ${n.customers} AS x
        WHERE x.organization_id = $1 AND x.email_key = e.key LIMIT 1
      ) AS c
    UNION
    SELECT c.id, c.email_key FROM ${n.customers} AS c WHERE c.organization_id = $1 AND c.id = ANY($2::text[])`;
}

/** One customer by id. $1 organization, $2 id. */
export function getSql(n: SqlNames): string {
  return `SELECT ${SELECT_COLUMNS} FROM ${n.customers} WHERE organization_id = $1 AND id = $2`;
}

/**
 * Customers by email key (`normalizeEmail`). $1 organization, $2 keys. Written as one LATERAL probe
 * per key so each is a lookup in the unique `(organization_id, email_key)` index whatever the
 * statistics say: during a bulk load, before ANALYZE, `email_key = ANY(…)` or a plain join gets
 * planned as a scan of the whole organization, which makes an import quadratic.
 */
export function byEmailsSql(n: SqlNames): string {
  const columns = SELECT_COLUMNS.split(', ')
    .map((c) => `c.${c}`)
    .join(', ');
  return `SELECT ${columns} FROM unnest($2::text[]) AS e(key)
    CROSS JOIN LATERAL (
      SELECT * FROM ${n.customers} AS x WHERE x.organization_id = $1 AND x.email_key = e.key LIMIT 1
    ) AS c`;
}

/**
 * Current versions, consent (for the history) and searchable fields (to recompute `search_words`) of a batch, locked in id
 * order, so batches cannot deadlock, until the transaction ends.
 */
export function lockVersionsSql(n: SqlNames): string {
  return `SELECT id, version, consent, ${SEARCH_SOURCE_COLUMNS.join(', ')} FROM ${n.customers}
    WHERE organization_id = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE`;
}

/**
 * The searchable fields and the consent of one customer, locked until the transaction ends.
 * $1 organization, $2 id.
 */
export function lockSearchSourceSql(n: SqlNames): string {
  return `SELECT consent, ${SEARCH_SOURCE_COLUMNS.join(', ')} FROM ${n.customers} WHERE organization_id = $1 AND id = $2 FOR UPDATE`;
}

/** The stored version of one customer. $1 organization, $2 id. */
export function versionSql(n: SqlNames): string {
  return `SELECT version FROM ${n.customers} WHERE organization_id = $1 AND id = $2`;
}

/**
 * A single conditional update: `UPDATE … WHERE version = $n RETURNING *` when a version is expected.
 * Parameters: $1 organization, $2 id, $3 updated_at, then one per patched field, one per derived
 * column it changes, then the version.
 * @param fields - The patched fields (from the fixed list), in parameter order.
 * @param derived - The derived columns the patch changes, in parameter order.
 */
export function updateOneSql(
  n: SqlNames,
  fields: readonly EditableField[],
  withVersion: boolean,
  derived: readonly DerivedColumn[] = [],
): string {
  const sets = fields.map((f, i) => {
    const kind = fieldKind(f);
    const cast = kind === 'list' ? '::text[]' : kind === 'json' ? '::jsonb' : '';
    // A consent patch names the channels it changes: `||` keeps the others.
    if (f === 'consent') return `consent = consent || $${i + 4}::jsonb`;
    return `${FIELD_COLUMNS[f]} = $${i + 4}${cast}`;
  });
  derived.forEach((c, i) => {
    sets.push(`${c} = $${fields.length + i + 4}::${DERIVED_CASTS[c]}`);
  });
  sets.push('updated_at = $3', 'version = version + 1', 'change_xid = pg_current_xact_id()');
  const versionCheck = withVersion ? ` AND version = $${fields.length + derived.length + 4}` : '';
  return `UPDATE ${n.customers} SET ${sets.join(', ')}
    WHERE organization_id = $1 AND id = $2${versionCheck}
    RETURNING ${SELECT_COLUMNS}`;
}

/**
 * Set-based update of a batch: each row carries its own JSON patch; a field absent from a patch
 * keeps its value. $1 organization, $2 ids, $3 patches (JSON text), $4 updated_at, $5 email keys
 * (NULL where the patch keeps the email).
 */
export function updateBatchSql(n: SqlNames): string {
  const sets = FIELDS.map((f) => {
    const column = FIELD_COLUMNS[f];
    const kind = fieldKind(f);
    const value =
      kind === 'list'
        ? `ARRAY(SELECT e FROM jsonb_array_elements_text(u.p -> '${f}') WITH ORDINALITY AS a(e, o) ORDER BY o)`
        : f === 'consent'
          ? `t.consent || (u.p -> 'consent')`
          : kind === 'json'
            ? `u.p -> '${f}'`
            : `u.p ->> '${f}'`;
    return `${column} = CASE WHEN u.p ? '${f}' THEN ${value} ELSE t.${column} END`;
  });
  // Derived columns travel in the patch under `$<column>`, present when the patch changes them.
  for (const c of DERIVED_COLUMNS) {
    sets.push(`${c} = CASE WHEN u.p ? '$${c}' THEN ${castDerived(c, `(u.p ->> '$${c}')`)} ELSE t.${c} END`);
  }
  const returning = SELECT_COLUMNS.split(', ')
    .map((c) => `t.${c}`)
    .join(', ');
  return `UPDATE ${n.customers} AS t SET ${sets.join(', ')}, updated_at = $4, version = t.version + 1,
      change_xid = pg_current_xact_id()
    FROM (SELECT x.id, x.patch::jsonb AS p FROM unnest($2::text[], $3::text[]) AS x(id, patch)) AS u
    WHERE t.organization_id = $1 AND t.id = u.id
    RETURNING ${returning}`;
}
