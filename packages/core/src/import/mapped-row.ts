import type { ImportIssue, PlannerRow } from './import-types';

/**
 * A planner row built by the CSV row mapper. Its `input` holds only editable customer fields (the
 * mapper sets nothing else) and its lists (`preferences`, `tags`) are already trimmed, free of
 * empty entries and of case-insensitive repeats, so validation skips those checks for it. Only the
 * mapper creates these; rows built elsewhere are plain objects and get every check.
 */
export class MappedRow implements PlannerRow {
  /** Issues found before planning; absent when there are none. */
  declare readonly issues?: readonly ImportIssue[];

  /**
   * @param row - Spreadsheet row number.
   * @param input - The row's customer input (editable fields only).
   * @param columns - Field → column header.
   * @param issues - Issues found while reading the row, if any.
   */
  constructor(
    readonly row: number,
    readonly input: Record<string, unknown>,
    readonly columns: Readonly<Partial<Record<string, string>>>,
    issues: readonly ImportIssue[] | undefined,
  ) {
    if (issues !== undefined) this.issues = issues;
  }
}
