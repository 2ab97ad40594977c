import { detached } from '../import/detached-text';
import { fastValidateValues } from '../import/fast-validate';
import type { ImportIssue, PlannerRow } from '../import/import-types';
import { MappedRow, type MappedRowLayout, WRITTEN_DOB_SLOT } from '../import/mapped-row';
import type { CustomFieldDefinition } from '../model/custom-fields';
import { EDITABLE_FIELDS, MAX_PREFERENCES } from '../model/customer-fields';
import type { CustomFieldValue } from '../model/customer-schema';
import { isPlainIso, parseCsvDate } from './csv-dates';
import type { CsvHeaderMapping, CsvParseOptions } from './csv-types';
import { cleanCell, splitList } from './csv-values';

/** Collects a row's issues (one per mapper, reset per row: no closure per row). */
interface IssueSink {
  add(issue: ImportIssue): void;
}

/** Reads one cleaned cell into the row's `values`, at the field's index. */
type Reader = (cell: string, row: number, sink: IssueSink, values: unknown[]) => void;

/** Index of each editable field in the values array the validation fast path reads. */
const SLOT: Readonly<Record<string, number>> = Object.fromEntries(EDITABLE_FIELDS.map((f, i) => [f, i]));
const FIRST_NAME = SLOT.firstName!;
const LAST_NAME = SLOT.lastName!;
const PREFERENCES = SLOT.preferences!;
const TAGS = SLOT.tags!;
const DOB = SLOT.dob!;
const CUSTOM_FIELDS = SLOT.customFields!;
/** A row's values before any cell is read, plus the written-DOB slot (copied per row: packed, no holes). */
const NO_VALUES: readonly unknown[] = [...EDITABLE_FIELDS.map(() => undefined), undefined];

interface MappedColumn {
  readonly index: number;
  readonly column: string;
  /** For a column whose cleaned cell is stored as it is, its field's index in the values array; else -1. */
  readonly slot: number;
  readonly read: Reader;
}

