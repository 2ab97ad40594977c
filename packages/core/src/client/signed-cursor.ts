import { InvalidArgumentError, InvalidCursorError } from '../errors/customer-error';
import { hmacSha256 } from './hmac-sha256';

/** Shortest accepted `cursorSecret`, in bytes. */
export const MIN_CURSOR_SECRET_BYTES = 16;

/** Signs the cursors a client hands out and checks the ones it gets back. */
export interface CursorSigner {
  /** Adds the signature to an adapter's cursor. */
  sign(cursor: string): string;
  /**
   * Checks a signed cursor and returns the adapter's cursor inside it.
   * @throws `invalid_cursor` when the signature is missing or wrong.
   */
  open(cursor: unknown): string;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Creates the signer of a client with a `cursorSecret`: every cursor gets an HMAC-SHA-256 tag over
 * the organization and the adapter's cursor, so a cursor can be neither forged nor moved to another
 * organization without the secret.
 * @param secret - The secret: text or bytes, at least 16 bytes (32 random bytes recommended).
 * @param organizationId - The client's organization.
 * @returns The signer.
 * @throws `invalid_argument` (`cursorSecret`) for a secret that is too short or not text or bytes.
 */
export function createCursorSigner(secret: string | Uint8Array, organizationId: string): CursorSigner {
  const key = typeof secret === 'string' ? encoder.encode(secret) : secret;
  if (!(key instanceof Uint8Array) || key.length < MIN_CURSOR_SECRET_BYTES) {
    throw new InvalidArgumentError(
      'cursorSecret',
      `expected text or bytes of at least ${MIN_CURSOR_SECRET_BYTES} bytes (32 random bytes recommended)`,
    );
  }
  const keyCopy = key.slice();
  const tag = (cursor: string) =>
    base64Url(hmacSha256(keyCopy, encoder.encode(`${organizationId}\u0000${cursor}`)));
  return {
    sign: (cursor) => `${cursor}~${tag(cursor)}`,
    open(cursor) {
      if (typeof cursor !== 'string')
        throw new InvalidCursorError('expected a cursor string returned by a previous page');
      const at = cursor.lastIndexOf('~');
      if (at <= 0) throw new InvalidCursorError('it is not signed');
      const inner = cursor.slice(0, at);
      if (!sameText(cursor.slice(at + 1), tag(inner))) {
        throw new InvalidCursorError('its signature does not match (altered, or issued elsewhere)');
      }
      return inner;
    },
  };
}

/** Compares two strings in time independent of where they differ. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
