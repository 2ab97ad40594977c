import { NotFoundError, StorageError, VersionConflictError } from '@donutauto/core';
import { checkSegmentOrganization, type SegmentStore, type StoredSegment } from '@donutauto/core/adapter';
import type { QueryRunner } from './query-driver';
import type { SqlNames } from './sql/sql-names';

/** Runs statements for one organization (with its row-level-security setting when enabled). */
export type OrganizationRunner = <T>(
  organizationId: string,
  fn: (q: QueryRunner) => Promise<T>,
  transaction?: boolean,
) => Promise<T>;

const COLUMNS = 'id, organization_id, name, filter, filter_version, created_at, updated_at, version';

function toSegment(row: Record<string, unknown>): StoredSegment {
  const filter = typeof row.filter === 'string' ? (JSON.parse(row.filter) as unknown) : row.filter;
  return {
    id: String(row.id),
    organizationId: String(row.organization_id),
    name: String(row.name),
    filter: filter as Record<string, unknown>,
    filterVersion: Number(row.filter_version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    version: Number(row.version),
  };
}

/**
 * The PostgreSQL {@link SegmentStore}: the `<prefix>segments` table, keyed by
 * `(organization_id, id)`, the filter as `jsonb` next to its format version.
 * @param run - The adapter's organization-scoped runner.
 * @param n - The adapter's names.
 * @returns The segment methods.
 */
export function createSegmentStore(run: OrganizationRunner, n: SqlNames): SegmentStore {
  const sql = {
    insert: `INSERT INTO ${n.segments} (${COLUMNS}) VALUES ($2, $1, $3, $4::jsonb, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
    get: `SELECT ${COLUMNS} FROM ${n.segments} WHERE organization_id = $1 AND id = $2`,
    list: `SELECT ${COLUMNS} FROM ${n.segments} WHERE organization_id = $1 ORDER BY created_at, id`,
    update: `UPDATE ${n.segments} SET name = coalesce($3, name), filter = coalesce($4::jsonb, filter),
        filter_version = coalesce($5, filter_version), updated_at = $6, version = version + 1
      WHERE organization_id = $1 AND id = $2 AND ($7::integer IS NULL OR version = $7) RETURNING ${COLUMNS}`,
    version: `SELECT version FROM ${n.segments} WHERE organization_id = $1 AND id = $2`,
    delete: `DELETE FROM ${n.segments} WHERE organization_id = $1 AND id = $2 RETURNING id`,
  };
  return {
    async insertSegment(organizationId, s) {
      checkSegmentOrganization(organizationId, s);
      const { rows } = await run(organizationId, (q) =>
        q.query(sql.insert, [
          organizationId,
          s.id,
          s.name,
          JSON.stringify(s.filter),
          s.filterVersion,
          s.createdAt,
          s.updatedAt,
          s.version,
        ]),
      );
      if (rows.length === 0) throw new StorageError(`Segment id ${JSON.stringify(s.id)} already exists`);
    },

    async getSegment(organizationId, id) {
      const { rows } = await run(organizationId, (q) => q.query(sql.get, [organizationId, id]));
      return rows[0] ? toSegment(rows[0]) : undefined;
    },

    async listSegments(organizationId) {
      const { rows } = await run(organizationId, (q) => q.query(sql.list, [organizationId]));
      return rows.map(toSegment);
    },

    async updateSegment(organizationId, id, patch, options) {
      const expected = options.expectedVersion ?? null;
      const { rows } = await run(organizationId, (q) =>
        q.query(sql.update, [
          organizationId,
          id,
          patch.name ?? null,
          patch.filter === undefined ? null : JSON.stringify(patch.filter),
          patch.filter === undefined ? null : (patch.filterVersion ?? null),
          options.updatedAt,
          expected,
        ]),
      );
      if (rows[0]) return toSegment(rows[0]);
      const found = await run(organizationId, (q) =>
        q.query<{ version: number }>(sql.version, [organizationId, id]),
      );
      const actual = found.rows[0];
      if (!actual || expected === null) throw new NotFoundError(id, 'Segment');
      throw new VersionConflictError(id, expected, Number(actual.version));
    },

    async deleteSegment(organizationId, id) {
      const { rows } = await run(organizationId, (q) => q.query(sql.delete, [organizationId, id]));
      return rows.length > 0;
    },
  };
}
