import type { ImportIssue, ImportIssueCode } from '../errors/import-issue';
import type { CustomFieldDefinition } from '../model/custom-fields';
import { MAX_PREFERENCES } from '../model/customer-fields';
import type { CustomFieldValue } from '../model/customer-schema';
import {
  CONSENT_TARGETS,
  type ConsentTarget,
  consentChannelOf,
  consentStateOf,
  consentTimeOf,
} from './consent-cells';
import { isPlainIso, parseCsvDate } from './csv-dates';
import type { CsvRecord } from './csv-record-reader';
import type { CsvHeaderMapping, CsvParseOptions, CsvRow } from './csv-types';
import { cleanCell, splitList } from './csv-values';
import { detached } from './detached-text';

/** What a cell reader fills for the row being mapped (the mapper itself: nothing is allocated per row). */
interface RowParts {
  input: Record<string, unknown>;
  issues: ImportIssue[] | undefined;
  written: Record<string, string> | undefined;
}

/** Reads one cleaned, non-empty cell into its row. */
type Reader = (cell: string, row: number, parts: RowParts) => void;

interface MappedColumn {
  readonly index: number;
  readonly column: string;
  /** The field an issue about this cell names. */
  readonly field: string;
  readonly read: Reader;
}

/** The `cells` of every row when they are not kept. */
const NO_CELLS: readonly string[] = /* @__PURE__ */ Object.freeze([]);

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);
/** A decimal number as `String(number)` writes one (`1e+21`, `1e-7`, `-0`) or a person types it. */
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function shorten(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
}

function addIssue(parts: RowParts, issue: ImportIssue): void {
  if (parts.issues === undefined) parts.issues = [issue];
  else parts.issues.push(issue);
}

function typedValue(cell: string, definition: CustomFieldDefinition | undefined): CustomFieldValue {
  if (definition?.type === 'number' && NUMBER.test(cell)) {
    const number = Number(cell);
    // `1e999` is Infinity, which no custom field holds: kept as text, so the definition check reports it.
    if (Number.isFinite(number)) return number;
  }
  if (definition?.type === 'boolean') {
    const lower = cell.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
  }
  return cell;
}

function splitFullName(value: string): { first: string; last?: string } {
  const comma = value.indexOf(',');
  if (comma > 0) {
    const last = value.slice(0, comma).trim();
    const first = value.slice(comma + 1).trim();
    return first === '' ? { first: last } : { first, last };
  }
  const parts = value.split(/\s+/);
  if (parts.length < 2) return { first: value };
  return { first: parts.slice(0, -1).join(' '), last: parts[parts.length - 1]! };
}

/**
 * Splits list cells (preferences, tags) with {@link splitList}, remembering the lists of the first
 * 512 distinct cells: a shop's list cells repeat a few combinations. Every call returns a fresh array.
 */
class ListCells {
  private readonly known = new Map<string, readonly string[]>();

  split(cell: string): string[] {
    const known = this.known.get(cell);
    if (known !== undefined) return known.slice();
    const list = splitList(cell);
    // The key is a copy: the cell is a slice of a whole parsed chunk, which it would keep alive.
    if (this.known.size < 512) this.known.set(detached(cell), list.slice());
    return list;
  }
}

const CONSENT_TARGET_SET: ReadonlySet<string> = new Set(CONSENT_TARGETS);

type IssueOf = (
  row: number,
  code: ImportIssueCode,
  message: string,
  value: string,
  level: ImportIssue['level'],
) => ImportIssue;

/** The row's consent input so far, by channel (input form: `{ state, at?, source }`). */
function consentOf(parts: RowParts): Record<string, { state: string; at?: number; source: 'import' }> {
  parts.input.consent ??= {};
  return parts.input.consent as Record<string, { state: string; at?: number; source: 'import' }>;
}

/**
 * Reads a consent cell. A state column sets its channel; Mailchimp's unsubscribe time (and Square's
 * old "unsubscribed" flag) sets email to `unsubscribed` whatever else the row says; an opt-in time
 * sets `subscribed` only when nothing else in the row spoke for email.
 */
