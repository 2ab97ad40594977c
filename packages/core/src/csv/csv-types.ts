import type { ImportIssue } from '../errors/import-issue';
import type { CustomFieldDefinition } from '../model/custom-fields';
import type { CsvDateOrder } from './csv-dates';
import type { CsvStandardTarget } from './header-aliases';

/** Where a CSV column goes: a customer field, `fullName`, or `customFields.<key>`. */
export type CsvTarget = CsvStandardTarget | `customFields.${string}`;

/**
 * How a column was matched to its field: `explicit` (the `mapping` option), `exact` (the template's
 * name), `variant` (the template's name up to case, spaces and punctuation), `alias` (a known
 * synonym or a POS/marketing tool's header), `fuzzy` (a small edit distance), `custom_field`,
 * `ignored` (mapped to `null`), `unmapped` or `duplicate` (another column won the field).
 */
export type HeaderMatchKind =
  | 'explicit'
  | 'exact'
  | 'variant'
  | 'alias'
  | 'fuzzy'
  | 'custom_field'
  | 'ignored'
  | 'unmapped'
  | 'duplicate';

/** The importer's decision for one column, for a UI to show and confirm. */
export interface CsvColumnMapping {
  /** Position of the column, from 0. */
  readonly index: number;
  /** The header as written (BOM and surrounding spaces removed). */
  readonly column: string;
  /** Where its cells go, or `null` when they are not imported. */
  readonly target: CsvTarget | null;
  /** How the header was matched. */
  readonly match: HeaderMatchKind;
  /** 0–1: 1 for exact and explicit matches, lower for aliases and fuzzy matches. */
  readonly confidence: number;
  /** `true` when the match is a guess (confidence below 0.9) a UI should ask the user to confirm. */
  readonly needsConfirmation: boolean;
  /** Tools whose exports use this header, when it matched a known alias. */
  readonly sources?: readonly string[];
}

/** The header row's mapping and its problems. */
export interface CsvHeaderMapping {
  /** One entry per column, in file order. */
  readonly columns: readonly CsvColumnMapping[];
  /** Problems of the header row (row 1): unmapped, duplicate or missing columns. */
  readonly issues: readonly ImportIssue[];
  /** The detected (or given) delimiter. */
  readonly delimiter: string;
}

/** Options of {@link parseCustomerCsv} and `client.importCsv`. */
export interface CsvParseOptions {
  /**
   * Explicit column mapping, header text → target (`'email'`, `'fullName'`,
   * `'customFields.tier'`) or `null` to ignore the column. Always wins over automatic matching.
   */
  readonly mapping?: Readonly<Record<string, CsvTarget | null>>;
  /**
   * How to read numeric dates whose day and month could be swapped; without it a full date
   * (`03/04/1990`) is an issue and a year-less one (`03-04`, `03/04`; not `03.04`) is read month first.
   */
  readonly dateOrder?: CsvDateOrder;
  /**
   * More than 3 preferences in a cell: `error` makes the cell an error (the preferences are left out
   * with a warning, or the row is refused under `strict`); `keepFirst` keeps the first 3 with a
   * warning. @defaultValue 'error'
   */
  readonly tooManyPreferences?: 'error' | 'keepFirst';
  /** Columns that match no field: `report` them, or import them as `customFields`. @defaultValue 'report' */
  readonly unmappedColumns?: 'report' | 'customFields';
  /**
   * The organization's custom field definitions: columns named like a definition's key or label
   * map to it, and cells are read as its type (number, boolean). Without them custom fields stay text.
   */
  readonly customFieldDefinitions?: readonly CustomFieldDefinition[];
  /** Column delimiter; detected among `,`, `;`, tab and `|` when omitted. */
  readonly delimiter?: ',' | ';' | '\t' | '|';
  /** Rows per batch handed to the planner and written at once (memory is bounded by this). @defaultValue 500 */
  readonly batchSize?: number;
  /**
   * Longest cell, in characters; a longer cell is an error (`cell_too_long`): an optional field's is
   * left out with a warning (the row is refused under `strict`), a name's or the email's refuses the
   * row. @defaultValue 10000
   */
  readonly maxCellLength?: number;
  /**
   * Longest data row, in characters of its cells and the delimiters between them (quotes not
   * counted); a longer row is an error (`row_too_long`) naming the lines it spans, and reading goes
   * on after its end, never inside one of its quoted cells. A row left open by a quote is not held
   * past three times the limit, so memory stays bounded. @defaultValue 100000
   */
  readonly maxRowLength?: number;
}

/**
 * One data row of a customer CSV, mapped to customer fields: what `streamCustomerCsv` yields. It is
 * a `PlannerRow`, so `planImport` and `executeImport` take it as it is; it is a plain object
 * (spreading or `structuredClone` keeps every member).
 */
export interface CsvRow {
  /** The row a spreadsheet shows (the header is row 1, blank lines count). */
  readonly row: number;
  /** The row's non-empty mapped cells, keyed by customer field, in column order (`customFields` as an object). */
  readonly input: Record<string, unknown>;
  /**
   * Problems found while reading the row. An `error` naming an optional field means that cell was
   * left out of `input`; an `error` without a field (or naming a name or the email) refuses the row.
   */
  readonly issues?: readonly ImportIssue[];
  /** Field → the column header it came from (`customFields.<key>` for each custom field). */
  readonly columns: Readonly<Record<string, string>>;
  /** The row's cells as the file has them (empty when the row could not be read). */
  readonly cells: readonly string[];
  /** Cells as the file wrote them, by field, where the reader converted the value (dates of birth). */
  readonly written?: Readonly<Record<string, string>>;
}
