import { InvalidArgumentError } from '@donutauto/core';
import { hashString } from '@donutauto/core/adapter';
import { type CampaignSqlNames, campaignSqlNames } from './campaign-statements';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const TABLE_PREFIX = /^[A-Za-z_][A-Za-z0-9_]{0,29}$/;

/** The quoted identifiers of one adapter instance: the only identifiers its SQL ever contains. */
export interface SqlNames {
  /** The schema, quoted. */
  readonly schema: string;
  /** The schema name as given (for catalog lookups, as a parameter). */
  readonly schemaName: string;
  /** `"schema"."<prefix>customers"`. */
  readonly customers: string;
  /** `"schema"."<prefix>schema_migrations"`. */
  readonly migrations: string;
  /** `"schema"."<prefix>segments"`. */
  readonly segments: string;
  /** `"schema"."<prefix>customer_tombstones"`: deleted customers, for the change feed. */
  readonly tombstones: string;
  /** The tombstones table's name, unquoted. */
  readonly tombstonesName: string;
  /** The customers table's change-feed index, quoted. */
  readonly changeIndex: string;
  /** The customers table's name, unquoted (`<prefix>customers`): indexes are named after it. */
  readonly customersName: string;
  /** The segments table's name, unquoted (`<prefix>segments`). */
  readonly segmentsName: string;
  /** Bare (quoted) names of the table's constraint, indexes and policy. */
  readonly primaryKey: string;
  readonly emailIndex: string;
  /** The unquoted email index name, as Postgres reports it in a unique violation. */
  readonly emailIndexName: string;
  readonly keysetIndex: string;
  readonly tenantPolicy: string;
  /** Key of the advisory lock that serializes migrations of this table. */
  readonly lockKey: string;
  /** Prefix of the NOTIFY channels (`[a-z0-9_]`), one channel per organization is derived from it. */
  readonly channelPrefix: string;
  /** The campaign tables. */
  readonly campaign: CampaignSqlNames;
  /** `"schema"."<prefix>consent_history"` (migration 6). */
  readonly consentHistory: string;
  /** `"schema"."<prefix>erasures"`: erasure tombstones (migration 6). */
  readonly erasures: string;
  /** Unquoted names of those two tables (their policies are named after them). */
  readonly consentHistoryName: string;
  readonly erasuresName: string;
}

/** Name of the session setting the row-level-security policy reads. */
export const ORGANIZATION_SETTING = 'donutauto.organization_id';

/**
 * Quotes an identifier the adapter built from validated names and fixed suffixes.
 * @param identifier - The identifier.
 * @returns It in double quotes.
 */
export function quote(identifier: string): string {
  // Only names that passed the patterns above reach here; doubling quotes is belt and braces.
  return `"${identifier.replace(/"/g, '""')}"`;
}

/**
 * Validates the `schema` and `tablePrefix` options and derives every identifier from them.
 * @param schema - Schema name: letters, digits, `_`, not starting with a digit, ≤ 63 characters.
 * @param tablePrefix - Table name prefix: same characters, ≤ 30 characters, or `''`.
 * @returns The quoted names.
 * @throws `invalid_argument` for a name outside those rules.
 */
export function sqlNames(schema: string, tablePrefix: string): SqlNames {
  if (typeof schema !== 'string' || !SCHEMA_NAME.test(schema)) {
    throw new InvalidArgumentError(
      'schema',
      'expected letters, digits or _ (not starting with a digit, max 63)',
    );
  }
  if (typeof tablePrefix !== 'string' || (tablePrefix !== '' && !TABLE_PREFIX.test(tablePrefix))) {
    throw new InvalidArgumentError(
      'tablePrefix',
      'expected letters, digits or _ (not starting with a digit, max 30)',
    );
  }
  const table = `${tablePrefix}customers`;
  return {
    schema: quote(schema),
    schemaName: schema,
    customers: `${quote(schema)}.${quote(table)}`,
    migrations: `${quote(schema)}.${quote(`${tablePrefix}schema_migrations`)}`,
    segments: `${quote(schema)}.${quote(`${tablePrefix}segments`)}`,
    tombstones: `${quote(schema)}.${quote(`${tablePrefix}customer_tombstones`)}`,
    tombstonesName: `${tablePrefix}customer_tombstones`,
    changeIndex: quote(`${table}_org_change_idx`),
    customersName: table,
    segmentsName: `${tablePrefix}segments`,
    primaryKey: quote(`${table}_pkey`),
    emailIndex: quote(`${table}_org_email_key`),
    emailIndexName: `${table}_org_email_key`,
    keysetIndex: quote(`${table}_org_created_id_idx`),
    tenantPolicy: quote(`${table}_tenant_isolation`),
    lockKey: `donutauto:${schema}.${table}`,
    channelPrefix: `donutauto_${hashString(`${schema}.${table}`)}`,
    campaign: campaignSqlNames(quote(schema), tablePrefix, quote),
    consentHistory: `${quote(schema)}.${quote(`${tablePrefix}consent_history`)}`,
    erasures: `${quote(schema)}.${quote(`${tablePrefix}erasures`)}`,
    consentHistoryName: `${tablePrefix}consent_history`,
    erasuresName: `${tablePrefix}erasures`,
  };
}

/**
 * The NOTIFY channel of one organization: the org id is hashed so any id yields a valid, short
 * identifier. Listeners still check the organization in the payload (hashes may collide).
 * @param names - The adapter's names.
 * @param organizationId - The tenant.
 * @returns A channel name of `[a-z0-9_]`, at most 63 characters.
 */
export function channelFor(names: SqlNames, organizationId: string): string {
  return `${names.channelPrefix}_${hashString(organizationId)}`;
}
