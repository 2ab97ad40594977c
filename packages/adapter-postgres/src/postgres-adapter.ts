import {
  type Customer,
  DuplicateEmailError,
  InvalidArgumentError,
  InvalidCursorError,
  type ListResult,
  NotFoundError,
  normalizeEmail,
  type StorageAdapter,
  StorageError,
  VersionConflictError,
} from '@donutauto/core';
import {
  type ConsentHistoryEntry,
  type CustomerChange,
  type CustomerUpdate,
  checkBatchOrganization,
  checkDistinctIds,
  checkTombstone,
  consentHistoryOf,
  encodeChangeCursor,
  keysetPage,
  readChangeCursor,
  readKeysetCursor,
  SEARCH_FIELDS,
} from '@donutauto/core/adapter';
import { checkAdapterOptions } from './adapter-options';
import { createPostgresCampaignStore } from './campaign-store-pg';
import { ChangeNotifier, encodeChange } from './change-notifier';
import { type EmailChange, firstInsertConflict, updateConflictError } from './conflict-diagnosis';
import { searchSourceOf } from './derived-columns';
import { createMigrator } from './migrator';
import { storageFailure } from './pg-errors';
import type { PostgresAdapter, PostgresAdapterOptions } from './postgres-adapter-types';
import { createQueryDriver, type QueryRunner } from './query-driver';
import {
  batchColumns,
  type CustomerRow,
  consentOf,
  copyText,
  encodeField,
  patchDerived,
  patchedFields,
  patchJson,
  rowToCustomer,
} from './row-codec';
import { createSegmentStore } from './segment-store';
import { toArrayLiteral } from './sql/array-literal';
import { changesSinceSql, deleteWithTombstoneSql } from './sql/change-feed-sql';
import { consentSql, historyColumns, rowToHistoryEntry } from './sql/consent-statements';
import { filterSql, SqlParams } from './sql/filter-sql';
import { countSql, listSql } from './sql/list-sql';
import { channelFor } from './sql/sql-names';
import {
  byEmailsSql,
  conflictsSql,
  copySql,
  getSql,
  insertBatchSql,
  lockSearchSourceSql,
  lockVersionsSql,
  notifySql,
  setOrganizationSql,
  updateBatchSql,
  updateOneSql,
  versionSql,
  withNotifySql,
} from './sql/statements';

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Thrown inside a transaction to roll it back on purpose; never escapes the adapter. */
class RollbackSignal extends Error {}

/**
 * Creates a {@link StorageAdapter} over PostgreSQL — a server through `pg`, or embedded PGlite.
 * Call `migrate()` once before use. Bulk writes are single set-based statements per batch, updates
 * with `expectedVersion` are one conditional `UPDATE`, pages are keyset-paginated on the sort's
 * key, and changes are announced with LISTEN/NOTIFY.
 * @param options - See {@link PostgresAdapterOptions}.
 * @returns The adapter.
 * @throws `invalid_argument` for a `schema` or `tablePrefix` that is not a plain identifier,
 * `reconnect` delays that are not integers from 1 ms to a day, or `copyFrom` together with
 * `rowLevelSecurity: true` (PostgreSQL refuses COPY FROM under row-level security).
 * @example
 * const adapter = createPostgresAdapter({ db: new pg.Pool({ connectionString }) });
 * await adapter.migrate();
 * const client = createCustomerClient({ adapter, organizationId: 'org_1' });
 */
