import { customerCsvHeader, customerCsvLine, customFieldKeysOf } from '../csv/csv-export';
import type { ListQuery } from '../store/storage-adapter';
import type { CsvClientContext, ExportCsvOptions } from './client-csv';

// `client.exportCsv` loads this module with its first chunk, with the CSV writer.

/**
 * Pages through the customers and writes them as CSV: the header, then one chunk per page.
 * @param context - The client's adapter, organization and definitions.
 * @param options - The export's options, checked.
 * @param first - The first page's query, filter resolved.
 * @returns The CSV text chunks.
 */
export async function* csvExportPages(
  context: CsvClientContext,
  options: ExportCsvOptions,
  first: ListQuery,
): AsyncGenerator<string> {
  const pages = async function* () {
    let cursor: string | null = null;
    for (;;) {
      const result = await context.adapter.list(context.organizationId, { ...first, cursor });
      yield result.page;
      if (result.isDone) return;
      cursor = result.continueCursor;
    }
  };
  let keys = options.customFieldKeys ?? context.definitions?.map((d) => d.key);
  if (keys === undefined) {
    const found = new Set<string>();
    for await (const page of pages()) for (const key of customFieldKeysOf(page)) found.add(key);
    keys = [...found].sort();
  }
  yield customerCsvHeader(keys, options);
  for await (const page of pages()) {
    let chunk = '';
    for (const customer of page) chunk += customerCsvLine(customer, keys, options);
    if (chunk !== '') yield chunk;
  }
}
