import { InvalidArgumentError } from '../errors/customer-error';
import { CONSENT_CHANNELS, CONSENT_STATES, type ConsentChannel, type ConsentState } from '../model/consent';
import type { CustomFieldDefinition, CustomFieldIndex } from '../model/custom-fields';
import { indexCustomFields } from '../model/custom-fields';
import { CUSTOM_FIELD_KEY } from '../model/customer-fields';
import { calendarDate, isCalendarDate, MAX_BIRTHDAY_WINDOW_DAYS } from './birthday-window';
import { listKeys } from './customer-keys';
import {
  type BirthdayWindow,
  type CustomerFilter,
  type CustomFieldOperand,
  type NormalizedCustomFieldCondition,
  type NormalizedFilter,
  type NormalizedListCondition,
  type NormalizedTimeRange,
  PRESENCE_FIELDS,
  type PresenceField,
} from './filter-types';
import { compareText, searchWords } from './text-fold';

/** Longest `text` a filter accepts, in characters. */
export const MAX_FILTER_TEXT = 200;
/** Most entries of one filter list (`any`, `all`, `none`, `in`). */
export const MAX_FILTER_LIST = 100;

/** Options of {@link normalizeFilter} and {@link canonicalizeFilter}. */
export interface NormalizeFilterOptions {
  /**
   * The organization's custom field definitions (or their index). With them, a custom-field
   * condition must name a defined field and its operands must fit the field's type; without them
   * any well-formed key and operand is accepted.
   */
  readonly customFields?: readonly CustomFieldDefinition[] | CustomFieldIndex;
  /** The clock "today" is read from for `birthdayWithinDays` without `from`. @defaultValue Date.now() */
  readonly now?: number;
  /** The argument path errors name. @defaultValue 'filter' */
  readonly path?: string;
}

/**
 * Checks a filter at the API boundary and returns its canonical form, the only form adapters
 * receive: blank conditions dropped, text folded into its words, list entries folded, distinct and
 * sorted, time bounds as integer `gte`/`lt`, the birthday window's first day resolved (today in its
 * time zone when absent), keys in a fixed order. Equal filters serialize equally (cursors are bound
 * to them), and normalizing a normalized filter returns it unchanged.
 * @param filter - The caller's filter, or `undefined`.
 * @param options - Custom field definitions, clock, error path.
 * @returns The canonical filter.
 * @throws `invalid_argument` naming the path of an unknown key, a wrong type or an out-of-range value.
 * @example
 * normalizeFilter({ text: '  José ', preferences: { any: ['Glazed', 'glazed'] } })
 * // { text: 'jose', preferences: { any: ['glazed'] } }
 */
export function normalizeFilter(
  filter: CustomerFilter | undefined,
  options: NormalizeFilterOptions = {},
): NormalizedFilter {
  const canonical = canonicalizeFilter(filter, options);
  const window = canonical.birthdayWithinDays;
  if (window === undefined || window.from !== undefined) return canonical as NormalizedFilter;
  const path = `${options.path ?? 'filter'}.birthdayWithinDays.timeZone`;
  const from = calendarDate(options.now ?? Date.now(), window.timeZone, path);
  return { ...canonical, birthdayWithinDays: { days: window.days, from } } as NormalizedFilter;
}

/**
 * {@link normalizeFilter} without resolving "today": a birthday window without `from` keeps its
 * `timeZone` and stays relative. This is the form a segment stores, so "birthday within 14 days"
 * still means the coming two weeks when the segment is used next month.
 * @param filter - The caller's filter, or `undefined`.
 * @param options - Custom field definitions and error path (`now` is not used).
 * @returns The canonical, still relative filter.
 * @throws `invalid_argument` as {@link normalizeFilter} does.
 */
