import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { CSV_TEMPLATE_EXAMPLES, csvTemplate, parseCustomerCsv, streamCustomerCsv } from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const HEADER = 'firstName,lastName,email,phone,dob,preferences';

describe('parseCustomerCsv', () => {
  it('reads the template back into exactly its example customers', async () => {
    const result = await parseCustomerCsv(csvTemplate());
    expect(result.customers).toEqual(CSV_TEMPLATE_EXAMPLES);
    expect(result.issues).toEqual([]);
    expect(result.rows).toEqual([2, 3]);
  });

  it('strips a BOM and handles CRLF, LF and CR line endings', async () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      const text = `\uFEFF${HEADER}${eol}Ana,Li,ana@example.com,,,${eol}Bo,Ng,bo@example.com,,,${eol}`;
      const result = await parseCustomerCsv(text);
      expect(result.mapping.columns[0]?.column).toBe('firstName');
      expect(result.customers.map((c) => c.email)).toEqual(['ana@example.com', 'bo@example.com']);
      expect(result.issues).toEqual([]);
    }
  });

  it('reads quoted fields with delimiters, quotes and newlines, numbering rows as a spreadsheet does', async () => {
    const text = `${HEADER},notes\n"Ana","Li ""Jr""",ana@example.com,,,"glazed, vegan","line one\nline two"\nBo,Ng,not-an-email,,,,\n`;
    const result = await parseCustomerCsv(text);
    expect(result.customers[0]).toMatchObject({
      lastName: 'Li "Jr"',
      preferences: ['glazed', 'vegan'],
      notes: 'line one\nline two',
    });
    expect(result.issues).toEqual([
      expect.objectContaining({
        row: 3,
        column: 'email',
        field: 'email',
        value: 'not-an-email',
        level: 'error',
      }),
    ]);
  });

  it('detects ; and tab delimiters', async () => {
    for (const d of [';', '\t']) {
      const text =
        ['firstName', 'lastName', 'email', 'preferences'].join(d) +
        `\nAna${d}Li${d}ana@example.com${d}"a, b"\n`;
      const result = await parseCustomerCsv(text);
      expect(result.mapping.delimiter).toBe(d);
      expect(result.customers[0]).toMatchObject({ email: 'ana@example.com', preferences: ['a', 'b'] });
    }
  });

  it('skips blank lines (still counting them) and ignores trailing delimiters', async () => {
    const text = `${HEADER},,\n\nAna,Li,ana@example.com,,,,,\n ,,,,,,,\nBo,Ng,bo@example.com,,,,,\n\n`;
    const result = await parseCustomerCsv(text);
    expect(result.rows).toEqual([3, 5]);
    expect(result.rowCount).toBe(2);
    expect(result.issues).toEqual([]);
  });

  it('warns about data under an empty header instead of dropping it silently', async () => {
    const text = 'firstName,,lastName,email,\nAna,loose,Li,ana@example.com,\nBo,,Ng,bo@example.com,\n';
    const result = await parseCustomerCsv(text);
    expect(result.customers.map((c) => c.firstName)).toEqual(['Ana', 'Bo']);
    expect(result.issues).toEqual([
      {
        row: 2,
        code: 'unnamed_column',
        message: 'Cell in column 2, which has no header, was not imported',
        value: 'loose',
        level: 'warning',
      },
    ]);
  });

  it('reads too-short rows as empty cells and reports dropped extra cells', async () => {
    const text = `${HEADER}\nAna,Li,ana@example.com\nBo,Ng,bo@example.com,,,,surprise\n`;
    const result = await parseCustomerCsv(text);
    expect(result.customers).toHaveLength(2);
    expect(result.issues.map((i) => [i.row, i.code, i.level])).toEqual([
      [2, 'too_few_cells', 'warning'],
      [3, 'too_many_cells', 'warning'],
    ]);
  });

  it('refuses cells over the cell limit and rows over the row limit without crashing', async () => {
    const long = 'x'.repeat(300);
    const text = `${HEADER},notes\nAna,Li,ana@example.com,,,,${long}\n`;
    const cellResult = await parseCustomerCsv(text, { maxCellLength: 100, strict: true });
    expect(cellResult.issues).toEqual([
      expect.objectContaining({ row: 2, column: 'notes', code: 'cell_too_long', level: 'error' }),
    ]);
    expect(cellResult.customers).toEqual([]);
    // Not strict: the over-long notes are left out with a warning and the customer is kept.
    const kept = await parseCustomerCsv(text, { maxCellLength: 100 });
    expect(kept.issues).toEqual([
      expect.objectContaining({ row: 2, column: 'notes', code: 'cell_too_long', level: 'warning' }),
    ]);
    expect(kept.customers).toEqual([expect.objectContaining({ email: 'ana@example.com', notes: null })]);
    // An over-long name refuses the row either way.
    const name = await parseCustomerCsv(`${HEADER}\n${long},Li,ana@example.com,,,\n`, { maxCellLength: 100 });
    expect(name.issues.map((i) => [i.code, i.level])).toEqual([['cell_too_long', 'error']]);
    const unclosed = `${HEADER}\nAna,"Li,ana@example.com\n${'y'.repeat(200_000)}\n`;
    const rowResult = await parseCustomerCsv(unclosed, { maxRowLength: 1000 });
    expect(rowResult.issues).toEqual([
      expect.objectContaining({
        row: 2,
        code: 'unclosed_quote',
        level: 'error',
        lines: { first: 2, last: 3 },
      }),
    ]);
  });

  it('measures a row by its cells, not its quoting, wherever read chunks end', async () => {
    // 600 quotes in the notes: 1,200 characters of quoting, 600 of content, under a limit of 1,000.
    const quoted = `Ana,Li,ana@example.com,"${'""'.repeat(600)}",`;
    const rows = Array.from({ length: 3000 }, (_, i) => `A,B,c${i}@example.com,n,`);
    const text = `firstName,lastName,email,notes,tags\n${rows.join('\n')}\n${quoted}\n`;
    const cut = text.indexOf('Ana,Li') + 1100;
    for (const source of [text, [text.slice(0, cut), text.slice(cut)]]) {
      const result = await parseCustomerCsv(source, { maxRowLength: 1000 });
      expect(result.issues).toEqual([]);
      expect(result.customers.at(-1)?.notes).toBe('"'.repeat(600));
    }
  });

  it('drops a finished row longer than maxRowLength, wherever it is in the file', async () => {
    const long = `Ana,Li,long@example.com,"${'q'.repeat(3000)}",${'r'.repeat(3000)}`;
    const small = `firstName,lastName,email,notes,tags\n${long}\nBo,Ng,bo@example.com,ok,\n`;
    const alone = await parseCustomerCsv(small, { maxRowLength: 5000 });
    expect(alone.issues.map((i) => [i.row, i.code, i.level])).toEqual([[2, 'row_too_long', 'error']]);
    expect(alone.customers.map((c) => c.email)).toEqual(['bo@example.com']);
    // Within the limit it is read as usual (and its over-long tag is then the row's issue).
    const within = await parseCustomerCsv(small, { maxRowLength: 7000 });
    expect(within.issues.map((i) => [i.row, i.field, i.code])).toEqual([[2, 'tags', 'too_big']]);
    // In the middle of a larger file (several 64 KiB chunks), read as a stream of small pieces too.
    const rows = Array.from({ length: 2000 }, (_, i) => `A,B,c${i}@example.com,n,`);
    rows.splice(1000, 0, long);
    const big = `firstName,lastName,email,notes,tags\n${rows.join('\n')}\n`;
    for (const source of [
      big,
      (async function* () {
        for (let i = 0; i < big.length; i += 4096) yield big.slice(i, i + 4096);
      })(),
    ]) {
      const result = await parseCustomerCsv(source, { maxRowLength: 5000 });
      expect(result.issues.map((i) => [i.row, i.code])).toEqual([[1002, 'row_too_long']]);
      expect(result.customers).toHaveLength(2000);
    }
  });

  it('keeps values as text: leading zeros, +, formula-like names; strips the spreadsheet apostrophe', async () => {
    const text = `${HEADER},custom.code\n=cmd,Li,ana@example.com,'0044 20 7946 0958,,,'00123\n`;
    const result = await parseCustomerCsv(text);
    expect(result.customers[0]).toMatchObject({
      firstName: '=cmd',
      phone: '00442079460958',
      customFields: { code: '00123' },
    });
  });

  it('splits preferences and tags; more than 3 preferences is an error unless keepFirst', async () => {
    const text = `firstName,lastName,email,preferences,tags\nAna,Li,ana@example.com,"a; b | c, d",x|y|z|w|v\n`;
    const refused = await parseCustomerCsv(text, { strict: true });
    expect(refused.customers).toEqual([]);
    expect(refused.issues).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'preferences',
        code: 'too_many_preferences',
        level: 'error',
      }),
    ]);
    const kept = await parseCustomerCsv(text, { tooManyPreferences: 'keepFirst' });
    expect(kept.customers[0]).toMatchObject({
      preferences: ['a', 'b', 'c'],
      tags: ['x', 'y', 'z', 'w', 'v'],
    });
    expect(kept.issues).toEqual([
      expect.objectContaining({ code: 'preferences_truncated', level: 'warning' }),
    ]);
    // Not strict: the preferences are left out with a warning, the customer and its tags kept.
    const left = await parseCustomerCsv(text);
    expect(left.customers).toEqual([
      expect.objectContaining({ preferences: [], tags: ['x', 'y', 'z', 'w', 'v'] }),
    ]);
    expect(left.issues).toEqual([
      expect.objectContaining({
        row: 2,
        column: 'preferences',
        code: 'too_many_preferences',
        level: 'warning',
      }),
    ]);
  });

  it('gives every row its own lists when list cells repeat, and reads 600 distinct cells alike', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => {
      const cell = i < 600 ? '"glazed, Vegan"' : `"p${i % 600}, q${i % 7}"`;
      return `F,L,u${i}@example.com,${cell},${i % 2 ? 'vip' : 'vip|staff'}`;
    });
    const text = `firstName,lastName,email,preferences,tags\n${rows.join('\n')}\n`;
    const { customers } = await parseCustomerCsv(text);
    expect(customers).toHaveLength(1200);
    for (const customer of customers.slice(0, 6)) {
      customer.preferences.push('mutated');
      customer.tags.push('mutated');
    }
    for (const customer of customers.slice(6, 600)) expect(customer.preferences).toEqual(['glazed', 'Vegan']);
    expect(customers[7]!.tags).toEqual(['vip']);
    expect(customers[8]!.tags).toEqual(['vip', 'staff']);
    for (let i = 600; i < 1200; i++) {
      expect(customers[i]!.preferences).toEqual([`p${i % 600}`, `q${i % 7}`]);
    }
  });

  it('reads dates; ambiguous ones need the dateOrder option; year-less birthdays warn', async () => {
    const text = `firstName,lastName,email,Birthday\nAna,Li,a@example.com,03/04/1990\nBo,Ng,b@example.com,March 15\nCy,Wu,c@example.com,31/12/1999\n`;
    const plain = await parseCustomerCsv(text, { strict: true });
    expect(plain.issues.map((i) => [i.row, i.code, i.level])).toEqual([
      [2, 'ambiguous_date', 'error'],
      [3, 'yearless_birthday', 'warning'],
    ]);
    expect(plain.customers.map((c) => c.dob)).toEqual(['--03-15', '1999-12-31']);
    // Not strict: the ambiguous date is left out with a warning and Ana is kept.
    const loose = await parseCustomerCsv(text);
    expect(loose.issues.map((i) => [i.row, i.code, i.level])).toEqual([
      [2, 'ambiguous_date', 'warning'],
      [3, 'yearless_birthday', 'warning'],
    ]);
    expect(loose.customers.map((c) => c.dob)).toEqual([null, '--03-15', '1999-12-31']);
    const dmy = await parseCustomerCsv(text, { dateOrder: 'DMY' });
    expect(dmy.customers.map((c) => c.dob)).toEqual(['1990-04-03', '--03-15', '1999-12-31']);
  });

  it('shows a converted date that the schema refuses as the file wrote it', async () => {
    const text = `firstName,lastName,email,Birthday\nAna,Li,a@example.com,02/30/1990\nBo,Ng,b@example.com,1990-02-30\n`;
    const result = await parseCustomerCsv(text, { dateOrder: 'MDY' });
    expect(result.issues.map((i) => [i.row, i.column, i.code, i.value])).toEqual([
      [2, 'Birthday', 'invalid_date', '02/30/1990'],
      [3, 'Birthday', 'invalid_date', '1990-02-30'],
    ]);
  });

  it('splits a Full Name column and maps custom fields by definition type', async () => {
    const text = `Full Name,Email,custom.visits,custom.vegan\nAna Maria Li,a@example.com,3,yes\n"Ng, Bo",b@example.com,x,no\n`;
    const result = await parseCustomerCsv(text, {
      customFieldDefinitions: [
        { key: 'visits', type: 'number' },
        { key: 'vegan', type: 'boolean' },
      ],
    });
    expect(result.customers[0]).toMatchObject({
      firstName: 'Ana Maria',
      lastName: 'Li',
      customFields: { visits: 3, vegan: true },
    });
    expect(result.customers[1]).toMatchObject({
      firstName: 'Bo',
      lastName: 'Ng',
      customFields: { visits: 'x', vegan: false },
    });
  });

  it('skips later rows repeating an email, naming the first row', async () => {
    const text = `${HEADER}\nAna,Li,ana@example.com,,,\nAnn,Li, ANA@example.COM ,,,\n`;
    const result = await parseCustomerCsv(text);
    expect(result.duplicateCount).toBe(1);
    expect(result.issues).toEqual([
      expect.objectContaining({
        row: 3,
        code: 'duplicate_in_file',
        level: 'warning',
        message: expect.stringContaining('row 2'),
      }),
    ]);
  });

  it('reads Blobs, Web ReadableStreams, bytes and async iterables of bytes split inside characters', async () => {
    const text = `${HEADER}\nZoë,Müller,zoe@example.com,,,"crème, brûlée"\n`;
    const bytes = new TextEncoder().encode(`\uFEFF${text}`);
    const fromBlob = await parseCustomerCsv(new Blob([bytes]));
    const fromStream = await parseCustomerCsv(new Blob([bytes]).stream());
    async function* oneByteAtATime() {
      for (const byte of bytes) yield new Uint8Array([byte]);
    }
    const fromIterable = await parseCustomerCsv(oneByteAtATime());
    const fromBytes = await parseCustomerCsv(bytes);
    const fromBuffer = await parseCustomerCsv(bytes.buffer);
    for (const result of [fromBlob, fromStream, fromIterable, fromBytes, fromBuffer]) {
      expect(result.customers).toEqual([
        expect.objectContaining({ firstName: 'Zoë', lastName: 'Müller', preferences: ['crème', 'brûlée'] }),
      ]);
      expect(result.issues).toEqual([]);
    }
  });

  it('reads Node readable streams: a file stream, byte chunks and text chunks', async () => {
    const text = `\uFEFF${HEADER}\r\nZoë,Müller,zoe@example.com,,,"crème, brûlée"\r\n`;
    const bytes = Buffer.from(text);
    const dir = mkdtempSync(join(tmpdir(), 'donutauto-csv-'));
    try {
      const file = join(dir, 'customers.csv');
      writeFileSync(file, bytes);
      const sources = [
        createReadStream(file, { highWaterMark: 7 }),
        Readable.from([bytes.subarray(0, 40), bytes.subarray(40)]),
        Readable.from([text.slice(0, 30), text.slice(30)]),
      ];
      for (const source of sources) {
        const result = await parseCustomerCsv(source);
        expect(result.customers).toEqual([
          expect.objectContaining({ firstName: 'Zoë', lastName: 'Müller', preferences: ['crème', 'brûlée'] }),
        ]);
        expect(result.issues).toEqual([]);
        expect(result.mapping.columns[0]?.column).toBe('firstName');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('streams in batches of the batch size', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `N${i},L,u${i}@example.com,,,`);
    const stream = streamCustomerCsv(`${HEADER}\n${lines.join('\n')}`, { batchSize: 10 });
    const sizes: number[] = [];
    for await (const batch of stream) sizes.push(batch.length);
    expect(sizes).toEqual([10, 10, 5]);
    expect(stream.mapping?.columns).toHaveLength(6);
  });

  it('returns header issues for an empty file instead of throwing', async () => {
    const result = await parseCustomerCsv('');
    expect(result.customers).toEqual([]);
    expect(result.issues.map((i) => i.code)).toEqual(['missing_column', 'missing_column', 'missing_column']);
  });
});

describe('streamCustomerCsv rows', () => {
  it("builds a row's input on first read: its non-empty mapped cells, in column order, one object", async () => {
    const text = 'Email,Notes,Full Name,Phone,Tier,Extra\nana@example.com,,Ana Li,,gold,x\n';
    const batches = [];
    for await (const batch of streamCustomerCsv(text, {
      mapping: { Tier: 'customFields.tier', Extra: null },
    }))
      batches.push(batch);
    const row = batches[0]![0]!;
    expect(row.row).toBe(2);
    expect(Object.keys(row.input)).toEqual(['email', 'firstName', 'lastName', 'customFields']);
    expect(row.input).toEqual({
      email: 'ana@example.com',
      firstName: 'Ana',
      lastName: 'Li',
      customFields: { tier: 'gold' },
    });
    expect(row.input).toBe(row.input);
  });
});
