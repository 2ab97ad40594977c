import { EmailIndex } from '../import/email-index';
import { planImport } from '../import/import-planner';
import type { ImportIssue } from '../import/import-types';
import type { CustomerData } from '../model/customer-schema';
import { streamCustomerCsv } from './csv-batch-stream';
import type { CsvSource } from './csv-source';
import type { CsvHeaderMapping, CsvParseOptions, CsvParseResult } from './csv-types';

/**
 * Reads a whole customer CSV into validated, normalized customers: what importing it into an
 * empty store would add. Maps headers by name (template names, variants, aliases, POS exports,
 * the explicit `mapping`), splits preferences and tags, reads dates, validates every row with the
 * customer schema and drops later rows repeating an email. Never throws on malformed content:
 * problems are issues `{ row, column, code, message, value, level }` with spreadsheet row numbers.
 * The result holds every customer in memory; use `streamCustomerCsv` or `client.importCsv` for
 * large files.
 * @param source - A string, `Blob`/`File`, `ReadableStream` or async iterable of text/bytes.
 * @param options - See {@link CsvParseOptions}.
 * @returns The customers, their rows, the issues and the header mapping.
 * @throws `invalid_argument` for bad options or an unreadable source kind.
 * @example
 * const { customers, issues, mapping } = await parseCustomerCsv(await file.text());
 */
export async function parseCustomerCsv(
  source: CsvSource,
  options: CsvParseOptions = {},
): Promise<CsvParseResult> {
  const stream = streamCustomerCsv(source, options);
  const seen = new EmailIndex();
  const customers: CustomerData[] = [];
  const rows: number[] = [];
  const issues: ImportIssue[] = [];
  let rowCount = 0;
  let errorCount = 0;
  let duplicateCount = 0;
  for await (const batch of stream) {
    rowCount += batch.length;
    const plan = planImport({ rows: batch, seenEmails: seen, existing: [] });
    issues.push(...plan.issues);
    for (const action of plan.actions) {
      if (action.kind === 'insert') {
        customers.push(action.data);
        rows.push(action.row);
      } else if (action.kind === 'error') errorCount++;
      else duplicateCount++;
    }
  }
  const mapping = stream.mapping as CsvHeaderMapping;
  return {
    customers,
    rows,
    issues: [...mapping.issues, ...issues],
    mapping,
    rowCount,
    errorCount,
    duplicateCount,
  };
}
