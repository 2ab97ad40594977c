import { streamCustomerCsv } from '@donutauto/core';
import { describe, expect, it } from 'vitest';
import { openCsvBatchStream } from '../csv-batch-stream';

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
    const kept = await rowsOf(openCsvBatchStream(CSV, { batchSize: 2 }, true));
    const light = await rowsOf(openCsvBatchStream(CSV, { batchSize: 2 }, false));
    expect(full.map((row) => row.cells)).toEqual([
      ['Ana', 'Li', 'ana@example.com', 'glazed, vegan', '03-04'],
      ['Bo', '', 'bo@example', '', '1990-02-30'],
      ['Cy', 'Ng', 'cy@example.com', 'coffee', '', 'extra'],
    ]);
    expect(kept).toEqual(full);
    expect(light).toEqual(full.map((row) => ({ ...row, cells: [] })));
  });
});
