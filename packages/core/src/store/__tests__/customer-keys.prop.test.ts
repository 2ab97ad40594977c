import {
  birthdayKey,
  compareText,
  customerWords,
  foldText,
  listKeys,
  searchWords,
} from '@donutauto/core/adapter';
import { TRICKY_NAMES } from '@donutauto/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// The keys are computed for every customer written, so they take shortcuts (a memo of folded
// text, a character scan for ASCII words, array dedupe, digit codes); these references are the
// plain definitions the shortcuts must agree with (text-fold.prop.test.ts pins folding itself).

function referenceWords(text: string): string[] {
  return foldText(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('a', 'Z', '0', '9', ' ', '.', '@', '_', '-', 'é', 'ß', '٣'),
    maxLength: 40,
  }),
  fc.constantFrom(...TRICKY_NAMES),
);
const optionalText = fc.option(anyText, { nil: null });

describe('folding and search words', () => {
  it('fold from the memo exactly as on first sight', () => {
    let fresh = 0;
    fc.assert(
      fc.property(anyText, (text) => {
        // A text never folded before (its count makes it new), then the same text again.
        const unseen = `${text}é${fresh++}`;
        const first = foldText(unseen);
        expect(foldText(` ${unseen}`.slice(1))).toBe(first);
        expect(first).toBe(`${foldText(text)}e${fresh - 1}`);
      }),
      { numRuns: 2_000 },
    );
    // More distinct texts than the memo holds: it starts over and still answers right.
    for (let i = 0; i < 10_000; i++) expect(foldText(`Zoë ${i}`)).toBe(`zoe ${i}`);
  });

  it('split words as the Unicode pattern does (ASCII text included)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(searchWords(text)).toEqual(referenceWords(text));
      }),
      { numRuns: 2_000 },
    );
    expect(searchWords('  ana.LI@Example.com ')).toEqual(['ana', 'li', 'example', 'com']);
  });
});

describe('customerWords', () => {
  it('lists the distinct words of the search fields in order, then the phone digits', () => {
    const customer = fc.record({
      firstName: anyText,
      lastName: anyText,
      email: anyText,
      phone: optionalText,
      instagramHandle: optionalText,
      tiktokHandle: optionalText,
      twitterHandle: optionalText,
    });
    fc.assert(
      fc.property(customer, (c) => {
        const words = new Set<string>();
        for (const text of [
          c.firstName,
          c.lastName,
          c.email,
          c.instagramHandle,
          c.tiktokHandle,
          c.twitterHandle,
        ])
          if (text) for (const word of referenceWords(text)) words.add(word);
        const digits = c.phone === null ? '' : c.phone.replace(/\D/g, '');
        if (digits !== '') words.add(digits);
        expect(customerWords(c)).toEqual([...words]);
      }),
      { numRuns: 1_000 },
    );
    // Past 32 distinct words, and repeats after that.
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const words = customerWords({
      firstName: many,
      lastName: `${many} extra`,
      email: 'w1@w2.w39',
      phone: null,
      instagramHandle: null,
      tiktokHandle: null,
      twitterHandle: null,
    });
    expect(words).toEqual([...Array.from({ length: 40 }, (_, i) => `w${i}`), 'extra']);
  });
});

describe('listKeys', () => {
  it('folds, trims, dedupes and sorts entries in code point order, short lists and long', () => {
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 24 }), (values) => {
        const keys = new Set(values.map((v) => foldText(v.trim())).filter((k) => k !== ''));
        expect(listKeys(values)).toEqual([...keys].sort(compareText));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('birthdayKey', () => {
  it('reads month and day as Number reads the last five characters', () => {
    const reference = (dob: string | null) => {
      if (dob === null || dob.length < 5) return null;
      const key = Number(dob.slice(-5, -3)) * 100 + Number(dob.slice(-2));
      return Number.isInteger(key) ? key : null;
    };
    const dobText = fc.oneof(
      fc.string({ unit: fc.constantFrom('0', '1', '2', '9', '-', ' ', '+', '.', 'e', 'x'), maxLength: 12 }),
      fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
      anyText,
    );
    fc.assert(
      fc.property(fc.option(dobText, { nil: null }), (dob) => {
        expect(birthdayKey(dob)).toBe(reference(dob));
      }),
      { numRuns: 2_000 },
    );
    expect(birthdayKey('--02-29')).toBe(229);
    expect(birthdayKey('1990-12-31')).toBe(1231);
  });
});
