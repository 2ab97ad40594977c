import type { Customer, CustomerPatch, OutboxChange } from '@donutauto/core';
import {
  changedCustomKeys,
  filterPatch,
  isEmptyValue,
  patchFields,
  sameValue,
  withCustomKeys,
} from './field-values';
import type { SyncConflict } from './sync-types';

type UpdateChange = Extract<OutboxChange, { type: 'update' }>;

/** A queued edit moved onto the server's current customer. */
export interface Rebased {
  /** What to write now (empty: the server already holds every value). */
  readonly patch: CustomerPatch;
  /** The other edits this write overwrites, to report once it succeeded. */
  readonly conflicts: SyncConflict[];
}

/**
 * Moves a queued edit onto the server's current state of its customer. Per field: a field only
 * this edit changed is written; a field the server changed since the edit's `base` is still written
 * (the later edit, by server time, wins) and the value it replaces is reported; a field already
 * holding the edit's value is left alone. Custom fields count key by key. A `fill` edit (a merged
 * duplicate) only fills fields the server holds empty, and never reports.
 * @param change - The queued edit.
 * @param server - The customer as the server holds it now.
 * @returns The patch to send with `expectedVersion: server.version`, and the conflicts.
 */
export function rebaseEdit(change: UpdateChange, server: Customer): Rebased {
  const conflicts: SyncConflict[] = [];
  const out: Record<string, unknown> = {};
  for (const field of patchFields(change.patch)) {
    const mine = change.patch[field];
    const current = server[field];
    if (change.mode === 'fill') {
      if (isEmptyValue(current)) out[field] = mine;
      continue;
    }
    if (field === 'customFields') {
      const ours = change.patch.customFields ?? {};
      const keys = changedCustomKeys(change.base.customFields, ours);
      for (const key of keys) {
        const theirs = server.customFields[key];
        const seen = change.base.customFields?.[key];
        if (!sameValue(theirs, seen) && !sameValue(theirs, ours[key])) {
          conflicts.push({
            kind: 'overwritten',
            customerId: server.id,
            field: `customFields.${key}`,
            overwritten: theirs ?? null,
            value: ours[key] ?? null,
          });
        }
      }
      const merged = withCustomKeys(server.customFields, ours, keys);
      if (!sameValue(merged, server.customFields)) out.customFields = merged;
      continue;
    }
    if (sameValue(current, mine)) continue;
    if (!sameValue(current, change.base[field])) {
      conflicts.push({
        kind: 'overwritten',
        customerId: server.id,
        field,
        overwritten: current,
        value: mine,
      });
    }
    out[field] = mine;
  }
  return { patch: out as CustomerPatch, conflicts };
}

/**
 * Applies queued edits to a customer the way the server will: a `fill` edit sets only empty fields.
 * @param customer - The server's copy.
 * @param patch - The edit.
 * @param mode - The edit's mode.
 */
export function localPatch(
  customer: Customer,
  patch: CustomerPatch,
  mode: 'fill' | undefined,
): CustomerPatch {
  return mode === 'fill' ? filterPatch(patch, (f) => isEmptyValue(customer[f])) : patch;
}
