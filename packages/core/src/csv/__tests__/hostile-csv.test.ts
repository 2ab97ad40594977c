import { createCustomerClient, createMemoryAdapter, parseCustomerCsv } from '@donutauto/core';
import { describe, expect, it } from 'vitest';

const HEADER = 'firstName,lastName,email,notes';

/** The text as an async iterable of `size`-character chunks (how a file or network stream arrives). */
async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size);
}

describe('hostile CSV', () => {
  it('never imports the lines inside a quoted cell of a row cut for being too long', async () => {
    // After 2,000 ordinary rows (more than the 64 KiB read before parsing starts), a row whose notes
    // hold two lines that look like rows and then 5,000 characters: it is over the limit before its
    // closing quote arrives, and reading must go on after that quote, not at a line break inside it.
    const filler = Array.from({ length: 2000 }, (_, i) => `F,L,f${i}@example.com,filler note`);
    const text = [
      HEADER,
      ...filler,
      'Ana,Li,ana@example.com,"Call first',
      'Evil,Row,evil1@evil.test,',
      'Evil,Row,evil2@evil.test,',
      `${'x'.repeat(5000)}"`,
      'Bo,Ng,bo@example.com,ok',
      '',
    ].join('\n');
    for (const source of [chunked(text, 500), text, chunked(text, 4096)]) {
      const result = await parseCustomerCsv(source, { maxRowLength: 1000 });
      expect(result.customers.map((c) => c.email).slice(-2)).toEqual(['f1999@example.com', 'bo@example.com']);
      expect(result.customers.some((c) => c.email.endsWith('@evil.test'))).toBe(false);
      expect(result.rows.at(-1)).toBe(2003);
      expect(result.issues).toEqual([
        expect.objectContaining({
          row: 2002,
          code: 'row_too_long',
          level: 'error',
          lines: { first: 2002, last: 2005 },
        }),
      ]);
      expect(result.rowCount).toBe(2002);
    }
  });

  it('reports the rows an unclosed quote swallows as an error naming their lines', async () => {
    const text = `${HEADER}\nAna,Li,ana@example.com,"oops\nBo,Ng,bo@example.com,\nCy,Wu,cy@example.com,\n`;
    for (const source of [text, chunked(text, 5)]) {
      const result = await parseCustomerCsv(source);
      expect(result.customers).toEqual([]);
      expect(result.errorCount).toBe(1);
      expect(result.issues).toEqual([
        expect.objectContaining({
          row: 2,
          code: 'unclosed_quote',
          level: 'error',
          lines: { first: 2, last: 4 },
          message: expect.stringContaining('lines 2–4'),
        }),
      ]);
    }
    // Past the row limit, the open quote is followed to the end of the file without keeping it.
    const big = `${HEADER}\nAna,Li,ana@example.com,"oops\n${Array.from({ length: 500 }, (_, i) => `B,N,b${i}@example.com,`).join('\n')}\n`;
    const result = await parseCustomerCsv(chunked(big, 1024), { maxRowLength: 1000 });
    expect(result.customers).toEqual([]);
    expect(result.issues).toEqual([
      expect.objectContaining({ row: 2, code: 'unclosed_quote', lines: { first: 2, last: 502 } }),
    ]);
  });

  it('refuses a row that a malformed quote runs over several lines, naming them', async () => {
    const text = `${HEADER}\nAna,Li,ana@example.com,"said "hi" then\nBo,Ng,bo@example.com,"ok"\nCy,Wu,cy@example.com,\n`;
    const result = await parseCustomerCsv(text);
    expect(result.customers.map((c) => c.email)).toEqual(['cy@example.com']);
    expect(result.issues).toEqual([
      expect.objectContaining({
        row: 2,
        code: 'malformed_quotes',
        level: 'error',
        lines: { first: 2, last: 3 },
      }),
    ]);
    // On one line, a malformed quote is only a warning: nothing else is in the row.
    const one = await parseCustomerCsv(`${HEADER}\nAna,Li,ana@example.com,"said "hi" then"\n`);
    expect(one.customers).toHaveLength(1);
    expect(one.issues).toEqual([expect.objectContaining({ code: 'malformed_quotes', level: 'warning' })]);
  });

  it('reads every row of a file whose line endings change partway', async () => {
    const rows = [
      'Ana,Li,ana@example.com,a',
      'Bo,Ng,bo@example.com,"b\r\nb"',
      'Cy,Wu,cy@example.com,c',
      'Di,Xu,di@example.com,d',
    ];
    const text = `${HEADER}\r\n${rows[0]}\r\n${rows[1]}\n${rows[2]}\r${rows[3]}\r\n\rEd,Yi,ed@example.com,e\n`;
    for (const source of [text, chunked(text, 1), chunked(text, 3)]) {
      const result = await parseCustomerCsv(source);
      expect(result.customers.map((c) => [c.email, c.notes])).toEqual([
        ['ana@example.com', 'a'],
        ['bo@example.com', 'b\r\nb'],
        ['cy@example.com', 'c'],
        ['di@example.com', 'd'],
        ['ed@example.com', 'e'],
      ]);
      // The blank line between Di and Ed counts: Ed is on the spreadsheet's row 7.
      expect(result.rows).toEqual([2, 3, 4, 5, 7]);
      expect(result.issues).toEqual([]);
    }
  });

  it('reads a file with old Mac line breaks (CR only), keeping a CR inside a quoted cell', async () => {
    const text = `${HEADER}\rAna,Li,ana@example.com,"one\rtwo"\rBo,Ng,bo@example.com,\r`;
    const result = await parseCustomerCsv(text);
    expect(result.customers.map((c) => [c.email, c.notes])).toEqual([
      ['ana@example.com', 'one\rtwo'],
      ['bo@example.com', null],
    ]);
    expect(result.rows).toEqual([2, 3]);
  });

  it('accounts for every line in the import report', async () => {
    const client = createCustomerClient({ adapter: createMemoryAdapter(), organizationId: 'org' });
    const text = `${HEADER}\nAna,Li,ana@example.com,"multi\nline"\nBo,Ng,bo@example.com,"oops\nCy,Wu,cy@example.com,\n`;
    const report = await client.importCsv(text);
    expect(report).toMatchObject({ addedCount: 1, errorCount: 1 });
    expect(report.issues).toEqual([
      expect.objectContaining({ row: 3, code: 'unclosed_quote', lines: { first: 4, last: 5 } }),
    ]);
  });
});
