import { InvalidArgumentError } from './customer-error';

/**
 * Reads an integer option that must be from 1 to `max`.
 * @param name - The option's name, for the error.
 * @param value - The value given, or `undefined`.
 * @param max - The largest accepted value.
 * @param fallback - The value when none is given; without one, a value is required.
 * @returns The integer.
 * @throws `invalid_argument` naming the option when it is not an integer from 1 to `max`.
 */
export function integerOption(
  name: string,
  value: number | undefined,
  max: number,
  fallback?: number,
): number {
  const result = value ?? fallback;
  if (result === undefined || !Number.isInteger(result) || result < 1 || result > max) {
    throw new InvalidArgumentError(name, `expected an integer from 1 to ${max}`);
  }
  return result;
}
