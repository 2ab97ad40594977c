import type { CustomerData } from '../model/customer-schema';
import type { ImportIssue, PlannerRow } from './import-types';

/**
 * A planner row built by the CSV row mapper. Its `input` holds only editable customer fields (the
 * mapper sets nothing else), its lists (`preferences`, `tags`) are already trimmed, free of empty
 * entries and of case-insensitive repeats, and the mapper has already run the validation fast path
 * on its values, so validation skips those steps for it. Only the mapper creates these; rows built
 * elsewhere are plain objects and get every check.
 */
export class MappedRow implements PlannerRow {
  /** Issues found before planning; absent when there are none. */
  declare readonly issues?: readonly ImportIssue[];
  /** The fast path's result for `input`: `undefined` when it fell back (or the row has an error). */
  readonly #data: CustomerData | undefined;

  /**
   * @param row - Spreadsheet row number.
   * @param input - The row's customer input (editable fields only).
   * @param columns - Field → column header.
   * @param issues - Issues found while reading the row, if any.
   * @param data - `fastValidateValues` of the row's values, computed while mapping it.
   */
  constructor(
    readonly row: number,
    readonly input: Record<string, unknown>,
    readonly columns: Readonly<Partial<Record<string, string>>>,
    issues: readonly ImportIssue[] | undefined,
    data: CustomerData | undefined,
  ) {
    if (issues !== undefined) this.issues = issues;
    this.#data = data;
  }

  /**
   * The normalized data the validation fast path produced for this row while it was mapped.
   * @returns The data, or `undefined` when the row must be validated by the schema.
   */
  fastData(): CustomerData | undefined {
    return this.#data;
  }
}
