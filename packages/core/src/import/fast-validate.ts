import {
  CUSTOM_FIELD_KEY,
  FIELD_LIMITS as LIMITS,
  LIST_SEPARATOR,
  MAX_PREFERENCES,
} from '../model/customer-fields';
import { type CustomerData, type CustomFieldValue, customFieldsSize } from '../model/customer-schema';
import { checkDob, normalizeHandle, normalizeList, normalizePhone } from '../model/normalize';
import { unstorableIndex } from '../model/storable-text';
import { plainDobOk, plainEmailOk } from './plain-values';

// The same limits and rules as `customerInputSchema` (the source of truth): this module only
// accepts what the schema accepts and returns exactly its output; anything else falls back.

type Result<T> = T | typeof FALLBACK;

const FALLBACK: unique symbol = Symbol('fallback');

function required(value: unknown, max: number, isTrimmed: boolean): Result<string> {
  if (typeof value !== 'string') return FALLBACK;
  const trimmed = isTrimmed ? value : value.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : FALLBACK;
}

function optionalText(value: unknown, max: number, isTrimmed: boolean): Result<string | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return FALLBACK;
  const trimmed = isTrimmed ? value : value.trim();
  if (trimmed === '') return null;
  return trimmed.length <= max ? trimmed : FALLBACK;
}

function optionalNormalized(
  value: unknown,
  normalize: (v: string) => string | undefined,
): Result<string | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > LIMITS.text) return FALLBACK;
  if (value.trim() === '') return null;
  return normalize(value) ?? FALLBACK;
}

// Values already in normalized form skip the general normalizers (same output, far fewer regexes).
const PLAIN_PHONE = /^\+?\d{4,15}$/;
const PLAIN_HANDLE = /^@?[A-Za-z0-9._]{1,30}$/;

function phone(value: unknown): Result<string | null> {
  if (typeof value === 'string' && PLAIN_PHONE.test(value)) return value;
  return optionalNormalized(value, normalizePhone);
}

function handle(value: unknown): Result<string | null> {
  // A plain handle holds no `/`, so the profile-URL form of `normalizeHandle` cannot apply.
  if (typeof value === 'string' && PLAIN_HANDLE.test(value))
    return value.charCodeAt(0) === 64 ? value : `@${value}`;
  return optionalNormalized(value, normalizeHandle);
}

function list(value: unknown, maxItems: number, normalized: boolean): Result<string[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return FALLBACK;
  for (const item of value) if (typeof item !== 'string') return FALLBACK;
  // A caller-normalized list is the mapper's own array, made for this row: used as it is.
  const items = normalized
    ? (value as string[])
    : alreadyNormalized(value as string[])
      ? (value as string[]).slice()
      : normalizeList(value as string[]);
  if (items.length > maxItems) return FALLBACK;
  for (const item of items) {
    if (item.length > LIMITS.listItem) return FALLBACK;
    // The mapper's entries were split on these very separators.
    if (!normalized && LIST_SEPARATOR.test(item)) return FALLBACK;
  }
  return items;
}

/** `normalizeList` would return the same entries: trimmed, non-empty, no case-insensitive repeats. */
function alreadyNormalized(values: readonly string[]): boolean {
  if (values.length > 8) return false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    if (value === '' || value.trim() !== value) return false;
    const key = value.toLowerCase();
    for (let j = 0; j < i; j++) if (values[j]!.toLowerCase() === key) return false;
  }
  return true;
}

function dob(value: unknown): Result<string | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > LIMITS.text) return FALLBACK;
  if (plainDobOk(value)) return value;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  return checkDob(trimmed) === 'ok' ? trimmed : FALLBACK;
}

function customFields(value: unknown): Result<Record<string, CustomFieldValue>> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return FALLBACK;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > LIMITS.customFieldCount || Object.getOwnPropertySymbols(record).length > 0)
    return FALLBACK;
  keys.sort();
  const out: Record<string, CustomFieldValue> = {};
  for (const key of keys) {
    if (!CUSTOM_FIELD_KEY.test(key)) return FALLBACK;
    const v = record[key];
    if (typeof v === 'string') {
      if (v.length > LIMITS.customFieldValue) return FALLBACK;
      out[key] = v.trim();
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return FALLBACK;
      out[key] = v;
    } else if (typeof v === 'boolean' || v === null) out[key] = v;
    else return FALLBACK;
  }
  return keys.length === 0 || customFieldsSize(out) <= LIMITS.customFieldsSize ? out : FALLBACK;
}

