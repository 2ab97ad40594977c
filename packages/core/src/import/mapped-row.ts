import { EDITABLE_FIELDS } from '../model/customer-fields';
import type { CustomerData } from '../model/customer-schema';
import type { ImportIssue, PlannerRow } from './import-types';

/**
 * Where a mapped row's `input` keys come from, in the order they are set: each entry is an input
 * key and the index of its value in the row's values array (see `EDITABLE_FIELDS`). Built once per
 * file by the CSV row mapper from the header mapping (column order).
 */
export type MappedRowLayout = readonly (readonly [key: string, slot: number])[];

/**
 * Index, in a mapped row's values array, of the date-of-birth cell as the file wrote it, set only
 * when the mapper converted it (`03/15/1990` → `1990-03-15`), so an issue can show the cell.
 */
export const WRITTEN_DOB_SLOT = EDITABLE_FIELDS.length;

/**
 * A planner row built by the CSV row mapper. Its `input` holds only editable customer fields (the
 * mapper sets nothing else), its lists (`preferences`, `tags`) are already trimmed, free of empty
 * entries and of case-insensitive repeats, and the mapper has already run the validation fast path
 * on its values, so validation skips those steps for it. Only the mapper creates these; rows built
 * elsewhere are plain objects and get every check.
 *
 * The row keeps its values by field position; `input` (an accessor) builds the usual object — the
 * row's non-empty mapped cells, keyed by field, in column order — the first time it is read and
 * returns that same object afterwards. Planning a clean row with the `skip` policy never reads it.
 */
export class MappedRow implements PlannerRow {
  /** Issues found before planning; absent when there are none. */
  declare readonly issues?: readonly ImportIssue[];
  /** The fast path's result for `input`: `undefined` when it fell back (or the row has an error). */
  readonly #data: CustomerData | undefined;
  /** The row's value of each editable field, at its index (`undefined` when the cell was empty). */
  readonly #values: readonly unknown[];
  readonly #layout: MappedRowLayout;
  #input: Record<string, unknown> | undefined;

  /**
   * @param row - Spreadsheet row number.
   * @param values - The row's value of each editable field, at its `EDITABLE_FIELDS` index.
   * @param layout - Input keys and their value indexes, in column order.
   * @param columns - Field → column header.
   * @param issues - Issues found while reading the row, if any.
   * @param data - `fastValidateValues` of the row's values, computed while mapping it.
   */
  constructor(
    readonly row: number,
    values: readonly unknown[],
    layout: MappedRowLayout,
    readonly columns: Readonly<Partial<Record<string, string>>>,
    issues: readonly ImportIssue[] | undefined,
    data: CustomerData | undefined,
  ) {
    if (issues !== undefined) this.issues = issues;
    this.#data = data;
    this.#values = values;
    this.#layout = layout;
    this.#input = undefined;
  }

  /**
   * The row's customer input: its non-empty mapped cells, keyed by field (editable fields only),
   * in column order. Built on first read; later reads return the same object.
   * @returns The input object.
   */
  get input(): Record<string, unknown> {
    if (this.#input !== undefined) return this.#input;
    const input: Record<string, unknown> = {};
    const values = this.#values;
    for (const [key, slot] of this.#layout) {
      const value = values[slot];
      if (value !== undefined && !Object.hasOwn(input, key)) input[key] = value;
    }
    this.#input = input;
    return input;
  }

  /**
   * The row's value of one field by its `EDITABLE_FIELDS` index, without building `input`.
   * @param slot - The field's index.
   * @returns The value, or `undefined` when the row has none.
   */
  valueAt(slot: number): unknown {
    return this.#values[slot];
  }

  /**
   * A field's cell as the file wrote it, when the mapper converted it (only dates of birth are):
   * validation issues show it, so the value matches what the spreadsheet shows.
   * @param field - A customer field.
   * @returns The written cell, or `undefined` when the value is the cell as it was.
   */
  writtenCell(field: string): string | undefined {
    return field === 'dob' ? (this.#values[WRITTEN_DOB_SLOT] as string | undefined) : undefined;
  }

  /**
   * The normalized data the validation fast path produced for this row while it was mapped.
   * @returns The data, or `undefined` when the row must be validated by the schema.
   */
  fastData(): CustomerData | undefined {
    return this.#data;
  }
}
