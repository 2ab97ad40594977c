import type { QueryRunner } from '../query-driver';
import { toArrayLiteral } from './array-literal';
import { customerIndex } from './search-migrations';
import { quote, type SqlNames } from './sql-names';

/** The extensions the search indexes need: trigrams for word prefixes, btree_gin to lead with the organization. */
const EXTENSIONS = ['pg_trgm', 'btree_gin'] as const;

/** The indexes that need {@link EXTENSIONS}, by name suffix: the GIN indexes of text and list filters. */
const SEARCH_INDEXES: readonly { readonly suffix: string; readonly columns: (trgm: string) => string }[] = [
  { suffix: 'words_trgm_idx', columns: (trgm) => `organization_id, search_words ${trgm}` },
  { suffix: 'pref_keys_idx', columns: () => 'organization_id, preference_keys' },
  { suffix: 'tag_keys_idx', columns: () => 'organization_id, tag_keys' },
];

/**
 * Creates the GIN indexes of text search (trigrams of `search_words`, which also serve the phone
 * digits: see `filterSql`) and of the preference and tag filters, when the database offers
 * `pg_trgm` and `btree_gin` (a PostgreSQL server with contrib; PGlite when created with those
 * extensions). Without them nothing changes but speed: those filters then read the organization's
 * rows through the sort's index. Runs on every `migrate()`, each step under a savepoint, so a role
 * that may not create extensions keeps migrating and a later `migrate()` adds the indexes once it
 * can.
 * @param q - The migration's transaction.
 * @param n - The adapter's names.
 * @returns The names of the search indexes still missing (empty when all exist).
 */
export async function ensureSearchIndexes(q: QueryRunner, n: SqlNames): Promise<string[]> {
  const wanted = SEARCH_INDEXES.map((index) => `${n.customersName}_${index.suffix}`);
  const present = await q.query<{ indexname: string }>(
    'SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname = ANY($2::text[])',
    [n.schemaName, toArrayLiteral(wanted)],
  );
  if (present.rows.length === wanted.length) return [];
  const available = await q.query<{ name: string }>(
    'SELECT name FROM pg_available_extensions WHERE name = ANY($1::text[])',
    [toArrayLiteral(EXTENSIONS)],
  );
  if (available.rows.length < EXTENSIONS.length) return wanted;
  const created = await attempt(q, async () => {
    for (const extension of EXTENSIONS) await q.query(`CREATE EXTENSION IF NOT EXISTS ${extension}`);
  });
  if (!created) return wanted;
  // Name the operator class by the schema pg_trgm lives in, whatever the search_path is.
  const home = await q.query<{ nspname: string }>(
    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'",
  );
  const trgm = `${quote(home.rows[0]?.nspname ?? 'public')}.gin_trgm_ops`;
  const missing: string[] = [];
  for (const index of SEARCH_INDEXES) {
    const ok = await attempt(q, () =>
      q.query(
        `CREATE INDEX IF NOT EXISTS ${customerIndex(n, index.suffix)} ON ${n.customers} USING gin (${index.columns(trgm)})`,
      ),
    );
    if (!ok) missing.push(`${n.customersName}_${index.suffix}`);
  }
  return missing;
}

/** Runs `fn` under a savepoint: on failure the transaction rolls back to it and goes on. */
async function attempt(q: QueryRunner, fn: () => Promise<unknown>): Promise<boolean> {
  await q.query('SAVEPOINT donutauto_search_index');
  try {
    await fn();
    await q.query('RELEASE SAVEPOINT donutauto_search_index');
    return true;
  } catch {
    await q.query('ROLLBACK TO SAVEPOINT donutauto_search_index');
    return false;
  }
}
