import { compareText, foldText, searchWords } from '@donutauto/core/adapter';
import { TRICKY_NAMES } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom(...TRICKY_NAMES),
);

describe('foldText', () => {
  it('folds case, accents, compatibility forms and letters NFKD keeps', () => {
    expect(foldText('José Müller')).toBe('jose muller');
    expect(foldText('ΣΟΦΟΣ')).toBe(foldText('σοφος'));
    expect(foldText('ΣΟΦΟΣ')).toBe('σοφοσ');
    expect(foldText('İlkay')).toBe('ilkay');
    expect(foldText('Straße')).toBe('strasse');
    expect(foldText('ẞ')).toBe('ss');
    expect(foldText('ﬁona Ａｎａ ²')).toBe('fiona ana 2');
    expect(foldText('Øyvind Łukasz Ærøe Þór')).toBe('oyvind lukasz aeroe thor');
    expect(foldText('Jose\u0301')).toBe('jose');
    expect(foldText('ǅemal')).toBe('dzemal');
  });

  it('is idempotent, and printable ASCII folds to its lower case', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const folded = foldText(text);
        expect(foldText(folded)).toBe(folded);
        expect(searchWords(folded)).toEqual(searchWords(text));
      }),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary-ascii' }).filter((s) => /^[ -~]*$/.test(s)),
        (text) => {
          expect(foldText(text)).toBe(text.toLowerCase());
        },
      ),
    );
  });
});

describe('searchWords', () => {
  it('splits folded text at every character that is not a letter or a digit', () => {
    expect(searchWords("O'Neil-Ng  ana.li@Example.com @donut_fan 555")).toEqual([
      'o',
      'neil',
      'ng',
      'ana',
      'li',
      'example',
      'com',
      'donut',
      'fan',
      '555',
    ]);
    expect(searchWords(' 🍩 - ')).toEqual([]);
    fc.assert(
      fc.property(anyText, (text) => {
        for (const word of searchWords(text)) expect(word).toMatch(/^[\p{L}\p{N}]+$/u);
      }),
    );
  });
});

describe('compareText', () => {
  it('orders by Unicode code point, as PostgreSQL COLLATE "C" does', () => {
    const codePoints = (s: string) => Array.from(s, (c) => c.codePointAt(0)!);
    const reference = (a: string, b: string) => {
      const [x, y] = [codePoints(a), codePoints(b)];
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
      return x.length - y.length;
    };
    expect(compareText('\uE000', '𐐀')).toBeLessThan(0); // UTF-16 order says the opposite
    expect('\uE000' < '𐐀').toBe(false);
    fc.assert(
      fc.property(anyText, anyText, (a, b) => {
        expect(Math.sign(compareText(a, b))).toBe(Math.sign(reference(a, b)));
      }),
      { numRuns: 2_000 },
    );
  });
});
