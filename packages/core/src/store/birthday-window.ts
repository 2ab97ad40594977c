import { InvalidArgumentError } from '../errors/customer-error';
import { checkDob } from '../model/normalize';

/** Longest `birthdayWithinDays` window: a whole (leap) year. */
export const MAX_BIRTHDAY_WINDOW_DAYS = 366;

const DAY_MS = 86_400_000;

/**
 * The birthday keys (month × 100 + day) celebrated on the `days` calendar days starting at `from`,
 * across the year end. A 29 February birthday is celebrated on 28 February in a year without one.
 * @param window - `days` from 1 to 366 and the first day, `YYYY-MM-DD`.
 * @returns The keys, ascending, without repeats.
 * @example
 * birthdayWindowKeys({ days: 3, from: '2025-02-27' }) // [227, 228, 229, 301]
 */
export function birthdayWindowKeys(window: { readonly days: number; readonly from: string }): number[] {
  const [year, month, day] = window.from.split('-').map(Number) as [number, number, number];
  const start = Date.UTC(year, month - 1, day);
  const keys = new Set<number>();
  for (let i = 0; i < window.days; i++) {
    const date = new Date(start + i * DAY_MS);
    const m = date.getUTCMonth() + 1;
    const d = date.getUTCDate();
    keys.add(m * 100 + d);
    if (m === 2 && d === 28 && !isLeapYear(date.getUTCFullYear())) keys.add(229);
  }
  return [...keys].sort((a, b) => a - b);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Today's calendar date in a time zone.
 * @param now - The instant, epoch ms.
 * @param timeZone - An IANA time zone (`Europe/Paris`), or `undefined` for the runtime's own.
 * @param path - The argument path to name in an error.
 * @returns `YYYY-MM-DD`.
 * @throws `invalid_argument` for a time zone the runtime does not know.
 */
export function calendarDate(now: number, timeZone: string | undefined, path: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      ...(timeZone === undefined ? {} : { timeZone }),
      calendar: 'gregory',
      numberingSystem: 'latn',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
  } catch {
    throw new InvalidArgumentError(path, 'expected an IANA time zone such as "Europe/Paris"');
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(now)) parts[part.type] = part.value;
  return `${(parts.year ?? '').padStart(4, '0')}-${parts.month}-${parts.day}`;
}

/**
 * Tells whether a value is a real calendar date written `YYYY-MM-DD` (any year from 1900 on).
 * @param value - Anything.
 * @returns `true` for such a date.
 */
export function isCalendarDate(value: unknown): value is string {
  return (
    typeof value === 'string' && !value.startsWith('--') && checkDob(value, Number.MAX_SAFE_INTEGER) === 'ok'
  );
}