/** Targets whose cleaned cell is the value as it is (no reader-specific parsing). */
const SPECIAL = new Set(['preferences', 'tags', 'dob', 'fullName']);

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);
/** A decimal number as `String(number)` writes one (`1e+21`, `1e-7`, `-0`) or a person types it. */
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function shorten(value: string): string {
  return value.length > 100 ? `${value.slice(0, 100)}…` : value;
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
 * 512 distinct cells: a shop's preference and tag cells repeat a few combinations, so most rows get
 * a copy of a known list instead of splitting again. Every call returns a fresh array.
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

function readerFor(target: string, column: string, options: CsvParseOptions, lists: ListCells): Reader {
  const issue = (
    row: number,
    field: string,
    code: string,
    message: string,
    value: string,
    level: ImportIssue['level'],
  ) => ({
    row,
    column,
    field,
    code,
    message,
    value: shorten(value),
    level,
  });
  if (target === 'preferences') {
    return (cell, row, sink, values) => {
      const list = lists.split(cell);
      if (list.length === 0) return;
      if (list.length > MAX_PREFERENCES) {
        if (options.tooManyPreferences === 'keepFirst') {
          sink.add(
            issue(
              row,
              target,
              'preferences_truncated',
              `Kept the first ${MAX_PREFERENCES} of ${list.length} preferences`,
              cell,
              'warning',
            ),
          );
          values[PREFERENCES] = list.slice(0, MAX_PREFERENCES);
          return;
        }
        sink.add(
          issue(
            row,
            target,
            'too_many_preferences',
            `A customer can have at most ${MAX_PREFERENCES} preferences (found ${list.length})`,
            cell,
            'error',
          ),
        );
      }
      values[PREFERENCES] = list;
    };
  }
  if (target === 'tags') {
    return (cell, _row, _sink, values) => {
      const list = lists.split(cell);
      if (list.length > 0) values[TAGS] = list;
    };
  }
  if (target === 'dob') {
    return (cell, row, sink, values) => {
      // The usual cell is already ISO: kept as it is, without a parse result object.
      if (isPlainIso(cell)) {
        values[DOB] = cell;
        return;
      }
      const parsed = parseCsvDate(cell, options.dateOrder);
      if (parsed.kind === 'ambiguous') {
        sink.add(
          issue(
            row,
            target,
            'ambiguous_date',
            `Date "${cell}" could be day/month or month/day: set the dateOrder option`,
            cell,
            'error',
          ),
        );
        values[DOB] = cell;
        return;
      }
      if (parsed.kind === 'unknown') {
        values[DOB] = cell;
        return;
      }
      if (parsed.yearless) {
        sink.add(
          issue(
            row,
            target,
            'yearless_birthday',
            `Birthday "${cell}" has no year: stored as ${parsed.value}`,
            cell,
            'warning',
          ),
        );
      }
      values[DOB] = parsed.value;
      if (parsed.value !== cell) values[WRITTEN_DOB_SLOT] = cell;
    };
  }
  if (target === 'fullName') {
    return (cell, _row, _sink, values) => {
      const { first, last } = splitFullName(cell);
      values[FIRST_NAME] = first;
      if (last !== undefined) values[LAST_NAME] = last;
    };
  }
  if (target.startsWith('customFields.')) {
    const key = target.slice('customFields.'.length);
    const definition = options.customFieldDefinitions?.find((d) => d.key === key);
    return (cell, _row, _sink, values) => {
      let record = values[CUSTOM_FIELDS] as Record<string, CustomFieldValue> | undefined;
      if (record === undefined) values[CUSTOM_FIELDS] = record = {};
      record[key] = typedValue(cell, definition);
    };
  }
  const slot = SLOT[target];
  if (slot === undefined) throw new Error(`Unknown CSV target ${target}`);
  return (cell, _row, _sink, values) => {
    values[slot] = cell;
  };
}

/**
 * Turns the cells of data rows into planner rows, with the issues found while reading them.
 * Built once per file from the header mapping; {@link CsvRowMapper.map} runs per row.
 */
export class CsvRowMapper implements IssueSink {
  private readonly mapped: readonly MappedColumn[];
  private readonly headerCount: number;
  /** Columns with an empty header (none in most files): their non-empty cells get a warning. */
  private readonly unnamed: readonly number[];
  private readonly maxCell: number;
  /** Field → column header, shared by every row (the planner names columns in issues with it). */
  readonly columns: Readonly<Record<string, string>>;
  private issues: ImportIssue[] | undefined;
  /** Input keys and their value indexes in column order (every row's `input` is built from it). */
  private readonly layout: MappedRowLayout;

  /**
   * @param mapping - The header mapping.
   * @param options - Parse options (preferences policy, date order, definitions).
   * @param maxCell - The longest cell, checked by the stream (`maxCellLength` or its default).
   */
  constructor(mapping: CsvHeaderMapping, options: CsvParseOptions, maxCell: number) {
    this.headerCount = mapping.columns.length;
    this.unnamed = mapping.columns.filter((c) => c.column === '' && c.target === null).map((c) => c.index);
    this.maxCell = maxCell;
    const columns: Record<string, string> = {};
    const mapped: MappedColumn[] = [];
    const layout: [string, number][] = [];
    const lists = new ListCells();
    for (const col of mapping.columns) {
      if (col.target === null) continue;
      const plain =
        SPECIAL.has(col.target) || col.target.startsWith('customFields.') ? undefined : col.target;
      mapped.push({
        index: col.index,
        column: col.column,
        slot: plain === undefined ? -1 : (SLOT[plain] ?? -1),
        read: readerFor(col.target, col.column, options, lists),
      });
      if (col.target === 'fullName') layout.push(['firstName', FIRST_NAME], ['lastName', LAST_NAME]);
      else if (col.target.startsWith('customFields.')) layout.push(['customFields', CUSTOM_FIELDS]);
      else layout.push([col.target, SLOT[col.target] ?? -1]);
      if (col.target === 'fullName') {
        columns.firstName ??= col.column;
        columns.lastName ??= col.column;
      } else if (col.target.startsWith('customFields.')) {
        // `customFields` names the first custom column; each key also names its own.
        columns.customFields ??= col.column;
        columns[col.target] = col.column;
      } else columns[col.target] = col.column;
    }
    this.mapped = mapped;
    this.columns = columns;
    this.layout = layout;
  }

  /**
   * Maps one data row.
   * @param cells - The row's cells as parsed.
   * @param row - The spreadsheet row number (header = 1).
   * @param extra - Issues found by the parser for this row (malformed quotes).
   * @returns The planner row.
   */
  map(cells: readonly string[], row: number, extra?: readonly ImportIssue[]): PlannerRow {
    // A fresh array per row: the row keeps it (its `input` is built from it only when read).
    const values = NO_VALUES.slice();
    this.issues = extra ? [...extra] : undefined;
    for (const col of this.mapped) {
      const raw = cells[col.index];
      if (raw === undefined || raw === '') continue;
      if (raw.length > this.maxCell) {
        this.add({
          row,
          column: col.column,
          code: 'cell_too_long',
          message: `Cell has ${raw.length} characters; the limit is ${this.maxCell}`,
          value: shorten(raw),
          level: 'error',
        });
        continue;
      }
      const cell = cleanCell(raw);
      if (cell === '') continue;
      // Most columns hold plain text: stored without a reader call.
      if (col.slot >= 0) values[col.slot] = cell;
      else col.read(cell, row, this, values);
    }
    for (const index of this.unnamed) {
      const cell = cells[index];
      if (cell !== undefined && cell.trim() !== '') {
        this.add({
          row,
          code: 'unnamed_column',
          message: `Cell in column ${index + 1}, which has no header, was not imported`,
          value: shorten(cell),
          level: 'warning',
        });
      }
    }
    if (cells.length > this.headerCount) {
      const extraCells = cells.slice(this.headerCount).filter((c) => c.trim() !== '');
      if (extraCells.length > 0) {
        this.add({
          row,
          code: 'too_many_cells',
          message: `Row has ${cells.length} cells but the header has ${this.headerCount}: extra cells were dropped`,
          value: shorten(extraCells.join(', ')),
          level: 'warning',
        });
      }
    } else if (cells.length < this.headerCount && this.mapped.some((c) => c.index >= cells.length)) {
      this.add({
        row,
        code: 'too_few_cells',
        message: `Row has ${cells.length} cells but the header has ${this.headerCount}: missing cells were read as empty`,
        level: 'warning',
      });
    }
    const issues = this.issues;
    this.issues = undefined;
    const data = issues?.some((i) => i.level === 'error') ? undefined : fastValidateValues(values, true);
    return new MappedRow(row, values, this.layout, this.columns, issues, data);
  }

  /**
   * Records an issue of the row being mapped.
   * @param issue - The issue.
   */
  add(issue: ImportIssue): void {
    if (this.issues === undefined) this.issues = [issue];
    else this.issues.push(issue);
  }
}
