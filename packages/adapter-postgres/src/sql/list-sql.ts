import { type CustomerSort, isDescending, type SortPosition } from '@donutauto/core/adapter';
import type { SqlParams } from './filter-sql';
import type { SqlNames } from './sql-names';
import { SELECT_COLUMNS } from './statements';

/** The columns each sort orders by (all `COLLATE "C"` text or bigint), each with an index. */
const SORT_COLUMNS: Readonly<Record<CustomerSort, readonly string[]>> = {
  newest: ['created_at', 'id'],
  oldest: ['created_at', 'id'],
  recentlyUpdated: ['updated_at', 'id'],
  lastName: ['last_name_key', 'first_name_key', 'id'],
  firstName: ['first_name_key', 'last_name_key', 'id'],
};

/**
 * One keyset page: the sort's columns compared as a row against the cursor's position, served by
 * the sort's `(organization_id, …)` index whatever the depth. Name keys are `COLLATE "C"`, so the
 * order is code point order, as core's reference compares.
 * @param n - The adapter's names.
 * @param sort - The listing order.
 * @param where - Filter conditions (already parameterized, each starting with ` AND `).
 * @param after - The cursor's position, or `undefined` for the first page.
 * @param params - Where the position and the limit are bound.
 * @param limit - Rows to read (a page plus one, to tell whether more follow).
 * @returns The statement.
 */
export function listSql(
  n: SqlNames,
  sort: CustomerSort,
  where: string,
  after: SortPosition | undefined,
  params: SqlParams,
  limit: number,
): string {
  const columns = SORT_COLUMNS[sort];
  const descending = isDescending(sort);
  let keyset = '';
  if (after) {
    const values = after.map((v) =>
      typeof v === 'number' ? `${params.add(String(v))}::bigint` : `${params.add(v)}::text`,
    );
    keyset = ` AND (${columns.join(', ')}) ${descending ? '<' : '>'} (${values.join(', ')})`;
  }
  const direction = descending ? ' DESC' : '';
  return `SELECT ${SELECT_COLUMNS} FROM ${n.customers}
    WHERE organization_id = $1${where}${keyset}
    ORDER BY ${columns.map((c) => `${c}${direction}`).join(', ')}
    LIMIT ${params.add(limit)}`;
}

/** Counts the customers matching a filter. */
export function countSql(n: SqlNames, where: string): string {
  return `SELECT count(*) AS n FROM ${n.customers} WHERE organization_id = $1${where}`;
}
