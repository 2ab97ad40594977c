import { InvalidCursorError } from '../errors/customer-error';
import { base64UrlDecode, base64UrlEncode } from './base64url';
import type { CampaignListQuery, CampaignPage } from './campaign-store';
import { hashString, type KeysetKey } from './cursor';
import { checkSortPosition } from './customer-sort';

/**
 * The canonical key of a campaign listing: cursors are bound to it, so a cursor of one listing is
 * refused by another (other filter, sort, or the runs listing).
 * @param query - A campaign listing, or `'runs'` for the runs listing.
 * @returns A string equal for equal listings.
 */
export function campaignListKey(query: Pick<CampaignListQuery, 'filter' | 'sort'> | 'runs'): string {
  if (query === 'runs') return '["runs"]';
  const { customerId = null, runId = null, status = null } = query.filter;
  return JSON.stringify(['campaigns', query.sort, customerId, runId, status]);
}

function sign(organizationId: string, payload: string): string {
  return hashString(`${organizationId}\u0000campaigns\u0000${payload}`);
}

/**
 * Encodes the position after which a campaign (or run) listing continues into an opaque cursor,
 * bound to one organization and one listing. Integrity-checked, not secret: adapters always scope
 * by the caller's organization.
 * @param organizationId - The tenant.
 * @param listKey - From {@link campaignListKey}.
 * @param position - The (`createdAt`, `id`) of the last item returned, or `null` when done.
 * @returns A URL-safe string.
 */
export function encodeCampaignCursor(
  organizationId: string,
  listKey: string,
  position: KeysetKey | null,
): string {
  const payload = base64UrlEncode(JSON.stringify({ v: 1, p: position, q: hashString(listKey) }));
  return `${payload}.${sign(organizationId, payload)}`;
}

/**
 * Reads a campaign (or run) listing's cursor.
 * @param organizationId - The tenant asking.
 * @param listKey - From {@link campaignListKey}.
 * @param cursor - The cursor passed, or `null` for the first page.
 * @returns `undefined` for the first page, the key to continue after, or `null` when the listing is done.
 * @throws `invalid_cursor` when it is malformed, altered, or issued for another organization or listing.
 */
export function readCampaignCursor(
  organizationId: string,
  listKey: string,
  cursor: string | null,
): KeysetKey | undefined | null {
  if (cursor === null) return undefined;
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 4096) {
    throw new InvalidCursorError('expected a cursor string returned by a previous page');
  }
  const dot = cursor.lastIndexOf('.');
  if (dot <= 0) throw new InvalidCursorError('malformed');
  const payload = cursor.slice(0, dot);
  if (cursor.slice(dot + 1) !== sign(organizationId, payload)) {
    throw new InvalidCursorError('it was altered or issued for another organization');
  }
  let body: { v?: unknown; p?: unknown; q?: unknown };
  try {
    body = JSON.parse(base64UrlDecode(payload));
  } catch {
    throw new InvalidCursorError('malformed');
  }
  if (typeof body !== 'object' || body === null || body.v !== 1)
    throw new InvalidCursorError('unknown version');
  if (body.q !== hashString(listKey)) throw new InvalidCursorError('it was issued for another listing');
  const p = body.p;
  if (p === null) return null;
  // Checked as strictly as a customer listing's (createdAt, id) position: a forged one never reaches a store.
  return checkSortPosition('oldest', p) as KeysetKey;
}

/**
 * Builds a page: its items, the cursor after the last one, and whether more follow.
 * @param organizationId - The tenant.
 * @param listKey - From {@link campaignListKey}.
 * @param page - The items, in listing order.
 * @param more - Whether items follow.
 * @returns The page.
 */
export function campaignPage<T extends { readonly createdAt: number; readonly id: string }>(
  organizationId: string,
  listKey: string,
  page: T[],
  more: boolean,
): CampaignPage<T> {
  const last = page[page.length - 1];
  if (!last)
    return { page: [], continueCursor: encodeCampaignCursor(organizationId, listKey, null), isDone: true };
  return {
    page,
    continueCursor: encodeCampaignCursor(organizationId, listKey, [last.createdAt, last.id]),
    isDone: !more,
  };
}
