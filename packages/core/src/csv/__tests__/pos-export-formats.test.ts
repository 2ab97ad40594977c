import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCustomerCsv } from '@donutauto/core';
import { describe, expect, it } from 'vitest';

// docs/pos-export-formats.md promises, tool by tool, what the importer does with each column of a
// customer export. This reads its tables and holds the importer to them, so the page cannot drift.
const PAGE = fileURLToPath(new URL('../../../../../docs/pos-export-formats.md', import.meta.url));

interface Column {
  readonly header: string;
  /** The target the page names, or `null` for "—" (not imported). */
  readonly target: string | null;
  /** The page says the column loses to another one filling the same field. */
  readonly duplicate: boolean;
}

interface ExportTable {
  readonly name: string;
  readonly columns: readonly Column[];
}

/** The page's `| column | imported as |` tables, each named by the heading or bold line above it. */
function exportTables(markdown: string): ExportTable[] {
  const tables: { name: string; columns: Column[] }[] = [];
  let name = '';
  let current: { name: string; columns: Column[] } | undefined;
  for (const line of markdown.split('\n')) {
    const title = /^#{2,3}\s+(.*)$/.exec(line) ?? /^\*\*(.+?)\*\*/.exec(line);
    if (title) name = title[1]!;
    if (line.startsWith('| column | imported as |')) {
      current = { name, columns: [] };
      tables.push(current);
    } else if (current && line.startsWith('| `')) {
      const [, header, imported] = line.split('|').map((cell) => cell.trim());
      current.columns.push({
        header: /^`([^`]+)`$/.exec(header!)![1]!,
        target: /^`([^`]+)`/.exec(imported!)?.[1] ?? null,
        duplicate: imported!.includes('duplicate_column'),
      });
    } else if (!line.startsWith('|')) {
      current = undefined;
    }
  }
  return tables;
}

const tables = exportTables(readFileSync(PAGE, 'utf8'));

describe('docs/pos-export-formats.md', () => {
  it('has a table for every tool it names', () => {
    const names = tables.map((t) => t.name).join(' / ');
    for (const tool of ['Shopify', 'Square', 'Lightspeed Retail', 'X-Series', 'eCom', 'Toast', 'Clover']) {
      expect(names).toContain(tool);
    }
    for (const tool of ['Mailchimp', 'HubSpot']) expect(names).toContain(tool);
    for (const table of tables) expect(table.columns.length, table.name).toBeGreaterThan(3);
  });

  it.each(tables.map((t) => [t.name, t] as const))(
    'maps the %s export as the page says',
    async (_, table) => {
      const { mapping } = await parseCustomerCsv(`${table.columns.map((c) => c.header).join(',')}\n`);
      expect(mapping.columns.map((c) => [c.column, c.target])).toEqual(
        table.columns.map((c) => [c.header, c.target]),
      );
      const codeOf = new Map(mapping.issues.map((issue) => [issue.column, issue.code]));
      for (const column of table.columns) {
        // A column the page says is not imported is reported, never dropped silently.
        const expected =
          column.target !== null ? undefined : column.duplicate ? 'duplicate_column' : 'unmapped_column';
        expect(codeOf.get(column.header), column.header).toBe(expected);
      }
    },
  );
});