/** Holds text the schema refuses as `invalid_character` (in a list entry or custom field too). */
function unstorable(value: unknown): boolean {
  if (typeof value === 'string') return unstorableIndex(value) !== -1;
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'string' && unstorableIndex(v) !== -1) return true;
    return false;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (unstorableIndex(key) !== -1 || (typeof v === 'string' && unstorableIndex(v) !== -1)) return true;
  }
  return false;
}

/**
 * A fast path for `customerInputSchema.safeParse` on import rows: returns the schema's exact
 * normalized output when the input is valid, or `undefined` whenever the input is invalid or
 * unusual, so the caller runs the zod schema to get the data or the exact issues. Property tests
 * check it against the schema.
 * @param input - A row's customer input (editable keys only).
 * @returns The normalized data, or `undefined` to fall back to the schema.
 */
export function fastValidateCustomer(input: Readonly<Record<string, unknown>>): CustomerData | undefined {
  const proto = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return undefined;
  return validateValues(
    input.firstName,
    input.lastName,
    input.email,
    input.phone,
    input.dob,
    input.preferences,
    input.instagramHandle,
    input.tiktokHandle,
    input.twitterHandle,
    input.gender,
    input.location,
    input.notes,
    input.tags,
    input.customFields,
    false,
  );
}

/**
 * {@link fastValidateCustomer} for values held by field position rather than in an object: the
 * CSV mapper keeps a row's values in one reused array while it builds the row.
 * @param values - The value of each of `EDITABLE_FIELDS`, at its index (`undefined` when absent).
 * @param clean - The caller guarantees its values are the CSV mapper's: text already trimmed (as
 * `String.prototype.trim` would) and non-empty `preferences` and `tags` arrays already trimmed,
 * without empty entries or case-insensitive repeats, so neither is checked again.
 * @returns The normalized data, or `undefined` to fall back to the schema.
 */
export function fastValidateValues(values: readonly unknown[], clean: boolean): CustomerData | undefined {
  return validateValues(
    values[0],
    values[1],
    values[2],
    values[3],
    values[4],
    values[5],
    values[6],
    values[7],
    values[8],
    values[9],
    values[10],
    values[11],
    values[12],
    values[13],
    clean,
  );
}

function validateValues(
  first: unknown,
  last: unknown,
  emailValue: unknown,
  phoneValue: unknown,
  dobValue: unknown,
  preferencesValue: unknown,
  instagram: unknown,
  tiktok: unknown,
  twitter: unknown,
  genderValue: unknown,
  locationValue: unknown,
  notesValue: unknown,
  tagsValue: unknown,
  customValue: unknown,
  clean: boolean,
): CustomerData | undefined {
  const firstName = required(first, LIMITS.name, clean);
  const lastName = required(last, LIMITS.name, clean);
  const email = required(emailValue, LIMITS.email, clean);
  if (firstName === FALLBACK || lastName === FALLBACK || email === FALLBACK || !plainEmailOk(email))
    return undefined;
  // Rare: left to the schema, which names the field and the character.
  if (
    unstorable(first) ||
    unstorable(last) ||
    unstorable(phoneValue) ||
    unstorable(dobValue) ||
    unstorable(preferencesValue) ||
    unstorable(instagram) ||
    unstorable(tiktok) ||
    unstorable(twitter) ||
    unstorable(genderValue) ||
    unstorable(locationValue) ||
    unstorable(notesValue) ||
    unstorable(tagsValue) ||
    unstorable(customValue)
  ) {
    return undefined;
  }
  const phoneNumber = phone(phoneValue);
  const birth = dob(dobValue);
  const preferences = list(preferencesValue, MAX_PREFERENCES, clean);
  const instagramHandle = handle(instagram);
  const tiktokHandle = handle(tiktok);
  const twitterHandle = handle(twitter);
  const gender = optionalText(genderValue, LIMITS.text, clean);
  const location = optionalText(locationValue, LIMITS.text, clean);
  const notes = optionalText(notesValue, LIMITS.notes, clean);
  const tags = list(tagsValue, LIMITS.tags, clean);
  const custom = customFields(customValue);
  if (
    phoneNumber === FALLBACK ||
    birth === FALLBACK ||
    preferences === FALLBACK ||
    instagramHandle === FALLBACK ||
    tiktokHandle === FALLBACK ||
    twitterHandle === FALLBACK ||
    gender === FALLBACK ||
    location === FALLBACK ||
    notes === FALLBACK ||
    tags === FALLBACK ||
    custom === FALLBACK
  ) {
    return undefined;
  }
  return {
    firstName,
    lastName,
    email,
    phone: phoneNumber,
    dob: birth,
    preferences,
    instagramHandle,
    tiktokHandle,
    twitterHandle,
    gender,
    location,
    notes,
    tags,
    customFields: custom,
  };
}
