import type { CampaignRecord } from '@donutauto/core';
import {
  type CampaignStore,
  campaignListKey,
  campaignPage,
  checkCampaignBatch,
  checkCampaignRun,
  checkDistinctCampaignUpdates,
  readCampaignCursor,
} from '@donutauto/core/adapter';
import { campaignColumns, type Row, rowToCampaign, rowToRun } from './campaign-row-codec';
import type { QueryRunner } from './query-driver';
import { toArrayLiteral } from './sql/array-literal';
import {
  type CampaignSqlNames,
  claimSql,
  getRunSql,
  insertCampaignsSql,
  insertRunSql,
  listCampaignsSql,
  listRunsSql,
  prepareRunSql,
  updateCampaignsSql,
} from './sql/campaign-statements';

/** The adapter's way of running statements for one organization (row-level security, error mapping). */
export type OrganizationRunner = <T>(
  organizationId: string,
  fn: (q: QueryRunner) => Promise<T>,
) => Promise<T>;

const byKey = (a: CampaignRecord, b: CampaignRecord) =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The PostgreSQL {@link CampaignStore}: every write is one set-based statement (a batch insert from
 * `unnest`, a claim with `FOR UPDATE SKIP LOCKED`, a compare-and-set batch update locking rows in
 * id order), so each is atomic on its own and costs one round trip.
 * @param run - Runs statements for an organization.
 * @param n - The campaign tables' names.
 * @returns The campaign methods of the adapter.
 */
export function createPostgresCampaignStore(run: OrganizationRunner, n: CampaignSqlNames): CampaignStore {
  const sql = {
    insertRun: insertRunSql(n),
    prepareRun: prepareRunSql(n),
    getRun: getRunSql(n),
    insert: insertCampaignsSql(n),
    update: updateCampaignsSql(n),
  };

  return {
    async insertCampaignRun(organizationId, r) {
      checkCampaignRun(organizationId, r);
      await run(organizationId, (q) =>
        q.query(sql.insertRun, [
          organizationId,
          r.id,
          JSON.stringify(r.request),
          r.preparedAt,
          r.createdAt,
          r.updatedAt,
        ]),
      );
    },

    async markCampaignRunPrepared(organizationId, runId, preparedAt) {
      const { rows } = await run(organizationId, (q) =>
        q.query(sql.prepareRun, [organizationId, runId, preparedAt]),
      );
      return rows.length > 0;
    },

    async getCampaignRun(organizationId, runId) {
      const { rows } = await run(organizationId, (q) => q.query<Row>(sql.getRun, [organizationId, runId]));
      return rows[0] ? rowToRun(rows[0]) : undefined;
    },

    async listCampaignRuns(organizationId, query) {
      const key = campaignListKey('runs');
      const after = readCampaignCursor(organizationId, key, query.cursor);
      if (after === null) return campaignPage(organizationId, key, [], false);
      const params: unknown[] = [organizationId];
      if (after) params.push(String(after[0]), after[1]);
      params.push(query.numItems + 1);
      const { rows } = await run(organizationId, (q) =>
        q.query<Row>(listRunsSql(n, after !== undefined), params),
      );
      return campaignPage(
        organizationId,
        key,
        rows.slice(0, query.numItems).map(rowToRun),
        rows.length > query.numItems,
      );
    },

    async insertCampaigns(organizationId, records) {
      if (records.length === 0) return 0;
      checkCampaignBatch(organizationId, records);
      const { rows } = await run(organizationId, (q) =>
        q.query(sql.insert, [organizationId, ...campaignColumns(records)]),
      );
      return rows.length;
    },

    async claimCampaigns(organizationId, claim) {
      if (claim.limit < 1 || claim.statuses.length === 0) return [];
      const params: unknown[] = [organizationId, claim.runId, claim.limit, claim.now, ...claim.statuses];
      if (claim.status === 'in_progress') params.push(claim.leaseOwner, claim.leaseExpiresAt);
      else params.push(JSON.stringify(claim.error));
      const { rows } = await run(organizationId, (q) => q.query<Row>(claimSql(n, claim), params));
      return rows.map(rowToCampaign).sort(byKey);
    },

    async updateCampaigns(organizationId, updates, { updatedAt }) {
      if (updates.length === 0) return { updated: [], conflicts: [] };
      checkDistinctCampaignUpdates(updates);
      const { rows } = await run(organizationId, (q) =>
        q.query<Row>(sql.update, [
          organizationId,
          toArrayLiteral(updates.map((u) => u.id)),
          toArrayLiteral(updates.map((u) => String(u.expectedVersion))),
          toArrayLiteral(updates.map((u) => JSON.stringify(u.patch))),
          updatedAt,
        ]),
      );
      const byId = new Map(rows.map((row) => [String(row.id), rowToCampaign(row)]));
      const updated: CampaignRecord[] = [];
      const conflicts: string[] = [];
      for (const update of updates) {
        const record = byId.get(update.id);
        if (record) updated.push(record);
        else conflicts.push(update.id);
      }
      return { updated, conflicts };
    },

    async listCampaigns(organizationId, query) {
      const key = campaignListKey(query);
      const after = readCampaignCursor(organizationId, key, query.cursor);
      if (after === null) return campaignPage(organizationId, key, [], false);
      const { filter } = query;
      const params: unknown[] = [organizationId];
      if (filter.customerId !== undefined) params.push(filter.customerId);
      if (filter.runId !== undefined) params.push(filter.runId);
      if (filter.status !== undefined) params.push(filter.status);
      if (after) params.push(String(after[0]), after[1]);
      params.push(query.numItems + 1);
      const statement = listCampaignsSql(n, filter, query.sort, after !== undefined);
      const { rows } = await run(organizationId, (q) => q.query<Row>(statement, params));
      return campaignPage(
        organizationId,
        key,
        rows.slice(0, query.numItems).map(rowToCampaign),
        rows.length > query.numItems,
      );
    },
  };
}
