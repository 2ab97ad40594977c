/**
 * The one definition of how text is compared by search, list filters and name sorts. Every adapter
 * uses these functions (or values the SDK computed with them and stored), so no database ever folds
 * text its own way: PostgreSQL's `lower()` and JavaScript's `toLowerCase()` disagree on some letters
 * (final sigma, dotted capital I), and a search must mean the same on every store.
 */

import { unstorableIndex } from '../model/storable-text';

/** Letters that compatibility decomposition leaves alone but a reader treats as plain Latin letters. */
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  // Final sigma is a spelling of σ (JavaScript lower-cases a word-final Σ to ς).
  ς: 'σ',
};
const LETTER_FOLD = /* @__PURE__ */ new RegExp(`[${Object.keys(LETTER_FOLDS).join('')}]`, 'gu');
const COMBINING_MARK = /\p{M}/gu;
/** What separates words: anything but a letter or a digit. */
const NON_WORD = /[^\p{L}\p{N}]+/u;
/** Printable ASCII: folding it is lower-casing it (NFKD and mark removal change nothing). */
const PRINTABLE_ASCII = /^[ -~]*$/;

/**
 * Folds text for comparison: compatibility decomposition (NFKD: `ﬁ` → `fi`, full-width → ASCII),
 * lower case (JavaScript's, locale-independent), a few letters mapped to their plain spelling
 * (`ß` → `ss`, `ø` → `o`, `ł` → `l`, `ς` → `σ`, …), decomposed again, and every combining mark
 * removed (`é` → `e`). Folding folded text changes nothing.
 * @param text - Any string.
 * @returns The folded string.
 * @example
 * foldText('José Müller') // 'jose muller'
 * foldText('STRASSE') === foldText('Straße') // true
 */
export function foldText(text: string): string {
  if (PRINTABLE_ASCII.test(text)) return text.toLowerCase();
  const known = FOLDED.get(text);
  if (known !== undefined) return known;
  const folded = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(LETTER_FOLD, (letter) => LETTER_FOLDS[letter] ?? letter)
    .normalize('NFKD')
    .replace(COMBINING_MARK, '');
  if (text.length <= FOLDED_KEY_LENGTH) {
    if (FOLDED.size >= FOLDED_SIZE) FOLDED.clear();
    // The key is a copy: the text may be a slice of a much larger string it would keep alive.
    FOLDED.set(` ${text}`.slice(1), folded);
  }
  return folded;
}

/**
 * Recent non-ASCII texts folded: names and list entries repeat (an import folds each twice, for a
 * sort key and for the search words), and NFKD twice is ten times the cost of a lookup.
 */
const FOLDED = /* @__PURE__ */ new Map<string, string>();
const FOLDED_SIZE = 4096;
const FOLDED_KEY_LENGTH = 64;

/**
 * The words of a text as search compares them: the folded text split at every character that is
 * neither a letter nor a digit, without empty words.
 * @param text - Any string.
 * @returns The folded words, in order (repeats kept).
 * @example
 * searchWords("O'Neil-Ng") // ['o', 'neil', 'ng']
 */
export function searchWords(text: string): string[] {
  const folded = foldText(text);
  if (PRINTABLE_ASCII.test(folded)) return asciiWords(folded);
  return folded.split(NON_WORD).filter((word) => word !== '');
}

/**
 * The runs of `a`–`z` and `0`–`9` in printable ASCII text: its words, since folded printable ASCII
 * holds no other letter or digit (a scan, not a regex split: search words are made for every
 * customer written).
 */
function asciiWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const inWord = (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
    if (inWord) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      words.push(text.slice(start, i));
      start = -1;
    }
  }
  if (start >= 0) words.push(start === 0 ? text : text.slice(start));
  return words;
}

/**
 * Compares strings by Unicode code point, the order PostgreSQL's `COLLATE "C"` gives UTF-8 text.
 * (JavaScript's `<` compares UTF-16 code units, which puts U+E000–U+FFFF after the astral planes.)
 * @param a - A string.
 * @param b - Another string.
 * @returns Negative, zero or positive, like any comparator.
 */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Below the surrogates both orders agree; above, surrogates (astral code points) sort last.
    if (x >= 0xd800 && y >= 0xd800) return codePointRank(x) - codePointRank(y);
    return x - y;
  }
  return a.length - b.length;
}

/** A code unit ≥ U+D800 ranked in code point order: U+E000–U+FFFF first, then surrogates. */
function codePointRank(unit: number): number {
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/**
 * Tells whether a string is well-formed UTF-16 (no lone surrogate) and free of NUL, i.e. whether
 * every store can hold it exactly (PostgreSQL refuses NUL; UTF-8 cannot encode a lone surrogate).
 * @param text - Any string.
 * @returns `true` when every adapter can store and compare it.
 */
export function isStorableText(text: string): boolean {
  return unstorableIndex(text) === -1;
}
