import { UNKNOWN_CONSENT } from '@donutauto/core';
import type { ConsentHistoryEntry } from '@donutauto/core/adapter';
import { toArrayLiteral } from './array-literal';
import { quote, type SqlNames } from './sql-names';

/** The consent of a customer stored before migration 6: every channel `unknown`. */
const UNKNOWN_JSON = JSON.stringify({
  email: UNKNOWN_CONSENT,
  sms: UNKNOWN_CONSENT,
  socialDm: UNKNOWN_CONSENT,
});

/**
 * Migration 6: the customers' `consent` column (existing rows get every channel `unknown`), the
 * consent history keyed by `(organization_id, customer_id, version, channel)`, and the erasure
 * tombstones keyed by `(organization_id, email_hash)`. The tenant leads both keys (Citus).
 * @param n - The adapter's names.
 * @returns The statements.
 */
export function consentMigrationSql(n: SqlNames): string[] {
  return [
    `ALTER TABLE ${n.customers} ADD COLUMN IF NOT EXISTS consent jsonb NOT NULL DEFAULT '${UNKNOWN_JSON}'::jsonb`,
    `CREATE TABLE IF NOT EXISTS ${n.consentHistory} (
      organization_id text NOT NULL,
      customer_id text COLLATE "C" NOT NULL,
      version integer NOT NULL,
      channel text NOT NULL,
      state text NOT NULL,
      at bigint,
      source text,
      recorded_by text,
      recorded_at bigint NOT NULL,
      CONSTRAINT ${quote(`${n.consentHistoryName}_pkey`)} PRIMARY KEY (organization_id, customer_id, version, channel)
    )`,
    `CREATE TABLE IF NOT EXISTS ${n.erasures} (
      organization_id text NOT NULL,
      email_hash text NOT NULL,
      erased_at bigint NOT NULL,
      CONSTRAINT ${quote(`${n.erasuresName}_pkey`)} PRIMARY KEY (organization_id, email_hash)
    )`,
  ];
}

/** Row-level security of the consent tables, like the customers table's. */
export function consentRowLevelSecuritySql(n: SqlNames, current: string): string[] {
  return [n.consentHistory, n.erasures].flatMap((table, i) => {
    const policy = quote(`${i === 0 ? n.consentHistoryName : n.erasuresName}_tenant_isolation`);
    return [
      `ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`,
      `DROP POLICY IF EXISTS ${policy} ON ${table}`,
      `CREATE POLICY ${policy} ON ${table} USING (organization_id = ${current}) WITH CHECK (organization_id = ${current})`,
    ];
  });
}

const HISTORY_COLUMNS = 'customer_id, version, channel, state, at, source, recorded_by, recorded_at';

/** The statements of the consent store, built once per adapter. */
export function consentSql(n: SqlNames) {
  return {
    /** Appends entries: $1 organization, then one array per column (`historyColumns`). */
    insertHistory: `INSERT INTO ${n.consentHistory} (organization_id, ${HISTORY_COLUMNS})
      SELECT $1, u.customer_id, u.version, u.channel, u.state, u.at, u.source, u.recorded_by, u.recorded_at
      FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $9::bigint[])
        AS u(customer_id, version, channel, state, at, source, recorded_by, recorded_at)
      ON CONFLICT DO NOTHING`,
    /** One customer's history, ordered. $1 organization, $2 customer. */
    listHistory: `SELECT organization_id, ${HISTORY_COLUMNS} FROM ${n.consentHistory}
      WHERE organization_id = $1 AND customer_id = $2
      ORDER BY version, array_position(ARRAY['email', 'sms', 'socialDm'], channel)`,
    /** The version of a customer to erase, locked. $1 organization, $2 id. */
    lockForErasure: `SELECT version FROM ${n.customers} WHERE organization_id = $1 AND id = $2 FOR UPDATE`,
    deleteCampaigns: `DELETE FROM ${n.campaign.campaigns} WHERE organization_id = $1 AND customer_id = $2`,
    deleteHistory: `DELETE FROM ${n.consentHistory} WHERE organization_id = $1 AND customer_id = $2`,
    /** Stores a tombstone, replacing one of the same hash. $1 organization, $2 hash, $3 time. */
    upsertErasure: `INSERT INTO ${n.erasures} (organization_id, email_hash, erased_at) VALUES ($1, $2, $3)
      ON CONFLICT (organization_id, email_hash) DO UPDATE SET erased_at = EXCLUDED.erased_at`,
    findErasures: `SELECT organization_id, email_hash, erased_at FROM ${n.erasures}
      WHERE organization_id = $1 AND email_hash = ANY($2::text[])`,
    anyErasure: `SELECT 1 AS found FROM ${n.erasures} WHERE organization_id = $1 LIMIT 1`,
  };
}

/**
 * The parameters `$2…$9` of `insertHistory` for some entries.
 * @param entries - Entries of one organization.
 * @returns One array literal per column.
 */
export function historyColumns(entries: readonly ConsentHistoryEntry[]): string[] {
  const col = (pick: (e: ConsentHistoryEntry) => string | number | null) =>
    toArrayLiteral(
      entries.map((e) => {
        const v = pick(e);
        return v === null ? null : String(v);
      }),
    );
  return [
    col((e) => e.customerId),
    col((e) => e.version),
    col((e) => e.channel),
    col((e) => e.state),
    col((e) => e.at),
    col((e) => e.source),
    col((e) => e.by),
    col((e) => e.recordedAt),
  ];
}

/** A history row as a `ConsentHistoryEntry`. */
export function rowToHistoryEntry(row: Record<string, unknown>): ConsentHistoryEntry {
  return {
    organizationId: String(row.organization_id),
    customerId: String(row.customer_id),
    version: Number(row.version),
    channel: String(row.channel) as ConsentHistoryEntry['channel'],
    state: String(row.state) as ConsentHistoryEntry['state'],
    at: row.at === null || row.at === undefined ? null : Number(row.at),
    source: (row.source ?? null) as ConsentHistoryEntry['source'],
    by: row.recorded_by === null || row.recorded_by === undefined ? null : String(row.recorded_by),
    recordedAt: Number(row.recorded_at),
  };
}
