/**
 * Turns a word or phrase into a hashtag.
 * @param text - E.g. a preference or a brand name.
 * @returns E.g. `gluten-free` → `#GlutenFree`; `undefined` when nothing is left of it.
 */
export function hashtag(text: string): string | undefined {
  const words = text
    .replace(/^#/, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '');
  if (words.length === 0) return undefined;
  const tag = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return `#${Array.from(tag).slice(0, 40).join('')}`;
}
