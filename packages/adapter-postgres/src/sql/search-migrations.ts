import { DERIVED_CASTS, derivationSourceOf, derivedValue, SEARCH_KEY_COLUMNS } from '../derived-columns';
import type { QueryRunner } from '../query-driver';
import { toArrayLiteral } from './array-literal';
import { quote, type SqlNames } from './sql-names';

/** Name of one of the customers table's indexes (`<table>_<suffix>`, at most 63 characters). */
export function customerIndex(n: SqlNames, suffix: string): string {
  return quote(`${n.customersName}_${suffix}`);
}

/**
 * Migration 2: the columns the SDK derives (see `SEARCH_KEY_COLUMNS`), added with neutral defaults;
 * `backfillDerivedColumns` then computes them for the rows already stored and builds the indexes.
 */
export function searchKeysMigration(n: SqlNames): string[] {
  return [
    `ALTER TABLE ${n.customers}
      ADD COLUMN IF NOT EXISTS first_name_key text COLLATE "C" NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS last_name_key text COLLATE "C" NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS search_words text NOT NULL DEFAULT '',
      ADD COLUMN IF NOT EXISTS preference_keys text[] NOT NULL DEFAULT '{}',
      ADD COLUMN IF NOT EXISTS tag_keys text[] NOT NULL DEFAULT '{}',
      ADD COLUMN IF NOT EXISTS birthday_key smallint`,
  ];
}

/** The keyset indexes of the sorts and the birthday index, organization first like every key. */
function sortIndexes(n: SqlNames): string[] {
  return [
    `CREATE INDEX IF NOT EXISTS ${customerIndex(n, 'org_updated_idx')} ON ${n.customers} (organization_id, updated_at DESC, id DESC)`,
    `CREATE INDEX IF NOT EXISTS ${customerIndex(n, 'org_last_name_idx')} ON ${n.customers} (organization_id, last_name_key, first_name_key, id)`,
    `CREATE INDEX IF NOT EXISTS ${customerIndex(n, 'org_first_name_idx')} ON ${n.customers} (organization_id, first_name_key, last_name_key, id)`,
    `CREATE INDEX IF NOT EXISTS ${customerIndex(n, 'org_birthday_idx')} ON ${n.customers} (organization_id, birthday_key)`,
  ];
}

const BACKFILL_BATCH = 1_000;

/**
 * Computes the derived columns of every stored customer (they are JavaScript's folding, so SQL
 * cannot), a thousand rows per statement in primary-key order, then creates the indexes on them
 * (building an index once after the backfill is cheaper than maintaining it during).
 * @param q - The migration's transaction.
 * @param n - The adapter's names.
 */
export async function backfillDerivedColumns(q: QueryRunner, n: SqlNames): Promise<void> {
  const inputs = SEARCH_KEY_COLUMNS.map((_c, i) => `$${i + 3}::text[]`);
  const sets = SEARCH_KEY_COLUMNS.map((c) =>
    DERIVED_CASTS[c] === 'text' ? `${c} = u.${c}` : `${c} = u.${c}::${DERIVED_CASTS[c]}`,
  );
  const update = `UPDATE ${n.customers} AS t SET ${sets.join(', ')}
    FROM unnest($1::text[], $2::text[], ${inputs.join(', ')}) AS u(organization_id, id, ${SEARCH_KEY_COLUMNS.join(', ')})
    WHERE t.organization_id = u.organization_id AND t.id = u.id`;
  const select = (after: boolean) =>
    `SELECT * FROM ${n.customers}${after ? ' WHERE (organization_id, id) > ($1, $2)' : ''}
      ORDER BY organization_id, id LIMIT ${BACKFILL_BATCH}`;
  let last: [string, string] | undefined;
  for (;;) {
    const { rows } = await q.query<Record<string, unknown>>(select(last !== undefined), last);
    if (rows.length === 0) break;
    const sources = rows.map(derivationSourceOf);
    await q.query(update, [
      toArrayLiteral(rows.map((r) => String(r.organization_id))),
      toArrayLiteral(rows.map((r) => String(r.id))),
      ...SEARCH_KEY_COLUMNS.map((column) => toArrayLiteral(sources.map((c) => derivedValue(column, c)))),
    ]);
    const end = rows[rows.length - 1]!;
    last = [String(end.organization_id), String(end.id)];
    if (rows.length < BACKFILL_BATCH) break;
  }
  for (const statement of sortIndexes(n)) await q.query(statement);
}

/** Migration 3: the segments table, keyed and listed by organization first. */
export function segmentsMigration(n: SqlNames): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${n.segments} (
      organization_id text NOT NULL,
      id text COLLATE "C" NOT NULL,
      name text NOT NULL,
      filter jsonb NOT NULL,
      filter_version integer NOT NULL,
      created_at bigint NOT NULL,
      updated_at bigint NOT NULL,
      version integer NOT NULL DEFAULT 1,
      CONSTRAINT ${quote(`${n.segmentsName}_pkey`)} PRIMARY KEY (organization_id, id)
    )`,
    `CREATE INDEX IF NOT EXISTS ${quote(`${n.segmentsName}_org_created_idx`)} ON ${n.segments} (organization_id, created_at, id)`,
  ];
}
