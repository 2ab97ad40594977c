import {
  CUSTOM_FIELD_KEY,
  FIELD_LIMITS as LIMITS,
  LIST_SEPARATOR,
  MAX_PREFERENCES,
} from '../model/customer-fields';
import { type CustomerData, type CustomFieldValue, customFieldsSize } from '../model/customer-schema';
import { checkDob, normalizeHandle, normalizeList, normalizePhone } from '../model/normalize';
import { plainDobOk, plainEmailOk } from './plain-values';

// The same limits and rules as `customerInputSchema` (the source of truth): this module only
// accepts what the schema accepts and returns exactly its output; anything else falls back.

type Result<T> = T | typeof FALLBACK;

const FALLBACK: unique symbol = Symbol('fallback');

function required(value: unknown, max: number): Result<string> {
  if (typeof value !== 'string') return FALLBACK;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : FALLBACK;
}

function optionalText(value: unknown, max: number): Result<string | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return FALLBACK;
  const trimmed = value.trim();
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

function list(value: unknown, maxItems: number): Result<string[]> {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return FALLBACK;
  for (const item of value) if (typeof item !== 'string') return FALLBACK;
  const items = alreadyNormalized(value as string[])
    ? (value as string[]).slice()
    : normalizeList(value as string[]);
  if (items.length > maxItems) return FALLBACK;
  for (const item of items) if (item.length > LIMITS.listItem || LIST_SEPARATOR.test(item)) return FALLBACK;
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

/**
 * NUL or any surrogate: a superset of what the schema refuses as `invalid_character` (a lone
 * surrogate, NUL), cheap to test; text holding one is left to the schema, which decides exactly.
 */
const MAY_BE_UNSTORABLE = /[\0\uD800-\uDFFF]/;

/** Holds text that may be unstorable (in a list entry or custom field too). */
function unstorable(value: unknown): boolean {
  if (typeof value === 'string') return MAY_BE_UNSTORABLE.test(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'string' && MAY_BE_UNSTORABLE.test(v)) return true;
    return false;
  }
  for (const key in value) {
    const v = (value as Record<string, unknown>)[key];
    if (MAY_BE_UNSTORABLE.test(key) || (typeof v === 'string' && MAY_BE_UNSTORABLE.test(v))) return true;
  }
  return false;
}

/**
 * A fast path for `customerInputSchema.safeParse` on import rows: returns the schema's exact
 * normalized output when the input is valid and ordinary, or `undefined` whenever it is invalid or
 * unusual, so the caller runs the zod schema to get the data or the exact issues. It never decides
 * that a value is invalid. A property test checks it against the schema; a full import into
 * PostgreSQL measured about 1.2–1.3× slower without it (bench/RESULTS.md, 2026-12-07).
 * @param input - A row's customer input (editable keys only).
 * @returns The normalized data, or `undefined` to fall back to the schema.
 */
export function fastValidateCustomer(input: Readonly<Record<string, unknown>>): CustomerData | undefined {
  const proto = Object.getPrototypeOf(input);
  if (proto !== Object.prototype && proto !== null) return undefined;
  // Consent (rare in a row: only files with consent columns) is left to the schema.
  if (input.consent !== undefined) return undefined;
  const firstName = required(input.firstName, LIMITS.name);
  const lastName = required(input.lastName, LIMITS.name);
  const email = required(input.email, LIMITS.email);
  if (firstName === FALLBACK || lastName === FALLBACK || email === FALLBACK || !plainEmailOk(email))
    return undefined;
  // Rare: left to the schema, which names the field and the character.
  if (
    unstorable(input.firstName) ||
    unstorable(input.lastName) ||
    unstorable(input.phone) ||
    unstorable(input.dob) ||
    unstorable(input.preferences) ||
    unstorable(input.instagramHandle) ||
    unstorable(input.tiktokHandle) ||
    unstorable(input.twitterHandle) ||
    unstorable(input.gender) ||
    unstorable(input.location) ||
    unstorable(input.notes) ||
    unstorable(input.tags) ||
    unstorable(input.customFields)
  ) {
    return undefined;
  }
  const phoneNumber = phone(input.phone);
  const birth = dob(input.dob);
  const preferences = list(input.preferences, MAX_PREFERENCES);
  const instagramHandle = handle(input.instagramHandle);
  const tiktokHandle = handle(input.tiktokHandle);
  const twitterHandle = handle(input.twitterHandle);
  const gender = optionalText(input.gender, LIMITS.text);
  const location = optionalText(input.location, LIMITS.text);
  const notes = optionalText(input.notes, LIMITS.notes);
  const tags = list(input.tags, LIMITS.tags);
  const custom = customFields(input.customFields);
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
