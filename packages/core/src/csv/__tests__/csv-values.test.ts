import { describe, expect, it } from 'vitest';
import { parseCsvDate } from '../csv-dates';
import { cleanCell, neutralizeFormula, splitList } from '../csv-values';

describe('cleanCell', () => {
  it('trims and never converts types', () => {
    expect(cleanCell('  007 ')).toBe('007');
    expect(cleanCell('+44 20 7946 0958')).toBe('+44 20 7946 0958');
    expect(cleanCell('\u00a0Ana\u3000')).toBe('Ana');
  });
  it("strips the spreadsheet text marker ' before digits, formula characters and another '", () => {
    expect(cleanCell("'0044123")).toBe('0044123');
    expect(cleanCell("'+15550100")).toBe('+15550100');
    expect(cleanCell("'=SUM(A1)")).toBe('=SUM(A1)');
    expect(cleanCell("''Twas")).toBe("'Twas");
    expect(cleanCell("'Twas")).toBe("'Twas");
  });
});

describe('splitList', () => {
  it('splits on , ; and |, trims, drops empties and case-insensitive duplicates', () => {
    expect(splitList('glazed, Chocolate ;vegan| |glazed,,CHOCOLATE')).toEqual([
      'glazed',
      'Chocolate',
      'vegan',
    ]);
    expect(splitList('')).toEqual([]);
    expect(splitList(' , ; ')).toEqual([]);
  });
});

describe('neutralizeFormula', () => {
  it('prefixes cells a spreadsheet would run as formulas', () => {
    for (const bad of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      expect(neutralizeFormula(bad)).toBe(`'${bad}`);
    expect(neutralizeFormula('Ana')).toBe('Ana');
    expect(neutralizeFormula("'5")).toBe("''5");
    expect(cleanCell(neutralizeFormula('=HYPERLINK("x")'))).toBe('=HYPERLINK("x")');
  });
});

describe('parseCsvDate', () => {
  it('reads ISO, year-first, unambiguous numeric dates and month names', () => {
    expect(parseCsvDate('1990-03-15')).toEqual({ kind: 'date', value: '1990-03-15', yearless: false });
    expect(parseCsvDate('1990-03-15T00:00:00Z')).toEqual({
      kind: 'date',
      value: '1990-03-15',
      yearless: false,
    });
    expect(parseCsvDate('1990/3/5')).toEqual({ kind: 'date', value: '1990-03-05', yearless: false });
    expect(parseCsvDate('12/25/1990')).toEqual({ kind: 'date', value: '1990-12-25', yearless: false });
    expect(parseCsvDate('25/12/1990')).toEqual({ kind: 'date', value: '1990-12-25', yearless: false });
    expect(parseCsvDate('March 15, 1990')).toEqual({ kind: 'date', value: '1990-03-15', yearless: false });
    expect(parseCsvDate('15 Sept 1990')).toEqual({ kind: 'date', value: '1990-09-15', yearless: false });
  });
  it('refuses to guess an ambiguous numeric date unless an order is given', () => {
    expect(parseCsvDate('03/04/1990')).toEqual({ kind: 'ambiguous' });
    expect(parseCsvDate('03/04/1990', 'MDY')).toEqual({ kind: 'date', value: '1990-03-04', yearless: false });
    expect(parseCsvDate('03/04/1990', 'DMY')).toEqual({ kind: 'date', value: '1990-04-03', yearless: false });
    expect(parseCsvDate('04/04/1990')).toEqual({ kind: 'date', value: '1990-04-04', yearless: false });
  });
  it('keeps year-less birthdays as --MM-DD', () => {
    expect(parseCsvDate('--03-15')).toEqual({ kind: 'date', value: '--03-15', yearless: false });
    expect(parseCsvDate('0000-03-15')).toEqual({ kind: 'date', value: '--03-15', yearless: true });
    expect(parseCsvDate('March 15')).toEqual({ kind: 'date', value: '--03-15', yearless: true });
    expect(parseCsvDate('15 mar')).toEqual({ kind: 'date', value: '--03-15', yearless: true });
    expect(parseCsvDate('12-25')).toEqual({ kind: 'date', value: '--12-25', yearless: true });
    // Month first, as POS and marketing tools export year-less birthdays, unless the order says not.
    expect(parseCsvDate('03-04')).toEqual({ kind: 'date', value: '--03-04', yearless: true });
    expect(parseCsvDate('04/03')).toEqual({ kind: 'date', value: '--04-03', yearless: true });
    expect(parseCsvDate('03-04', 'DMY')).toEqual({ kind: 'date', value: '--04-03', yearless: true });
    expect(parseCsvDate('25/12')).toEqual({ kind: 'date', value: '--12-25', yearless: true });
    expect(parseCsvDate('13/14')).toEqual({ kind: 'unknown' });
    // Dotted dates are usually day first: no default.
    expect(parseCsvDate('03.04')).toEqual({ kind: 'ambiguous' });
    expect(parseCsvDate('03.04', 'DMY')).toEqual({ kind: 'date', value: '--04-03', yearless: true });
  });
  it('leaves unknown formats to the schema', () => {
    expect(parseCsvDate('soon')).toEqual({ kind: 'unknown' });
    expect(parseCsvDate('Marble 5')).toEqual({ kind: 'unknown' });
  });
});
