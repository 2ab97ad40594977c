import type { CampaignClaim, CampaignFilter } from '@donutauto/core/adapter';

/** The quoted identifiers of the campaign tables of one adapter instance. */
export interface CampaignSqlNames {
  /** `"schema"."<prefix>campaign_runs"`. */
  readonly runs: string;
  /** `"schema"."<prefix>campaigns"`. */
  readonly campaigns: string;
  /** Bare (quoted) names of their constraints and indexes. */
  readonly runsPrimaryKey: string;
  readonly runsKeysetIndex: string;
  readonly primaryKey: string;
  readonly uniqueKey: string;
  readonly keysetIndex: string;
  readonly runIndex: string;
  readonly runStatusIndex: string;
  readonly customerIndex: string;
  readonly runsPolicy: string;
  readonly policy: string;
}

/**
 * Derives the campaign tables' names from the schema and prefix the adapter was given (both
 * already checked against the identifier patterns by `sqlNames`).
 * @param quotedSchema - The quoted schema.
 * @param tablePrefix - The table prefix.
 * @param quote - The quoting function of `sqlNames`.
 */
export function campaignSqlNames(
  quotedSchema: string,
  tablePrefix: string,
  quote: (identifier: string) => string,
): CampaignSqlNames {
  const runs = `${tablePrefix}campaign_runs`;
  const campaigns = `${tablePrefix}campaigns`;
  return {
    runs: `${quotedSchema}.${quote(runs)}`,
    campaigns: `${quotedSchema}.${quote(campaigns)}`,
    runsPrimaryKey: quote(`${runs}_pkey`),
    runsKeysetIndex: quote(`${runs}_org_created_id_idx`),
    primaryKey: quote(`${campaigns}_pkey`),
    uniqueKey: quote(`${campaigns}_org_run_customer_type_platform_key`),
    keysetIndex: quote(`${campaigns}_org_created_id_idx`),
    runIndex: quote(`${campaigns}_org_run_created_id_idx`),
    runStatusIndex: quote(`${campaigns}_org_run_status_created_id_idx`),
    customerIndex: quote(`${campaigns}_org_customer_created_id_idx`),
    runsPolicy: quote(`${runs}_tenant_isolation`),
    policy: quote(`${campaigns}_tenant_isolation`),
  };
}

/**
 * Migration 4: campaign runs and campaign records. The organization id leads every key and index
 * (the tables distribute by it); records are unique per (run, customer, content type, platform).
 * The run's request is JSON, so later request fields need no migration.
 */
export function campaignMigrationSql(n: CampaignSqlNames): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${n.runs} (
      organization_id text NOT NULL,
      id text COLLATE "C" NOT NULL,
      request jsonb NOT NULL,
      prepared_at bigint,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      CONSTRAINT ${n.runsPrimaryKey} PRIMARY KEY (organization_id, id)
    )`,
    `CREATE INDEX IF NOT EXISTS ${n.runsKeysetIndex} ON ${n.runs} (organization_id, created_at DESC, id DESC)`,
    `CREATE TABLE IF NOT EXISTS ${n.campaigns} (
      organization_id text NOT NULL,
      id text COLLATE "C" NOT NULL,
      run_id text COLLATE "C" NOT NULL,
      customer_id text COLLATE "C" NOT NULL,
      title text NOT NULL,
      content_type text NOT NULL,
      platform text NOT NULL,
      status text NOT NULL,
      content jsonb,
      error jsonb,
      attempts integer NOT NULL DEFAULT 0,
      lease_owner text,
      lease_expires_at bigint,
      version integer NOT NULL DEFAULT 1,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      CONSTRAINT ${n.primaryKey} PRIMARY KEY (organization_id, id),
      CONSTRAINT ${n.uniqueKey} UNIQUE (organization_id, run_id, customer_id, content_type, platform)
    )`,
    `CREATE INDEX IF NOT EXISTS ${n.keysetIndex} ON ${n.campaigns} (organization_id, created_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS ${n.runIndex} ON ${n.campaigns} (organization_id, run_id, created_at, id)`,
    `CREATE INDEX IF NOT EXISTS ${n.runStatusIndex} ON ${n.campaigns} (organization_id, run_id, status, created_at, id)`,
    `CREATE INDEX IF NOT EXISTS ${n.customerIndex} ON ${n.campaigns} (organization_id, customer_id, created_at DESC, id DESC)`,
  ];
}

/**
 * Row-level security of the campaign tables, the same policy as the customers table's.
 * @param n - The campaign tables' names.
 * @param current - The SQL expression of the session's organization.
 */
export function campaignRowLevelSecuritySql(n: CampaignSqlNames, current: string): string[] {
  return [
    [n.runs, n.runsPolicy],
    [n.campaigns, n.policy],
  ].flatMap(([table, policy]) => [
    `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
    `DROP POLICY IF EXISTS ${policy} ON ${table}`,
    `CREATE POLICY ${policy} ON ${table} USING (organization_id = ${current}) WITH CHECK (organization_id = ${current})`,
  ]);
}

