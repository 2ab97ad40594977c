import { normalizeEmail } from '../model/normalize';
import { sha256 } from './hmac-sha256';

const encoder = new TextEncoder();

/**
 * The hash an erasure tombstone keeps instead of the email: SHA-256 (hex) of a fixed label, the
 * organization id and the normalized email, so the same address hashes differently in each
 * organization. Synchronous and dependency-free, so it runs alike in browsers (secure context or
 * not), workers and Node. A hash of an email is pseudonymous, not anonymous: anyone holding a
 * candidate address can recompute it.
 * @param organizationId - The tenant.
 * @param email - The email, in any case or spacing (normalized with `normalizeEmail`).
 * @returns 64 lower-case hex characters.
 * @example
 * hashErasedEmail('org_1', ' Ana@Example.com ') === hashErasedEmail('org_1', 'ana@example.com'); // true
 */
export function hashErasedEmail(organizationId: string, email: string): string {
  const digest = sha256(
    encoder.encode(`donutauto-erasure-v1\u0000${organizationId}\u0000${normalizeEmail(email)}`),
  );
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
