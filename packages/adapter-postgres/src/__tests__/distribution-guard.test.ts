import { createPostgresAdapter, type PostgresAdapter } from '@donutauto/adapter-postgres';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPGlite, createPool, DATABASE_URL, dropSchema, freshSchema } from './test-databases';

/** The column every tenant table is distributed by (Citus `create_distributed_table(…, 'organization_id')`). */
const TENANT_COLUMN = 'organization_id';

interface Catalog {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * Reads the catalog of one schema and lists what would stop its tables from being distributed by
 * organization on Citus, or would let rows of two organizations reference each other:
 * - a tenant table without a NOT NULL `organization_id`;
 * - a primary key, unique or exclusion index whose first column is not `organization_id`
 *   (Citus enforces uniqueness only per shard, so it must include the distribution column);
 * - a sequence, an identity column or a `nextval()` default (a per-node counter, not global);
 * - a foreign key that does not pair `organization_id` with `organization_id` (it could link
 *   two tenants' rows, and Citus cannot enforce it between distributed tables).
 * @param nonTenantTables - Tables that hold no tenant data (the migrations ledger): they are
 *   checked only for sequences and for foreign keys pointing at them.
 * @returns One line per violation; empty when the schema is distribution-ready.
 */
async function distributionViolations(
  db: Catalog,
  schema: string,
  nonTenantTables: readonly string[],
): Promise<string[]> {
  const violations: string[] = [];
  const { rows: tables } = await db.query<{ name: string; tenant_column: boolean; not_null: boolean }>(
    `SELECT c.relname AS name, a.attnum IS NOT NULL AS tenant_column, coalesce(a.attnotnull, false) AS not_null
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = $2 AND NOT a.attisdropped
     WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
     ORDER BY c.relname`,
    [schema, TENANT_COLUMN],
  );
  const tenantTables = tables.filter((t) => !nonTenantTables.includes(t.name));
  for (const missing of nonTenantTables.filter((name) => !tables.some((t) => t.name === name))) {
    violations.push(`non-tenant table ${missing} does not exist: update the allowlist`);
  }
  for (const table of tenantTables) {
    if (!table.tenant_column) violations.push(`table ${table.name} has no ${TENANT_COLUMN} column`);
    else if (!table.not_null) violations.push(`table ${table.name}: ${TENANT_COLUMN} is nullable`);
  }

  const { rows: indexes } = await db.query<{ table: string; index: string; first: string | null }>(
    `SELECT t.relname AS "table", ic.relname AS "index", a.attname AS first
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
     WHERE n.nspname = $1 AND (i.indisunique OR i.indisprimary OR i.indisexclusion)
     ORDER BY ic.relname`,
    [schema],
  );
  for (const index of indexes) {
    if (!tenantTables.some((t) => t.name === index.table)) continue;
    if (index.first !== TENANT_COLUMN) {
      violations.push(
        `unique index ${index.index} on ${index.table} leads with ${index.first ?? 'an expression'}, not ${TENANT_COLUMN}`,
      );
    }
  }

  const { rows: sequences } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'S' ORDER BY c.relname`,
    [schema],
  );
  for (const sequence of sequences) violations.push(`sequence ${sequence.name}`);
  const { rows: counters } = await db.query<{ table: string; column: string }>(
    `SELECT t.relname AS "table", a.attname AS "column"
     FROM pg_attribute a
     JOIN pg_class t ON t.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE n.nspname = $1 AND t.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
       AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE '%nextval(%')
     ORDER BY 1, 2`,
    [schema],
  );
  for (const c of counters) violations.push(`column ${c.table}.${c.column} draws from a sequence`);

  const { rows: foreignKeys } = await db.query<{ name: string; table: string; same_tenant: boolean }>(
    `SELECT con.conname AS name, t.relname AS "table",
       EXISTS (
         SELECT 1 FROM unnest(con.conkey, con.confkey) AS k(mine, theirs)
         JOIN pg_attribute x ON x.attrelid = con.conrelid AND x.attnum = k.mine
         JOIN pg_attribute y ON y.attrelid = con.confrelid AND y.attnum = k.theirs
         WHERE x.attname = $2 AND y.attname = $2
       ) AS same_tenant
     FROM pg_constraint con
     JOIN pg_class t ON t.oid = con.conrelid
     JOIN pg_class f ON f.oid = con.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_namespace fn ON fn.oid = f.relnamespace
     WHERE con.contype = 'f' AND (n.nspname = $1 OR fn.nspname = $1)
     ORDER BY con.conname`,
    [schema, TENANT_COLUMN],
  );
  for (const fk of foreignKeys) {
    if (!fk.same_tenant) {
      violations.push(
        `foreign key ${fk.name} on ${fk.table} does not match ${TENANT_COLUMN} to ${TENANT_COLUMN}`,
      );
    }
  }
  return violations;
}

/** The table's bare name, as the catalog spells it, from a quoted `"schema"."table"`. */
function bareName(qualified: string): string {
  return qualified.slice(qualified.lastIndexOf('."') + 2, -1);
}

function guardSuite(name: string, open: () => Promise<{ db: Catalog & object; close(): Promise<void> }>) {
  describe(`distribution guard (${name})`, () => {
    let backend: Awaited<ReturnType<typeof open>>;
    const schemas: string[] = [];
    beforeAll(async () => {
      backend = await open();
    }, 120_000);
    afterAll(async () => {
      for (const schema of schemas) await dropSchema(backend.db, schema);
      await backend.close();
    });

    async function migrated(tablePrefix: string): Promise<{ schema: string; adapter: PostgresAdapter }> {
      const schema = freshSchema('distribution');
      schemas.push(schema);
      const adapter = createPostgresAdapter({
        db: backend.db as Parameters<typeof createPostgresAdapter>[0]['db'],
        schema,
        tablePrefix,
      });
      await adapter.migrate();
      return { schema, adapter };
    }

    it('finds every table migrate() creates distribution-ready, the migrations ledger aside', async () => {
      for (const prefix of ['', 'pos_']) {
        const { schema, adapter } = await migrated(prefix);
        // The ledger records which migrations ran in this database: metadata, not tenant data (on
        // Citus it stays a local table on the coordinator). Every other table is tenant data.
        const ledger = bareName(adapter.tables.migrations);
        expect(await distributionViolations(backend.db, schema, [ledger])).toEqual([]);
        // The customers table is among those checked.
        const { rows } = await backend.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename <> $2',
          [schema, ledger],
        );
        expect(rows[0]!.n).toBeGreaterThanOrEqual(1);
      }
    });

    it('reports each kind of violation in a schema built to break the rules', async () => {
      const { schema, adapter } = await migrated('bad_');
      const q = (sql: string) => backend.db.query(sql);
      await q(`CREATE TABLE "${schema}".counters (id serial PRIMARY KEY, organization_id text NOT NULL)`);
      await q(`CREATE TABLE "${schema}".loose (organization_id text, code text NOT NULL)`);
      await q(`CREATE UNIQUE INDEX loose_code_key ON "${schema}".loose (code, organization_id)`);
      await q(`CREATE TABLE "${schema}".untenanted (code text PRIMARY KEY)`);
      await q(
        `CREATE TABLE "${schema}".visits (organization_id text NOT NULL, id text NOT NULL, customer_id text NOT NULL,
          PRIMARY KEY (organization_id, id),
          CONSTRAINT visits_customer_fk FOREIGN KEY (organization_id, customer_id) REFERENCES ${adapter.tables.customers} (organization_id, id),
          CONSTRAINT visits_code_fk FOREIGN KEY (customer_id) REFERENCES "${schema}".untenanted (code))`,
      );
      await q(`CREATE UNIQUE INDEX visits_lower_id_key ON "${schema}".visits (lower(id))`);
      const ledger = bareName(adapter.tables.migrations);
      expect(await distributionViolations(backend.db, schema, [ledger, 'gone'])).toEqual([
        'non-tenant table gone does not exist: update the allowlist',
        'table loose: organization_id is nullable',
        'table untenanted has no organization_id column',
        'unique index counters_pkey on counters leads with id, not organization_id',
        'unique index loose_code_key on loose leads with code, not organization_id',
        'unique index untenanted_pkey on untenanted leads with code, not organization_id',
        'unique index visits_lower_id_key on visits leads with an expression, not organization_id',
        'sequence counters_id_seq',
        'column counters.id draws from a sequence',
        'foreign key visits_code_fk on visits does not match organization_id to organization_id',
      ]);
    });
  });
}

guardSuite('PGlite', async () => {
  const db: PGlite = await createPGlite();
  return { db: db as unknown as Catalog & PGlite, close: () => db.close() };
});

if (DATABASE_URL) {
  guardSuite('server', async () => {
    const pool: pg.Pool = createPool(2);
    return { db: pool as unknown as Catalog & pg.Pool, close: () => pool.end() };
  });
}
