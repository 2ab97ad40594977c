import { InvalidArgumentError } from './customer-error';

/**
 * Reads an option that must be one of a fixed set of strings, so a misspelled value fails when it
 * is given instead of silently meaning the default.
 * @param name - The option's name, for the error.
 * @param value - The value given, or `undefined`.
 * @param allowed - The accepted values.
 * @param fallback - The value when none is given.
 * @returns The value, or `fallback` when `value` is `undefined`.
 * @throws `invalid_argument` naming the option when the value is not one of `allowed`.
 */
export function choiceOption<T extends string, F extends T | undefined>(
  name: string,
  value: unknown,
  allowed: readonly T[],
  fallback: F,
): T | F {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(name, `expected ${allowed.map((a) => `'${a}'`).join(', ')}`);
  }
  return value as T;
}

/**
 * Reads a boolean option.
 * @param name - The option's name, for the error.
 * @param value - The value given, or `undefined`.
 * @param fallback - The value when none is given.
 * @returns The boolean.
 * @throws `invalid_argument` naming the option when the value is not a boolean.
 */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError(name, 'expected true or false');
  return value;
}