const RECORD_COLUMNS = [
  'id',
  'organization_id',
  'customer_id',
  'run_id',
  'title',
  'content_type',
  'platform',
  'status',
  'content',
  'error',
  'attempts',
  'lease_owner',
  'lease_expires_at',
  'version',
  'created_at',
  'updated_at',
] as const;

/** The campaign columns every statement returns. */
export const CAMPAIGN_COLUMNS = RECORD_COLUMNS.join(', ');
const qualified = (alias: string) => RECORD_COLUMNS.map((c) => `${alias}.${c}`).join(', ');

/** Inserts a run. $1 organization, $2 id, $3 request (JSON text), $4 prepared_at, $5 created_at, $6 updated_at. */
export function insertRunSql(n: CampaignSqlNames): string {
  return `INSERT INTO ${n.runs} (organization_id, id, request, prepared_at, created_at, updated_at)
    VALUES ($1, $2, $3::jsonb, $4, $5, $6)`;
}

/** Marks a run prepared. $1 organization, $2 id, $3 epoch ms. */
export function prepareRunSql(n: CampaignSqlNames): string {
  return `UPDATE ${n.runs} SET prepared_at = $3, updated_at = $3 WHERE organization_id = $1 AND id = $2 RETURNING id`;
}

/** A run's columns plus its counts per status as one JSON object (`{}` when it has no records). */
function runSelect(n: CampaignSqlNames): string {
  return `SELECT r.id, r.organization_id, r.request, r.prepared_at, r.created_at, r.updated_at,
      COALESCE((SELECT jsonb_object_agg(s.status, s.n) FROM (
        SELECT c.status, count(*) AS n FROM ${n.campaigns} AS c
        WHERE c.organization_id = r.organization_id AND c.run_id = r.id GROUP BY c.status
      ) AS s), '{}'::jsonb) AS counts
    FROM ${n.runs} AS r`;
}

/** One run with its counts. $1 organization, $2 id. */
export function getRunSql(n: CampaignSqlNames): string {
  return `${runSelect(n)} WHERE r.organization_id = $1 AND r.id = $2`;
}

/**
 * A page of runs, newest first, with their counts. $1 organization, then the cursor's created_at
 * and id when `after`, then the limit.
 */
export function listRunsSql(n: CampaignSqlNames, after: boolean): string {
  const keyset = after ? ' AND (r.created_at, r.id) < ($2::bigint, $3 COLLATE "C")' : '';
  return `${runSelect(n)} WHERE r.organization_id = $1${keyset}
    ORDER BY r.created_at DESC, r.id DESC LIMIT $${after ? 4 : 2}`;
}

/**
 * Set-based insert of a batch of records, one array parameter per column; a record whose (run,
 * customer, content type, platform) exists is skipped, a repeated id fails the whole statement.
 * $1 organization, $2… the columns after `organization_id` in {@link CAMPAIGN_COLUMNS} order.
 */
export function insertCampaignsSql(n: CampaignSqlNames): string {
  return `INSERT INTO ${n.campaigns} (${CAMPAIGN_COLUMNS})
    SELECT u.id, $1, u.customer_id, u.run_id, u.title, u.content_type, u.platform, u.status,
      u.content::jsonb, u.error::jsonb, u.attempts, u.lease_owner, u.lease_expires_at, u.version,
      u.created_at, u.updated_at
    FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
      $9::text[], $10::text[], $11::int[], $12::text[], $13::bigint[], $14::int[], $15::bigint[], $16::bigint[])
      AS u(id, customer_id, run_id, title, content_type, platform, status, content, error, attempts,
        lease_owner, lease_expires_at, version, created_at, updated_at)
    ON CONFLICT (organization_id, run_id, customer_id, content_type, platform) DO NOTHING
    RETURNING id`;
}

/**
 * Claims up to `limit` records of a run: per status, the oldest rows not locked by another claim
 * (`FOR UPDATE SKIP LOCKED`, each a range of the (run, status, created_at, id) index), then the
 * oldest of those, moved in the same statement. Parameters: $1 organization, $2 run, $3 limit,
 * $4 now, then one per status, then the new lease owner and expiry (or the error JSON).
 */
