/**
 * Pure normalization helpers shared by the zod schemas, the CSV importer and the adapters.
 * Each returns `undefined` for a value it cannot normalize so the schema can report it.
 */

/** A character `toLowerCase` or NFC may change: anything but printable ASCII outside `A`–`Z`. */
const MAY_CHANGE = /[^ -@[-~]/;

/**
 * Normalizes an email for comparison and uniqueness: trimmed, NFC-normalized, lower-cased (by
 * JavaScript's Unicode case mapping, the same on every adapter: PostgreSQL stores this key rather
 * than relying on its own `lower()`), and NFC again (lower-casing can leave text that composes).
 * @param email - An email as typed.
 * @returns The comparison key (two emails are the same customer when their keys are equal).
 * @example
 * normalizeEmail('  Ana@Example.COM ') // 'ana@example.com'
 * normalizeEmail('ZOE\u0308@Bäckerei.de') // 'zoë@bäckerei.de'
 */
export function normalizeEmail(email: string): string {
  const trimmed = email.trim();
  // Most emails are lower-case ASCII already: one pattern test is about twice as fast as
  // `toLowerCase` on them (≈27 against ≈51 ms per million, Node 20), and NFC leaves ASCII alone.
  return MAY_CHANGE.test(trimmed) ? trimmed.normalize('NFC').toLowerCase().normalize('NFC') : trimmed;
}

const PHONE_FORMATTING = /[\s\-.()/\u00a0]/g;
const PHONE_DIGITS = /^\+?\d{4,15}$/;

/**
 * Strips phone formatting (spaces, dashes, dots, parentheses, slashes and a spreadsheet's leading `'`),
 * keeping digits and one leading `+`. Leading zeros are kept.
 * @param phone - A phone number as typed.
 * @returns The normalized number, or `undefined` when it is not 4–15 digits.
 */
export function normalizePhone(phone: string): string | undefined {
  let value = phone.trim();
  if (value.startsWith("'")) value = value.slice(1);
  value = value.replace(PHONE_FORMATTING, '');
  return PHONE_DIGITS.test(value) ? value : undefined;
}

const HANDLE_BODY = /^[A-Za-z0-9._]{1,30}$/;
const HANDLE_URL =
  /^(?:https?:\/\/)?(?:www\.|m\.|mobile\.)?(?:instagram\.com|tiktok\.com|twitter\.com|x\.com)\/@?([^/?#]+)\/?(?:[?#].*)?$/i;

/**
 * Normalizes a social handle to `@name`. Accepts `name`, `@name` and profile URLs of Instagram,
 * TikTok and X/Twitter.
 * @param handle - A handle as typed.
 * @returns `@name`, or `undefined` when it holds characters a handle cannot have.
 */
export function normalizeHandle(handle: string): string | undefined {
  let value = handle.trim();
  const url = HANDLE_URL.exec(value);
  if (url?.[1] !== undefined) value = url[1];
  if (value.startsWith('@')) value = value.slice(1);
  return HANDLE_BODY.test(value) ? `@${value}` : undefined;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const YEARLESS_DATE = /^--(\d{2})-(\d{2})$/;
/** Days of each month in a leap year. */
export const DAYS_IN_MONTH: readonly number[] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Earliest accepted year of birth. */
export const MIN_BIRTH_YEAR = 1900;
/** Births "today" anywhere on Earth are accepted: UTC+14 is the furthest ahead. */
export const TIMEZONE_SLACK_MS = 14 * 60 * 60 * 1000;

/** Why a date of birth was refused, or `ok`. */
export type DobCheck = 'ok' | 'invalid_format' | 'invalid_date' | 'in_future' | 'too_old';

/**
 * Checks a date of birth: a real ISO calendar date `YYYY-MM-DD` from 1900 up to today, or a
 * year-less birthday `--MM-DD` (February 29 allowed).
 * @param dob - The trimmed value.
 * @param now - Current time in epoch ms (injectable for tests).
 * @returns `ok` or the reason it is refused.
 */
export function checkDob(dob: string, now: number = Date.now()): DobCheck {
  const yearless = YEARLESS_DATE.exec(dob);
  if (yearless) {
    const month = Number(yearless[1]);
    const day = Number(yearless[2]);
    return month >= 1 && month <= 12 && day >= 1 && day <= (DAYS_IN_MONTH[month - 1] ?? 0)
      ? 'ok'
      : 'invalid_date';
  }
  const iso = ISO_DATE.exec(dob);
  if (!iso) return 'invalid_format';
  const year = Number(iso[1]);
  const month = Number(iso[2]);
  const day = Number(iso[3]);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return 'invalid_date';
  }
  if (year < MIN_BIRTH_YEAR) return 'too_old';
  if (date.getTime() > now + TIMEZONE_SLACK_MS) return 'in_future';
  return 'ok';
}

/**
 * The birthday month (1–12) of a normalized date of birth, full or year-less.
 * @param dob - A valid `YYYY-MM-DD` or `--MM-DD`.
 * @returns The month number.
 */
export function birthdayMonth(dob: string): number {
  return Number(dob.slice(dob.length - 5, dob.length - 3));
}

/**
 * Trims every entry, drops empty ones and case-insensitive duplicates (the first spelling wins).
 * Used for preferences and tags.
 * @param values - Raw list entries.
 * @returns The cleaned list, in input order.
 */
export function normalizeList(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const value = raw.trim();
    if (value === '') continue;
    const key = value.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out;
}
