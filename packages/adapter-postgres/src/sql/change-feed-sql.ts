import { quote, type SqlNames } from './sql-names';
import { SELECT_COLUMNS } from './statements';

// The change feed orders rows by the id of the transaction that last wrote them (`change_xid`,
// then `id`). Transaction ids are handed out at start but commits land in any order, so a page
// shows only rows written by transactions older than every transaction that may still commit a
// change to these tables (the horizon): a later commit can then never land behind a cursor already
// handed out. The horizon is the oldest transaction in progress at the read's snapshot, skipping
// those still running without any lock on a table of this schema: a transaction holds a lock on
// every table it wrote until it ends, and the adapter's transactions touch these tables before
// they write anything else, so a skipped one has written none of them and will not. A long
// transaction elsewhere (another schema or database) therefore does not hold the feed back.

/**
 * Migration 7: the `change_xid` of every customer, its index, and the tombstones of deleted
 * customers (kept so a replica learns of a deletion however late it reads).
 */
export function changeFeedMigration(n: SqlNames): string[] {
  const tombstoneIndex = quote(`${n.tombstonesName}_org_change_idx`);
  const tombstoneKey = quote(`${n.tombstonesName}_pkey`);
  return [
    `ALTER TABLE ${n.customers} ADD COLUMN IF NOT EXISTS change_xid xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    `CREATE INDEX IF NOT EXISTS ${n.changeIndex} ON ${n.customers} (organization_id, change_xid, id)`,
    `CREATE TABLE IF NOT EXISTS ${n.tombstones} (
      organization_id text NOT NULL,
      id text COLLATE "C" NOT NULL,
      deleted_at bigint NOT NULL,
      change_xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      CONSTRAINT ${tombstoneKey} PRIMARY KEY (organization_id, id)
    )`,
    `CREATE INDEX IF NOT EXISTS ${tombstoneIndex} ON ${n.tombstones} (organization_id, change_xid, id)`,
  ];
}

/**
 * Deletes one customer and records its tombstone, in one statement. $1 organization, $2 id, $3
 * deletion time (epoch ms); with `notify`, $4 channel and $5 payload, sent when a row was deleted.
 */
export function deleteWithTombstoneSql(n: SqlNames, notify: boolean): string {
  const notified = notify ? ', pg_notify($4, $5)::text AS notified' : '';
  return `WITH gone AS (
      DELETE FROM ${n.customers} WHERE organization_id = $1 AND id = $2 RETURNING organization_id, id
    ), tomb AS (
      INSERT INTO ${n.tombstones} (organization_id, id, deleted_at)
      SELECT organization_id, id, $3 FROM gone
      ON CONFLICT (organization_id, id)
      DO UPDATE SET deleted_at = excluded.deleted_at, change_xid = pg_current_xact_id()
    )
    SELECT gone.id${notified} FROM gone`;
}

/**
 * One page of the change feed: customers and tombstones after ($2 xid, $3 id), below the horizon,
 * in (change_xid, id) order. $1 organization, $4 the page size plus one, $5 the schema's name.
 * Tombstone rows have `deleted = true` and NULL customer columns. Where `pg_stat_activity` hides
 * other roles' transaction ids, none is skipped: the horizon is then the snapshot's `xmin`.
 */
export function changesSinceSql(n: SqlNames): string {
  const columns = SELECT_COLUMNS.split(', ');
  const live = columns.map((c) => `c.${c}`).join(', ');
  const dead = columns
    .map((c) => (c === 'id' || c === 'organization_id' ? `t.${c}` : `NULL AS ${c}`))
    .join(', ');
  return `WITH snap AS (SELECT pg_current_snapshot() AS s),
    elsewhere AS (
      SELECT a.backend_xid::text::bigint AS xid FROM pg_stat_activity AS a
      WHERE a.backend_xid IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM pg_locks AS l JOIN pg_class AS r ON r.oid = l.relation
          JOIN pg_namespace AS n ON n.oid = r.relnamespace
        WHERE l.pid = a.pid AND n.nspname = $5)
    ),
    horizon AS (
      SELECT coalesce(
        (SELECT x FROM snap, pg_snapshot_xip(snap.s) AS x
          WHERE NOT EXISTS (SELECT 1 FROM elsewhere AS e WHERE e.xid = x::text::bigint % 4294967296)
          ORDER BY x LIMIT 1),
        (SELECT pg_snapshot_xmax(snap.s) FROM snap)) AS xmin
    )
    (SELECT false AS deleted, c.change_xid, c.change_xid::text AS xid, ${live} FROM ${n.customers} AS c, horizon
      WHERE c.organization_id = $1 AND (c.change_xid, c.id) > ($2::xid8, $3::text COLLATE "C")
        AND c.change_xid < horizon.xmin
      ORDER BY c.change_xid, c.id LIMIT $4)
    UNION ALL
    (SELECT true AS deleted, t.change_xid, t.change_xid::text AS xid, ${dead} FROM ${n.tombstones} AS t, horizon
      WHERE t.organization_id = $1 AND (t.change_xid, t.id) > ($2::xid8, $3::text COLLATE "C")
        AND t.change_xid < horizon.xmin
      ORDER BY t.change_xid, t.id LIMIT $4)
    ORDER BY change_xid, id LIMIT $4`;
}