function consentReader(target: ConsentTarget, issue: IssueOf): Reader {
  const channel = consentChannelOf(target);
  const unreadable = (row: number, cell: string, what: string) =>
    issue(
      row,
      'invalid_value',
      `"${shorten(cell)}" is not ${what}; the consent was not imported`,
      cell,
      'warning',
    );
  switch (target) {
    case 'consent.email.optInTime':
    case 'consent.email.unsubscribeTime':
      return (cell, row, parts) => {
        const at = consentTimeOf(cell);
        if (at === undefined)
          return addIssue(parts, unreadable(row, cell, 'a time like 2024-03-21 14:22:01'));
        const consent = consentOf(parts);
        if (target === 'consent.email.unsubscribeTime') {
          consent.email = { state: 'unsubscribed', at, source: 'import' };
        } else if (consent.email === undefined) consent.email = { state: 'subscribed', at, source: 'import' };
      };
    case 'consent.email.unsubscribed':
      return (cell, row, parts) => {
        const state = consentStateOf(cell);
        if (state === undefined) return addIssue(parts, unreadable(row, cell, 'true or false'));
        // `true` here means "unsubscribed"; `false` says nothing about consent.
        if (state === 'subscribed') consentOf(parts).email = { state: 'unsubscribed', source: 'import' };
      };
    default:
      return (cell, row, parts) => {
        const state = consentStateOf(cell);
        if (state === undefined) {
          return addIssue(parts, unreadable(row, cell, 'a consent state (yes/no, subscribed/unsubscribed)'));
        }
        const consent = consentOf(parts);
        if (consent[channel]?.state === 'unsubscribed' && target === 'consent.email') return;
        consent[channel] = { state, source: 'import' };
      };
  }
}

function readerFor(target: string, column: string, options: CsvParseOptions, lists: ListCells): Reader {
  const issue = (
    row: number,
    code: ImportIssueCode,
    message: string,
    value: string,
    level: ImportIssue['level'],
  ) => ({
    row,
    column,
    field: target,
    code,
    message,
    value: shorten(value),
    level,
  });
  if (CONSENT_TARGET_SET.has(target)) return consentReader(target as ConsentTarget, issue);
  switch (target) {
    case 'preferences':
      return (cell, row, parts) => {
        const list = lists.split(cell);
        if (list.length <= MAX_PREFERENCES) {
          if (list.length > 0) parts.input.preferences = list;
        } else if (options.tooManyPreferences === 'keepFirst') {
          const message = `Kept the first ${MAX_PREFERENCES} of ${list.length} preferences`;
          addIssue(parts, issue(row, 'preferences_truncated', message, cell, 'warning'));
          parts.input.preferences = list.slice(0, MAX_PREFERENCES);
        } else {
          const message = `A customer can have at most ${MAX_PREFERENCES} preferences (found ${list.length})`;
          addIssue(parts, issue(row, 'too_many_preferences', message, cell, 'error'));
        }
      };
    case 'tags':
      return (cell, _row, parts) => {
        const list = lists.split(cell);
        if (list.length > 0) parts.input.tags = list;
      };
    case 'dob':
      return (cell, row, parts) => {
        if (isPlainIso(cell)) {
          parts.input.dob = cell;
          return;
        }
        const parsed = parseCsvDate(cell, options.dateOrder);
        if (parsed.kind === 'ambiguous') {
          const message = `Date "${cell}" could be day/month or month/day: set the dateOrder option`;
          addIssue(parts, issue(row, 'ambiguous_date', message, cell, 'error'));
          return;
        }
        // A cell the date reader does not know is left to the schema, which reports it.
        if (parsed.kind === 'unknown') {
          parts.input.dob = cell;
          return;
        }
        if (parsed.yearless) {
          const message = `Birthday "${cell}" has no year: stored as ${parsed.value}`;
          addIssue(parts, issue(row, 'yearless_birthday', message, cell, 'warning'));
        }
        parts.input.dob = parsed.value;
        // An issue about the converted date shows the cell as the spreadsheet shows it.
        if (parsed.value !== cell) parts.written = { dob: cell };
      };
    case 'fullName':
      return (cell, _row, parts) => {
        const { first, last } = splitFullName(cell);
        parts.input.firstName ??= first;
        if (last !== undefined) parts.input.lastName ??= last;
      };
    default: {
      if (!target.startsWith('customFields.')) {
        return (cell, _row, parts) => {
          parts.input[target] = cell;
        };
      }
      const key = target.slice('customFields.'.length);
      const definition = options.customFieldDefinitions?.find((d) => d.key === key);
      return (cell, _row, parts) => {
        parts.input.customFields ??= {};
        (parts.input.customFields as Record<string, CustomFieldValue>)[key] = typedValue(cell, definition);
      };
    }
  }
}

/**
 * Turns the records of a CSV file into rows of customer input, with the issues found while reading
 * them. Built once per file from the header mapping; {@link CsvRowMapper.map} runs per record. It
 * only reads and converts cells: validation and duplicates are the importer's.
 */
