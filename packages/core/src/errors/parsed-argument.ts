import type * as z from 'zod';
import { InvalidArgumentError } from './customer-error';

/**
 * Names a zod issue's path the way the SDK's errors do: `request.contentTypes[1]`.
 * @param root - The argument's name.
 * @param path - zod's path.
 * @returns The dotted path.
 */
export function argumentPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  return out;
}

/**
 * Checks a zod result, turning its first issue into `invalid_argument` naming the path.
 * @param root - The argument's name (`request`, `options`).
 * @param result - zod's `safeParse` result.
 * @returns The parsed value.
 * @throws `invalid_argument` naming the first issue's path.
 */
export function parsed<T>(root: string, result: z.util.SafeParseResult<T>): T {
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const message = issue.code === 'unrecognized_keys' ? 'unknown property' : issue.message;
  throw new InvalidArgumentError(argumentPath(root, path), message);
}
