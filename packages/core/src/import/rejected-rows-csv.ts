import type { CsvHeaderMapping } from '../csv/csv-types';
import { quoteCell, startsLikeFormula } from '../csv/csv-values';
import type { ImportIssue } from '../errors/import-issue';
import type { RejectedRow } from './import-types';

/** Header of the column the rejected-rows CSV adds after the file's own columns. */
export const REJECTED_ERROR_COLUMN = 'Import errors';

/**
 * Writes a CSV import's refused rows as CSV text a merchant can fix and upload again: the file's
 * own header plus an `Import errors` column, then each refused row's cells as read, with its errors.
 * Cells are quoted as the export quotes them, and a cell a spreadsheet would run as a formula gets a
 * leading `'`, so it opens safely and the importer reads every cell back as it read the original.
 * @param mapping - Gives the file's header and delimiter (read when the first row is written).
 * @param sink - Receives the text: the header line with the first rows, then one chunk per batch.
 * @returns A handler for `executeImport`'s `onRejectedRows`.
 */
export function rejectedRowsCsv(
  mapping: () => CsvHeaderMapping | undefined,
  sink: (chunk: string) => void | Promise<void>,
): (rows: readonly RejectedRow[]) => void | Promise<void> {
  let header: string | undefined;
  let delimiter = ',';
  let width = 0;
  return (rows) => {
    let text = '';
    if (header === undefined) {
      const known = mapping();
      delimiter = known?.delimiter ?? ',';
      const columns = known?.columns.map((c) => c.column) ?? [];
      width = columns.length;
      header = line([...columns, REJECTED_ERROR_COLUMN], delimiter);
      text = header;
    }
    const lines: string[] = [text];
    for (const { row, issues } of rows) {
      const cells = row.cells ?? [];
      const padded =
        cells.length >= width ? [...cells] : [...cells, ...Array<string>(width - cells.length).fill('')];
      lines.push(line([...padded, errorText(issues)], delimiter));
    }
    // `join` makes one flat string: the cells are slices of the parsed file, which it does not keep.
    return sink(lines.join(''));
  };
}

/**
 * A line of cells as the file had them. Only a cell a spreadsheet would run gets the `'` marker
 * (which the importer strips again); a cell already starting with `'` is safe and kept as it is, so
 * the importer reads every cell back exactly as it read the original.
 */
function line(cells: readonly string[], delimiter: string): string {
  return `${cells.map((cell) => quoteCell(startsLikeFormula(cell) ? `'${cell}` : cell, delimiter)).join(delimiter)}\r\n`;
}

function errorText(issues: readonly ImportIssue[]): string {
  return issues
    .filter((issue) => issue.level === 'error')
    .map((issue) => (issue.column ? `${issue.column}: ${issue.message}` : issue.message))
    .join('; ');
}
