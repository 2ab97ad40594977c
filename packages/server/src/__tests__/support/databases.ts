import pg from 'pg';

/** The real server's URL when the environment provides one (CI sets it). */
export const DATABASE_URL = process.env.DATABASE_URL;

/** A schema name no other run uses. */
export function freshSchema(label: string): string {
  return `t_http_${label}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
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
