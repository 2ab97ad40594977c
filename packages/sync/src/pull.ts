import { type Customer, isCustomerError } from '@donutauto/core';
import { applyServerState } from './server-state';
import type { SyncContext } from './sync-context';

/** Changes fetched per page. */
const PAGE = 500;

/**
 * Fetches what changed on the server since the stored cursor and stores it page by page (each page
 * with its cursor, atomically), keeping this device's queued edits on top.
 * @param context - The sync context.
 * @param org - The organization.
 * @throws A transient failure; the pages stored before it stay stored.
 */
export async function pullChanges(context: SyncContext, org: string): Promise<void> {
  let cursor = await context.local.readSyncCursor(org);
  for (let pages = 0; pages < 1_000_000; pages++) {
    let page: Awaited<ReturnType<typeof context.remote.changesSince>>;
    try {
      page = await context.remote.changesSince(org, cursor, PAGE);
    } catch (error) {
      // A cursor the server no longer honours (a new cursor secret, another server): start over.
      if (!isCustomerError(error, 'invalid_cursor') || cursor === null) throw error;
      cursor = null;
      continue;
    }
    const upserts: Customer[] = [];
    const deletes: string[] = [];
    for (const change of page.changes) {
      if (change.type === 'upsert') upserts.push(change.customer);
      else deletes.push(change.id);
    }
    await applyServerState(context, org, { upserts, deletes, cursor: page.cursor });
    cursor = page.cursor;
    if (page.isDone) return;
  }
}
