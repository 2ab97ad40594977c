import type { CustomerPatch } from '../model/customer-schema';
import type { DryRunPlan, ImportPlan, SkipReason } from './import-types';

/**
 * A dry run's plan, collected batch by batch in input order. Inserts, the usual case, are kept as
 * runs of consecutive rows (`[first, last]` pairs), so a million planned inserts are a few numbers
 * per batch until `inserts` is first read; updates, skips and errors take an entry per row.
 */
export class DryRunPlanBuilder {
  private readonly insertRuns: number[] = [];
  private readonly updates: { row: number; id: string; patch: CustomerPatch }[] = [];
  private readonly skips: { row: number; reason: SkipReason; existingId?: string }[] = [];
  private readonly errors: number[] = [];

  /**
   * Adds a batch's plan (batches must come in input order).
   * @param plan - The batch's plan.
   */
  add(plan: ImportPlan): void {
    const runs = this.insertRuns;
    for (const action of plan.actions) {
      if (action.kind === 'insert') {
        // Only safe integers extend a run (a caller's rows may be any numbers).
        const extendsRun =
          runs.length > 0 && Number.isSafeInteger(action.row) && runs[runs.length - 1] === action.row - 1;
        if (extendsRun) runs[runs.length - 1] = action.row;
        else runs.push(action.row, action.row);
      } else if (action.kind === 'update')
        this.updates.push({ row: action.row, id: action.id, patch: action.patch });
      else if (action.kind === 'error') this.errors.push(action.row);
      else {
        this.skips.push({
          row: action.row,
          reason: action.reason,
          ...(action.existingId === undefined ? {} : { existingId: action.existingId }),
        });
      }
    }
  }

  /**
   * The plan so far; `inserts` is listed on first read.
   * @returns The dry run's plan.
   */
  build(): DryRunPlan {
    const runs = this.insertRuns;
    let inserts: number[] | undefined;
    const listInserts = () => {
      inserts = [];
      for (let i = 0; i < runs.length; i += 2) {
        inserts.push(runs[i]!);
        for (let row = runs[i]! + 1; row <= runs[i + 1]!; row++) inserts.push(row);
      }
      return inserts;
    };
    const plan = { updates: this.updates, skips: this.skips, errors: this.errors };
    return Object.defineProperty(plan, 'inserts', {
      get: () => inserts ?? listInserts(),
      enumerable: true,
    }) as typeof plan & { readonly inserts: readonly number[] };
  }
}
