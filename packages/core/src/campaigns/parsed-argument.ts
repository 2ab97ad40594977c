import type * as z from 'zod/mini';
import { InvalidArgumentError } from '../errors/customer-error';
import { ISSUE_MESSAGES } from './issue-messages';

// Apart from the request's schema (loaded with the campaign runner): the generators check their
// options with it when created.

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
 * Parses `value` with `schema`, turning the first issue into `invalid_argument` naming the path.
 * @param root - The argument's name (`request`, `options`).
 * @param schema - The zod schema.
 * @param value - What the caller passed.
 * @returns The parsed value.
 * @throws `invalid_argument` naming the first issue's path.
 */
export function parsed<S extends z.ZodMiniType>(root: string, schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value, ISSUE_MESSAGES);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
  const message = issue.code === 'unrecognized_keys' ? 'unknown property' : issue.message;
  throw new InvalidArgumentError(argumentPath(root, path), message);
}
