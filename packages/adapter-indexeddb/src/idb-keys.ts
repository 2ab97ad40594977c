/**
 * IndexedDB compares strings by UTF-16 code unit, which sorts U+E000–U+FFFF after the astral
 * planes; core's reference (and PostgreSQL's `COLLATE "C"`) sorts by code point. This encoding
 * makes the two agree: astral characters become U+FFFF followed by their surrogate pair, and U+FFFF
 * itself becomes U+FFFF U+0000, so code-unit order of encoded strings is code-point order of the
 * originals (the encoding is order-preserving character by character and prefix-free).
 * @param text - A folded name key.
 * @returns The key to store in a name index.
 */
export function codePointKey(text: string): string {
  if (!HIGH_UNIT.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0xd800 || (unit >= 0xe000 && unit < 0xffff)) out += text[i];
    else if (unit === 0xffff) out += '\uffff\u0000';
    else if (unit < 0xdc00 && i + 1 < text.length) {
      out += `\uffff${text[i]}${text[i + 1]}`;
      i++;
    } else out += `\uffff${text[i]}`;
  }
  return out;
}

const HIGH_UNIT = /[\ud800-\udfff\uffff]/;
