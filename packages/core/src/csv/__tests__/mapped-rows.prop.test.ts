import { type CsvRow, planImport, streamCustomerCsv } from '@donutauto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvDate } from '../csv-dates';

// Rows read from a CSV are plain data: a structured clone of them (what crossing a worker or a
// queue does) plans exactly as the rows themselves, strict or not.
const HEADER = [
  'First Name',
  'Last Name',
  'E-mail',
  'Phone',
  'DOB',
  'Preferences',
  'Instagram',
  'TikTok',
  'Twitter',
  'Gender',
  'Location',
  'Notes',
  'Tags',
  'custom.tier',
];
const text = (pool: readonly string[]) =>
  fc.oneof(fc.constantFrom(...pool), fc.string({ maxLength: 12 }), fc.constant(''));
const cellArbitraries = [
  text(['Ana', ' Bo ', "O'Neil", '=cmd', 'x'.repeat(101), 'Zoë']),
  text(['Li', '', '  ', 'Müller']),
  text([
    'ana@example.com',
    'ANA@Example.com',
    ' bo@example.com ',
    'nope',
    'a..b@example.com',
    "x'@y.io",
    'é@x.io',
  ]),
  text(['+15550100', "'0044 20 7946", '(555) 010-0199', '12', '+1 555']),
  text([
    '1990-02-28',
    '1990-02-30',
    '0999-01-01',
    '0000-03-15',
    '--02-29',
    '--13-01',
    '03/04/1990',
    'March 15',
    '2999-01-01',
  ]),
  text(['glazed, vegan', 'Glazed; glazed | vegan', 'a,b,c,d', ' , ;', 'x'.repeat(51)]),
  text(['@ana', 'ana.bakes', 'https://instagram.com/ana', '@', 'a b']),
  text(['@bo', 'bo_1']),
  text(['tw_1', '@@x']),
  text(['f', 'x'.repeat(201)]),
  text(['Downtown']),
  text(['Allergic to nuts, prefers oat milk']),
  text(['vip', 'VIP, vip, staff', '|']),
  text(['gold', '12']),
];
const quote = (cell: string) => `"${cell.replaceAll('"', '""')}"`;

async function rowsOf(csv: string): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const batch of streamCustomerCsv(csv, { tooManyPreferences: 'keepFirst' })) rows.push(...batch);
  return rows;
}

describe('CSV rows through the planner (properties)', () => {
  it('plans cloned rows exactly as the rows themselves', async () => {
    const kinds = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(...cellArbitraries), { minLength: 1, maxLength: 25 }),
        async (lines) => {
          const csv = [HEADER.join(','), ...lines.map((cells) => cells.map(quote).join(','))].join('\n');
          const rows = await rowsOf(csv);
          // An extra check (as custom field definitions add) refusing some valid rows.
          const check = (data: { firstName: string }) =>
            data.firstName.startsWith('A')
              ? [{ path: ['firstName'], code: 'invalid_value' as const, message: 'no A' }]
              : [];
          for (const strict of [false, true]) {
            const read = planImport({ rows, seenEmails: new Map(), existing: [], check, strict });
            const cloned = planImport({
              rows: structuredClone(rows),
              seenEmails: new Map(),
              existing: [],
              check,
              strict,
            });
            expect(cloned).toEqual(read);
            for (const action of read.actions) kinds.add(action.kind);
          }
        },
      ),
      {
        numRuns: 150,
        // A valid row and an invalid one: both outcomes are exercised whatever the random draws.
        examples: [
          [
            [
              [
                'Bo',
                'Li',
                'bo@example.com',
                '+15550100',
                '1990-02-28',
                'glazed, vegan',
                '@bo',
                '',
                '',
                '',
                '',
                '',
                'vip',
                'gold',
              ],
              ['', 'Li', 'nope', '12', '1990-02-30', 'a,b,c,d', 'a b', '', '', '', '', '', '', ''],
            ],
          ],
        ],
      },
    );
    // Both outcomes were exercised.
    expect([...kinds].sort()).toEqual(expect.arrayContaining(['error', 'insert']));
  });
});

describe('parseCsvDate fast path (properties)', () => {
  // What the date regexes give for the two shapes the fast path answers without them.
  const reference = (value: string) => {
    if (/^--\d{2}-\d{2}$/.test(value)) return { kind: 'date', value, yearless: false };
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!iso) return undefined;
    const [year, month, day] = [Number(iso[1]), iso[2], iso[3]];
    return year === 0
      ? { kind: 'date', value: `--${month}-${day}`, yearless: true }
      : { kind: 'date', value: `${year}-${month}-${day}`, yearless: false };
  };
  it('reads ISO and year-less ISO cells as the regexes do', () => {
    const digit = fc.constantFrom(...'0123456789'.split(''));
    const digits = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.tuple(digits(4), digits(2), digits(2)).map(([y, m, d]) => `${y}-${m}-${d}`),
          fc.tuple(digits(2), digits(2)).map(([m, d]) => `--${m}-${d}`),
        ),
        (value) => {
          expect(parseCsvDate(value)).toEqual(reference(value));
        },
      ),
    );
  });
});
