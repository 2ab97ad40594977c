import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';

/** The real server's URL when the environment provides one (CI sets it). */
export const DATABASE_URL = process.env.DATABASE_URL;

/** A schema name no other run uses. */
export function freshSchema(label: string): string {
  return `t_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A new in-memory PGlite: one per test file (each costs seconds and memory). */
export async function createPGlite(): Promise<PGlite> {
  return PGlite.create();
}

/** A new in-memory PGlite with the extensions the search indexes use (`pg_trgm`, `btree_gin`). */
export async function createSearchPGlite(): Promise<PGlite> {
  return PGlite.create({ extensions: { pg_trgm, btree_gin } });
}

/** A pool on the real server. */
export function createPool(max = 10): pg.Pool {
  return new pg.Pool({ connectionString: DATABASE_URL, max });
}

/** Drops a test schema and everything in it. */
export async function dropSchema(
  db: { query(text: string): Promise<unknown> },
  schema: string,
): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
}
