import { parseCustomerCsv } from '@donutauto/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Valid customer files with hostile cells injected (unterminated quotes, huge quoted multi-line
// cells whose inner lines look like rows, malformed quotes) and mixed CRLF/LF/CR line breaks, read
// in random chunks. An independent reader of the whole text, following papaparse's quoting rules,
// says where every record starts and ends; the importer must account for every record (a customer,
// a skip or an error naming its lines) and never create a customer from inside a quoted cell.

const MAX_ROW = 400;
const BREAKS = ['\n', '\r\n', '\r'] as const;

interface OracleRecord {
  readonly cells: string[];
  readonly row: number;
  readonly firstLine: number;
  readonly lastLine: number;
  /** A quote still open at the end of the text. */
  readonly unclosed: boolean;
  /** A quote inside a quoted cell not followed by a delimiter, a line break or the end. */
  readonly malformed: boolean;
}

/** Splits a whole CSV text into records with papaparse's quoting rules, counting physical lines. */
function oracleRecords(text: string): OracleRecord[] {
  const records: OracleRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let state: 'start' | 'plain' | 'quoted' | 'quote' | 'quoteSpace' = 'start';
  let pending = '';
  let line = 1;
  let firstLine = 1;
  let malformed = false;
  const end = (unclosed: boolean) => {
    cells.push(cell);
    records.push({ cells, row: records.length + 1, firstLine, lastLine: line, unclosed, malformed });
    cells = [];
    cell = '';
    state = 'start';
    malformed = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const lineBreak = c === '\n' || c === '\r';
    // A CRLF is one line break.
    const width = c === '\r' && text[i + 1] === '\n' ? 2 : 1;
    if (state === 'quoted') {
      if (c === '"') state = 'quote';
      else {
        cell += text.slice(i, i + width);
        if (lineBreak) line++;
        i += width - 1;
      }
      continue;
    }
    if (lineBreak) {
      end(false);
      i += width - 1;
      line++;
      firstLine = line;
      continue;
    }
    if (state === 'quote' || state === 'quoteSpace') {
      if (c === ',') {
        cells.push(cell);
        cell = '';
        state = 'start';
      } else if (c === '"' && state === 'quote') {
        cell += '"';
        state = 'quoted';
      } else if (c === ' ' || c === '\t') {
        pending += c;
        state = 'quoteSpace';
        continue;
      } else {
        malformed = true;
        cell += `"${pending}`;
        if (c === '"') state = 'quote';
        else {
          cell += c;
          state = 'quoted';
        }
      }
      pending = '';
      continue;
    }
    if (c === ',') {
      cells.push(cell);
      cell = '';
      state = 'start';
    } else if (c === '"' && state === 'start') state = 'quoted';
    else {
      cell += c;
      state = 'plain';
    }
  }
  // The text's last line break ended the last line; a quote left open runs to the end.
  if (state === 'quoted') {
    if (/(?:\r\n?|\n)$/.test(cell)) line--;
    end(true);
  } else if (cells.length > 0 || cell !== '' || state !== 'start') end(false);
  return records;
}

const isBlank = (record: OracleRecord) => !record.unclosed && record.cells.every((c) => c.trim() === '');
const rowLength = (cells: readonly string[]) => cells.reduce((n, c) => n + c.length, cells.length - 1);

/** What the importer must make of a data record. */
function expected(record: OracleRecord): { code: string } | { email: string } {
  if (record.unclosed) return { code: 'unclosed_quote' };
  if (rowLength(record.cells) > MAX_ROW) return { code: 'row_too_long' };
  if (record.malformed && record.lastLine > record.firstLine) return { code: 'malformed_quotes' };
  return { email: record.cells[2]!.trim() };
}

type Kind = 'plain' | 'quoted' | 'multiline' | 'huge' | 'unterminated' | 'malformed' | 'strayQuote' | 'blank';

const rowArbitrary = fc.record({
  kind: fc.constantFrom<Kind>(
    'plain',
    'plain',
    'plain',
    'quoted',
    'multiline',
    'huge',
    'unterminated',
    'malformed',
    'strayQuote',
    'blank',
  ),
  lineBreak: fc.constantFrom(...BREAKS),
  innerBreak: fc.constantFrom(...BREAKS),
  size: fc.integer({ min: MAX_ROW, max: 3 * MAX_ROW }),
});

function line(kind: Kind, i: number, innerBreak: string, size: number): string {
  const start = `F${i},L${i},u${i}@example.com`;
  const inner = `Evil,Row,in${i}@evil.test,`;
  switch (kind) {
    case 'plain':
      return `${start},note ${i}`;
    case 'quoted':
      return `${start},"a, ""quoted"" note"`;
    case 'multiline':
      return `${start},"first${innerBreak}${inner}${innerBreak}last"`;
    case 'huge':
      return `${start},"${'x'.repeat(size)}${innerBreak}${inner}${innerBreak}${'y'.repeat(size)}"`;
    case 'unterminated':
      return `${start},"oops`;
    case 'malformed':
      return `${start},"said "hi" then`;
    case 'strayQuote':
      return `${start},"said "hi" then"`;
    case 'blank':
      return '';
  }
}

async function* chunks(text: string, sizes: readonly number[]): AsyncGenerator<string> {
  let at = 0;
  for (let k = 0; at < text.length; k++) {
    const size = sizes[k % sizes.length]!;
    yield text.slice(at, at + size);
    at += size;
  }
}

describe('hostile CSV (properties)', () => {
  it('accounts for every record and never imports text from inside a quoted cell', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowArbitrary, { minLength: 1, maxLength: 30 }),
        fc.constantFrom(...BREAKS),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (rows, headerBreak, finalBreak, sizes, filler) => {
          let text = `firstName,lastName,email,notes${headerBreak}`;
          // 64 KiB of ordinary rows first make the reader parse as the chunks arrive, so rows too
          // long to keep are skipped while still open.
          if (filler) for (let i = 0; i < 2200; i++) text += `G,H,g${i}@example.com,filler row ${i}\n`;
          rows.forEach((row, i) => {
            text += line(row.kind, i, row.innerBreak, row.size);
            if (i < rows.length - 1 || finalBreak) text += row.lineBreak;
          });
          const records = oracleRecords(text).filter((r) => !isBlank(r));
          const data = records.slice(1);
          for (const source of [text, chunks(text, sizes)]) {
            const result = await parseCustomerCsv(source, { maxRowLength: MAX_ROW });
            const emails = result.customers.map((c) => c.email);
            expect(emails.some((email) => email.endsWith('@evil.test'))).toBe(false);
            expect(result.customers.length + result.duplicateCount + result.errorCount).toBe(data.length);
            const errors = result.issues.filter((issue) => issue.level === 'error');
            const imported: string[] = [];
            for (const record of data) {
              const outcome = expected(record);
              if ('email' in outcome) {
                imported.push(outcome.email);
                continue;
              }
              expect(errors).toContainEqual(
                expect.objectContaining({
                  row: record.row,
                  code: outcome.code,
                  ...(record.lastLine > record.firstLine
                    ? { lines: { first: record.firstLine, last: record.lastLine } }
                    : {}),
                }),
              );
            }
            expect(emails).toEqual(imported);
            expect(errors).toHaveLength(data.length - imported.length);
          }
        },
      ),
      { numRuns: 100 },
    );
  }, 120_000);
});
