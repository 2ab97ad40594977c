import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitList } from '../csv-values';

// The rule splitList implements, written plainly: split on , ; |, trim, drop empty entries and
// entries equal up to `toLowerCase` to an earlier one (the first spelling wins).
function reference(cell: string): string[] {
  const out: string[] = [];
  const keys: string[] = [];
  for (const part of cell.split(/[,;|]/)) {
    const value = part.trim();
    if (value === '' || keys.includes(value.toLowerCase())) continue;
    keys.push(value.toLowerCase());
    out.push(value);
  }
  return out;
}

describe('splitList (properties)', () => {
  it('splits, trims and dedupes exactly as the plain rule', () => {
    const piece = fc.oneof(
      fc.constantFrom(
        ',',
        ';',
        '|',
        ' ',
        '\t',
        '\u00a0',
        '\u3000',
        'Glazed',
        'glazed',
        'GLAZED',
        'vegan',
        'İ',
        'i̇',
        'ΑΣ',
        'ας',
        'Straße',
        'STRASSE',
        'é',
        'É',
      ),
      fc.string({ maxLength: 4 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const cell = pieces.join('');
        expect(splitList(cell)).toEqual(reference(cell));
      }),
      { numRuns: 2000 },
    );
  });
});
