import { InvalidArgumentError, InvalidCursorError } from '../errors/customer-error';
import { base64UrlDecode, base64UrlEncode } from './base64url';
import { MAX_CHANGE_PAGE } from './change-feed';
import { hashString } from './cursor';

/** A position in a change feed: what the store's feed is ordered by (a sequence number, an xid and an id). */
export type ChangePosition = readonly (string | number)[];

function sign(organizationId: string, store: string, payload: string): string {
  return hashString(`${organizationId}\u0000changes\u0000${store}\u0000${payload}`);
}

/**
 * Encodes a change-feed position into an opaque cursor bound to one organization and one kind of
 * store. Integrity-checked, not secret (as list cursors; the server signs them with `cursorSecret`).
 * @param organizationId - The tenant.
 * @param store - The kind of store that issued it (`memory`, `postgres`, …): another refuses it.
 * @param position - The position after the last change returned.
 * @returns A URL-safe string.
 */
export function encodeChangeCursor(organizationId: string, store: string, position: ChangePosition): string {
  const payload = base64UrlEncode(JSON.stringify({ v: 1, p: position }));
  return `${payload}.${sign(organizationId, store, payload)}`;
}

/**
 * Reads a change-feed cursor and checks the page size, for `changesSince` implementations.
 * @param organizationId - The tenant asking.
 * @param store - The kind of store reading it.
 * @param cursor - The cursor passed, or `null` for the beginning.
 * @param limit - The page size passed.
 * @returns The position to continue after, or `undefined` for the beginning.
 * @throws `invalid_cursor` when the cursor is malformed, altered, or issued for another
 *   organization or kind of store; `invalid_argument` when `limit` is not an integer from 1 to
 *   {@link MAX_CHANGE_PAGE}.
 */
export function readChangeCursor(
  organizationId: string,
  store: string,
  cursor: string | null,
  limit: number,
): ChangePosition | undefined {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CHANGE_PAGE) {
    throw new InvalidArgumentError('limit', `expected an integer from 1 to ${MAX_CHANGE_PAGE}`);
  }
  if (cursor === null) return undefined;
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 4096) {
    throw new InvalidCursorError('expected a cursor returned by an earlier page of the change feed');
  }
  const dot = cursor.lastIndexOf('.');
  if (dot <= 0) throw new InvalidCursorError('malformed');
  const payload = cursor.slice(0, dot);
  if (cursor.slice(dot + 1) !== sign(organizationId, store, payload)) {
    throw new InvalidCursorError('it was altered, or issued for another organization or store');
  }
  let body: { v?: unknown; p?: unknown };
  try {
    body = JSON.parse(base64UrlDecode(payload));
  } catch {
    throw new InvalidCursorError('malformed');
  }
  const position = body?.p;
  if (
    body?.v !== 1 ||
    !Array.isArray(position) ||
    !position.every((part) => typeof part === 'string' || typeof part === 'number')
  ) {
    throw new InvalidCursorError('malformed');
  }
  return position;
}

/**
 * Reads the cursor of a feed ordered by one sequence number per organization (memory, IndexedDB).
 * @param organizationId - The tenant asking.
 * @param store - The kind of store reading it.
 * @param cursor - The cursor passed, or `null` for the beginning.
 * @param limit - The page size passed.
 * @returns The sequence number to continue after (0 for the beginning).
 * @throws As {@link readChangeCursor}; `invalid_cursor` when the position is not one sequence number.
 */
export function readSequenceCursor(
  organizationId: string,
  store: string,
  cursor: string | null,
  limit: number,
): number {
  const position = readChangeCursor(organizationId, store, cursor, limit);
  if (position === undefined) return 0;
  const [seq] = position;
  if (position.length !== 1 || !Number.isSafeInteger(seq) || (seq as number) < 0) {
    throw new InvalidCursorError('malformed');
  }
  return seq as number;
}
