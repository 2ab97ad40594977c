import { MAX_PREFERENCES } from '../model/customer-fields';
import type { CustomerData, CustomFieldValue } from '../model/customer-schema';
import { checkDob, normalizeHandle, normalizeList, normalizePhone } from '../model/normalize';

// The same limits and email rule as `customerInputSchema` (the source of truth): this module
// only accepts what the schema accepts and returns exactly its output; anything else falls back.
const CUSTOM_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
const LIMITS = { name: 100, email: 254, text: 200, notes: 5000, item: 50, tags: 100, custom: 200 } as const;

type Result<T> = T | typeof FALLBACK;

const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isAlpha(c) || (c >= 48 && c <= 57);
// Local-part characters of zod's email pattern: letters, digits, _ ' + -
const isLocal = (c: number) => isAlnum(c) || c === 95 || c === 39 || c === 43 || c === 45;

/**
 * Exactly `z.regexes.email.test(value)`, as a character scan (the regex backtracks): a local part
 * of dot-separated non-empty runs of letters, digits, `_ ' + -` not ending in `'`; `@`; one or more
 * labels (a letter or digit, then letters, digits or `-`) each followed by a dot; a TLD of 2+ letters.
 */
function plainEmailOk(value: string): boolean {
  const at = value.indexOf('@');
  if (at <= 0) return false;
  let afterDot = true;
  for (let i = 0; i < at; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (afterDot) return false;
      afterDot = true;
    } else if (isLocal(c)) afterDot = false;
    else return false;
  }
  if (afterDot || value.charCodeAt(at - 1) === 39) return false;
  const lastDot = value.lastIndexOf('.');
  if (lastDot <= at + 1 || value.length - lastDot - 1 < 2) return false;
  for (let i = lastDot + 1; i < value.length; i++) if (!isAlpha(value.charCodeAt(i))) return false;
  let labelStart = at + 1;
  for (let i = at + 1; i <= lastDot; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (i === labelStart) return false;
      labelStart = i + 1;
    } else if (i === labelStart ? !isAlnum(c) : !isAlnum(c) && c !== 45) return false;
  }
  return true;
}
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
  if (typeof value !== 'string') return FALLBACK;
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
  const items =
    normalized || alreadyNormalized(value as string[])
      ? (value as string[]).slice()
      : normalizeList(value as string[]);
  if (items.length > maxItems) return FALLBACK;
  for (const item of items) if (item.length > LIMITS.item) return FALLBACK;
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

/** The UTC year when this module was loaded. */
const LOADED_YEAR = new Date().getUTCFullYear();
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Births "today" anywhere on Earth are accepted (as in `checkDob`): UTC+14 is the furthest ahead. */
const TIMEZONE_SLACK_MS = 14 * 60 * 60 * 1000;

function digits(value: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const code = value.charCodeAt(i) - 48;
    if (code < 0 || code > 9) return -1;
    n = n * 10 + code;
  }
  return n;
}

/**
 * `checkDob(value) === 'ok'` for the two normalized shapes, without regexes or Date objects;
 * `false` means "let `checkDob` decide" (never a wrong `true`).
 */
function plainDobOk(value: string): boolean {
  if (
    value.length === 7 &&
    value.charCodeAt(0) === 45 &&
    value.charCodeAt(1) === 45 &&
    value.charCodeAt(4) === 45
  ) {
    const month = digits(value, 2, 2);
    const day = digits(value, 5, 2);
    return month >= 1 && month <= 12 && day >= 1 && day <= DAYS_IN_MONTH[month - 1]!;
  }
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 2);
  const day = digits(value, 8, 2);
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const last = month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!;
  if (day > last) return false;
  // Time only moves forward: a date in a year before the one this module loaded in is in the past.
  return year < LOADED_YEAR || Date.UTC(year, month - 1, day) <= Date.now() + TIMEZONE_SLACK_MS;
}

function dob(value: unknown): Result<string | null> {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return FALLBACK;
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
  if (Object.getOwnPropertySymbols(record).length > 0) return FALLBACK;
  keys.sort();
  const out: Record<string, CustomFieldValue> = {};
  for (const key of keys) {
    if (!CUSTOM_KEY.test(key)) return FALLBACK;
    const v = record[key];
    if (typeof v === 'string') {
      if (v.length > LIMITS.custom) return FALLBACK;
      out[key] = v.trim();
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) return FALLBACK;
      out[key] = v;
    } else if (typeof v === 'boolean' || v === null) out[key] = v;
    else return FALLBACK;
  }
  return out;
}

/**
 * A fast path for `customerInputSchema.safeParse` on import rows: returns the schema's exact
 * normalized output when the input is valid, or `undefined` whenever the input is invalid or
 * unusual, so the caller runs the zod schema to get the data or the exact issues. Property tests
 * check it against the schema.
 * @param input - A row's customer input (editable keys only).
 * @param listsNormalized - The caller guarantees non-empty `preferences` and `tags` arrays are already
 * trimmed, without empty entries or case-insensitive repeats (the CSV mapper's lists are), so they
 * are not checked again. @defaultValue false
 * @returns The normalized data, or `undefined` to fall back to the schema.
 */
export function fastValidateCustomer(
  input: Readonly<Record<string, unknown>>,
  listsNormalized = false,
): CustomerData | undefined {
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
    listsNormalized,
  );
}

/**
 * {@link fastValidateCustomer} for values held by field position rather than in an object: the
 * CSV mapper keeps a row's values in one reused array while it builds the row.
 * @param values - The value of each of `EDITABLE_FIELDS`, at its index (`undefined` when absent).
 * @param listsNormalized - As for {@link fastValidateCustomer}.
 * @returns The normalized data, or `undefined` to fall back to the schema.
 */
export function fastValidateValues(
  values: readonly unknown[],
  listsNormalized: boolean,
): CustomerData | undefined {
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
    listsNormalized,
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
  listsNormalized: boolean,
): CustomerData | undefined {
  const firstName = required(first, LIMITS.name);
  const lastName = required(last, LIMITS.name);
  const email = required(emailValue, LIMITS.email);
  if (firstName === FALLBACK || lastName === FALLBACK || email === FALLBACK || !plainEmailOk(email))
    return undefined;
  const phoneNumber = phone(phoneValue);
  const birth = dob(dobValue);
  const preferences = list(preferencesValue, MAX_PREFERENCES, listsNormalized);
  const instagramHandle = handle(instagram);
  const tiktokHandle = handle(tiktok);
  const twitterHandle = handle(twitter);
  const gender = optionalText(genderValue, LIMITS.text);
  const location = optionalText(locationValue, LIMITS.text);
  const notes = optionalText(notesValue, LIMITS.notes);
  const tags = list(tagsValue, LIMITS.tags, listsNormalized);
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
