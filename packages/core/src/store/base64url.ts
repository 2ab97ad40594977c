/**
 * Encodes text as unpadded base64url (UTF-8 first), for opaque cursors.
 * @param text - Any string.
 * @returns `[A-Za-z0-9_-]*`.
 */
export function base64UrlEncode(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Decodes what {@link base64UrlEncode} made.
 * @param text - Unpadded base64url.
 * @returns The text.
 * @throws A plain `Error` for anything that is not base64url of valid UTF-8.
 */
export function base64UrlDecode(text: string): string {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}
