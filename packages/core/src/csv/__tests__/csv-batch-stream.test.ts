import { streamCustomerCsv } from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { openCsvBatchStream } from '../csv-batch-stream';
import { csvRowBatches } from '../csv-row-batches';
import { mapCsvHeaders } from '../header-mapping';

const CSV = [
  'First Name,Last Name,Email,Preferences,Date of Birth',
  'Ana,Li,ana@example.com,"glazed, vegan",03-04',
  'Bo,,bo@example,,1990-02-30',
  '"Cy","Ng",cy@example.com,coffee,,extra',
].join('\n');

async function rowsOf(stream: AsyncIterable<unknown[]>) {
  const rows: unknown[] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

describe('openCsvBatchStream', () => {
  it('reads the rows streamCustomerCsv reads, without their cells unless asked', async () => {
    const full = (await rowsOf(streamCustomerCsv(CSV, { batchSize: 2 }))) as { cells: string[] }[];
    const kept = await rowsOf(openCsvBatchStream(CSV, { batchSize: 2 }, true, csvRowBatches));
    const light = await rowsOf(openCsvBatchStream(CSV, { batchSize: 2 }, false, csvRowBatches));
    expect(full.map((row) => row.cells)).toEqual([
      ['Ana', 'Li', 'ana@example.com', 'glazed, vegan', '03-04'],
      ['Bo', '', 'bo@example', '', '1990-02-30'],
      ['Cy', 'Ng', 'cy@example.com', 'coffee', '', 'extra'],
    ]);
    expect(kept).toEqual(full);
    expect(light).toEqual(full.map((row) => ({ ...row, cells: [] })));
  });
});

describe('streamCustomerCsv', () => {
  const refusal = (argument: string) => expect.objectContaining({ code: 'invalid_argument', argument });

  it('refuses bad options and sources when called, before the parser loads', () => {
    // A throw, not a rejection or an error on the first read: the parser loads only when iterated.
    expect(() => streamCustomerCsv(CSV, { delimiter: '"' as never })).toThrow(refusal('delimiter'));
    expect(() => streamCustomerCsv(CSV, { dateOrder: 'YMD' as never })).toThrow(refusal('dateOrder'));
    expect(() => streamCustomerCsv(CSV, { batchSize: 0 })).toThrow(refusal('batchSize'));
    expect(() => streamCustomerCsv(CSV, { mapping: { Mail: 'mail' as never } })).toThrow(refusal('mapping'));
    expect(() => streamCustomerCsv(42 as never)).toThrow(refusal('source'));
    const stream = streamCustomerCsv(CSV);
    expect([stream.totalBytes, stream.bytesRead(), stream.mapping]).toEqual([CSV.length, 0, undefined]);
  });

  it('refuses a mapping as the header matching does', () => {
    const mapping = { Email: 'email', Mail: 'customFields.2x' } as const;
    const atCall = (() => {
      try {
        streamCustomerCsv(CSV, { mapping });
      } catch (error) {
        return error;
      }
    })();
    expect(atCall).toBeInstanceOf(Error);
    expect(() => mapCsvHeaders(['Email', 'Mail'], { mapping }, ',')).toThrow(atCall as Error);
  });
});
