import { storageFailure } from './pg-errors';
import type { QueryDriver } from './query-driver';
import { ensureSearchIndexes } from './sql/search-indexes';
import type { SqlNames } from './sql/sql-names';
import { MIGRATIONS, migrationSql, rowLevelSecuritySql, schemaExistsSql } from './sql/statements';

/**
 * `migrate()` and `enableRowLevelSecurity()` of one adapter. Both run in one transaction holding a
 * transaction-scoped advisory lock keyed on the table, so concurrent callers apply each step once.
 * @param driver - The adapter's driver.
 * @param names - The adapter's names.
 * @returns The two methods.
 */
export function createMigrator(driver: QueryDriver, names: SqlNames) {
  const locked = async <T>(
    fn: (q: Parameters<Parameters<QueryDriver['transaction']>[0]>[0]) => Promise<T>,
  ) => {
    try {
      return await driver.transaction(async (q) => {
        await q.query(migrationSql.lock, [names.lockKey]);
        return fn(q);
      });
    } catch (error) {
      throw storageFailure(error, names);
    }
  };

  return {
    async migrate(): Promise<{
      readonly applied: readonly number[];
      readonly missingIndexes: readonly string[];
    }> {
      return locked(async (q) => {
        // Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when it exists.
        const exists = await q.query(schemaExistsSql, [names.schemaName]);
        if (exists.rows.length === 0) await q.query(migrationSql.createSchema(names));
        await q.query(migrationSql.createLedger(names));
        const done = new Set(
          (await q.query<{ version: number }>(migrationSql.applied(names))).rows.map((r) =>
            Number(r.version),
          ),
        );
        const applied: number[] = [];
        for (const migration of MIGRATIONS) {
          if (done.has(migration.version)) continue;
          for (const statement of migration.statements(names)) await q.query(statement);
          await migration.after?.(q, names);
          await q.query(migrationSql.record(names), [migration.version, migration.name]);
          applied.push(migration.version);
        }
        return { applied, missingIndexes: await ensureSearchIndexes(q, names) };
      });
    },

    async enableRowLevelSecurity(): Promise<void> {
      await locked(async (q) => {
        for (const statement of rowLevelSecuritySql(names)) await q.query(statement);
      });
    },
  };
}
