import type { CustomerFilter } from '@donutauto/core';
import { toArrayLiteral } from './array-literal';

/** Collects parameters and hands out their placeholders. */
export class SqlParams {
  /** The values, in placeholder order. */
  readonly values: unknown[];

  /** @param initial - Values already bound to `$1…`. */
  constructor(initial: readonly unknown[]) {
    this.values = [...initial];
  }

  /** Binds a value and returns its placeholder. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const SEARCH_EXPRESSIONS = [
  'first_name',
  'last_name',
  "first_name || ' ' || last_name",
  'email',
  'phone',
  'instagram_handle',
  'tiktok_handle',
  'twitter_handle',
];

/**
 * Compiles a canonical filter into SQL conditions with the meaning of core's `matchesFilter`:
 * search is a case-insensitive substring (`strpos`, so `%` and `_` are plain characters) over the
 * names, "first last", email, phone and handles; preferences and tags must all be present (`@>`);
 * the birthday month is read from the last five characters of `dob`; `createdFrom` is inclusive and
 * `createdTo` exclusive; a custom field equals the JSON value (same type), `null` matching a missing
 * or JSON-null value.
 * @param filter - A canonical filter.
 * @param params - Where the values are bound.
 * @returns `''` or conditions each starting with ` AND `.
 */
export function filterSql(filter: CustomerFilter, params: SqlParams): string {
  const parts: string[] = [];
  if (filter.search !== undefined) {
    // The needle is lower-cased by JavaScript, exactly as the reference does; the columns by lower().
    const needle = params.add(filter.search.toLowerCase());
    parts.push(
      `(${SEARCH_EXPRESSIONS.map((e) => `coalesce(strpos(lower(${e}), ${needle}) > 0, false)`).join(' OR ')})`,
    );
  }
  if (filter.preferences !== undefined)
    parts.push(`preferences @> ${params.add(toArrayLiteral(filter.preferences))}::text[]`);
  if (filter.tags !== undefined) parts.push(`tags @> ${params.add(toArrayLiteral(filter.tags))}::text[]`);
  if (filter.birthdayMonth !== undefined) {
    const month = String(filter.birthdayMonth).padStart(2, '0');
    parts.push(`substr(dob, length(dob) - 4, 2) = ${params.add(month)}`);
  }
  if (filter.createdFrom !== undefined) parts.push(`created_at >= ${params.add(filter.createdFrom)}::bigint`);
  if (filter.createdTo !== undefined) parts.push(`created_at < ${params.add(filter.createdTo)}::bigint`);
  for (const [key, value] of Object.entries(filter.customFields ?? {})) {
    const name = params.add(key);
    if (value === null) {
      parts.push(`coalesce(custom_fields -> ${name}, 'null'::jsonb) = 'null'::jsonb`);
    } else {
      parts.push(`custom_fields -> ${name} = ${params.add(JSON.stringify(value))}::jsonb`);
    }
  }
  return parts.map((p) => ` AND ${p}`).join('');
}
