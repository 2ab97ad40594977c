/**
 * NUL, or a surrogate that is not half of a pair. Under the `u` flag a well-formed pair is one
 * astral code point, so `\p{Cs}` (category Surrogate) matches only lone halves.
 */
const UNSTORABLE = /[\0\p{Cs}]/u;

/**
 * Finds the first character no backend stores faithfully: U+0000 (PostgreSQL refuses it in `text`
 * and `jsonb`, failing a whole batch) or a lone surrogate (not valid Unicode: PostgreSQL's UTF-8
 * turns it into U+FFFD, IndexedDB keeps it). The customer schema refuses both with
 * `invalid_character`, so every adapter stores exactly what it is given.
 * @param text - Any text.
 * @returns The index of the first such character, or `-1` when the text is storable.
 */
export function unstorableIndex(text: string): number {
  const match = UNSTORABLE.exec(text);
  return match === null ? -1 : match.index;
}

/**
 * Names the unstorable character at `index` for an issue message.
 * @param text - The text.
 * @param index - What {@link unstorableIndex} returned.
 * @returns E.g. `U+0000 (NUL) at character 5`.
 */
export function describeUnstorable(text: string, index: number): string {
  const code = text.charCodeAt(index);
  const hex = code.toString(16).toUpperCase().padStart(4, '0');
  return `${code === 0 ? 'U+0000 (NUL)' : `a lone surrogate U+${hex}`} at character ${index + 1}`;
}
