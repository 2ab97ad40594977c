import type { Customer, CustomerPatch, CustomFieldValue } from '@donutauto/core';

/** Whether two field values are equal (lists in order, custom fields by key). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const record = value as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
}

/** Whether a field holds no value (what the import's `merge` policy fills). */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** The fields a patch sets. */
export function patchFields(patch: CustomerPatch): (keyof CustomerPatch)[] {
  return (Object.keys(patch) as (keyof CustomerPatch)[]).filter((f) => patch[f] !== undefined);
}

/** A customer's values of the fields a patch sets: what an edit replaced. */
export function baseOf(customer: Customer, patch: CustomerPatch): CustomerPatch {
  const base: Record<string, unknown> = {};
  for (const field of patchFields(patch)) base[field] = structuredClone(customer[field]);
  return base as CustomerPatch;
}

/** A patch without the fields `keep` refuses. */
export function filterPatch(
  patch: CustomerPatch,
  keep: (field: keyof CustomerPatch) => boolean,
): CustomerPatch {
  const out: Record<string, unknown> = {};
  for (const field of patchFields(patch)) if (keep(field)) out[field] = patch[field];
  return out as CustomerPatch;
}

type Fields = Readonly<Record<string, CustomFieldValue>>;

/**
 * The custom-field keys an edit changed (set, changed or removed) between what it saw and what it
 * wrote: on a rebase only those keys are written, so edits of different custom fields both stay.
 */
export function changedCustomKeys(base: Fields | undefined, mine: Fields): string[] {
  const seen = base ?? {};
  const keys = new Set([...Object.keys(seen), ...Object.keys(mine)]);
  return [...keys].filter((k) => !sameValue(seen[k], mine[k])).sort();
}

/** `server`'s custom fields with `keys` taken from `mine` (a key absent from `mine` is removed). */
export function withCustomKeys(
  server: Fields,
  mine: Fields,
  keys: readonly string[],
): Record<string, CustomFieldValue> {
  const out: Record<string, CustomFieldValue> = { ...server };
  for (const key of keys) {
    if (Object.hasOwn(mine, key)) out[key] = mine[key] as CustomFieldValue;
    else delete out[key];
  }
  const sorted: Record<string, CustomFieldValue> = {};
  for (const key of Object.keys(out).sort()) sorted[key] = out[key] as CustomFieldValue;
  return sorted;
}
