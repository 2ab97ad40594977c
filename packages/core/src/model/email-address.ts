/**
 * One character of a local part's atom: zod's ASCII set (letters, digits, `_ ' + -`), or a letter or
 * digit of any script (RFC 6531). A combining mark may follow any of them, but never starts an atom.
 */
const ATOM = String.raw`[A-Za-z0-9_'+\-\p{L}\p{Nd}][A-Za-z0-9_'+\-\p{L}\p{Nd}\p{M}]*`;
/** A domain label: a letter or digit of any script, then letters, digits, marks or `-` (as zod's). */
const LABEL = String.raw`[\p{L}\p{Nd}][\p{L}\p{Nd}\p{M}-]*`;
/** A top-level domain: two or more letters of any script, or an ASCII (punycode) `xn--` label. */
const TLD = String.raw`(?:\p{L}[\p{L}\p{M}]+|xn--[A-Za-z0-9-]+)`;

/**
 * The email rule: dot-separated atoms not ending in `'`, `@`, dot-terminated labels, a TLD. On ASCII
 * text it accepts exactly what zod's `z.email()` accepts (property-tested); beyond ASCII it accepts
 * internationalized addresses (`zoë@bäckerei.de`, `用户@例子.广告`). Quoted local parts, IP-literal
 * domains, spaces and symbols (emoji) are refused.
 */
const EMAIL = /* @__PURE__ */ new RegExp(`^${ATOM}(?:\\.${ATOM})*(?<!')@(?:${LABEL}\\.)+${TLD}$`, 'u');

/**
 * Tells whether trimmed, NFC-normalized text is an email address the SDK accepts.
 * @param email - The address, trimmed and NFC-normalized.
 * @returns `true` for an address.
 */
export function isEmailAddress(email: string): boolean {
  return EMAIL.test(email);
}