export class CsvRowMapper implements RowParts {
  /** The row being mapped: its input, issues and written cells (reset by each `map`). */
  input: Record<string, unknown> = {};
  issues: ImportIssue[] | undefined;
  written: Record<string, string> | undefined;
  private readonly mapped: readonly MappedColumn[];
  private readonly headerCount: number;
  /** Columns with an empty header (none in most files): their non-empty cells get a warning. */
  private readonly unnamed: readonly number[];
  private readonly maxCell: number;
  /** Field → column header, shared by every row (issues name columns with it). */
  private readonly columns: Readonly<Record<string, string>>;

  /**
   * @param mapping - The header mapping.
   * @param options - Parse options (preferences policy, date order, definitions).
   * @param maxCell - The longest cell kept (`maxCellLength` or its default).
   * @param keepCells - Whether rows carry their cells (otherwise `cells` is empty). @defaultValue true
   */
  constructor(
    mapping: CsvHeaderMapping,
    options: CsvParseOptions,
    maxCell: number,
    private readonly keepCells = true,
  ) {
    this.headerCount = mapping.columns.length;
    this.unnamed = mapping.columns.filter((c) => c.column === '' && c.target === null).map((c) => c.index);
    this.maxCell = maxCell;
    const columns: Record<string, string> = {};
    const mapped: MappedColumn[] = [];
    const lists = new ListCells();
    for (const col of mapping.columns) {
      if (col.target === null) continue;
      const custom = col.target.startsWith('customFields.');
      const consent = CONSENT_TARGET_SET.has(col.target);
      const field =
        col.target === 'fullName' ? 'firstName' : custom ? 'customFields' : consent ? 'consent' : col.target;
      mapped.push({
        index: col.index,
        column: col.column,
        field,
        read: readerFor(col.target, col.column, options, lists),
      });
      if (col.target === 'fullName') {
        columns.firstName ??= col.column;
        columns.lastName ??= col.column;
      } else if (consent) {
        // `consent` names the first consent column (validation issues of the channels point there).
        columns.consent ??= col.column;
        columns[col.target] = col.column;
      } else if (custom) {
        // `customFields` names the first custom column; each key also names its own.
        columns.customFields ??= col.column;
        columns[col.target] = col.column;
      } else columns[col.target] = col.column;
    }
    this.mapped = mapped;
    this.columns = columns;
  }

  /**
   * Maps one data record.
   * @param record - The record, as the reader produced it.
   * @returns The row: its customer input (non-empty mapped cells, keyed by field, in column order),
   * its issues, and its cells as read.
   */
  map(record: CsvRecord): CsvRow {
    const { cells, row } = record;
    this.input = {};
    this.issues = record.issue ? [record.issue] : undefined;
    this.written = undefined;
    if (record.issue?.level === 'error') return this.row(row, cells);
    for (const col of this.mapped) {
      const raw = cells[col.index];
      if (raw === undefined || raw === '') continue;
      if (raw.length > this.maxCell) {
        addIssue(this, {
          row,
          column: col.column,
          field: col.field,
          code: 'cell_too_long',
          message: `Cell has ${raw.length} characters; the limit is ${this.maxCell}`,
          value: shorten(raw),
          level: 'error',
        });
        continue;
      }
      const cell = cleanCell(raw);
      if (cell !== '') col.read(cell, row, this);
    }
    for (const index of this.unnamed) {
      const cell = cells[index];
      if (cell !== undefined && cell.trim() !== '') {
        addIssue(this, {
          row,
          code: 'unnamed_column',
          message: `Cell in column ${index + 1}, which has no header, was not imported`,
          value: shorten(cell),
          level: 'warning',
        });
      }
    }
    this.checkCellCount(cells, row);
    return this.row(row, cells);
  }

  private checkCellCount(cells: readonly string[], row: number): void {
    if (cells.length > this.headerCount) {
      const extra = cells.slice(this.headerCount).filter((c) => c.trim() !== '');
      if (extra.length > 0) {
        addIssue(this, {
          row,
          code: 'too_many_cells',
          message: `Row has ${cells.length} cells but the header has ${this.headerCount}: extra cells were dropped`,
          value: shorten(extra.join(', ')),
          level: 'warning',
        });
      }
    } else if (cells.length < this.headerCount && this.mapped.some((c) => c.index >= cells.length)) {
      addIssue(this, {
        row,
        code: 'too_few_cells',
        message: `Row has ${cells.length} cells but the header has ${this.headerCount}: missing cells were read as empty`,
        level: 'warning',
      });
    }
  }

  private row(row: number, cells: readonly string[]): CsvRow {
    const out: { -readonly [K in keyof CsvRow]: CsvRow[K] } = {
      row,
      input: this.input,
      columns: this.columns,
      cells: this.keepCells ? cells : NO_CELLS,
    };
    if (this.issues) out.issues = this.issues;
    if (this.written) out.written = this.written;
    return out;
  }
}
