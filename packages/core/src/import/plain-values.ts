import { DAYS_IN_MONTH, MIN_BIRTH_YEAR, TIMEZONE_SLACK_MS } from '../model/normalize';

// Character-level checks of the validation fast path (`fast-validate.ts`): each agrees exactly with
// the schema's rule for the values it accepts (property-tested against zod through the planner).

/**
 * zod's email pattern (`z.regexes.email`) rewritten so it cannot backtrack: dot-separated non-empty
 * runs of letters, digits, `_ ' + -`, not ending in `'` (zod: `(?:X+\.)*X*[X but ']`); `@`; one or
 * more labels (a letter or digit, then letters, digits or `-`) each followed by a dot; a TLD of 2+
 * letters. V8 runs it several times faster than a character loop over the (sliced) cell string.
 */
const EMAIL = /^[A-Za-z0-9_'+-]+(?:\.[A-Za-z0-9_'+-]+)*(?<!')@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;

/**
 * Exactly `z.regexes.email.test(value)` (property-tested against the schema).
 * @param value - A trimmed email.
 * @returns Whether zod's email pattern accepts it.
 */
export function plainEmailOk(value: string): boolean {
  return EMAIL.test(value);
}

/** The UTC year when this module was loaded. */
const LOADED_YEAR = /* @__PURE__ */ (() => new Date().getUTCFullYear())();

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
 * @param value - A date of birth as given.
 * @returns `true` only when `checkDob` would say `ok`.
 */
export function plainDobOk(value: string): boolean {
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
  if (year < MIN_BIRTH_YEAR || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const last = month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!;
  if (day > last) return false;
  // Time only moves forward: a date in a year before the one this module loaded in is in the past.
  return year < LOADED_YEAR || Date.UTC(year, month - 1, day) <= Date.now() + TIMEZONE_SLACK_MS;
}