export function claimSql(n: CampaignSqlNames, claim: CampaignClaim): string {
  // One CTE per status: FOR UPDATE is not allowed inside a UNION, but is in a CTE. Rows a CTE
  // locked and the final LIMIT leaves out are released when the statement ends.
  const picks = claim.statuses.map(
    (status, i) => `s${i} AS MATERIALIZED (SELECT id, created_at FROM ${n.campaigns}
      WHERE organization_id = $1 AND run_id = $2 AND status = $${5 + i}${status === 'in_progress' ? ' AND lease_expires_at <= $4' : ''}
      ORDER BY created_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)`,
  );
  const union = claim.statuses.map((_, i) => `SELECT id, created_at FROM s${i}`).join(' UNION ALL ');
  const next = 5 + claim.statuses.length;
  const set =
    claim.status === 'in_progress'
      ? `status = 'in_progress', lease_owner = $${next}, lease_expires_at = $${next + 1}`
      : `status = 'cancelled', lease_owner = NULL, lease_expires_at = NULL, error = $${next}::jsonb`;
  return `WITH ${picks.join(', ')},
      picked AS (SELECT p.id FROM (${union}) AS p ORDER BY p.created_at, p.id LIMIT $3)
    UPDATE ${n.campaigns} AS t SET ${set}, version = t.version + 1, updated_at = $4
    FROM picked WHERE t.organization_id = $1 AND t.id = picked.id
    RETURNING ${qualified('t')}`;
}

/**
 * Compare-and-set writes of a batch: the rows are locked in id order first (concurrent batches
 * cannot deadlock), then each row whose version still equals the expected one gets its JSON patch;
 * a field absent from a patch keeps its value. $1 organization, $2 ids, $3 expected versions,
 * $4 patches (JSON text), $5 updated_at.
 */
export function updateCampaignsSql(n: CampaignSqlNames): string {
  const field = (key: string, column: string, value: string) =>
    `${column} = CASE WHEN u.p ? '${key}' THEN ${value} ELSE t.${column} END`;
  const sets = [
    field('status', 'status', `u.p ->> 'status'`),
    field('content', 'content', `NULLIF(u.p -> 'content', 'null'::jsonb)`),
    field('error', 'error', `NULLIF(u.p -> 'error', 'null'::jsonb)`),
    field('attempts', 'attempts', `(u.p ->> 'attempts')::int`),
    field('leaseOwner', 'lease_owner', `u.p ->> 'leaseOwner'`),
    field('leaseExpiresAt', 'lease_expires_at', `(u.p ->> 'leaseExpiresAt')::bigint`),
  ];
  return `WITH u AS (
      SELECT x.id, x.expected, x.patch::jsonb AS p FROM unnest($2::text[], $3::int[], $4::text[]) AS x(id, expected, patch)
    ), locked AS MATERIALIZED (
      SELECT c.id FROM ${n.campaigns} AS c WHERE c.organization_id = $1 AND c.id = ANY($2::text[])
      ORDER BY c.id FOR UPDATE
    )
    UPDATE ${n.campaigns} AS t SET ${sets.join(', ')}, version = t.version + 1, updated_at = $5
    FROM u JOIN locked ON locked.id = u.id
    WHERE t.organization_id = $1 AND t.id = u.id AND t.version = u.expected
    RETURNING ${qualified('t')}`;
}

/**
 * A page of records. $1 organization, then the filter's values in (customer, run, status) order,
 * then the cursor's created_at and id when `after`, then the limit.
 */
export function listCampaignsSql(
  n: CampaignSqlNames,
  filter: CampaignFilter,
  sort: 'newest' | 'oldest',
  after: boolean,
): string {
  const where: string[] = ['organization_id = $1'];
  let i = 2;
  if (filter.customerId !== undefined) where.push(`customer_id = $${i++}`);
  if (filter.runId !== undefined) where.push(`run_id = $${i++}`);
  if (filter.status !== undefined) where.push(`status = $${i++}`);
  const newest = sort === 'newest';
  if (after) {
    where.push(`(created_at, id) ${newest ? '<' : '>'} ($${i}::bigint, $${i + 1} COLLATE "C")`);
    i += 2;
  }
  const direction = newest ? 'DESC' : 'ASC';
  return `SELECT ${CAMPAIGN_COLUMNS} FROM ${n.campaigns} WHERE ${where.join(' AND ')}
    ORDER BY created_at ${direction}, id ${direction} LIMIT $${i}`;
}
