import type { PresenceField } from '@donutauto/core';
import type {
  NormalizedCustomFieldCondition,
  NormalizedFilter,
  NormalizedListCondition,
  NormalizedTimeRange,
} from '@donutauto/core/adapter';
import { birthdayWindowKeys } from '@donutauto/core/adapter';
import { toArrayLiteral } from './array-literal';
import { FIELD_COLUMNS } from './statements';

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

/**
 * Compiles a canonical filter into SQL conditions with the meaning of core's `matchesFilter`,
 * comparing only values the SDK computed (the derived columns), so PostgreSQL never folds text
 * its own way:
 * - `text`: every word begins a stored search word (`search_words LIKE '% word%'`; words hold only
 *   letters and digits, so no LIKE wildcard can reach the pattern), or, for digits only, the digits
 *   appear in the phone (tested with `search_words`, which holds the phone's digits as a word, so
 *   the trigram index of `search_words` serves both; the phone has no index of its own);
 * - lists: `&&` (any), `@>` (all), `NOT &&` (none) on the folded keys;
 * - birthdays: the birthday key in the window's keys, or in the month's range;
 * - times: `gte` inclusive, `lt` exclusive;
 * - custom fields: own keys of the JSON (`->` with a bound key), compared with their JSON type;
 * - consent: the channel's `state` (`unknown` when the row leaves the channel out) in the admitted states.
 * @param filter - A canonical filter.
 * @param params - Where the values are bound.
 * @returns `''` or conditions each starting with ` AND `.
 */
export function filterSql(filter: NormalizedFilter, params: SqlParams): string {
  const parts: string[] = [];
  if (filter.text !== undefined) parts.push(textSql(filter.text, params));
  if (filter.preferences) parts.push(...listSql('preference_keys', filter.preferences, params));
  if (filter.tags) parts.push(...listSql('tag_keys', filter.tags, params));
  if (filter.birthdayWithinDays) {
    const keys = birthdayWindowKeys(filter.birthdayWithinDays).map(String);
    parts.push(`birthday_key = ANY(${params.add(toArrayLiteral(keys))}::smallint[])`);
  }
  if (filter.birthdayMonth !== undefined) {
    const month = filter.birthdayMonth * 100;
    parts.push(
      `birthday_key BETWEEN ${params.add(month + 1)}::smallint AND ${params.add(month + 31)}::smallint`,
    );
  }
  if (filter.createdAt) parts.push(...timeSql('created_at', filter.createdAt, params));
  if (filter.updatedAt) parts.push(...timeSql('updated_at', filter.updatedAt, params));
  for (const field of filter.has ?? []) parts.push(presenceSql(field, true));
  for (const field of filter.missing ?? []) parts.push(presenceSql(field, false));
  for (const [key, condition] of Object.entries(filter.customFields ?? {})) {
    parts.push(...customFieldSql(key, condition, params));
  }
  for (const [channel, states] of Object.entries(filter.consent ?? {})) {
    // The channel name comes from the canonical filter (one of three), bound like any value. A
    // channel a row leaves out is `unknown` (see `storedConsentText`).
    parts.push(
      `coalesce(consent -> ${params.add(channel)} ->> 'state', 'unknown') = ANY(${params.add(toArrayLiteral(states ?? []))}::text[])`,
    );
  }
  return parts.map((p) => ` AND ${p}`).join('');
}

function textSql(text: string, params: SqlParams): string {
  const tokens = text.split(' ');
  const words = tokens.map((t) => `search_words LIKE ${params.add(`% ${t}%`)}`).join(' AND ');
  if (!tokens.every((t) => /^\d+$/.test(t))) return `(${words})`;
  // The phone is digits after an optional leading +, and core keeps those digits as a search word, so
  // digits in the phone are in `search_words` too: its trigram index finds the rows, the phone decides.
  const digits = params.add(`%${tokens.join('')}%`);
  return `((${words}) OR (search_words LIKE ${digits} AND phone LIKE ${digits}))`;
}

function listSql(column: string, condition: NormalizedListCondition, params: SqlParams): string[] {
  const list = (values: readonly string[]) => `${params.add(toArrayLiteral(values))}::text[]`;
  const parts: string[] = [];
  if (condition.any) parts.push(`${column} && ${list(condition.any)}`);
  if (condition.all) parts.push(`${column} @> ${list(condition.all)}`);
  if (condition.none) parts.push(`NOT (${column} && ${list(condition.none)})`);
  return parts;
}

function timeSql(column: string, range: NormalizedTimeRange, params: SqlParams): string[] {
  const parts: string[] = [];
  if (range.gte !== undefined) parts.push(`${column} >= ${params.add(range.gte)}::bigint`);
  if (range.lt !== undefined) parts.push(`${column} < ${params.add(range.lt)}::bigint`);
  return parts;
}

function presenceSql(field: PresenceField, present: boolean): string {
  const column = FIELD_COLUMNS[field];
  if (field === 'preferences' || field === 'tags') return `cardinality(${column}) ${present ? '>' : '='} 0`;
  return `${column} IS ${present ? 'NOT ' : ''}NULL`;
}

const RANGE_OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function customFieldSql(key: string, condition: NormalizedCustomFieldCondition, params: SqlParams): string[] {
  const value = `(custom_fields -> ${params.add(key)})`;
  const parts: string[] = [];
  if (condition.exists !== undefined) {
    parts.push(`coalesce(${value}, 'null'::jsonb) ${condition.exists ? '<>' : '='} 'null'::jsonb`);
  }
  if (condition.eq !== undefined) parts.push(`${value} = ${params.add(JSON.stringify(condition.eq))}::jsonb`);
  if (condition.in) {
    const values = toArrayLiteral(condition.in.map((v) => JSON.stringify(v)));
    parts.push(`coalesce(${value} = ANY(${params.add(values)}::jsonb[]), false)`);
  }
  for (const op of ['gt', 'gte', 'lt', 'lte'] as const) {
    const bound = condition[op];
    if (bound === undefined) continue;
    // CASE keeps the cast away from values of another JSON type (AND does not order evaluation).
    const compared =
      typeof bound === 'number'
        ? `CASE WHEN jsonb_typeof(${value}) = 'number' THEN ${value}::numeric ${RANGE_OPERATORS[op]} ${params.add(String(bound))}::numeric ELSE false END`
        : `CASE WHEN jsonb_typeof(${value}) = 'string' THEN (${value} #>> '{}') COLLATE "C" ${RANGE_OPERATORS[op]} ${params.add(bound)} ELSE false END`;
    parts.push(compared);
  }
  return parts;
}