export function createPostgresAdapter(options: PostgresAdapterOptions): PostgresAdapter {
  const { names, copyFrom, reconnect } = checkAdapterOptions(options);
  const driver = createQueryDriver(options.db, copyFrom, reconnect);
  const notifier = new ChangeNotifier(driver, names);
  const notify = options.notify ?? true;
  const rls = options.rowLevelSecurity ?? false;
  const sql = {
    insert: insertBatchSql(names),
    copy: copySql(names),
    conflicts: conflictsSql(names),
    get: getSql(names),
    byEmails: byEmailsSql(names),
    lockVersions: lockVersionsSql(names),
    lockSearchSource: lockSearchSourceSql(names),
    version: versionSql(names),
    updateBatch: updateBatchSql(names),
    delete: deleteWithTombstoneSql(names, notify),
    changes: changesSinceSql(names),
    consent: consentSql(names),
  };

  /** Appends consent history in the write's transaction. */
  async function appendHistory(
    q: QueryRunner,
    organizationId: string,
    entries: readonly ConsentHistoryEntry[],
  ) {
    if (entries.length > 0)
      await q.query(sql.consent.insertHistory, [organizationId, ...historyColumns(entries)]);
  }

  /** Runs `fn` with the organization's session setting when RLS is on, in a transaction when asked. */
  async function run<T>(
    organizationId: string,
    fn: (q: QueryRunner) => Promise<T>,
    transaction = false,
  ): Promise<T> {
    if (!organizationId || typeof organizationId !== 'string') {
      throw new InvalidArgumentError('organizationId', 'expected a non-empty string');
    }
    try {
      if (!rls && !transaction) return await fn(driver);
      return await driver.transaction(async (q) => {
        if (rls) await q.query(setOrganizationSql, [organizationId]);
        return fn(q);
      });
    } catch (error) {
      throw error instanceof RollbackSignal ? error : storageFailure(error, names);
    }
  }

  const change = (type: 'insert' | 'update' | 'delete', organizationId: string, ids: readonly string[]) =>
    [channelFor(names, organizationId), encodeChange({ type, organizationId, ids })] as const;

  /** After a batch insert came up short: which row tripped, in the memory adapter's order. */
  async function insertConflict(organizationId: string, customers: readonly Customer[]) {
    const { rows } = await run(organizationId, (q) =>
      q.query<{ id: string; email_key: string }>(sql.conflicts, [
        organizationId,
        toArrayLiteral(customers.map((c) => c.id)),
        toArrayLiteral(customers.map((c) => normalizeEmail(c.email))),
      ]),
    );
    return firstInsertConflict(customers, rows);
  }

  /** After a unique violation on update: name the email and who holds it. */
  async function updateConflict(organizationId: string, changes: readonly EmailChange[]) {
    const { rows } = await run(organizationId, (q) =>
      q.query<CustomerRow>(sql.byEmails, [organizationId, toArrayLiteral(changes.map((c) => c.email))]),
    );
    return updateConflictError(changes, rows);
  }

  const adapter: PostgresAdapter = {
    name: 'postgres',
    tables: {
      customers: names.customers,
      migrations: names.migrations,
      segments: names.segments,
      tombstones: names.tombstones,
      campaigns: names.campaign.campaigns,
      campaignRuns: names.campaign.runs,
      consentHistory: names.consentHistory,
      erasures: names.erasures,
    },
    ...createMigrator(driver, names),
    ...createSegmentStore(run, names),
    ...createPostgresCampaignStore((organizationId, fn) => run(organizationId, fn), names.campaign),

    async insertMany(organizationId, customers) {
      if (customers.length === 0) return;
      checkBatchOrganization(organizationId, customers);
      await notifier.ready();
      // Rows go in in email order: concurrent batches with overlapping emails then wait on each other's
      // unique-index entries in one global order instead of deadlocking.
      const keys = customers.map((c) => normalizeEmail(c.email));
      const order = keys.map((_, i) => i).sort((i, j) => compareText(keys[i]!, keys[j]!));
      const ordered = order.map((i) => customers[i]!);
      // Built on the first attempt and kept: a retry after a lost race does not build them again.
      let text: string | undefined;
      let columns: unknown[] | undefined;
      let payload: ReturnType<typeof change> | undefined;
      const history = customers.flatMap((c) => consentHistoryOf(undefined, c));
      const write = async (q: QueryRunner) => {
        if (q.copyIn) {
          // COPY straight into the table: a taken email or id aborts it with a unique violation.
          text ??= copyText(ordered);
          await q.copyIn(sql.copy, text).catch((error: unknown) => {
            throw (error as { code?: unknown }).code === '23505' ? new RollbackSignal() : error;
          });
        } else {
          columns ??= [organizationId, ...batchColumns(ordered)];
          const result = await q.query(sql.insert, columns);
          if (result.rowCount !== customers.length) throw new RollbackSignal(); // nothing of the batch stays
        }
        await appendHistory(q, organizationId, history);
        if (notify) {
          payload ??= change(
            'insert',
            organizationId,
            customers.map((c) => c.id),
          );
          await q.query(notifySql, payload);
        }
        return true;
      };
      for (let attempt = 0; attempt < 3; attempt++) {
        const written = await run(organizationId, write, true).catch((error: unknown) => {
          if (error instanceof RollbackSignal) return false;
          throw error;
        });
        if (written) return;
        const conflict = await insertConflict(organizationId, customers);
        if (conflict) throw conflict;
        // The conflicting row vanished between the attempt and the diagnosis: try again.
      }
      throw new StorageError('The batch kept conflicting with concurrent writes; nothing was written');
    },

    async updateMany(organizationId, updates: readonly CustomerUpdate[], { updatedAt }) {
      if (updates.length === 0) return [];
      checkDistinctIds(updates);
      const ids = updates.map((u) => u.id);
      await notifier.ready();
      try {
        return await run(
          organizationId,
          async (q) => {
            const idList = toArrayLiteral(ids);
            const locked = await q.query<CustomerRow>(sql.lockVersions, [organizationId, idList]);
            const byId = new Map(locked.rows.map((r) => [String(r.id), r]));
            const versions = new Map(locked.rows.map((r) => [String(r.id), Number(r.version)]));
            for (const update of updates) {
              const actual = versions.get(update.id);
              if (actual === undefined) throw new NotFoundError(update.id);
              if (update.expectedVersion !== undefined && update.expectedVersion !== actual) {
                throw new VersionConflictError(update.id, update.expectedVersion, actual);
              }
            }
            const { rows } = await q.query<CustomerRow>(sql.updateBatch, [
              organizationId,
              idList,
              toArrayLiteral(updates.map((u) => patchJson(u.patch, searchSourceOf(byId.get(u.id)!)))),
              updatedAt,
            ]);
            if (notify) await q.query(notifySql, change('update', organizationId, ids));
            const stored = new Map(rows.map((r) => [String(r.id), rowToCustomer(r)]));
            const history = ids.flatMap((id) =>
              consentHistoryOf({ consent: consentOf(byId.get(id)!.consent) }, stored.get(id)!),
            );
            await appendHistory(q, organizationId, history);
            return ids.map((id) => stored.get(id)!);
          },
          true,
        );
      } catch (error) {
        if (!(error instanceof DuplicateEmailError) || error.existingId !== undefined) throw error;
        const changes = updates.flatMap((u) =>
          u.patch.email ? [{ id: u.id, email: normalizeEmail(u.patch.email) }] : [],
        );
        throw await updateConflict(organizationId, changes);
      }
    },

    async get(organizationId, id) {
      const { rows } = await run(organizationId, (q) => q.query<CustomerRow>(sql.get, [organizationId, id]));
      return rows[0] ? rowToCustomer(rows[0]) : undefined;
    },

    async getByEmails(organizationId, emails) {
      if (emails.length === 0) return [];
      const { rows } = await run(organizationId, (q) =>
        q.query<CustomerRow>(sql.byEmails, [organizationId, toArrayLiteral([...new Set(emails)])]),
      );
      return rows.map(rowToCustomer);
    },

    async update(organizationId, id, patch, writeOptions) {
      const fields = patchedFields(patch);
      const expected = writeOptions.expectedVersion;
      // A patch of a searchable field recomputes `search_words` from the stored fields it keeps,
      // read and locked in the update's transaction; any other patch is a single statement.
      const searched = fields.some((f) => (SEARCH_FIELDS as readonly string[]).includes(f));
      // A consent patch reads the stored consent too, to record what changed in the same transaction.
      const locked = searched || fields.includes('consent');
      const write = async (q: QueryRunner) => {
        const stored = locked
          ? (await q.query<CustomerRow>(sql.lockSearchSource, [organizationId, id])).rows[0]
          : undefined;
        // Without a stored row nothing is updated; the version check below says why.
        if (locked && !stored) return [];
        const derived = patchDerived(patch, stored && searched ? searchSourceOf(stored) : undefined);
        const params = new SqlParams([organizationId, id, writeOptions.updatedAt]);
        for (const field of fields) params.add(encodeField(field, patch[field]));
        for (const { value } of derived) params.add(value);
        if (expected !== undefined) params.add(expected);
        let statement = updateOneSql(
          names,
          fields,
          expected !== undefined,
          derived.map((d) => d.column),
        );
        if (notify) {
          const [channel, payload] = change('update', organizationId, [id]);
          statement = withNotifySql(statement, params.add(channel), params.add(payload));
        }
        const { rows } = await q.query<CustomerRow>(statement, params.values);
        if (stored && rows[0] && fields.includes('consent')) {
          const entries = consentHistoryOf({ consent: consentOf(stored.consent) }, rowToCustomer(rows[0]));
          await appendHistory(q, organizationId, entries);
        }
        return rows;
      };
      await notifier.ready();
      try {
        const rows = await run(organizationId, write, locked);
        if (rows[0]) return rowToCustomer(rows[0]);
      } catch (error) {
        if (error instanceof DuplicateEmailError && patch.email) {
          throw await updateConflict(organizationId, [{ id, email: normalizeEmail(patch.email) }]);
        }
        throw error;
      }
      const { rows } = await run(organizationId, (q) =>
        q.query<{ version: number }>(sql.version, [organizationId, id]),
      );
      const actual = rows[0];
      if (!actual || expected === undefined) throw new NotFoundError(id);
      throw new VersionConflictError(id, expected, Number(actual.version));
    },

    async delete(organizationId, id) {
      const params: unknown[] = [organizationId, id, Date.now()];
      if (notify) params.push(...change('delete', organizationId, [id]));
      await notifier.ready();
      const { rows } = await run(organizationId, (q) => q.query(sql.delete, params));
      return rows.length > 0;
    },

    async listConsentHistory(organizationId, customerId) {
      const { rows } = await run(organizationId, (q) =>
        q.query(sql.consent.listHistory, [organizationId, customerId]),
      );
      return rows.map(rowToHistoryEntry);
    },

    async eraseCustomer(organizationId, id, erasure) {
      checkTombstone(organizationId, erasure.tombstone);
      await notifier.ready();
      return run(
        organizationId,
        async (q) => {
          const { rows } = await q.query<{ version: number }>(sql.consent.lockForErasure, [
            organizationId,
            id,
          ]);
          if (!rows[0]) return false;
          const actual = Number(rows[0].version);
          if (actual !== erasure.expectedVersion)
            throw new VersionConflictError(id, erasure.expectedVersion, actual);
          await q.query(sql.consent.deleteCampaigns, [organizationId, id]);
          await q.query(sql.consent.deleteHistory, [organizationId, id]);
          const { emailHash, erasedAt } = erasure.tombstone;
          // The change feed's tombstone tells synced stores the customer is gone.
          const params: unknown[] = [organizationId, id, erasedAt];
          if (notify) params.push(...change('delete', organizationId, [id]));
          await q.query(sql.delete, params);
          await q.query(sql.consent.upsertErasure, [organizationId, emailHash, erasedAt]);
          return true;
        },
        true,
      );
    },

    async findErasures(organizationId, emailHashes) {
      if (emailHashes.length === 0) return [];
      const { rows } = await run(organizationId, (q) =>
        q.query(sql.consent.findErasures, [organizationId, toArrayLiteral([...new Set(emailHashes)])]),
      );
      return rows.map((r) => ({
        organizationId: String(r.organization_id),
        emailHash: String(r.email_hash),
        erasedAt: Number(r.erased_at),
      }));
    },

    async hasErasures(organizationId) {
      const { rows } = await run(organizationId, (q) => q.query(sql.consent.anyErasure, [organizationId]));
      return rows.length > 0;
    },

    async changesSince(organizationId, cursor, limit) {
      const after = readChangeCursor(organizationId, 'postgres', cursor, limit) ?? ['0', ''];
      const [xid, id] = after;
      if (
        after.length !== 2 ||
        typeof xid !== 'string' ||
        !/^\d{1,20}$/.test(xid) ||
        typeof id !== 'string'
      ) {
        throw new InvalidCursorError('malformed');
      }
      const { rows } = await run(organizationId, (q) =>
        q.query<CustomerRow>(sql.changes, [organizationId, xid, id, limit + 1, names.schemaName]),
      );
      const page = rows.slice(0, limit);
      const changes: CustomerChange[] = page.map((row) =>
        row.deleted === true
          ? { type: 'delete', id: String(row.id) }
          : { type: 'upsert', customer: rowToCustomer(row) },
      );
      const last = page[page.length - 1];
      const position = last ? [String(last.xid), String(last.id)] : [xid, id];
      return {
        changes,
        cursor: encodeChangeCursor(organizationId, 'postgres', position),
        isDone: rows.length <= limit,
      };
    },

    async list(organizationId, query): Promise<ListResult> {
      const after = readKeysetCursor(organizationId, query);
      if (after === null) return keysetPage(organizationId, query, [], false);
      const params = new SqlParams([organizationId]);
      const where = filterSql(query.filter, params);
      const statement = listSql(names, query.sort, where, after, params, query.numItems + 1);
      const { rows } = await run(organizationId, (q) => q.query<CustomerRow>(statement, params.values));
      const page = rows.slice(0, query.numItems).map(rowToCustomer);
      return keysetPage(organizationId, query, page, rows.length > query.numItems);
    },

    async count(organizationId, filter) {
      const params = new SqlParams([organizationId]);
      const statement = countSql(names, filterSql(filter, params));
      const { rows } = await run(organizationId, (q) =>
        q.query<{ n: number | string }>(statement, params.values),
      );
      return Number(rows[0]?.n ?? 0);
    },

    subscribe(organizationId, listener) {
      return notifier.subscribe(organizationId, listener);
    },

    get connectionState() {
      return driver.connection.status;
    },

    onConnectionState(listener) {
      return driver.connection.subscribe(listener);
    },

    async close() {
      await notifier.close();
      await driver.close();
    },
  };
  return adapter;
}
