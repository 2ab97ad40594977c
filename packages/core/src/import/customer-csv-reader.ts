import { openCsvBatchStream } from '../csv/csv-batch-stream';
import { csvRowBatches } from '../csv/csv-row-batches';
import type { CsvSource } from '../csv/csv-source';
import type { CsvHeaderMapping } from '../csv/csv-types';
import { booleanOption } from '../errors/choice-option';
import type { ImportIssue } from '../errors/import-issue';
import type { CustomerData } from '../model/customer-schema';
import { planImport } from './import-planner';
import type { CsvParseResult, ParseCustomerCsvOptions } from './parse-customer-csv';

// Loaded by `parseCustomerCsv` on its first call, so an app that never parses a CSV does not
// download the parser or the planner.

/**
 * What {@link parseCustomerCsv} does: reads the whole file through the import planner, as if into
 * an empty store.
 * @param source - See {@link CsvSource}.
 * @param options - See {@link ParseCustomerCsvOptions}.
 * @returns See {@link CsvParseResult}.
 * @throws `invalid_argument` for bad options or an unreadable source kind.
 */
export async function readCustomerCsv(
  source: CsvSource,
  options: ParseCustomerCsvOptions,
): Promise<CsvParseResult> {
  const strict = booleanOption('strict', options.strict, false);
  const stream = openCsvBatchStream(source, options, true, csvRowBatches);
  const seen = new Map<string, number>();
  const customers: CustomerData[] = [];
  const rows: number[] = [];
  const issues: ImportIssue[] = [];
  let rowCount = 0;
  let errorCount = 0;
  let duplicateCount = 0;
  for await (const batch of stream) {
    rowCount += batch.length;
    const plan = planImport({ rows: batch, seenEmails: seen, existing: [], strict });
    for (const [email, row] of plan.newEmails) seen.set(email, row);
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
