import { InvalidArgumentError } from './customer-error';

/**
 * Reads an argument that must be a plain object (options, a patch): `undefined` gives `fallback`.
 * @param name - The argument's name, for the error.
 * @param value - The value given.
 * @param fallback - The value when none is given; without one, a value is required.
 * @returns The object.
 * @throws `invalid_argument` naming the argument when it is `null`, an array or not an object.
 */
export function objectArgument<T extends object>(name: string, value: T | undefined, fallback?: T): T {
  const result = value === undefined ? fallback : value;
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw new InvalidArgumentError(name, 'expected an object');
  }
  return result;
}

/**
 * Checks that an optional argument is a function.
 * @param name - The argument's name, for the error.
 * @param value - The value given.
 * @returns The function, or `undefined` when none was given.
 * @throws `invalid_argument` naming the argument when it is given and not a function.
 */
export function optionalFunction<F extends (...args: never[]) => unknown>(
  name: string,
  value: F | undefined,
): F | undefined {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidArgumentError(name, 'expected a function');
  }
  return value;
}