export function canonicalizeFilter(
  filter: CustomerFilter | undefined,
  options: NormalizeFilterOptions = {},
): CustomerFilter {
  const path = options.path ?? 'filter';
  if (filter === undefined || filter === null) return {};
  const source = record(filter, path, 'an object of filter conditions');
  for (const key of Object.keys(source)) {
    if (!FILTER_KEYS.has(key)) {
      const hint = RENAMED[key];
      throw new InvalidArgumentError(
        `${path}.${key}`,
        hint ? `unknown filter condition (use ${hint})` : 'unknown filter condition',
      );
    }
  }
  const definitions =
    options.customFields === undefined
      ? undefined
      : 'byKey' in options.customFields
        ? options.customFields
        : indexCustomFields(options.customFields);
  const out: Record<string, unknown> = {};
  const text = source.text;
  if (text !== undefined) {
    if (typeof text !== 'string' || text.length > MAX_FILTER_TEXT) {
      throw new InvalidArgumentError(
        `${path}.text`,
        `expected text of at most ${MAX_FILTER_TEXT} characters`,
      );
    }
    const words = searchWords(text);
    if (words.length > 0) out.text = words.join(' ');
  }
  for (const key of ['preferences', 'tags'] as const) {
    const condition = listCondition(source[key], `${path}.${key}`);
    if (condition) out[key] = condition;
  }
  if (source.birthdayWithinDays !== undefined) {
    out.birthdayWithinDays = birthdayWindow(source.birthdayWithinDays, `${path}.birthdayWithinDays`);
  }
  const month = source.birthdayMonth;
  if (month !== undefined) {
    if (typeof month !== 'number' || !Number.isInteger(month) || month < 1 || month > 12) {
      throw new InvalidArgumentError(`${path}.birthdayMonth`, 'expected a month number from 1 to 12');
    }
    out.birthdayMonth = month;
  }
  for (const key of ['createdAt', 'updatedAt'] as const) {
    const range = timeRange(source[key], `${path}.${key}`);
    if (range) out[key] = range;
  }
  for (const key of ['has', 'missing'] as const) {
    const fields = presenceFields(source[key], `${path}.${key}`);
    if (fields) out[key] = fields;
  }
  if (source.customFields !== undefined) {
    const fields = record(source.customFields, `${path}.customFields`, 'an object of key → condition');
    const conditions: Record<string, NormalizedCustomFieldCondition> = {};
    for (const key of Object.keys(fields).sort()) {
      const condition = customFieldCondition(key, fields[key], definitions, `${path}.customFields.${key}`);
      if (condition) conditions[key] = condition;
    }
    if (Object.keys(conditions).length > 0) out.customFields = conditions;
  }
  const consent = consentCondition(source.consent, `${path}.consent`);
  if (consent) out.consent = consent;
  return out as CustomerFilter;
}

const FILTER_KEYS: ReadonlySet<string> = new Set([
  'text',
  'preferences',
  'tags',
  'birthdayWithinDays',
  'birthdayMonth',
  'createdAt',
  'updatedAt',
  'has',
  'missing',
  'customFields',
  'consent',
]);

/** Conditions of earlier versions, named in the error so callers find the new spelling. */
const RENAMED: Readonly<Record<string, string>> = {
  search: '`text`',
  createdFrom: '`createdAt: { gte }`',
  createdTo: '`createdAt: { lt }`',
  segmentId: 'the segment on its own, `{ segmentId }`',
};

function record(value: unknown, path: string, expected: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    throw new InvalidArgumentError(path, `expected ${expected}`);
  }
  return value as Record<string, unknown>;
}

function onlyKeys(source: Record<string, unknown>, keys: readonly string[], path: string): void {
  for (const key of Object.keys(source)) {
    if (!keys.includes(key)) {
      throw new InvalidArgumentError(`${path}.${key}`, `unknown key (expected one of ${keys.join(', ')})`);
    }
  }
}

function textList(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length > MAX_FILTER_LIST) {
    throw new InvalidArgumentError(path, `expected a list of at most ${MAX_FILTER_LIST} texts`);
  }
  value.forEach((entry, i) => {
    if (typeof entry !== 'string' || entry.length > MAX_FILTER_TEXT) {
      throw new InvalidArgumentError(
        `${path}[${i}]`,
        `expected text of at most ${MAX_FILTER_TEXT} characters`,
      );
    }
  });
  return value as string[];
}

