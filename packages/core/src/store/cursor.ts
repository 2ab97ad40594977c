import { InvalidCursorError } from '../errors/customer-error';
import type { Customer } from '../model/customer-schema';
import { base64UrlDecode, base64UrlEncode } from './base64url';
import { queryKey } from './customer-filter';
import { type CustomerSort, checkSortPosition, type SortPosition, sortPosition } from './customer-sort';
import type { NormalizedFilter } from './filter-types';
import type { ListQuery, ListResult } from './storage-adapter';

/** A position in a listing: the sort key of the last row returned, or `null` at the end. */
export type CursorPosition = SortPosition | null;

/** The query a cursor is bound to. */
export type CursorQuery = { readonly filter: NormalizedFilter; readonly sort: CustomerSort };

/**
 * Encodes a keyset position into an opaque cursor bound to one organization and one query.
 *
 * What the checksum is for: it ties the cursor to its organization and query and catches a cursor
 * that was truncated, corrupted or pasted into another listing. It is not a secret (anyone can
 * compute {@link hashString}), so it does not stop a deliberate forgery — and nothing depends on
 * that: adapters always filter by the caller's organization, and {@link readKeysetCursor} checks
 * every decoded field against the sort's key types, so a forged cursor can at most start a listing
 * of the caller's own customers at a position of its choice. Where even that must not happen (a
 * cursor that crosses a trust boundary, such as a public HTTP API), give the client a
 * `cursorSecret`: it then signs every cursor with HMAC-SHA-256.
 * @param organizationId - The tenant the cursor is issued for.
 * @param query - The canonical filter and sort of the listing.
 * @param position - The sort key of the last row returned (`null` when the listing is done).
 * @returns An opaque URL-safe string.
 */
export function encodeCursor(organizationId: string, query: CursorQuery, position: CursorPosition): string {
  const payload = base64UrlEncode(
    JSON.stringify({ v: 1, p: position, q: hashString(queryKey(query.filter, query.sort)) }),
  );
  return `${payload}.${hashString(`${organizationId}\u0000${payload}`)}`;
}

/**
 * Decodes a cursor made by {@link encodeCursor}, checking its checksum, organization and query.
 * The position is returned as decoded; {@link readKeysetCursor} also checks it against the sort.
 * @param organizationId - The tenant asking.
 * @param query - The canonical filter and sort of the listing.
 * @param cursor - The cursor the caller passed.
 * @returns The position it encodes (`null` when the listing was done).
 * @throws `invalid_cursor` when it is malformed, altered, or issued for another organization or query.
 */
export function decodeCursor(organizationId: string, query: CursorQuery, cursor: string): unknown {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 16_384) {
    throw new InvalidCursorError('expected a cursor string returned by a previous page');
  }
  const dot = cursor.lastIndexOf('.');
  if (dot <= 0) throw new InvalidCursorError('malformed');
  const payload = cursor.slice(0, dot);
  if (cursor.slice(dot + 1) !== hashString(`${organizationId}\u0000${payload}`)) {
    throw new InvalidCursorError('it was altered or issued for another organization');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(base64UrlDecode(payload));
  } catch {
    throw new InvalidCursorError('malformed');
  }
  const body = parsed as { v?: unknown; p?: unknown; q?: unknown };
  if (typeof body !== 'object' || body === null || body.v !== 1)
    throw new InvalidCursorError('unknown version');
  if (body.q !== hashString(queryKey(query.filter, query.sort))) {
    throw new InvalidCursorError('it was issued for another filter or sort');
  }
  return body.p;
}

/**
 * A fast, synchronous, non-cryptographic 53-bit string hash (cyrb53), rendered in base 36. Used for
 * cursor integrity checks and short stable names (e.g. notification channels); never for secrets.
 * @param text - Any string.
 * @returns A short base-36 string, the same for the same input on every platform.
 */
export function hashString(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** The `(createdAt, id)` after which a keyset page starts. */
export type KeysetKey = readonly [createdAt: number, id: string];

/**
 * Reads a list query's cursor for an adapter: decodes it and checks the position strictly against
 * the sort's key types (see `checkSortPosition`).
 * @param organizationId - The tenant.
 * @param query - The page request.
 * @returns `undefined` for the first page, the position to continue after, or `null` when the
 *   cursor says the listing is done.
 * @throws `invalid_cursor` for a cursor that is malformed, altered, foreign, or holds anything but
 *   a key of the query's sort.
 */
export function readKeysetCursor(organizationId: string, query: ListQuery): SortPosition | undefined | null {
  if (query.cursor === null) return undefined;
  const position = decodeCursor(organizationId, query, query.cursor);
  if (position === null) return null;
  return checkSortPosition(query.sort, position);
}

/**
 * Builds a keyset page: its customers, the cursor after the last one, and whether more follow. An
 * empty page ends the listing.
 * @param organizationId - The tenant.
 * @param query - The page request.
 * @param page - The customers of the page, in order.
 * @param more - Whether customers follow the page.
 * @returns The page result.
 */
export function keysetPage(
  organizationId: string,
  query: ListQuery,
  page: Customer[],
  more: boolean,
): ListResult {
  const last = page[page.length - 1];
  if (!last) return { page: [], continueCursor: encodeCursor(organizationId, query, null), isDone: true };
  return {
    page,
    continueCursor: encodeCursor(organizationId, query, sortPosition(query.sort, last)),
    isDone: !more,
  };
}