function listCondition(value: unknown, path: string): NormalizedListCondition | undefined {
  if (value === undefined) return undefined;
  const source = record(value, path, '{ any?, all?, none? } lists of text');
  onlyKeys(source, ['any', 'all', 'none'], path);
  const out: Record<string, string[]> = {};
  for (const key of ['any', 'all', 'none'] as const) {
    if (source[key] === undefined) continue;
    const keys = listKeys(textList(source[key], `${path}.${key}`));
    if (keys.length > 0) out[key] = keys;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function birthdayWindow(value: unknown, path: string): BirthdayWindow {
  const source = record(value, path, '{ days, from?, timeZone? }');
  onlyKeys(source, ['days', 'from', 'timeZone'], path);
  const { days, from, timeZone } = source;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_BIRTHDAY_WINDOW_DAYS) {
    throw new InvalidArgumentError(
      `${path}.days`,
      `expected a whole number of days from 1 to ${MAX_BIRTHDAY_WINDOW_DAYS}`,
    );
  }
  if (from !== undefined) {
    if (!isCalendarDate(from)) throw new InvalidArgumentError(`${path}.from`, 'expected a date YYYY-MM-DD');
    return { days, from };
  }
  if (timeZone === undefined) return { days };
  if (typeof timeZone !== 'string')
    throw new InvalidArgumentError(`${path}.timeZone`, 'expected an IANA time zone');
  calendarDate(0, timeZone, `${path}.timeZone`);
  return { days, timeZone };
}

/** Largest time a `Date` can hold, in ms either side of 1970. */
const MAX_TIME = 8.64e15;

function timeRange(value: unknown, path: string): NormalizedTimeRange | undefined {
  if (value === undefined) return undefined;
  const source = record(value, path, '{ gte?, gt?, lte?, lt? } times');
  onlyKeys(source, ['gte', 'gt', 'lte', 'lt'], path);
  const time = (key: string): number | undefined => {
    const bound = source[key];
    if (bound === undefined) return undefined;
    const ms = bound instanceof Date ? bound.getTime() : bound;
    if (typeof ms !== 'number' || !Number.isFinite(ms) || Math.abs(ms) > MAX_TIME) {
      throw new InvalidArgumentError(`${path}.${key}`, 'expected epoch milliseconds or a valid Date');
    }
    return ms;
  };
  // Stored times are whole milliseconds, so every bound becomes an integer gte / lt.
  const lows = [time('gte'), time('gt')].map((t, i) =>
    t === undefined ? t : i === 0 ? Math.ceil(t) : Math.floor(t) + 1,
  );
  const highs = [time('lt'), time('lte')].map((t, i) =>
    t === undefined ? t : i === 0 ? Math.ceil(t) : Math.floor(t) + 1,
  );
  const gte = bound(lows, Math.max);
  const lt = bound(highs, Math.min);
  if (gte === undefined && lt === undefined) return undefined;
  return { ...(gte === undefined ? {} : { gte }), ...(lt === undefined ? {} : { lt }) };
}

function bound(values: (number | undefined)[], pick: (...n: number[]) => number): number | undefined {
  const given = values.filter((v): v is number => v !== undefined);
  return given.length === 0 ? undefined : pick(...given);
}

function presenceFields(value: unknown, path: string): PresenceField[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new InvalidArgumentError(path, 'expected a list of optional field names');
  value.forEach((field, i) => {
    if (!(PRESENCE_FIELDS as readonly unknown[]).includes(field)) {
      throw new InvalidArgumentError(`${path}[${i}]`, `expected one of ${PRESENCE_FIELDS.join(', ')}`);
    }
  });
  const fields = PRESENCE_FIELDS.filter((f) => value.includes(f));
  return fields.length > 0 ? fields : undefined;
}

/** Per channel, the states admitted; a channel admitting every state is no condition. */
function consentCondition(
  value: unknown,
  path: string,
): Partial<Record<ConsentChannel, ConsentState[]>> | undefined {
  if (value === undefined) return undefined;
  const source = record(value, path, 'an object of channel → state or list of states');
  onlyKeys(source, CONSENT_CHANNELS, path);
  const out: Partial<Record<ConsentChannel, ConsentState[]>> = {};
  for (const channel of CONSENT_CHANNELS) {
    const given = source[channel];
    if (given === undefined) continue;
    const list = Array.isArray(given) ? given : [given];
    if (list.length === 0)
      throw new InvalidArgumentError(`${path}.${channel}`, 'expected at least one state');
    list.forEach((state, i) => {
      if (!(CONSENT_STATES as readonly unknown[]).includes(state)) {
        const at = Array.isArray(given) ? `${path}.${channel}[${i}]` : `${path}.${channel}`;
        throw new InvalidArgumentError(at, `expected one of ${CONSENT_STATES.join(', ')}`);
      }
    });
    const states = CONSENT_STATES.filter((s) => list.includes(s));
    if (states.length < CONSENT_STATES.length) out[channel] = states;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

const CONDITION_KEYS = ['eq', 'in', 'gt', 'gte', 'lt', 'lte', 'exists'] as const;
const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;

function customFieldCondition(
  key: string,
  value: unknown,
  definitions: CustomFieldIndex | undefined,
  path: string,
): NormalizedCustomFieldCondition | undefined {
  if (!CUSTOM_FIELD_KEY.test(key)) {
    throw new InvalidArgumentError(path, 'not a custom field name (a letter, then letters, digits or _)');
  }
  const definition = definitions?.byKey.get(key);
  if (definitions && !definition) throw new InvalidArgumentError(path, 'not a defined custom field');
  const type = definition?.type;
  const source =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : { eq: value };
  onlyKeys(source, CONDITION_KEYS, path);
  const out: Record<string, unknown> = {};
  let exists = source.exists;
  if (exists !== undefined && typeof exists !== 'boolean') {
    throw new InvalidArgumentError(`${path}.exists`, 'expected true or false');
  }
  if (source.eq === null) {
    if (exists === true)
      throw new InvalidArgumentError(`${path}.eq`, 'null (no value) contradicts exists: true');
    exists = false;
  } else if (source.eq !== undefined) {
    out.eq = operand(source.eq, type, `${path}.eq`);
  }
  if (source.in !== undefined) {
    if (!Array.isArray(source.in) || source.in.length === 0 || source.in.length > MAX_FILTER_LIST) {
      throw new InvalidArgumentError(`${path}.in`, `expected a list of 1 to ${MAX_FILTER_LIST} values`);
    }
    const values = source.in.map((v, i) => operand(v, type, `${path}.in[${i}]`));
    out.in = distinctOperands(values);
  }
  for (const rangeKey of RANGE_KEYS) {
    const bound = source[rangeKey];
    if (bound === undefined) continue;
    const at = `${path}.${rangeKey}`;
    if (type !== undefined && type !== 'number' && type !== 'date') {
      throw new InvalidArgumentError(at, 'ranges need a number or date field');
    }
    const parsed = operand(bound, type, at);
    if (typeof parsed === 'boolean') throw new InvalidArgumentError(at, 'expected a number or text');
    out[rangeKey] = parsed;
  }
  if (exists !== undefined) out.exists = exists;
  return Object.keys(out).length > 0 ? (out as NormalizedCustomFieldCondition) : undefined;
}

function operand(
  value: unknown,
  type: CustomFieldDefinition['type'] | undefined,
  path: string,
): CustomFieldOperand {
  const text = typeof value === 'string' ? value.trim() : undefined;
  switch (type) {
    case undefined:
      if (text !== undefined) return text;
      if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) return value;
      throw new InvalidArgumentError(path, 'expected text, a finite number or a boolean');
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      throw new InvalidArgumentError(path, 'expected a finite number (the field is a number)');
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw new InvalidArgumentError(path, 'expected true or false (the field is a boolean)');
    case 'date':
      if (isCalendarDate(text)) return text;
      throw new InvalidArgumentError(path, 'expected a date YYYY-MM-DD (the field is a date)');
    default:
      if (text !== undefined) return text;
      throw new InvalidArgumentError(path, `expected text (the field is ${type})`);
  }
}

const TYPE_RANK = { boolean: 0, number: 1, string: 2 } as const;

/** Distinct operands in one order: booleans, numbers ascending, then text in code point order. */
function distinctOperands(values: readonly CustomFieldOperand[]): CustomFieldOperand[] {
  const seen = new Set<string>();
  const out: CustomFieldOperand[] = [];
  for (const value of values) {
    const key = `${typeof value}:${String(value)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out.sort((a, b) => {
    const rank =
      TYPE_RANK[typeof a as keyof typeof TYPE_RANK] - TYPE_RANK[typeof b as keyof typeof TYPE_RANK];
    if (rank !== 0) return rank;
    if (typeof a === 'string') return compareText(a, b as string);
    return Number(a) - Number(b);
  });
}
